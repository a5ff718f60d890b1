package io.identitybroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Vault capability an admin route needs on a virtual path. {@code {name}} placeholders are
 * filled from the route's path variables, e.g. {@code identity-broker/tenants/{tenant}/audit}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface RequiresCapability {
    String path();

    String capability();
}
