-- Tenants, enrollment tokens, agents, certificate bindings and the audit chain.
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.

CREATE TABLE tenants (
    id            VARCHAR(63)  PRIMARY KEY,
    display_name  VARCHAR(200) NOT NULL,
    trust_domain  VARCHAR(255) NOT NULL,
    pki_mount     VARCHAR(255) NOT NULL,
    pki_role      VARCHAR(128) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Only the SHA-256 of a token's secret is stored.
CREATE TABLE enrollment_tokens (
    id          VARCHAR(36)   PRIMARY KEY,
    tenant_id   VARCHAR(63)   NOT NULL REFERENCES tenants (id),
    token_hash  VARCHAR(64)   NOT NULL UNIQUE,
    agent_name  VARCHAR(128),
    labels      VARCHAR(16384) NOT NULL,
    scopes      VARCHAR(4096) NOT NULL,
    max_uses    INTEGER       NOT NULL CHECK (max_uses > 0),
    uses        INTEGER       NOT NULL CHECK (uses >= 0 AND uses <= max_uses),
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(512)  NOT NULL
);
CREATE INDEX enrollment_tokens_tenant ON enrollment_tokens (tenant_id, created_at);

CREATE TABLE agents (
    id                  VARCHAR(36)    PRIMARY KEY,
    tenant_id           VARCHAR(63)    NOT NULL REFERENCES tenants (id),
    name                VARCHAR(128),
    spiffe_id           VARCHAR(2048)  NOT NULL UNIQUE,
    status              VARCHAR(16)    NOT NULL,
    labels              VARCHAR(16384) NOT NULL,
    scopes              VARCHAR(4096)  NOT NULL,
    secret_hash         VARCHAR(64),
    secret_version      INTEGER        NOT NULL,
    enrollment_token_id VARCHAR(36)    NOT NULL REFERENCES enrollment_tokens (id),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX agents_tenant ON agents (tenant_id, created_at);

CREATE TABLE certificate_bindings (
    id            VARCHAR(36)  PRIMARY KEY,
    agent_id      VARCHAR(36)  NOT NULL REFERENCES agents (id),
    tenant_id     VARCHAR(63)  NOT NULL REFERENCES tenants (id),
    serial_number VARCHAR(128) NOT NULL,
    x5t_s256      VARCHAR(43)  NOT NULL UNIQUE,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after     TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    grace_until   TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX certificate_bindings_agent ON certificate_bindings (agent_id, status);

-- One hash chain per tenant ('_system' for events no tenant can be attributed to).
CREATE TABLE audit_chain_heads (
    chain VARCHAR(64) PRIMARY KEY,
    seq   BIGINT      NOT NULL,
    hash  VARCHAR(64) NOT NULL
);

CREATE TABLE audit_events (
    id             VARCHAR(36)    PRIMARY KEY,
    chain          VARCHAR(64)    NOT NULL,
    seq            BIGINT         NOT NULL,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    tenant         VARCHAR(63),
    type           VARCHAR(64)    NOT NULL,
    actor          VARCHAR(512)   NOT NULL,
    subject        VARCHAR(2048),
    outcome        VARCHAR(16)    NOT NULL,
    correlation_id VARCHAR(64)    NOT NULL,
    details        VARCHAR(16384) NOT NULL,
    prev_hash      VARCHAR(64)    NOT NULL,
    hash           VARCHAR(64)    NOT NULL,
    CONSTRAINT audit_events_chain_seq UNIQUE (chain, seq)
);
CREATE INDEX audit_events_type ON audit_events (chain, type, seq);
