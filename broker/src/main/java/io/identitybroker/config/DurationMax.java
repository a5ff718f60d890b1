package io.identitybroker.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A duration setting at most {@link #value()} (written {@code 0s}, {@code 100ms}, …); null is left to {@code @NotNull}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Constraint(validatedBy = {})
public @interface DurationMax {
    String value();

    String message() default "must be at most {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
