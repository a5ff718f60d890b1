package io.identitybroker;

import io.micronaut.runtime.Micronaut;

/** Entry point of the Identity Broker service. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        // With JSON logs every line of standard output must be a JSON object: no ASCII-art banner.
        String format = System.getProperty("BROKER_LOG_FORMAT", System.getenv().getOrDefault("BROKER_LOG_FORMAT", "plain"));
        Micronaut.build(args).mainClass(Application.class).banner(!"json".equals(format)).start();
    }
}
