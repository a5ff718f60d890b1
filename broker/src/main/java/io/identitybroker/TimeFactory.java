package io.identitybroker;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one clock every time decision reads, so tests can reason about expiry. */
@Factory
public class TimeFactory {
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
