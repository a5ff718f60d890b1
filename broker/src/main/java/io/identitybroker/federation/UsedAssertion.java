package io.identitybroker.federation;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A client assertion already used at the token endpoint, remembered until it expires. */
@MappedEntity("used_client_assertions")
record UsedAssertion(@Id String assertionHash, Instant expiresAt) {
}
