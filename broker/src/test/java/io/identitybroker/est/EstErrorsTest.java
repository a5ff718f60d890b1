package io.identitybroker.est;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.enrollment.InvalidEnrollmentTokenException;
import io.identitybroker.testing.FastTest;
import io.identitybroker.vault.VaultUnavailableException;
import io.micronaut.http.MutableHttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one EST error mapping: RFC 7030 statuses, plain text, Retry-After on every 503. */
@FastTest
class EstErrorsTest {
    private record Case(RuntimeException error, int status, String body, String retryAfter) {
    }

    @Test
    void eachFailureHasItsStatusAPlainTextReasonAndRetryAfterWhenItIsWorthARetry() {
        Case[] cases = {
                new Case(new VaultUnavailableException("Vault is sealed.", Duration.ofSeconds(7), null), 503,
                        "vault_unavailable: Vault is sealed.\n", "7"),
                new Case(new RuntimeException(new SQLTransientConnectionException("gone")), 503,
                        "database_unavailable: The broker's database is unreachable; nothing was changed. Try again later.\n", "5"),
                new Case(new InvalidEnrollmentTokenException(), 401, "invalid_enrollment_token: The enrollment token is not valid.\n", null),
                new Case(new ProblemException(ProblemType.ROTATION_CONFLICT, "Not current."), 403,
                        "rotation_conflict: Not current.\n", null),
                new Case(new ProblemException(ProblemType.CSR_MALFORMED, "Send exactly one PEM 'CERTIFICATE REQUEST' block and nothing else."), 400,
                        "csr_malformed: The body must be one base64-encoded DER PKCS#10 certification request (application/pkcs10).\n", null),
                new Case(new IllegalStateException("bug"), 500,
                        "internal_error: The request failed; correlation id cid-1 identifies it in the broker's logs.\n", null),
        };
        for (Case c : cases) {
            MutableHttpResponse<String> r = c.error() instanceof ProblemException p ? EstErrors.response(p)
                    : EstErrors.unexpected(c.error(), "cid-1");
            assertEquals(c.status(), r.code(), c.body());
            assertEquals(c.body(), r.body());
            assertEquals("text/plain;charset=utf-8", r.getContentType().orElseThrow().toString().replace(" ", ""));
            assertEquals(c.retryAfter(), r.getHeaders().get("Retry-After"), c.body());
            assertEquals(c.status() == 401, r.getHeaders().contains("WWW-Authenticate"), c.body());
        }
    }
}
