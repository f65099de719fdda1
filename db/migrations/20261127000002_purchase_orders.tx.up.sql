CREATE TABLE purchase_orders (
	id {{.PK}},
	supplier_id BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL,
	note TEXT NOT NULL DEFAULT (''),
	created_by BIGINT,
	approved_by BIGINT,
	approved_at {{.TS}},
	ordered_at {{.TS}},
	expected_at {{.TS}},
	received_at {{.TS}},
	cancelled_at {{.TS}},
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL,
	FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
	FOREIGN KEY (created_by) REFERENCES users (id),
	FOREIGN KEY (approved_by) REFERENCES users (id)
) {{.Table}};
--bun:split
CREATE INDEX purchase_orders_supplier_status_idx ON purchase_orders (supplier_id, status);
--bun:split

CREATE TABLE purchase_order_lines (
	id {{.PK}},
	order_id BIGINT NOT NULL,
	product_id BIGINT NOT NULL,
	quantity BIGINT NOT NULL CHECK (quantity > 0),
	received_qty BIGINT NOT NULL DEFAULT 0 CHECK (received_qty >= 0),
	unit_cost BIGINT NOT NULL DEFAULT 0,
	FOREIGN KEY (order_id) REFERENCES purchase_orders (id),
	FOREIGN KEY (product_id) REFERENCES products (id)
) {{.Table}};
--bun:split
CREATE UNIQUE INDEX purchase_order_lines_order_product_key ON purchase_order_lines (order_id, product_id);
--bun:split
CREATE INDEX purchase_order_lines_product_idx ON purchase_order_lines (product_id);
