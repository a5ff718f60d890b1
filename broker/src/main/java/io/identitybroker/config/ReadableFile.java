package io.identitybroker.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A path setting that names a regular file this process can read (a {@code file:} prefix is
 * allowed); null or blank means unset and is valid.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Constraint(validatedBy = {})
public @interface ReadableFile {
    String message() default "must name a readable file";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
