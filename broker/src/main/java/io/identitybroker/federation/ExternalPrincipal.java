package io.identitybroker.federation;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * An external client authenticated by an SVID.
 *
 * @param spiffeId     the SPIFFE ID it presented (the token's subject; for a pattern client, one of its IDs)
 * @param x5tS256      thumbprint of the X.509-SVID presented over mTLS, the token's binding; null for a
 *                     spiffe_jwt request without one (the token is then a plain bearer token)
 * @param boundUntil   the X.509-SVID's expiry (the token never outlives it); null when unbound
 * @param method       the client authentication method name that succeeded
 */
public record ExternalPrincipal(ExternalClient client, String spiffeId, @Nullable String x5tS256,
                                @Nullable Instant boundUntil, String method) {
}
