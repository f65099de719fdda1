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
) {{.Table}};
--bun:split
CREATE INDEX web_sessions_user_id_idx ON web_sessions (user_id, created_at);
--bun:split
CREATE INDEX web_sessions_expires_at_idx ON web_sessions (expires_at);
-- A rotated signing secret is picked up by every replica: app.Changes
-- treats a write to web_secrets as an auth change.
{{if eq .Dialect "pg"}}
--bun:split
CREATE TRIGGER web_secrets_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON web_secrets
	FOR EACH STATEMENT EXECUTE FUNCTION smartinv_notify_change();
{{else if eq .Dialect "mysql"}}
--bun:split
CREATE TRIGGER web_secrets_insert_change AFTER INSERT ON web_secrets FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 1, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + 1, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER web_secrets_update_change AFTER UPDATE ON web_secrets FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 1, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + 1, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER web_secrets_delete_change AFTER DELETE ON web_secrets FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 1, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, auth_gen = auth_gen + 1, changed_at = VALUES(changed_at);
{{end}}
