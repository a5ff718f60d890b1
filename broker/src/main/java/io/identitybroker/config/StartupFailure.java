package io.identitybroker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.value.PropertyResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line a refused setting prints instead of a stack trace: {@code Refusing to start:
 * broker.oauth.sign-batch-max-size (BROKER_OAUTH_SIGN_BATCH_MAX_SIZE) must be less than or equal to
 * 1000; got '5000'}. Only failures that are about configuration have a line: a constraint violated
 * by a settings group (Micronaut reports those in its exception's message, which is read here; the
 * violated class's {@code @ConfigurationProperties} prefix turns a field into its property), an
 * {@link InvalidSettingException}, or Micronaut's own {@link ConfigurationException}. Anything else
 * keeps the framework's full report: it is a defect to debug, not a setting to fix.
 */
public final class StartupFailure {
    public static final String PREFIX = "Refusing to start: ";

    private static final Pattern FAILED_BEAN = Pattern.compile("Validation failed for bean definition \\[([\\w.$]+)]");
    private static final Pattern VIOLATION = Pattern.compile("^\\t([\\w.\\[\\]<> ]+?) - (.+)$", Pattern.MULTILINE);
    private static final Pattern NODE = Pattern.compile("(\\w+)(?:\\[(\\d+)])?");

    private StartupFailure() {
    }

    /**
     * The line for {@code failure}, or empty when it is not a configuration error.
     *
     * @param settings where the refused values are read back from, to show them; null: values are not shown
     */
    public static Optional<String> line(Throwable failure, @Nullable PropertyResolver settings) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher bean = t.getMessage() == null ? null : FAILED_BEAN.matcher(t.getMessage());
            if (bean != null && bean.find()) {
                List<String> violations = violations(bean.group(1), t.getMessage(), settings);
                if (!violations.isEmpty()) {
                    return Optional.of(PREFIX + String.join("; ", violations));
                }
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigurationException && t.getMessage() != null) {
                return Optional.of(PREFIX + t.getMessage().lines().findFirst().orElse("").replaceFirst("^" + PREFIX, ""));
            }
        }
        return Optional.empty();
    }

    private static List<String> violations(String beanClass, String message, @Nullable PropertyResolver settings) {
        String prefix = prefixOf(beanClass);
        List<String> lines = new ArrayList<>();
        Matcher v = VIOLATION.matcher(message);
        while (v.find()) {
            String path = v.group(1).startsWith(beanClass + ".") ? v.group(1).substring(beanClass.length() + 1) : v.group(1);
            Matcher node = NODE.matcher(path);
            if (prefix == null || !node.lookingAt()) {
                continue;
            }
            String property = Settings.property(prefix, node.group(1));
            String line = property + " (" + Settings.envName(property) + ") " + v.group(2);
            Optional<String> value = settings == null ? Optional.empty() : settings.get(property, String.class);
            if (value.isPresent() && node.group(2) != null) {
                String[] items = value.get().split(",");
                int i = Integer.parseInt(node.group(2));
                value = i < items.length ? Optional.of(items[i].strip()) : value;
            }
            lines.add(line + value.map(x -> "; got " + shown(x)).orElse(""));
        }
        return lines;
    }

    private static String prefixOf(String beanClass) {
        try {
            for (Class<?> c = Class.forName(beanClass, false, StartupFailure.class.getClassLoader()); c != null; c = c.getSuperclass()) {
                ConfigurationProperties a = c.getAnnotation(ConfigurationProperties.class);
                if (a != null) {
                    return a.value();
                }
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    /** A value as the operator wrote it, quoted so that an empty one is visible. */
    static String shown(Object value) {
        if (value instanceof java.time.Duration d) {
            return "'" + Settings.format(d) + "'";
        }
        return value == null ? "nothing" : "'" + value + "'";
    }
}
