package io.identitybroker.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import jakarta.inject.Singleton;

import java.time.Duration;

/** The validators of {@link DurationMin}, {@link DurationMax} and {@link ReadableFile}. */
@Factory
class SettingConstraints {
    @Singleton
    ConstraintValidator<DurationMin, Duration> durationMin() {
        return (value, annotation, context) -> value == null
                || value.compareTo(Settings.duration(annotation.stringValue().orElseThrow())) >= 0;
    }

    @Singleton
    ConstraintValidator<DurationMax, Duration> durationMax() {
        return (value, annotation, context) -> value == null
                || value.compareTo(Settings.duration(annotation.stringValue().orElseThrow())) <= 0;
    }

    @Singleton
    ConstraintValidator<ReadableFile, String> readableFile() {
        return (value, annotation, context) -> value == null || value.isBlank() || Settings.readableFile(value);
    }
}
