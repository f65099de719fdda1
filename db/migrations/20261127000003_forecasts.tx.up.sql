CREATE TABLE forecasts (
	product_id BIGINT PRIMARY KEY,
	computed_at {{.TS}} NOT NULL,
	data_through VARCHAR(10) NOT NULL,
	method VARCHAR(200) NOT NULL,
	params TEXT NOT NULL DEFAULT (''),
	demand_class VARCHAR(16) NOT NULL,
	horizon INTEGER NOT NULL,
	rmsse DOUBLE PRECISION NOT NULL,
	mase DOUBLE PRECISION NOT NULL,
	bias DOUBLE PRECISION NOT NULL,
	baseline_rmsse DOUBLE PRECISION NOT NULL,
	baseline_mase DOUBLE PRECISION NOT NULL,
	payload TEXT NOT NULL,
	FOREIGN KEY (product_id) REFERENCES products (id)
) {{.Table}};
--bun:split
CREATE INDEX forecasts_computed_at_idx ON forecasts (computed_at);
