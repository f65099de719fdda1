DROP TABLE audit_events;
--bun:split
DROP TABLE daily_sales;
--bun:split
DROP TABLE stock_movements;
--bun:split
DROP TABLE sales;
--bun:split
DROP TABLE api_tokens;
--bun:split
DROP TABLE users;
--bun:split
DROP TABLE products;
--bun:split
DROP TABLE suppliers;
--bun:split
DROP TABLE categories;
