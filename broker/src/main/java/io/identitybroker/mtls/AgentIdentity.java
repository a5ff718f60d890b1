package io.identitybroker.mtls;

import io.identitybroker.ids.SpiffeId;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a client certificate says it is: a SPIFFE ID of the broker's form
 * {@code spiffe://<trust_domain>/tenant/<tenant>/agent/<agent_id>} (the single URI SAN), or, where
 * the tenant allows it and the certificate has no URI SAN, the single DNS SAN
 * {@code <agent_id>.<tenant>.<trust_domain>}.
 *
 * @param fromDnsSan whether the identity came from a DNS SAN
 */
public record AgentIdentity(String trustDomain, String tenant, String agentId, boolean fromDnsSan) {
    private static final int DNS_NAME = 2;
    private static final int URI_NAME = 6;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** The certificate's claim before any tenant setting is applied. */
    public sealed interface Claim permits Spiffe, Dns, Invalid {
    }

    public record Spiffe(SpiffeId id) implements Claim {
    }

    /** A DNS SAN, lowercased; only meaningful where the tenant allows DNS identities. */
    public record Dns(String name) implements Claim {
    }

    public record Invalid(String why) implements Claim {
    }

    /** Reads the SANs: one URI SAN must be a strict SPIFFE ID; without URI SAN, one DNS SAN may stand in. */
    public static Claim claimOf(X509Certificate leaf) {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return new Invalid("The certificate's subject alternative names cannot be read.");
        }
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                Object type = san.get(0);
                if (Integer.valueOf(URI_NAME).equals(type)) {
                    uris.add(String.valueOf(san.get(1)));
                } else if (Integer.valueOf(DNS_NAME).equals(type)) {
                    dns.add(String.valueOf(san.get(1)));
                }
            }
        }
        if (uris.size() > 1) {
            return new Invalid("An X.509-SVID carries exactly one URI SAN; this certificate has " + uris.size() + ".");
        }
        if (uris.size() == 1) {
            try {
                return new Spiffe(SpiffeId.parse(uris.get(0)));
            } catch (IllegalArgumentException e) {
                return new Invalid("The URI SAN is not a valid SPIFFE ID (" + e.getMessage() + ").");
            }
        }
        if (dns.size() == 1) {
            return new Dns(dns.get(0).toLowerCase(Locale.ROOT));
        }
        return new Invalid("The certificate carries no SPIFFE ID (and no single DNS SAN).");
    }

    /** A SPIFFE ID of the broker's agent form, or empty. */
    public static Optional<AgentIdentity> ofSpiffe(SpiffeId id) {
        List<String> s = id.segments();
        if (s.size() != 4 || !s.get(0).equals("tenant") || !s.get(2).equals("agent")) {
            return Optional.empty();
        }
        return Optional.of(new AgentIdentity(id.trustDomain(), s.get(1), s.get(3), false));
    }

    /** The DNS form for a given tenant: {@code <agent_id>.<tenant>.<trust_domain>}, or empty. */
    public static Optional<AgentIdentity> ofDns(String name, String tenant, String trustDomain) {
        String suffix = "." + tenant + "." + trustDomain;
        if (name.length() > 253 || !name.endsWith(suffix)) {
            return Optional.empty();
        }
        String agent = name.substring(0, name.length() - suffix.length());
        if (!LABEL.matcher(agent).matches()) {
            return Optional.empty();
        }
        return Optional.of(new AgentIdentity(trustDomain, tenant, agent, true));
    }
}
