package io.identitybroker.ibagent;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.security.KeyPair;

/**
 * The PKCS#10 request the agent sends: subject CN only, no SAN. The broker, not the CSR, decides
 * the SPIFFE ID (it rejects CSRs that ask for one of their own).
 */
public final class Csr {
    private Csr() {
    }

    public static String pem(KeyPair keys, KeyType type) {
        try {
            var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ib-agent"), keys.getPublic())
                    .build(new JcaContentSignerBuilder(type.signatureAlgorithm()).build(keys.getPrivate()));
            return Pem.encode("CERTIFICATE REQUEST", req.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build the CSR", e);
        }
    }
}
