CREATE TABLE categories (
	id {{.PK}},
	name VARCHAR(200) NOT NULL,
	description TEXT NOT NULL DEFAULT (''),
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX categories_name_key ON categories (name);
--bun:split

CREATE TABLE suppliers (
	id {{.PK}},
	name VARCHAR(200) NOT NULL,
	contact_name VARCHAR(200) NOT NULL DEFAULT '',
	email VARCHAR(320) NOT NULL DEFAULT '',
	phone VARCHAR(50) NOT NULL DEFAULT '',
	lead_time_days INTEGER NOT NULL DEFAULT 7,
	notes TEXT NOT NULL DEFAULT (''),
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (name);
--bun:split

CREATE TABLE products (
	id {{.PK}},
	sku VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	description TEXT NOT NULL DEFAULT (''),
	category_id BIGINT,
	supplier_id BIGINT,
	unit_cost BIGINT NOT NULL DEFAULT 0,
	unit_price BIGINT NOT NULL DEFAULT 0,
	stock BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
	pack_size INTEGER NOT NULL DEFAULT 1,
	min_order_qty INTEGER NOT NULL DEFAULT 1,
	lead_time_days INTEGER,
	service_level DOUBLE PRECISION,
	reorder_point BIGINT NOT NULL DEFAULT 0,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL,
	FOREIGN KEY (category_id) REFERENCES categories (id),
	FOREIGN KEY (supplier_id) REFERENCES suppliers (id)
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX products_sku_key ON products (sku);
--bun:split
CREATE INDEX products_category_id_idx ON products (category_id);
--bun:split
CREATE INDEX products_supplier_id_idx ON products (supplier_id);
--bun:split
CREATE INDEX products_name_idx ON products (name);
--bun:split

CREATE TABLE users (
	id {{.PK}},
	username VARCHAR(64) NOT NULL,
	display_name VARCHAR(200) NOT NULL DEFAULT '',
	role VARCHAR(16) NOT NULL,
	password_hash VARCHAR(200) NOT NULL,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1,
	last_login_at {{.TS}},
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX users_username_key ON users (username);
--bun:split

CREATE TABLE api_tokens (
	id {{.PK}},
	user_id BIGINT NOT NULL,
	name VARCHAR(200) NOT NULL,
	prefix VARCHAR(16) NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	created_at {{.TS}} NOT NULL,
	last_used_at {{.TS}},
	expires_at {{.TS}},
	revoked_at {{.TS}},
	FOREIGN KEY (user_id) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
--bun:split
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
--bun:split

CREATE TABLE sales (
	id {{.PK}},
	product_id BIGINT NOT NULL,
	quantity BIGINT NOT NULL CHECK (quantity > 0),
	unit_price BIGINT NOT NULL,
	sold_at {{.TS}} NOT NULL,
	channel VARCHAR(64) NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT (''),
	external_id VARCHAR(200),
	recorded_by BIGINT,
	voided_at {{.TS}},
	voided_by BIGINT,
	created_at {{.TS}} NOT NULL,
	FOREIGN KEY (product_id) REFERENCES products (id),
	FOREIGN KEY (recorded_by) REFERENCES users (id),
	FOREIGN KEY (voided_by) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE INDEX sales_product_id_sold_at_idx ON sales (product_id, sold_at);
--bun:split
CREATE INDEX sales_sold_at_idx ON sales (sold_at);
--bun:split
CREATE UNIQUE INDEX sales_external_id_key ON sales (external_id);
--bun:split

CREATE TABLE stock_movements (
	id {{.PK}},
	product_id BIGINT NOT NULL,
	kind VARCHAR(16) NOT NULL,
	delta BIGINT NOT NULL,
	balance BIGINT NOT NULL,
	reason TEXT NOT NULL DEFAULT (''),
	sale_id BIGINT,
	user_id BIGINT,
	created_at {{.TS}} NOT NULL,
	FOREIGN KEY (product_id) REFERENCES products (id),
	FOREIGN KEY (sale_id) REFERENCES sales (id),
	FOREIGN KEY (user_id) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE INDEX stock_movements_product_id_idx ON stock_movements (product_id, id);
--bun:split

CREATE TABLE daily_sales (
	product_id BIGINT NOT NULL,
	day VARCHAR(10) NOT NULL,
	units BIGINT NOT NULL DEFAULT 0,
	revenue BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (product_id, day),
	FOREIGN KEY (product_id) REFERENCES products (id)
) {{.Table}};
--bun:split
CREATE INDEX daily_sales_day_idx ON daily_sales (day);
--bun:split

CREATE TABLE audit_events (
	id {{.PK}},
	user_id BIGINT,
	username VARCHAR(64) NOT NULL DEFAULT '',
	source VARCHAR(200) NOT NULL DEFAULT '',
	action VARCHAR(32) NOT NULL,
	entity_type VARCHAR(32) NOT NULL,
	entity_id BIGINT NOT NULL,
	"before" TEXT NOT NULL DEFAULT (''),
	after TEXT NOT NULL DEFAULT (''),
	created_at {{.TS}} NOT NULL,
	FOREIGN KEY (user_id) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
--bun:split
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at);
