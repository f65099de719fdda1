-- Change notifications (PostgreSQL only): every statement that writes a
-- data table sends NOTIFY smartinv_changes with the payload
-- "schema.table" when its transaction commits (identical notifications of
-- one transaction are sent once). Each serve replica LISTENs and so hears
-- the other replicas' and the command line's writes at once (app.Changes).
-- SQLite has no NOTIFY: a watcher polls PRAGMA data_version instead.
{{if eq .Dialect "pg"}}
CREATE FUNCTION smartinv_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('smartinv_changes', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
	RETURN NULL;
END
$$;
{{range $t := .ChangeTables}}
CREATE TRIGGER {{$t}}_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {{$t}}
	FOR EACH STATEMENT EXECUTE FUNCTION smartinv_notify_change();
{{end}}
{{else}}
SELECT 1;
{{end}}
