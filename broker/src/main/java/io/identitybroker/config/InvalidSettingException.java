package io.identitybroker.config;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A setting that breaks a rule no constraint annotation states (it depends on another setting, or
 * on the world: a file, a URL's options). Its message is the whole startup line after
 * {@link StartupFailure#PREFIX}: the property, its environment variable, the rule and the value.
 */
public class InvalidSettingException extends ConfigurationException {
    /** A {@code broker.*} setting, whose environment variable follows Micronaut's mapping. */
    public InvalidSettingException(String property, String rule, Object value) {
        this(property, Settings.envName(property), rule, value);
    }

    /** A setting that application.yml reads from the environment variable {@code env}. */
    public InvalidSettingException(String property, String env, String rule, Object value) {
        super(property + " (" + env + ") " + rule + "; got " + StartupFailure.shown(value));
    }

    private InvalidSettingException(String message) {
        super(message);
    }

    /** A setting whose value is not repeated (a URL may carry a password). */
    public static InvalidSettingException withoutValue(String property, String env, String rule) {
        return new InvalidSettingException(property + " (" + env + ") " + rule);
    }
}
