package io.identitybroker.pki;

import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.FastTest;
import io.identitybroker.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.X509Certificate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Pem#certificate} reads exactly one certificate, whatever path it takes. */
@FastTest
class PemTest {
    private static final X509Certificate CERT = TestCertificates.selfSigned(Csrs.ec("secp256r1"), "spiffe://example.org/a");
    private static final String PEM = TestCertificates.pem(CERT);

    static Stream<String> oneCertificate() {
        return Stream.of(PEM, PEM.strip(), "issued by Vault\n" + PEM, PEM.replace("\n", "\r\n"));
    }

    @ParameterizedTest
    @MethodSource("oneCertificate")
    void whenThePemHoldsOneCertificateThenItIsThatCertificate(String pem) throws Exception {
        assertArrayEquals(CERT.getEncoded(), Pem.certificate(pem).getEncoded());
    }

    static Stream<String> notOneCertificate() {
        String body = PEM.substring(PEM.indexOf('\n') + 1, PEM.indexOf("-----END"));
        return Stream.of("", "not a certificate", PEM + PEM, PEM.replace("-----END CERTIFICATE-----", ""),
                "-----BEGIN CERTIFICATE-----\n" + body.substring(0, body.length() / 2) + "\n-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\n*** not base64 ***\n-----END CERTIFICATE-----\n");
    }

    @ParameterizedTest
    @MethodSource("notOneCertificate")
    void whenThePemHoldsNoneSeveralOrABrokenOneThenItIsRefused(String pem) {
        assertThrows(IllegalArgumentException.class, () -> Pem.certificate(pem));
    }

    @Test
    void whenThePemHoldsTwoCertificatesThenTheErrorSaysHowMany() {
        assertEquals("Expected one certificate, got 2",
                assertThrows(IllegalArgumentException.class, () -> Pem.certificate(PEM + PEM)).getMessage());
    }
}
