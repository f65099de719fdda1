-- The product list (active products by SKU, 50 a page) and its total count
-- read this index alone instead of every product row.
CREATE INDEX products_active_sku_idx ON products (active, sku);
