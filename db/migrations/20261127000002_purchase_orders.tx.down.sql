DROP TABLE purchase_order_lines;
--bun:split
DROP TABLE purchase_orders;
