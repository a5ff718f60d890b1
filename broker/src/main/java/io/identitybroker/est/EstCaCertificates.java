package io.identitybroker.est;

import io.identitybroker.pki.PkiBackend;
import io.identitybroker.tenant.Tenant;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's CA chain for {@code /cacerts}: its PKI mount's issuing chain as Vault reports it
 * (issuing CA first, up to the root when the mount knows it). {@code cacerts} needs no
 * authentication, so a chain read is reused for a minute rather than asking Vault on every
 * request; when Vault cannot answer and nothing is cached, the Vault failure (503) stands.
 */
@Singleton
public class EstCaCertificates {
    private static final Duration REUSE = Duration.ofMinutes(1);

    private record Cached(List<X509Certificate> chain, Instant until) {
    }

    private final PkiBackend pki;
    private final Clock clock;
    private final Map<String, Cached> byMount = new ConcurrentHashMap<>();

    public EstCaCertificates(PkiBackend pki, Clock clock) {
        this.pki = pki;
        this.clock = clock;
    }

    List<X509Certificate> chainOf(Tenant tenant) {
        Instant now = clock.instant();
        Cached cached = byMount.get(tenant.pkiMount());
        if (cached != null && now.isBefore(cached.until())) {
            return cached.chain();
        }
        List<X509Certificate> chain = List.copyOf(pki.caChain(tenant.pkiMount()));
        byMount.put(tenant.pkiMount(), new Cached(chain, now.plus(REUSE)));
        return chain;
    }
}
