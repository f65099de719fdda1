DROP INDEX products_active_sku_idx{{if eq .Dialect "mysql"}} ON products{{end}};
