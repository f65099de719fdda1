-- Who last replaced a draft's lines: for the four-eyes rule of approvals
-- (app.Purchasing.MayApprove), they count as a drafter of the order.
ALTER TABLE purchase_orders ADD COLUMN lines_edited_by BIGINT;
{{if ne .Dialect "sqlite"}}
--bun:split
ALTER TABLE purchase_orders ADD CONSTRAINT purchase_orders_lines_edited_by_fkey FOREIGN KEY (lines_edited_by) REFERENCES users (id);
{{end}}
