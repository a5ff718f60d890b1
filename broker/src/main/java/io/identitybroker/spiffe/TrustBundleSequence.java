package io.identitybroker.spiffe;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The stored sequence of one trust domain's bundle and the SHA-256 of the content it numbers. */
@MappedEntity("trust_bundles")
record TrustBundleSequence(@Id String trustDomain, String contentSha256, long sequence, Instant updatedAt) {
}
