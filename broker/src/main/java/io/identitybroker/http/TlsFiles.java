package io.identitybroker.http;

import io.identitybroker.config.InvalidSettingException;
import io.identitybroker.config.Settings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;

/**
 * The listener's key and certificate files ({@code BROKER_TLS_KEY_FILE}, {@code BROKER_TLS_CERT_FILE}),
 * checked while the context starts: a missing or unreadable file stops the start with one line,
 * instead of the server failing to bind after every job has started. Resources that are not
 * {@code file:} URLs (a class path resource) are left to Micronaut.
 */
@Context
@Requires(property = "micronaut.server.ssl.enabled", value = "true")
class TlsFiles {
    static final String KEY_PATH = "micronaut.server.ssl.key-store.key-path";
    static final String CERTIFICATE_PATH = "micronaut.server.ssl.key-store.certificate-path";

    TlsFiles(Environment environment) {
        check(environment, KEY_PATH, "BROKER_TLS_KEY_FILE");
        check(environment, CERTIFICATE_PATH, "BROKER_TLS_CERT_FILE");
    }

    private static void check(Environment environment, String property, String env) {
        String value = environment.get(property, String.class).orElse(null);
        if (value != null && value.startsWith("file:") && !Settings.readableFile(value)) {
            String path = value.substring(5);
            throw new InvalidSettingException(property, env, "must name a readable PEM file", path.isBlank() ? null : path);
        }
    }
}
