package io.identitybroker.agent;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.pki.SignedCertificate;
import io.identitybroker.testing.Csrs;
import io.identitybroker.testing.FastTest;
import io.identitybroker.testing.TestCertificates;
import io.micronaut.http.HttpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How a failed sign-and-bind is named and answered ({@link FailedIssuance#settle}): each row a
 * failure raised inside the transaction, the reason its audit event and 500 carry, and what the
 * caller sees: the failure itself ({@code same}: a problem already, or a lost database, 503) or a 500
 * with the answer's detail ({@code 500}) or its off-profile detail ({@code 500 profile}).
 */
@FastTest
class FailedIssuanceTest {
    private static final String ID = "spiffe://example.org/tenant/acme/agent/0190f3a4-5b6c-7d8e-9f00-112233445566";
    private static final FailedIssuance.Answer ANSWER =
            new FailedIssuance.Answer("Enrollment failed", "The binding was not recorded.", "Vault signed off-profile.");
    private static final KeyPair KEYS = Csrs.ec("secp256r1");
    private static final KeyPair CA_KEYS = Csrs.ec("secp256r1");

    static Stream<Arguments> failures() {
        return Stream.of(
                row("Vault signed a CA", () -> profileViolation(TestCertificates.ca(KEYS, "CN=agent"), KEYS),
                        "issued_certificate_rejected", "500 profile"),
                row("Vault signed another key", () -> profileViolation(leaf(ID), Csrs.ec("secp256r1")),
                        "issued_certificate_rejected", "500 profile"),
                row("Vault signed another SPIFFE ID", () -> profileViolation(leaf(ID.replace("acme", "globex")), KEYS),
                        "issued_certificate_rejected", "500 profile"),
                row("a problem raised in the transaction", () -> new ProblemException(ProblemType.MALFORMED_JSON, "used"),
                        "binding_not_committed", "same"),
                row("a problem caused by a lost connection", () -> new ProblemException(
                        ProblemType.DATABASE_UNAVAILABLE, "down", Map.of(), new SQLTransientConnectionException("gone")),
                        "database_unavailable", "same"),
                row("connection lost (transient)", () -> wrapped(new SQLTransientConnectionException("gone")),
                        "database_unavailable", "same"),
                row("PostgreSQL connection failure 08006", () -> wrapped(new SQLException("x", "08006")), "database_unavailable", "same"),
                row("PostgreSQL admin shutdown 57P01", () -> wrapped(new SQLException("x", "57P01")), "database_unavailable", "same"),
                row("PostgreSQL disk full 53100", () -> wrapped(new SQLException("x", "53100")), "database_unavailable", "same"),
                row("H2 database closed 90098", () -> wrapped(new SQLException("x", "90098")), "database_unavailable", "same"),
                row("H2 write failed on I/O", () -> wrapped(new SQLException("x", "HY000", new IOException("No space left"))),
                        "database_unavailable", "same"),
                row("pool discarded the connection", () -> wrapped(new SQLException("Connection is closed")),
                        "database_unavailable", "same"),
                row("unique violation 23505", () -> wrapped(new SQLException("dup", "23505")), "binding_not_committed", "500"),
                row("I/O failure outside the database", () -> new RuntimeException(new IOException("x")), "binding_not_committed", "500"),
                row("a bug", IllegalStateException::new, "binding_not_committed", "500"));
    }

    @ParameterizedTest(name = "{0} -> {2}, {3}")
    @MethodSource("failures")
    void eachFailureHasItsReasonAndAnswer(String name, Supplier<RuntimeException> failure, String reason, String answer) {
        RuntimeException e = failure.get();
        assertEquals(reason, FailedIssuance.reason(e).code());
        RuntimeException thrown = FailedIssuance.toThrow(e, FailedIssuance.reason(e), ANSWER);
        if (answer.equals("same")) {
            assertSame(e, thrown);
            return;
        }
        ProblemException problem = (ProblemException) thrown;
        assertEquals(HttpStatus.INTERNAL_SERVER_ERROR, problem.status());
        assertEquals(reason, problem.code());
        assertEquals(ANSWER.title(), problem.title());
        assertEquals(answer.equals("500 profile") ? ANSWER.profileDetail() : ANSWER.detail(), problem.detail());
    }

    @Test
    void anSvidOfTheRequestedProfilePassesTheCheck() {
        assertDoesNotThrow(() -> FailedIssuance.checkProfile(signed(leaf(ID)), ID, KEYS.getPublic()));
    }

    private static Arguments row(String name, Supplier<RuntimeException> failure, String reason, String answer) {
        return Arguments.of(name, failure, reason, answer);
    }

    private static RuntimeException wrapped(SQLException e) {
        return new RuntimeException("transaction failed", e);
    }

    private static X509Certificate leaf(String uri) {
        return TestCertificates.issuedBy(TestCertificates.ca(CA_KEYS, "CN=ca"), CA_KEYS.getPrivate(), KEYS, uri);
    }

    private static SignedCertificate signed(X509Certificate cert) {
        return new SignedCertificate(cert, TestCertificates.pem(cert), List.of(), "01:02", "x5t");
    }

    /** The exception {@link FailedIssuance#checkProfile} raises for {@code cert} signed for {@code csrKeys}. */
    private static RuntimeException profileViolation(X509Certificate cert, KeyPair csrKeys) {
        return assertThrows(RuntimeException.class, () -> FailedIssuance.checkProfile(signed(cert), ID, csrKeys.getPublic()));
    }
}
