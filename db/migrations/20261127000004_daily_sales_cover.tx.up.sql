DROP INDEX daily_sales_day_idx;
CREATE INDEX daily_sales_day_cover_idx ON daily_sales (day, units, revenue);
