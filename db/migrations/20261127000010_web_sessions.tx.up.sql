-- Secrets of the web UI (the key that signs session cookies and derives
-- CSRF tokens). Kept in the database so that restarts and every replica
-- behind a load balancer share them; no session state is stored here.
-- The migration is named web_sessions, after the cookie sessions these
-- secrets sign, but creates web_secrets; it keeps its name because
-- databases record the migrations they applied by name.
CREATE TABLE web_secrets (
	name VARCHAR(64) PRIMARY KEY,
	value VARCHAR(200) NOT NULL,
	created_at {{.TS}} NOT NULL
) {{.Table}};
