package io.identitybroker.federation;

import io.identitybroker.ids.SpiffeId;
import io.identitybroker.mtls.ForeignSvidChains;
import io.identitybroker.mtls.MtlsConfiguration;
import io.identitybroker.pki.Thumbprints;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SPIFFE client authentication of external clients (draft-ietf-oauth-spiffe-client-auth), on
 * every request, nothing remembered:
 * <ul>
 *   <li>{@code spiffe_x509}: the mTLS chain's leaf has one SPIFFE ID; its trust domain is declared
 *       and has a fresh bundle; the chain validates against that bundle's X.509 authorities only;
 *       the ID is the client's (exact or pattern); the tenant is active. The token is bound to the leaf.</li>
 *   <li>{@code spiffe_jwt}: the JWT-SVID's subject trust domain is declared and fresh; the signature
 *       verifies with that bundle's key of the header's kid; it has not expired, its lifetime is bounded,
 *       its {@code aud} names the issuer or the token endpoint; the ID is the client's; the tenant is
 *       active; and it was not used before (one use per jti per trust domain, or per assertion without
 *       jti, recorded with a conditional insert). If the request also presents an X.509-SVID, it must
 *       pass the spiffe_x509 checks for the same ID, and the token is bound to it.</li>
 * </ul>
 * Any failure is a {@link SpiffeAuthenticationException} with the reason for the audit trail.
 */
@Singleton
public class SpiffeClientAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(SpiffeClientAuthenticator.class);

    private final FederatedBundles bundles;
    private final TenantService tenants;
    private final UsedAssertions used;
    private final FederationConfiguration properties;
    private final MtlsConfiguration mtls;
    private final Clock clock;

    public SpiffeClientAuthenticator(FederatedBundles bundles, TenantService tenants, UsedAssertions used,
                                     FederationConfiguration properties, MtlsConfiguration mtls, Clock clock) {
        this.bundles = bundles;
        this.tenants = tenants;
        this.used = used;
        this.properties = properties;
        this.mtls = mtls;
        this.clock = clock;
    }

    public ExternalPrincipal authenticateX509(List<X509Certificate> chain, ExternalClient client) {
        if (chain.isEmpty()) {
            throw new SpiffeAuthenticationException("client_certificate_required", client, null);
        }
        X509Certificate leaf = chain.get(0);
        String x5t = Thumbprints.x5tS256(leaf);
        SpiffeId id = ForeignSvidChains.spiffeIdOf(leaf)
                .orElseThrow(() -> new SpiffeAuthenticationException("svid_identity_invalid", client, x5t));
        SpiffeBundle bundle = bundle(id.trustDomain(), client, x5t);
        ForeignSvidChains.Refusal refusal = ForeignSvidChains.validate(chain, bundle.x509Authorities(), clock.instant(),
                mtls.getMaxChainLength());
        if (refusal != null) {
            throw new SpiffeAuthenticationException(refusal == ForeignSvidChains.Refusal.EXPIRED ? "expired_svid"
                    : "svid_" + refusal.name().toLowerCase(Locale.ROOT), client, x5t);
        }
        requireClientAndTenant(id, client, x5t);
        return new ExternalPrincipal(client, id.toString(), x5t, leaf.getNotAfter().toInstant(), properties.getX509MethodName());
    }

    /**
     * @param issuer the broker's issuer; the token endpoint is {@code <issuer>/oauth2/token}
     * @param chain  a certificate chain presented over mTLS alongside, possibly empty
     */
    public ExternalPrincipal authenticateJwt(String assertion, ExternalClient client, String issuer, List<X509Certificate> chain) {
        JwtSvids.Verified svid;
        try {
            JwtSvids.Unverified unverified = JwtSvids.parse(assertion);
            SpiffeBundle bundle = bundle(unverified.subject().trustDomain(), client, null);
            svid = JwtSvids.verify(unverified, bundle, Set.of(issuer, issuer + "/oauth2/token"), clock.instant(),
                    properties.getMaxAssertionLifetime());
        } catch (JwtSvids.Refused e) {
            throw new SpiffeAuthenticationException(e.reason(), client, null);
        }
        requireClientAndTenant(svid.subject(), client, null);
        String x5t = null;
        Instant boundUntil = null;
        if (!chain.isEmpty()) {
            ExternalPrincipal x509 = authenticateX509(chain, client);
            if (!x509.spiffeId().equals(svid.subject().toString())) {
                throw new SpiffeAuthenticationException("svid_mismatch", client, x509.x5tS256());
            }
            x5t = x509.x5tS256();
            boundUntil = x509.boundUntil();
        }
        String key = svid.jwtId() != null ? svid.subject().trustDomain() + "\n" + svid.jwtId() : assertion;
        if (used.firstUse(sha256(key), svid.expiresAt().plus(JwtSvids.LEEWAY)) != 1) {
            throw new SpiffeAuthenticationException("replayed_assertion", client, x5t);
        }
        return new ExternalPrincipal(client, svid.subject().toString(), x5t, boundUntil, properties.getJwtMethodName());
    }

    /** Forgets used assertions once they expired (they would be refused as expired anyway). */
    @Scheduled(fixedDelay = "60s", initialDelay = "60s")
    void purgeUsedAssertions() {
        try {
            used.purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Purging used client assertions failed: {}", e.getClass().getSimpleName());
        }
    }

    private SpiffeBundle bundle(String trustDomain, ExternalClient client, String x5t) {
        FederatedBundles.Lookup lookup = bundles.lookup(trustDomain);
        if (lookup instanceof FederatedBundles.Usable usable) {
            return usable.bundle();
        }
        throw new SpiffeAuthenticationException(((FederatedBundles.Unavailable) lookup).reason(), client, x5t);
    }

    private void requireClientAndTenant(SpiffeId id, ExternalClient client, String x5t) {
        if (!client.pattern().matches(id)) {
            throw new SpiffeAuthenticationException("wrong_spiffe_id", client, x5t);
        }
        Tenant tenant = tenants.find(client.tenantId()).orElse(null);
        if (tenant == null || !tenant.isActive()) {
            throw new SpiffeAuthenticationException("tenant_suspended", client, x5t);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
