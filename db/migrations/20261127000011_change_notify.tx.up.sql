-- Change notifications. Each serve replica hears the other replicas' and
-- the command line's writes (app.Changes):
--
-- PostgreSQL: every statement that writes a data table sends NOTIFY
-- smartinv_changes with the payload "schema.table" when its transaction
-- commits (identical notifications of one transaction are sent once); the
-- replicas LISTEN.
--
-- MySQL has no NOTIFY and no statement triggers: a row trigger on every
-- data table counts the writes of each connection in smartinv_changes (one
-- row per writing connection, so concurrent writers never wait for each
-- other's counter); the replicas poll that small table and see a change
-- when a row's counters move (committed writes only: READ COMMITTED).
-- auth_gen counts the writes to users and API tokens.
--
-- SQLite has no NOTIFY: a watcher polls PRAGMA data_version instead.
{{if eq .Dialect "pg"}}
CREATE FUNCTION smartinv_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('smartinv_changes', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
	RETURN NULL;
END
$$;
{{range $t := .ChangeTables}}
--bun:split
CREATE TRIGGER {{$t}}_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {{$t}}
	FOR EACH STATEMENT EXECUTE FUNCTION smartinv_notify_change();
{{end}}
{{else if eq .Dialect "mysql"}}
CREATE TABLE smartinv_changes (
	conn BIGINT UNSIGNED PRIMARY KEY,
	gen BIGINT NOT NULL,
	auth_gen BIGINT NOT NULL,
	changed_at DATETIME(6) NOT NULL
) {{.Table}};
{{$auth := .AuthTables}}
{{range $t := .ChangeTables}}{{$a := 0}}{{range $auth}}{{if eq . $t}}{{$a = 1}}{{end}}{{end}}
--bun:split
CREATE TRIGGER {{$t}}_insert_change AFTER INSERT ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, {{$a}}, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + {{$a}}, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER {{$t}}_update_change AFTER UPDATE ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, {{$a}}, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + {{$a}}, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER {{$t}}_delete_change AFTER DELETE ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, {{$a}}, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + {{$a}}, changed_at = VALUES(changed_at);
{{end}}
{{else}}
SELECT 1;
{{end}}
