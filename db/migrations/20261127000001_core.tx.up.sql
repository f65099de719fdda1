CREATE TABLE categories (
	id {{.PK}},
	name VARCHAR(200) NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX categories_name_key ON categories (name);

CREATE TABLE suppliers (
	id {{.PK}},
	name VARCHAR(200) NOT NULL,
	contact_name VARCHAR(200) NOT NULL DEFAULT '',
	email VARCHAR(320) NOT NULL DEFAULT '',
	phone VARCHAR(50) NOT NULL DEFAULT '',
	lead_time_days INTEGER NOT NULL DEFAULT 7,
	notes TEXT NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (name);

CREATE TABLE products (
	id {{.PK}},
	sku VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	category_id BIGINT REFERENCES categories (id),
	supplier_id BIGINT REFERENCES suppliers (id),
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
	updated_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
CREATE INDEX products_category_id_idx ON products (category_id);
CREATE INDEX products_supplier_id_idx ON products (supplier_id);
CREATE INDEX products_name_idx ON products (name);

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
);
CREATE UNIQUE INDEX users_username_key ON users (username);

CREATE TABLE api_tokens (
	id {{.PK}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	name VARCHAR(200) NOT NULL,
	prefix VARCHAR(16) NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	created_at {{.TS}} NOT NULL,
	last_used_at {{.TS}},
	expires_at {{.TS}},
	revoked_at {{.TS}}
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE sales (
	id {{.PK}},
	product_id BIGINT NOT NULL REFERENCES products (id),
	quantity BIGINT NOT NULL CHECK (quantity > 0),
	unit_price BIGINT NOT NULL,
	sold_at {{.TS}} NOT NULL,
	channel VARCHAR(64) NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	external_id VARCHAR(200),
	recorded_by BIGINT REFERENCES users (id),
	voided_at {{.TS}},
	voided_by BIGINT REFERENCES users (id),
	created_at {{.TS}} NOT NULL
);
CREATE INDEX sales_product_id_sold_at_idx ON sales (product_id, sold_at);
CREATE INDEX sales_sold_at_idx ON sales (sold_at);
CREATE UNIQUE INDEX sales_external_id_key ON sales (external_id);

CREATE TABLE stock_movements (
	id {{.PK}},
	product_id BIGINT NOT NULL REFERENCES products (id),
	kind VARCHAR(16) NOT NULL,
	delta BIGINT NOT NULL,
	balance BIGINT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	sale_id BIGINT REFERENCES sales (id),
	user_id BIGINT REFERENCES users (id),
	created_at {{.TS}} NOT NULL
);
CREATE INDEX stock_movements_product_id_idx ON stock_movements (product_id, id);

CREATE TABLE daily_sales (
	product_id BIGINT NOT NULL REFERENCES products (id),
	day VARCHAR(10) NOT NULL,
	units BIGINT NOT NULL DEFAULT 0,
	revenue BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (product_id, day)
);
CREATE INDEX daily_sales_day_idx ON daily_sales (day);

CREATE TABLE audit_events (
	id {{.PK}},
	user_id BIGINT REFERENCES users (id),
	username VARCHAR(64) NOT NULL DEFAULT '',
	source VARCHAR(200) NOT NULL DEFAULT '',
	action VARCHAR(32) NOT NULL,
	entity_type VARCHAR(32) NOT NULL,
	entity_id BIGINT NOT NULL,
	before TEXT NOT NULL DEFAULT '',
	after TEXT NOT NULL DEFAULT '',
	created_at {{.TS}} NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at);
