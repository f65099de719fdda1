-- Secrets of the web UI (the key that signs session cookies and derives
-- CSRF tokens). Kept in the database so that restarts and every replica
-- behind a load balancer share them; no session state is stored here.
CREATE TABLE web_secrets (
	name VARCHAR(64) PRIMARY KEY,
	value VARCHAR(200) NOT NULL,
	created_at {{.TS}} NOT NULL
) {{.Table}};
