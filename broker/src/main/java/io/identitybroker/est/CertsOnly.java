package io.identitybroker.est;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The RFC 7030 §4.1.3 / §4.2.3 "certs-only" message: a CMS SignedData with no content and no
 * signers, carrying certificates only (RFC 5751's degenerate case), DER encoded. Never fails on
 * certificates Vault gave us; an encoding failure is a programming error.
 */
final class CertsOnly {
    private CertsOnly() {
    }

    static byte[] encode(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSAbsentContent()).getEncoded("DER");
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("Cannot encode a certs-only message", e);
        }
    }
}
