package io.identitybroker.security;

import io.micronaut.http.HttpRequest;

/** The admin's Vault token for this request, as stored by the authentication fetcher. */
public final class AdminTokens {
    private AdminTokens() {
    }

    /** Only valid on routes that required authentication, where the fetcher has run. */
    public static String of(HttpRequest<?> request) {
        return request.getAttribute(VaultTokenAuthenticationFetcher.TOKEN_ATTRIBUTE, String.class)
                .orElseThrow(() -> new IllegalStateException("No admin token on an authenticated route"));
    }
}
