-- One service's PostgreSQL role: it logs in, owns its own schema and nothing else.
--
-- deploy/postgres/provision.py runs this file once per service, as the
-- database's administrator, in one transaction, filling in:
--   role / role_name       the role, as an identifier / as a string (named as its schema)
--   schema / schema_name   the service's schema (POSTGRES_SCHEMA_PREFIX + service)
--   database               the database the services use (POSTGRES_DBNAME)
--   password               the password, already hashed (SCRAM-SHA-256) by the client
-- tests/integration/test_postgres_roles.py runs the same file on throwaway roles.
-- Running it again is harmless: it sets the password and the rights afresh.

-- No rights by default: PUBLIC may neither connect to the database, nor make
-- temporary tables in it, nor use its public schema.
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- The role: a login and nothing more (no superuser, no CREATEDB or CREATEROLE,
-- no replication, row security applies, inherits no other role's rights).
DO $role$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {role_name}) THEN
    CREATE ROLE {role} LOGIN;
  END IF;
END
$role$;
ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
  PASSWORD {password};
GRANT CONNECT ON DATABASE {database} TO {role};

-- Its schema, owned by it: at start the service creates its tables, types,
-- functions and triggers there (events, seals, tracking, feed positions,
-- projections; shared/eventstore.py). Nobody else may use it.
CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role};
ALTER SCHEMA {schema} OWNER TO {role};
REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;

-- A schema made before the roles existed (services that ran as the
-- administrator, or a restore with --no-owner): hand what is in it to the role.
DO $handover$
DECLARE
  schema_oid oid := (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = {schema_name});
  role_oid oid := (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = {role_name});
  item record;
BEGIN
  FOR item IN
    SELECT c.relname AS name,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                          WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END AS kind
      FROM pg_catalog.pg_class c
     WHERE c.relnamespace = schema_oid
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
       AND c.relowner <> role_oid
       -- a table's own sequences (serial, identity) follow the table
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                          AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I', item.kind, {schema_name}, item.name, {role_name});
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure::text AS name FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = schema_oid AND p.proowner <> role_oid
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.name, {role_name});
  END LOOP;
  FOR item IN
    SELECT t.typname AS name, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind
      FROM pg_catalog.pg_type t
     WHERE t.typnamespace = schema_oid AND t.typtype IN ('e', 'd', 'r') AND t.typowner <> role_oid
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I', item.kind, {schema_name}, item.name, {role_name});
  END LOOP;
END
$handover$;
