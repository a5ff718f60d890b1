-- SPIFFE trust bundles: the spiffe_sequence of each trust domain's bundle, shared by every replica
-- and kept across restarts. A replica that computes different content advances the row with a
-- conditional UPDATE on the (content, sequence) it read, so the sequence only ever increases.
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.
CREATE TABLE trust_bundles (
    trust_domain   VARCHAR(255) PRIMARY KEY,
    content_sha256 VARCHAR(64)  NOT NULL,
    sequence       BIGINT       NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
