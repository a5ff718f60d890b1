-- Agent lifecycle over mTLS: per-tenant DNS SAN identities, and the grace-expiry revocation claim.
-- Portable between PostgreSQL and H2 in PostgreSQL mode: the same file runs on both.

-- Whether a certificate without a URI SAN may name its agent by a DNS SAN
-- (<agent_id>.<tenant>.<trust_domain>). Off unless a platform admin turns it on.
ALTER TABLE tenants ADD COLUMN allow_dns_san BOOLEAN DEFAULT FALSE NOT NULL;

-- A replica that is revoking a PREVIOUS binding whose grace ended holds this claim until the
-- given time; another replica takes the row over only after it lapsed (conditional UPDATE).
ALTER TABLE certificate_bindings ADD COLUMN revocation_claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX certificate_bindings_grace ON certificate_bindings (status, grace_until);
