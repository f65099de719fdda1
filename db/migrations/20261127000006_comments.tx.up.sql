CREATE TABLE comments (
	id {{.PK}},
	entity_type VARCHAR(32) NOT NULL,
	entity_id BIGINT NOT NULL,
	user_id BIGINT,
	username VARCHAR(64) NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	created_at {{.TS}} NOT NULL,
	FOREIGN KEY (user_id) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE INDEX comments_entity_idx ON comments (entity_type, entity_id, id);
