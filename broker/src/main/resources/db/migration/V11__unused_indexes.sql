-- Indexes that every enrollment paid to write and nothing needs any more.
-- agents_tenant (tenant_id, created_at) served the newest-first agent list; inventory pages by
-- (tenant_id, id) since V10 (ids are time-ordered), and no query reads it.
DROP INDEX agents_tenant;
-- issuance_intents holds only requests in flight and a crash's leftovers (a closed intent is
-- deleted), a handful of rows: the reconciler's scan by age needs no index on created_at.
DROP INDEX issuance_intents_created;
