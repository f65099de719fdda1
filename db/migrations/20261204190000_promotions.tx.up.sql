-- Promotions and planned list prices (issue 16): inputs of the demand
-- model. A promotion covers one product or every product of a category
-- from first_day to last_day (shop-local days, YYYY-MM-DD, inclusive) at a
-- promotional price or a percent off (exactly one of the two). A planned
-- price becomes the product's unit_price on its day (app.Prices.ApplyDue);
-- applied_at says when it did.
CREATE TABLE promotions (
	id {{.PK}},
	product_id BIGINT,
	category_id BIGINT,
	first_day VARCHAR(10) NOT NULL,
	last_day VARCHAR(10) NOT NULL,
	price BIGINT,
	percent_off DOUBLE PRECISION,
	display BOOLEAN NOT NULL DEFAULT FALSE,
	feature BOOLEAN NOT NULL DEFAULT FALSE,
	coupon BOOLEAN NOT NULL DEFAULT FALSE,
	note VARCHAR(500) NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL,
	FOREIGN KEY (product_id) REFERENCES products (id),
	FOREIGN KEY (category_id) REFERENCES categories (id)
) {{.Table}};
--bun:split
CREATE INDEX promotions_product_idx ON promotions (product_id, first_day);
--bun:split
CREATE INDEX promotions_category_idx ON promotions (category_id, first_day);
--bun:split
CREATE INDEX promotions_last_day_idx ON promotions (last_day);
--bun:split
CREATE TABLE planned_prices (
	id {{.PK}},
	product_id BIGINT NOT NULL,
	day VARCHAR(10) NOT NULL,
	unit_price BIGINT NOT NULL,
	note VARCHAR(500) NOT NULL DEFAULT '',
	applied_at {{.TS}},
	created_at {{.TS}} NOT NULL,
	FOREIGN KEY (product_id) REFERENCES products (id)
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX planned_prices_product_day_key ON planned_prices (product_id, day);
--bun:split
CREATE INDEX planned_prices_due_idx ON planned_prices (applied_at, day);
{{if eq .Dialect "pg"}}
{{range $t := .PromoTables}}
--bun:split
CREATE TRIGGER {{$t}}_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {{$t}}
	FOR EACH STATEMENT EXECUTE FUNCTION smartinv_notify_change();
{{end}}
{{else if eq .Dialect "mysql"}}
{{range $t := .PromoTables}}
--bun:split
CREATE TRIGGER {{$t}}_insert_change AFTER INSERT ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 0, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER {{$t}}_update_change AFTER UPDATE ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 0, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, changed_at = VALUES(changed_at);
--bun:split
CREATE TRIGGER {{$t}}_delete_change AFTER DELETE ON {{$t}} FOR EACH ROW
	INSERT INTO smartinv_changes (conn, gen, auth_gen, changed_at) VALUES (CONNECTION_ID(), 1, 0, UTC_TIMESTAMP(6))
	ON DUPLICATE KEY UPDATE gen = gen + 1, changed_at = VALUES(changed_at);
{{end}}
{{end}}
