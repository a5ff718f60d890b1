package io.identitybroker.ibagent;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One X.509-SVID as the agent holds it: the chain (leaf first, then intermediates; no root), its
 * private key, and the trust domain's roots it is verified against.
 */
public record Svid(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> bundle) {
    public Svid {
        chain = List.copyOf(chain);
        bundle = List.copyOf(bundle);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an SVID needs its certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public String serial() {
        return serialHex(leaf().getSerialNumber());
    }

    /** Serials as Vault prints them: colon-separated hex byte pairs. */
    public static String serialHex(BigInteger serial) {
        String hex = serial.toString(16);
        if (hex.length() % 2 == 1) {
            hex = "0" + hex;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    public boolean keyMatches() {
        return Pem.matches(key, leaf().getPublicKey());
    }

    public Svid withBundle(List<X509Certificate> roots) {
        return new Svid(chain, key, roots);
    }

    /** Splits a broker answer (leaf + ca_chain) into the chain to present and the self-signed roots. */
    public static Svid fromBroker(String certificatePem, List<String> caChainPem, PrivateKey key) {
        List<X509Certificate> chain = new java.util.ArrayList<>(Pem.parseCertificates(certificatePem));
        List<X509Certificate> roots = new java.util.ArrayList<>();
        for (String pem : caChainPem) {
            for (X509Certificate c : Pem.parseCertificates(pem)) {
                if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    roots.add(c);
                } else {
                    chain.add(c);
                }
            }
        }
        return new Svid(chain, key, roots);
    }

    @Override
    public String toString() {
        return "Svid[serial=" + serial() + ", notAfter=" + notAfter() + "]"; // never the key
    }
}
