package io.identitybroker.mtls;

import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.FastTest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ChainValidator} over chains built here with BouncyCastle (real keys, real signatures): each
 * row a presented chain (leaf first), the anchors, the length bound, and the outcome: the anchor's
 * tenant ({@code valid:acme}, {@code valid:external}) or the failure the authenticator maps to a
 * problem type.
 */
@FastTest
class ChainValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final String ID = "spiffe://example.org/tenant/acme/agent/0190f3a4-5b6c-7d8e-9f00-112233445566";
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private static final KeyPair ROOT_KEYS = Csrs.ec("secp256r1");
    private static final KeyPair ACME_KEYS = Csrs.ec("secp256r1");
    private static final KeyPair SUB_KEYS = Csrs.ec("secp256r1");
    private static final KeyPair SUB2_KEYS = Csrs.ec("secp256r1");
    private static final KeyPair LEAF_KEYS = Csrs.ec("secp256r1");
    private static final KeyPair OTHER_KEYS = Csrs.ec("secp256r1");

    private static final X509Certificate ROOT = ca("CN=root", ROOT_KEYS, "CN=root", ROOT_KEYS.getPrivate(), null);
    private static final X509Certificate ACME_CA = ca("CN=acme-ca", ACME_KEYS, "CN=root", ROOT_KEYS.getPrivate(), null);
    private static final X509Certificate SUB_CA = ca("CN=acme-sub", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), null);
    private static final X509Certificate SUB2_CA = ca("CN=acme-sub2", SUB2_KEYS, "CN=acme-sub", SUB_KEYS.getPrivate(), null);

    private static final TrustAnchors.Anchor ACME = new TrustAnchors.Anchor(ACME_CA, Set.of("acme"), false);
    private static final TrustAnchors.Anchor ACME_AS_EXTERNAL = new TrustAnchors.Anchor(ACME_CA, Set.of(), true);
    private static final TrustAnchors.Anchor GLOBEX = new TrustAnchors.Anchor(
            ca("CN=globex-ca", OTHER_KEYS, "CN=globex-ca", OTHER_KEYS.getPrivate(), null), Set.of("globex"), false);
    /** An EC leaf (index 0) signed by an RSA-2048 CA (index 1). */
    private static final List<X509Certificate> RSA_CHAIN = rsaChain();

    static Stream<Arguments> chains() {
        List<TrustAnchors.Anchor> acme = List.of(GLOBEX, ACME);
        return Stream.of(
                row("leaf alone", List.of(leaf()), acme, 3, "valid:acme"),
                row("leaf and its CA", List.of(leaf(), ACME_CA), acme, 3, "valid:acme"),
                row("leaf, CA and root: anchored at the tenant CA", List.of(leaf(), ACME_CA, ROOT), acme, 3, "valid:acme"),
                row("an unrelated extra certificate is ignored", List.of(leaf(), GLOBEX.certificate(), ACME_CA), acme, 3, "valid:acme"),
                row("the same CA as tenant and external anchor: the tenant wins", List.of(leaf()),
                        List.of(ACME_AS_EXTERNAL, ACME), 3, "valid:acme"),
                row("external anchor only", List.of(leaf()), List.of(ACME_AS_EXTERNAL), 3, "valid:external"),
                row("via a sub-CA within the bound", List.of(leafOf("CN=acme-sub", SUB_KEYS), SUB_CA), acme, 2, "valid:acme"),
                row("via two sub-CAs beyond a bound of 2", List.of(leafOf("CN=acme-sub2", SUB2_KEYS), SUB2_CA, SUB_CA), acme, 2,
                        "TOO_LONG"),
                row("via two sub-CAs within a bound of 3", List.of(leafOf("CN=acme-sub2", SUB2_KEYS), SUB2_CA, SUB_CA), acme, 3,
                        "valid:acme"),
                row("a sub-CA's path length constraint broken", List.of(leafOf("CN=c2", SUB2_KEYS),
                        ca("CN=c2", SUB2_KEYS, "CN=c1", SUB_KEYS.getPrivate(), null),
                        ca("CN=c1", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), 0)), acme, 3, "TOO_LONG"),
                row("a sub-CA that is no CA", List.of(leafOf("CN=acme-sub", SUB_KEYS),
                        cert("CN=acme-sub", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY, DAY, false, null,
                                KeyPurposeId.id_kp_clientAuth, null)), acme, 3, "UNTRUSTED"),
                row("missing sub-CA", List.of(leafOf("CN=acme-sub", SUB_KEYS)), acme, 3, "UNTRUSTED"),
                row("self-signed leaf", List.of(cert("CN=acme-ca", LEAF_KEYS, "CN=acme-ca", LEAF_KEYS.getPrivate(), DAY, DAY,
                        false, null, KeyPurposeId.id_kp_clientAuth, ID)), acme, 3, "UNTRUSTED"),
                row("the tenant CA's name, another key's signature", List.of(leafSignedBy(OTHER_KEYS.getPrivate())), acme, 3,
                        "UNTRUSTED"),
                row("another tenant's anchor only", List.of(leaf()), List.of(GLOBEX), 3, "UNTRUSTED"),
                row("no anchors", List.of(leaf()), List.of(), 3, "UNTRUSTED"),
                row("expired leaf", List.of(leafValid(DAY.multipliedBy(2), HOUR.negated())), acme, 3, "EXPIRED"),
                row("leaf not yet valid", List.of(leafValid(HOUR.negated(), DAY)), acme, 3, "NOT_YET_VALID"),
                row("leaf and sub-CA expired, the leaf first: the leaf is reported",
                        List.of(leafOf("CN=old-sub", SUB_KEYS, DAY.multipliedBy(2), HOUR.negated()),
                                ca("CN=old-sub", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY.multipliedBy(10),
                                        Duration.ofMinutes(-30), null)), acme, 3, "EXPIRED"),
                row("expired sub-CA, valid leaf", List.of(leafOf("CN=old-sub", SUB_KEYS, DAY, DAY),
                        ca("CN=old-sub", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY.multipliedBy(10), HOUR.negated(), null)),
                        acme, 3, "UNTRUSTED"),
                row("sub-CA expired before the leaf did", List.of(leafOf("CN=old-sub", SUB_KEYS, DAY.multipliedBy(2), HOUR.negated()),
                        ca("CN=old-sub", SUB_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY.multipliedBy(10), HOUR.multipliedBy(-3), null)),
                        acme, 3, "UNTRUSTED"),
                row("leaf that is a CA", List.of(cert("CN=agent", LEAF_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY, DAY, true, null,
                        null, ID)), acme, 3, "UNSUITABLE"),
                row("leaf for server authentication only", List.of(cert("CN=agent", LEAF_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(),
                        DAY, DAY, false, null, KeyPurposeId.id_kp_serverAuth, ID)), acme, 3, "UNSUITABLE"),
                row("leaf for any purpose", List.of(cert("CN=agent", LEAF_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(), DAY, DAY,
                        false, null, KeyPurposeId.anyExtendedKeyUsage, ID)), acme, 3, "valid:acme"),
                row("leaf without extended key usage", List.of(cert("CN=agent", LEAF_KEYS, "CN=acme-ca", ACME_KEYS.getPrivate(),
                        DAY, DAY, false, null, null, ID)), acme, 3, "valid:acme"),
                row("Ed25519 leaf under an EC CA", List.of(cert("CN=agent", Csrs.ed25519(), "CN=acme-ca", ACME_KEYS.getPrivate(),
                        DAY, DAY, false, null, KeyPurposeId.id_kp_clientAuth, ID)), acme, 3, "valid:acme"),
                row("EC leaf under an RSA CA", List.of(RSA_CHAIN.get(0)), List.of(new TrustAnchors.Anchor(RSA_CHAIN.get(1), Set.of("acme"), false)),
                        3, "valid:acme"));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("chains")
    void eachChainValidatesToItsAnchorOrFailsForItsReason(String name, List<X509Certificate> presented,
                                                         List<TrustAnchors.Anchor> anchors, int maxLength, String expected) {
        ChainValidator.Result result = ChainValidator.validate(presented, anchors, NOW, maxLength);
        String outcome = result.valid()
                ? "valid:" + (result.anchor().tenants().isEmpty() ? "external" : String.join(",", result.anchor().tenants()))
                : result.failure().name();
        assertEquals(expected, outcome, result.detail());
    }

    private static Arguments row(String name, List<X509Certificate> chain, List<TrustAnchors.Anchor> anchors, int maxLength,
                                 String expected) {
        return Arguments.of(name, chain, anchors, maxLength, expected);
    }

    private static X509Certificate leaf() {
        return leafOf("CN=acme-ca", ACME_KEYS);
    }

    private static X509Certificate leafOf(String issuer, KeyPair issuerKeys) {
        return leafOf(issuer, issuerKeys, DAY, DAY);
    }

    private static X509Certificate leafOf(String issuer, KeyPair issuerKeys, Duration before, Duration after) {
        return cert("CN=agent", LEAF_KEYS, issuer, issuerKeys.getPrivate(), before, after, false, null,
                KeyPurposeId.id_kp_clientAuth, ID);
    }

    private static X509Certificate leafSignedBy(PrivateKey signer) {
        return cert("CN=agent", LEAF_KEYS, "CN=acme-ca", signer, DAY, DAY, false, null, KeyPurposeId.id_kp_clientAuth, ID);
    }

    /** A leaf of the tenant CA valid from {@code before} ahead of now until {@code after} past it (negative: in the past). */
    private static X509Certificate leafValid(Duration before, Duration after) {
        return leafOf("CN=acme-ca", ACME_KEYS, before, after);
    }

    private static List<X509Certificate> rsaChain() {
        KeyPair rsa = Csrs.rsa(2048);
        X509Certificate ca = ca("CN=acme-rsa-ca", rsa, "CN=acme-rsa-ca", rsa.getPrivate(), null);
        return List.of(cert("CN=agent", LEAF_KEYS, "CN=acme-rsa-ca", rsa.getPrivate(), DAY, DAY, false, null,
                KeyPurposeId.id_kp_clientAuth, ID), ca);
    }

    private static X509Certificate ca(String subject, KeyPair keys, String issuer, PrivateKey signer, Integer pathLen) {
        return ca(subject, keys, issuer, signer, DAY.multipliedBy(30), DAY.multipliedBy(30), pathLen);
    }

    private static X509Certificate ca(String subject, KeyPair keys, String issuer, PrivateKey signer, Duration before,
                                      Duration after, Integer pathLen) {
        return cert(subject, keys, issuer, signer, before, after, true, pathLen, null, null);
    }

    /**
     * A certificate valid from {@code NOW - before} to {@code NOW + after}; {@code ca} sets the CA flag
     * (with {@code pathLen} when not null) and the CA key usages; {@code eku} and {@code uri} are
     * left out when null.
     */
    private static X509Certificate cert(String subject, KeyPair keys, String issuer, PrivateKey signer, Duration before,
                                        Duration after, boolean ca, Integer pathLen, KeyPurposeId eku, String uri) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(NOW.minus(before)), Date.from(NOW.plus(after)),
                    new X500Name(subject), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, pathLen == null ? new BasicConstraints(ca) : new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            if (uri != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            }
            String algorithm = switch (signer.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> "Ed25519";
            };
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
