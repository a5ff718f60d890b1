package io.identitybroker.vault;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code kind} label of {@code broker.vault.errors}, by the HTTP status of the failed call (0: no answer). */
@FastTest
class VaultErrorKindTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0,unreachable", "503,sealed", "403,denied", "404,not_found", "429,unavailable", "500,unavailable",
            "502,unavailable", "400,rejected", "409,rejected"})
    void eachFailureStatusHasItsKind(int status, String kind) {
        assertEquals(kind, VaultMetrics.kind(status));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"certificate signing,certificate_signing", "JWT-SVID signing,jwt-svid_signing", "CA chain read,ca_chain_read"})
    void operationsBecomeLowerCaseLabels(String operation, String label) {
        assertEquals(label, VaultMetrics.label(operation));
    }
}
