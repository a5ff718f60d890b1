package io.identitybroker.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Names and values of settings as an operator writes them. */
public final class Settings {
    private Settings() {
    }

    /** Properties that application.yml reads from a variable of another name than Micronaut's mapping. */
    private static final Map<String, String> APPLICATION_YML_VARIABLES = Map.of(
            "broker.vault.address", "VAULT_ADDR",
            "broker.vault.token", "VAULT_TOKEN",
            "broker.vault.ca-cert", "VAULT_CACERT",
            "broker.oauth.issuer", "BROKER_ISSUER",
            "datasources.default.url", "BROKER_DB_URL");

    /**
     * The environment variable an operator sets for a property: the one application.yml names, else
     * Micronaut's mapping ({@code broker.oauth.access-token-ttl} → {@code BROKER_OAUTH_ACCESS_TOKEN_TTL}).
     */
    public static String envName(String property) {
        return APPLICATION_YML_VARIABLES.getOrDefault(property, property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
    }

    /** {@code broker.admin} + {@code capabilityCacheTtl} → {@code broker.admin.capability-cache-ttl}. */
    public static String property(String prefix, String javaName) {
        StringBuilder kebab = new StringBuilder(prefix).append('.');
        for (char c : javaName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }

    /** Whether {@code value} (a path, or a {@code file:} URL) names a regular file this process can read. */
    public static boolean readableFile(String value) {
        Path path = Path.of(value.startsWith("file:") ? value.substring(5) : value);
        return !value.isBlank() && Files.isRegularFile(path) && Files.isReadable(path);
    }

    /** A duration as the configuration writes it ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}). */
    public static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        long amount = Long.parseLong(t.substring(0, split));
        return switch (t.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    /** A duration as the configuration writes it: {@code 30s} rather than {@code PT30S}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] units = {86_400_000, 3_600_000, 60_000, 1000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /**
     * Refuses the start unless {@code lower} ≤ {@code upper}, naming the lower setting: two bounds
     * in the wrong order would otherwise be resolved quietly by one of them winning.
     */
    public static void requireOrdered(String lowerProperty, Duration lower, String upperProperty, Duration upper) {
        if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            throw new InvalidSettingException(lowerProperty, "must not exceed " + upperProperty + " (" + format(upper) + ")", lower);
        }
    }
}
