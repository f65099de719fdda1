CREATE TABLE settings (
	key VARCHAR(100) PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at {{.TS}} NOT NULL,
	updated_by BIGINT REFERENCES users (id)
);
