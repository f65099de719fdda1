{{if eq .Dialect "pg"}}
DROP TRIGGER web_secrets_notify_change ON web_secrets;
{{end}}
DROP TABLE web_sessions;
