package io.identitybroker.mtls;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A setting that is an IPv4 or IPv6 CIDR block or a literal address, as {@link CidrRange} reads it; blank means none. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Constraint(validatedBy = {})
public @interface Cidr {
    String message() default "must list IP addresses or CIDR blocks (e.g. 10.0.0.0/8, fd00::/8)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
