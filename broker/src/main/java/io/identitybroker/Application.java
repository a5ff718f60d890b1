package io.identitybroker;

import io.micronaut.runtime.Micronaut;

/** Entry point of the Identity Broker service. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
