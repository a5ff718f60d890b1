-- Durability: issuance intents (sign-then-crash reconciliation) and the database write heartbeat.
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.

-- Written and committed before the broker asks Vault to sign; deleted in the transaction that
-- records the binding. A row that outlives every live request is an issuance the broker may
-- have lost track of (a crash between Vault's signature and the commit): the reconciler claims
-- it (conditional UPDATE of claimed_until), revokes whatever Vault signed for it, audits, deletes.
CREATE TABLE issuance_intents (
    id                  VARCHAR(36)   PRIMARY KEY,
    kind                VARCHAR(16)   NOT NULL,
    tenant_id           VARCHAR(63)   NOT NULL,
    pki_mount           VARCHAR(255)  NOT NULL,
    pki_role            VARCHAR(128)  NOT NULL,
    agent_id            VARCHAR(36)   NOT NULL,
    spiffe_id           VARCHAR(2048) NOT NULL,
    enrollment_token_id VARCHAR(36),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX issuance_intents_created ON issuance_intents (created_at);

-- One row the readiness check updates: the database accepts a write, not just a connection.
CREATE TABLE database_heartbeat (
    id      INTEGER PRIMARY KEY,
    beat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO database_heartbeat (id, beat_at) VALUES (1, CURRENT_TIMESTAMP);

-- This database's identity outside itself: audit chain heads are anchored in Vault KV under
-- audit-anchors/<installation_id>/<chain>, so brokers with separate databases sharing one Vault
-- never compare against each other's anchors, while a database restored from an old backup keeps
-- its id and is compared against what it had already anchored. Written once by the broker.
CREATE TABLE broker_installation (
    id              INTEGER     PRIMARY KEY,
    installation_id VARCHAR(36) NOT NULL
);
