package io.identitybroker;

import io.identitybroker.config.StartupFailure;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the Identity Broker service. A refused setting stops the start with one line that
 * names it (see {@link StartupFailure}) and exit status {@value #EXIT_CONFIG} (sysexits' EX_CONFIG);
 * any other startup failure keeps Micronaut's report and status.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        // With JSON logs every line of standard output must be a JSON object: no ASCII-art banner.
        String format = System.getProperty("BROKER_LOG_FORMAT", System.getenv().getOrDefault("BROKER_LOG_FORMAT", "plain"));
        new FailFastMicronaut().args(args).mainClass(Application.class).banner(!"json".equals(format)).start();
    }

    static final int EXIT_CONFIG = 78;

    private static final class FailFastMicronaut extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            var line = StartupFailure.line(exception, environment);
            if (line.isPresent() && !environment.getActiveNames().contains(Environment.TEST)) {
                LoggerFactory.getLogger(Application.class).error(line.get());
                System.exit(EXIT_CONFIG);
            }
            super.handleStartupException(environment, exception);
        }
    }
}
