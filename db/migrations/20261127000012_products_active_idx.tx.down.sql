DROP INDEX products_active_sku_idx;
