package io.identitybroker.enrollment;

import io.identitybroker.testing.BrokerTest;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EnrollmentTokenService#findBySecret} reads with plain JDBC; it must map every column as the repository does. */
class EnrollmentTokenLookupTest extends BrokerTest {

    @Test
    void whenATokenIsFoundBySecretThenItEqualsWhatTheRepositoryReads() {
        String secret = fixtures.tokenSecret("acme");
        Optional<EnrollmentToken> found = broker.context().getBean(EnrollmentTokenService.class).findBySecret(secret);

        assertTrue(found.isPresent());
        assertEquals(broker.context().getBean(EnrollmentTokenRepository.class).findById(found.get().id()), found);
    }

    @Test
    void whenTheSecretIsUnknownThenNoTokenIsFound() {
        assertEquals(Optional.empty(), broker.context().getBean(EnrollmentTokenService.class)
                .findBySecret(EnrollmentTokenService.TOKEN_PREFIX + "unknown"));
    }
}
