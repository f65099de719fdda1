{{if eq .Dialect "mysql"}}
ALTER TABLE purchase_orders DROP FOREIGN KEY purchase_orders_lines_edited_by_fkey;
--bun:split
{{end}}
ALTER TABLE purchase_orders DROP COLUMN lines_edited_by;
