-- Server-side web sessions: the cookie holds a random token, this table its
-- SHA-256 (a copy of the database yields no usable cookie). Ending a
-- session is deleting its row, which every replica sees at once since each
-- request looks its session up here. app.Sessions keeps the rules.
CREATE TABLE web_sessions (
	token_hash VARCHAR(64) PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	csrf_nonce VARCHAR(64) NOT NULL,
	created_at {{.TS}} NOT NULL,
	expires_at {{.TS}} NOT NULL
);
CREATE INDEX web_sessions_user_id_idx ON web_sessions (user_id, created_at);
CREATE INDEX web_sessions_expires_at_idx ON web_sessions (expires_at);
{{if eq .Dialect "pg"}}
-- A rotated signing secret is picked up by every replica (app.Changes
-- treats web_secrets like users: an auth change).
CREATE TRIGGER web_secrets_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON web_secrets
	FOR EACH STATEMENT EXECUTE FUNCTION smartinv_notify_change();
{{end}}
