CREATE TABLE settings (
	"key" VARCHAR(100) PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at {{.TS}} NOT NULL,
	updated_by BIGINT,
	FOREIGN KEY (updated_by) REFERENCES users (id)
) {{.Table}};
