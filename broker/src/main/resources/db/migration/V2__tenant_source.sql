-- Where a tenant is declared: 'api' (created through the admin API) or 'vault-kv' (synced from a
-- declaration in Vault KV v2). Only synced tenants are changed or suspended by the sync.
ALTER TABLE tenants ADD COLUMN source VARCHAR(16) DEFAULT 'api' NOT NULL;
