-- Identity Broker on PostgreSQL: two roles, so the running broker cannot rewrite its audit trail.
--
--   identity_broker_owner  owns the schema; runs the Flyway migrations (a deploy step, or the
--                          broker started once with BROKER_DB_USER=identity_broker_owner).
--   identity_broker_app    what the broker runs as (BROKER_DB_USER), with Flyway disabled
--                          (FLYWAY_DATASOURCES_DEFAULT_ENABLED=false).
--
-- The app role may append audit events and move a chain's head, but has no UPDATE or DELETE
-- on audit_events, and no DELETE anywhere (the broker never deletes). Run the GRANT part again
-- after every migration that adds a table; it is idempotent.

-- 1. Once, as a superuser (choose real passwords, e.g. from your secret store):
--   CREATE ROLE identity_broker_owner LOGIN PASSWORD '...';
--   CREATE ROLE identity_broker_app   LOGIN PASSWORD '...';
--   CREATE DATABASE identity_broker OWNER identity_broker_owner;
--   REVOKE ALL ON DATABASE identity_broker FROM PUBLIC;
--   GRANT CONNECT ON DATABASE identity_broker TO identity_broker_app;

-- 2. After the migrations, as identity_broker_owner, in database identity_broker:
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO identity_broker_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM identity_broker_app;
GRANT SELECT, INSERT, UPDATE ON tenants, enrollment_tokens, agents, certificate_bindings TO identity_broker_app;
-- spiffe_sequence of each trust domain's bundle (V6): inserted once, then advanced by conditional UPDATE.
GRANT SELECT, INSERT, UPDATE ON trust_bundles TO identity_broker_app;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO identity_broker_app;
GRANT SELECT, INSERT ON audit_events TO identity_broker_app;
GRANT SELECT ON flyway_schema_history TO identity_broker_app;
