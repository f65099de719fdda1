DROP INDEX daily_sales_day_cover_idx;
CREATE INDEX daily_sales_day_idx ON daily_sales (day);
