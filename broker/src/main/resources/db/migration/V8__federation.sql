-- SPIFFE federation (issue 16): foreign trust domains, external OAuth clients identified by a
-- foreign SPIFFE ID, and the JWT-SVID assertions already used at the token endpoint.
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.

-- A foreign trust domain and where its SPIFFE bundle comes from: a bundle endpoint
-- (profile 'https_web' or 'https_spiffe') or a static bundle (profile 'static', bundle JSON in
-- static_bundle). endpoint_ca holds PEM roots that verify an https_web endpoint's server
-- certificate (null: the JDK's); an https_spiffe endpoint presents the X.509-SVID
-- endpoint_spiffe_id, verified against the domain's own last bundle (static_bundle bootstraps it).
CREATE TABLE trust_domains (
    name          VARCHAR(255)   PRIMARY KEY,
    profile       VARCHAR(16)    NOT NULL,
    endpoint_url  VARCHAR(2048),
    endpoint_ca   VARCHAR(65536),
    static_bundle VARCHAR(65536),
    endpoint_spiffe_id VARCHAR(2048),
    source        VARCHAR(16)    NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An OAuth client of a tenant whose identity is a foreign SPIFFE ID (exact) or pattern
-- (a prefix ending in '/*': exactly one more path segment). No secret, no enrollment, no binding.
CREATE TABLE external_clients (
    id           VARCHAR(40)    PRIMARY KEY,
    tenant_id    VARCHAR(63)    NOT NULL REFERENCES tenants (id),
    trust_domain VARCHAR(255)   NOT NULL REFERENCES trust_domains (name),
    spiffe_id    VARCHAR(2048)  NOT NULL,
    name         VARCHAR(128),
    labels       VARCHAR(16384) NOT NULL,
    scopes       VARCHAR(4096)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT external_clients_tenant_spiffe_id UNIQUE (tenant_id, spiffe_id)
);
CREATE INDEX external_clients_trust_domain ON external_clients (trust_domain);

-- spiffe_jwt replay protection: the SHA-256 of (trust domain, jti) or, without a jti, of the
-- assertion itself. The primary key makes the first use win on every replica; rows are purged
-- once the assertion expired.
CREATE TABLE used_client_assertions (
    assertion_hash VARCHAR(64) PRIMARY KEY,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX used_client_assertions_expiry ON used_client_assertions (expires_at);
