{{if eq .Dialect "pg"}}
DROP TRIGGER web_secrets_notify_change ON web_secrets;
{{else if eq .Dialect "mysql"}}
DROP TRIGGER web_secrets_insert_change;
--bun:split
DROP TRIGGER web_secrets_update_change;
--bun:split
DROP TRIGGER web_secrets_delete_change;
{{end}}
--bun:split
DROP TABLE web_sessions;
