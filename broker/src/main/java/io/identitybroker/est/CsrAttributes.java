package io.identitybroker.est;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The broker's answer to {@code /csrattrs} (RFC 7030 §4.5.2): {@code CsrAttrs ::= SEQUENCE OF
 * AttrOrOID}, stating the key types {@link io.identitybroker.pki.CsrPolicy} accepts, in
 * order of preference:
 * <ol>
 *   <li>attribute {@code id-ecPublicKey} with the curves {@code secp256r1} and {@code secp384r1};</li>
 *   <li>{@code id-Ed25519};</li>
 *   <li>{@code rsaEncryption} (2048 to 4096 bits, exponent at least 65537);</li>
 *   <li>{@code ecdsa-with-SHA256}: the signature the broker asks an EC key to sign its CSR with.</li>
 * </ol>
 * No SAN or subject attribute is asked for: the broker assigns the SPIFFE ID itself. The same for
 * every tenant, and constant: computed once.
 */
final class CsrAttributes {
    static final byte[] DER = encode();

    private CsrAttributes() {
    }

    private static byte[] encode() {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(X9ObjectIdentifiers.id_ecPublicKey,
                new DERSet(new org.bouncycastle.asn1.ASN1Encodable[]{X9ObjectIdentifiers.prime256v1, SECObjectIdentifiers.secp384r1})));
        attrs.add(EdECObjectIdentifiers.id_Ed25519);
        attrs.add(PKCSObjectIdentifiers.rsaEncryption);
        attrs.add(X9ObjectIdentifiers.ecdsa_with_SHA256);
        try {
            return new DERSequence(attrs).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
