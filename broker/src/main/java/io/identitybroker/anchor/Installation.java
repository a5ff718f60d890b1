package io.identitybroker.anchor;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The database's one {@code broker_installation} row. */
@MappedEntity("broker_installation")
record Installation(@Id int id, String installationId) {
}
