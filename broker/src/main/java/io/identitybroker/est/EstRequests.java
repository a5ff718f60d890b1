package io.identitybroker.est;

import io.identitybroker.security.BasicCredentials;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

/**
 * What an EST request carries, turned into what the enrollment and rotation cores take. Nothing
 * here judges: a missing or garbled credential becomes null (the core refuses it like any unusable
 * token, audited), and a body that is not base64 becomes a PEM block the CSR policy refuses.
 */
final class EstRequests {
    private EstRequests() {
    }

    /**
     * The HTTP Basic password: the enrollment token. The user name is ignored (RFC 7030 §3.2.3
     * leaves it to the server; clients that insist on one may send anything, e.g. the tenant).
     */
    @Nullable
    static String basicPassword(HttpRequest<?> request) {
        return BasicCredentials.of(request).map(BasicCredentials::password).filter(p -> !p.isEmpty()).orElse(null);
    }

    /**
     * An {@code application/pkcs10} body, base64 of the DER CSR with or without line breaks (RFC
     * 8951 §3; a {@code Content-Transfer-Encoding} header changes nothing), as the one PEM block
     * {@link io.identitybroker.pki.CsrPolicy} reads; null when the body is empty. The policy's
     * size limit applies to the result, the server's request size limit to the body.
     */
    @Nullable
    static String csrPem(@Nullable String body) {
        if (body == null) {
            return null;
        }
        String base64 = body.replaceAll("[ \\t\\r\\n]", "");
        if (base64.isEmpty()) {
            return null;
        }
        StringBuilder pem = new StringBuilder(base64.length() + base64.length() / 64 + 80)
                .append("-----BEGIN CERTIFICATE REQUEST-----\n");
        for (int i = 0; i < base64.length(); i += 64) {
            pem.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        return pem.append("-----END CERTIFICATE REQUEST-----\n").toString();
    }
}
