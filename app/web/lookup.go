package web

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// productLabel is a product's SKU and name.
type productLabel struct {
	SKU  string
	Name string
}

// productLabels returns the SKU and name of each product id in one query,
// for lists of sales and movements (which carry product ids only). It is a
// read-only lookup of public catalogue fields for a signed-in user; the
// service layer has no "products by ids" call yet.
func (w *Web) productLabels(ctx context.Context, ids []int64) (map[int64]productLabel, error) {
	out := make(map[int64]productLabel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []db.Product
	if err := w.app.DB.NewSelect().Model(&rows).Column("id", "sku", "name").
		Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("web: product labels: %w", err)
	}
	for _, p := range rows {
		out[p.ID] = productLabel{SKU: p.SKU, Name: p.Name}
	}
	return out, nil
}
