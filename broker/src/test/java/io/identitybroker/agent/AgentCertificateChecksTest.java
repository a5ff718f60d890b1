package io.identitybroker.agent;

import io.identitybroker.mtls.ChainValidator;
import io.identitybroker.mtls.TrustAnchors;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantStatus;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.FastTest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent authenticator's certificate checks ({@link AgentCertificateChecks}, checks 2 to 6 of
 * {@link AgentAuthenticator}) as a table: each row starts from a request that passes and breaks one
 * or more things; the expected outcome is the first failing check in the documented order (chain,
 * identity, issuer, external SVIDs, agent, trust domain, tenant, revocation, binding), or how the
 * agent was authenticated. Also pins that no binding is looked up once an earlier check has failed.
 */
@FastTest
class AgentCertificateChecksTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String AGENT_ID = "0190f3a4-5b6c-7d8e-9f00-112233445566";
    private static final String OTHER_AGENT_ID = "0190f3a4-5b6c-7d8e-9f00-665544332211";
    private static final String SPIFFE_ID = "spiffe://example.org/tenant/acme/agent/" + AGENT_ID;
    private static final String X5T = "presented-x5t";
    private static final AtomicLong SERIAL = new AtomicLong(1);
    private static final KeyPair KEYS = Csrs.ec("secp256r1");
    private static final X509Certificate CA = leaf(List.of());

    private static final Tenant ACME = new Tenant("acme", "Acme", "example.org", "pki-tenants/acme", "agent",
            TenantStatus.ACTIVE, NOW, NOW, false, Tenant.SOURCE_API);
    private static final Agent AGENT = new Agent(AGENT_ID, "acme", null, SPIFFE_ID, AgentStatus.ACTIVE, "{}", "", "hash", 1,
            "token", NOW, NOW, null);
    private static final CertificateBinding CURRENT = binding(AGENT_ID, BindingStatus.CURRENT, null);

    /** One request as the checks see it. */
    record Scenario(ChainValidator.Result chain, X509Certificate leaf, Agent agent, Tenant tenant, boolean acceptExternal,
                    CertificateBinding byThumbprint) {
        Scenario failing(ChainValidator.Failure failure) {
            return new Scenario(new ChainValidator.Result(null, failure, failure.name()), leaf, agent, tenant, acceptExternal, byThumbprint);
        }

        Scenario anchoredAt(Set<String> tenants) {
            return new Scenario(new ChainValidator.Result(new TrustAnchors.Anchor(CA, tenants, tenants.isEmpty()), null, null),
                    leaf, agent, tenant, acceptExternal, byThumbprint);
        }

        Scenario withSans(String... sans) {
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                names.add(san.startsWith("spiffe:") ? new GeneralName(GeneralName.uniformResourceIdentifier, san)
                        : new GeneralName(GeneralName.dNSName, san));
            }
            return new Scenario(chain, AgentCertificateChecksTest.leaf(names), agent, tenant, acceptExternal, byThumbprint);
        }

        Scenario withAgent(Agent a) {
            return new Scenario(chain, leaf, a, tenant, acceptExternal, byThumbprint);
        }

        Scenario withTenant(Tenant t) {
            return new Scenario(chain, leaf, agent, t, acceptExternal, byThumbprint);
        }

        Scenario acceptingExternal() {
            return new Scenario(chain, leaf, agent, tenant, true, byThumbprint);
        }

        Scenario bound(CertificateBinding b) {
            return new Scenario(chain, leaf, agent, tenant, acceptExternal, b);
        }
    }

    static Stream<Arguments> requests() {
        Scenario ok = new Scenario(null, null, AGENT, ACME, false, CURRENT).anchoredAt(Set.of("acme")).withSans(SPIFFE_ID);
        Tenant suspended = tenant(TenantStatus.SUSPENDED, false, "example.org");
        Tenant dnsAllowed = tenant(TenantStatus.ACTIVE, true, "example.org");
        Agent revoked = new Agent(AGENT_ID, "acme", null, SPIFFE_ID, AgentStatus.REVOKED, "{}", "", "hash", 1, "token", NOW, NOW, NOW);
        String dnsName = AGENT_ID + ".acme.example.org";
        return Stream.of(
                row("everything in order", ok, "ok BOUND_CERTIFICATE"),
                row("expired leaf, also suspended and unbound", ok.failing(ChainValidator.Failure.EXPIRED).withTenant(suspended).bound(null),
                        "401 client_certificate_expired"),
                row("chain too long", ok.failing(ChainValidator.Failure.TOO_LONG), "403 client_certificate_chain_too_long"),
                row("leaf not yet valid", ok.failing(ChainValidator.Failure.NOT_YET_VALID), "403 client_certificate_not_yet_valid"),
                row("leaf unsuitable", ok.failing(ChainValidator.Failure.UNSUITABLE), "403 client_certificate_unsuitable"),
                row("untrusted chain, also a foreign identity", ok.failing(ChainValidator.Failure.UNTRUSTED).withSans("spiffe://other.org/x"),
                        "403 client_certificate_untrusted"),
                row("two URI SANs, also the wrong issuer", ok.withSans(SPIFFE_ID, SPIFFE_ID).anchoredAt(Set.of("globex")),
                        "403 client_certificate_identity_invalid"),
                row("SPIFFE ID not of the broker's form", ok.withSans("spiffe://example.org/workload/web"),
                        "403 client_certificate_identity_invalid"),
                row("no SAN at all", ok.withSans(), "403 client_certificate_identity_invalid"),
                row("DNS SAN, tenant without DNS identities", ok.withSans(dnsName), "403 client_certificate_identity_invalid"),
                row("DNS SAN, tenant with DNS identities", ok.withSans(dnsName).withTenant(dnsAllowed), "ok BOUND_CERTIFICATE"),
                row("DNS SAN in upper case", ok.withSans(dnsName.toUpperCase()).withTenant(dnsAllowed), "ok BOUND_CERTIFICATE"),
                row("DNS SAN of another tenant's form", ok.withSans(AGENT_ID + ".globex.example.org").withTenant(dnsAllowed),
                        "403 client_certificate_agent_mismatch"),
                row("DNS SAN from an external anchor", ok.withSans(dnsName).withTenant(dnsAllowed).anchoredAt(Set.of()).acceptingExternal(),
                        "403 client_certificate_identity_invalid"),
                row("issued by another tenant's CA, also another agent", ok.anchoredAt(Set.of("globex")).withAgent(null),
                        "403 client_certificate_wrong_issuer"),
                row("issued by a CA shared by both tenants", ok.anchoredAt(Set.of("acme", "globex")), "ok BOUND_CERTIFICATE"),
                row("external SVID not accepted, also suspended", ok.anchoredAt(Set.of()).withTenant(suspended),
                        "403 external_svid_not_accepted"),
                row("external SVID accepted", ok.anchoredAt(Set.of()).acceptingExternal().bound(null), "ok EXTERNAL_SVID"),
                row("external SVID of a revoked agent", ok.anchoredAt(Set.of()).acceptingExternal().withAgent(revoked),
                        "401 client_certificate_revoked"),
                row("names another agent, also another trust domain",
                        ok.withSans("spiffe://other.org/tenant/acme/agent/" + OTHER_AGENT_ID), "403 client_certificate_agent_mismatch"),
                row("the request names no existing agent", ok.withAgent(null).withTenant(null), "403 client_certificate_agent_mismatch"),
                row("names the agent under another tenant", ok.withSans("spiffe://example.org/tenant/globex/agent/" + AGENT_ID)
                        .anchoredAt(Set.of("acme", "globex")), "403 client_certificate_agent_mismatch"),
                row("another trust domain, also suspended", ok.withSans("spiffe://other.org/tenant/acme/agent/" + AGENT_ID).withTenant(suspended),
                        "403 client_certificate_wrong_trust_domain"),
                row("tenant suspended, also revoked and unbound", ok.withTenant(suspended).withAgent(revoked).bound(null), "403 tenant_suspended"),
                row("agent revoked, also unbound", ok.withAgent(revoked).bound(null), "401 client_certificate_revoked"),
                row("certificate bound to nobody", ok.bound(null), "403 client_certificate_not_bound"),
                row("certificate bound to another agent", ok.bound(binding(OTHER_AGENT_ID, BindingStatus.CURRENT, null)),
                        "403 client_certificate_not_bound"),
                row("previous certificate within its grace", ok.bound(binding(AGENT_ID, BindingStatus.PREVIOUS, NOW.plusSeconds(1))),
                        "ok BOUND_CERTIFICATE"),
                row("previous certificate after its grace", ok.bound(binding(AGENT_ID, BindingStatus.PREVIOUS, NOW)),
                        "401 client_certificate_revoked"),
                row("revoked certificate", ok.bound(binding(AGENT_ID, BindingStatus.REVOKED, null)), "401 client_certificate_revoked"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("requests")
    void theFirstFailingCheckDecides(String name, Scenario s, String expected) {
        List<String> lookups = new ArrayList<>();
        AgentCertificateChecks.Bindings bindings = new AgentCertificateChecks.Bindings(
                x5t -> {
                    lookups.add("thumbprint");
                    return Optional.ofNullable(s.byThumbprint()).filter(b -> b.x5tS256().equals(x5t));
                },
                agentId -> {
                    lookups.add("current");
                    return Optional.of(CURRENT).filter(b -> b.agentId().equals(agentId));
                });
        AgentCertificateChecks.Decision decision = AgentCertificateChecks.decide(s.chain(), s.leaf(), s.agent(), s.tenant(),
                s.acceptExternal(), X5T, NOW, bindings);
        String outcome = decision instanceof AgentCertificateChecks.Refused r ? r.type().status().getCode() + " " + r.type().code()
                : "ok " + ((AgentCertificateChecks.Accepted) decision).method();
        assertEquals(expected, outcome);

        boolean reachedBindings = expected.startsWith("ok") || expected.endsWith("not_bound")
                || (expected.endsWith("client_certificate_revoked") && s.agent().status() == AgentStatus.ACTIVE);
        assertEquals(reachedBindings ? 1 : 0, lookups.size(), "binding lookups: " + lookups);
        if (decision instanceof AgentCertificateChecks.Accepted accepted && accepted.method() == AgentPrincipal.Method.BOUND_CERTIFICATE) {
            assertEquals(s.byThumbprint(), accepted.binding(), "the presented certificate's binding");
        }
    }

    private static Arguments row(String name, Scenario scenario, String expected) {
        return Arguments.of(name, scenario, expected);
    }

    private static Tenant tenant(TenantStatus status, boolean allowDnsSan, String trustDomain) {
        return new Tenant("acme", "Acme", trustDomain, "pki-tenants/acme", "agent", status, NOW, NOW, allowDnsSan, Tenant.SOURCE_API);
    }

    private static CertificateBinding binding(String agentId, BindingStatus status, Instant graceUntil) {
        return new CertificateBinding("b-" + agentId + status, agentId, "acme", "01", X5T, NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofHours(1)), status, graceUntil, NOW, null, null);
    }

    /** A real (self-signed) client certificate carrying exactly {@code sans}; the chain's verdict is the scenario's. */
    private static X509Certificate leaf(List<GeneralName> sans) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=agent"), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(NOW.minus(Duration.ofHours(1))), Date.from(NOW.plus(Duration.ofHours(1))), new X500Name("CN=agent"),
                    KEYS.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
