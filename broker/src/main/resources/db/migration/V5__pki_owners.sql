-- A PKI mount, and the issuing CA behind it, serve exactly one tenant: tenant isolation on mTLS
-- rests on distinct issuing CAs. A mount or issuer once claimed stays its tenant's (certificates it
-- issued stay valid until they expire). Existing mounts are claimed for the alphabetically first
-- tenant on each; issuers (which only Vault knows) are claimed by the broker at start. Every other
-- tenant on a claimed mount or issuer is reported at start and nothing is changed
-- (see TenantPkiOwnership). Portable between PostgreSQL and H2 in PostgreSQL mode.
CREATE TABLE pki_mount_owners (
    pki_mount  VARCHAR(255) PRIMARY KEY,
    tenant_id  VARCHAR(63)  NOT NULL REFERENCES tenants (id)
);
INSERT INTO pki_mount_owners (pki_mount, tenant_id) SELECT pki_mount, MIN(id) FROM tenants GROUP BY pki_mount;

-- The issuing CA of a tenant's mount, by the base64url SHA-256 of its DER (as x5t#S256).
CREATE TABLE pki_issuer_owners (
    issuer_x5t_s256 VARCHAR(43) PRIMARY KEY,
    tenant_id       VARCHAR(63) NOT NULL REFERENCES tenants (id)
);
