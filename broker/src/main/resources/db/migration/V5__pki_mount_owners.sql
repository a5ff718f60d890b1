-- A PKI mount serves exactly one tenant: tenant isolation on mTLS rests on distinct issuing CAs.
-- A mount once claimed stays its tenant's (certificates it issued stay valid until they expire).
-- Existing data is claimed for the alphabetically first tenant on each mount; the broker reports
-- every other tenant on a claimed mount at start and changes nothing (see TenantPkiMounts).
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.
CREATE TABLE pki_mount_owners (
    pki_mount  VARCHAR(255) PRIMARY KEY,
    tenant_id  VARCHAR(63)  NOT NULL REFERENCES tenants (id)
);
INSERT INTO pki_mount_owners (pki_mount, tenant_id) SELECT pki_mount, MIN(id) FROM tenants GROUP BY pki_mount;
