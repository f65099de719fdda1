DROP INDEX daily_sales_day_cover_idx{{if eq .Dialect "mysql"}} ON daily_sales{{end}};
--bun:split
CREATE INDEX daily_sales_day_idx ON daily_sales (day);
