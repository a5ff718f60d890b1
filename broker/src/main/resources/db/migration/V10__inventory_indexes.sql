-- Inventory paging: one tenant's agents by id (UUIDv7, time-ordered) for keyset pages, and the
-- fleet report's current certificates by expiry.
CREATE INDEX agents_tenant_id ON agents (tenant_id, id);
CREATE INDEX certificate_bindings_expiry ON certificate_bindings (status, not_after, id);
