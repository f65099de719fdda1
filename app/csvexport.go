package app

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"smartinventory/db"
)

// exportQueries select the rows of each kind in export order; the columns
// match exportHeaders.
var exportQueries = map[string]string{
	ImportCategories: `SELECT name, description FROM categories ORDER BY name, id`,
	ImportSuppliers:  `SELECT name, contact_name, email, phone, lead_time_days, notes FROM suppliers ORDER BY name, id`,
	ImportProducts: `SELECT p.sku, p.name, p.description, COALESCE(c.name, ''), COALESCE(s.name, ''), p.unit_cost, p.unit_price,
		p.stock, p.pack_size, p.min_order_qty, p.lead_time_days, p.service_level, p.reorder_point, p.active
		FROM products AS p LEFT JOIN categories AS c ON c.id = p.category_id LEFT JOIN suppliers AS s ON s.id = p.supplier_id
		ORDER BY p.sku`,
	ImportSales: `SELECT s.id, s.sold_at, p.sku, s.quantity, s.unit_price, s.channel, s.note, s.external_id
		FROM sales AS s JOIN products AS p ON p.id = s.product_id
		WHERE s.voided_at IS NULL ORDER BY s.id`,
}

// exportHeaders are the CSV headers of each kind; an export imports back
// unchanged (sales' id column is ignored by the import).
var exportHeaders = map[string][]string{
	ImportCategories: importColumns[ImportCategories],
	ImportSuppliers:  importColumns[ImportSuppliers],
	ImportProducts:   importColumns[ImportProducts],
	ImportSales:      {"id", "sold_at", "sku", "quantity", "unit_price", "channel", "note", "external_id"},
}

// Export writes every record of kind (products, suppliers, categories, or
// non-voided sales) to w as CSV with a header line, streaming the rows of one
// consistent snapshot. Amounts have a decimal point, times are RFC 3339
// UTC, empty optional values are empty cells. Any role may export.
func (a *App) Export(ctx context.Context, actor Actor, w io.Writer, kind string) error {
	query, ok := exportQueries[kind]
	if !ok {
		return invalidKind(kind)
	}
	if err := actor.require(db.RoleViewer, "export data"); err != nil {
		return err
	}
	// One statement reads one consistent snapshot on both engines; no
	// transaction, which on SQLite (BEGIN IMMEDIATE) would block writers.
	rows, err := a.DB.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeaders[kind]); err != nil {
		return fmt.Errorf("export %s: write: %w", kind, err)
	}
	rec := make([]string, len(exportHeaders[kind]))
	for n := 0; rows.Next(); n++ {
		if err := exportRecord(ctx, a, kind, rows, rec); err != nil {
			return fmt.Errorf("export %s: %w", kind, err)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export %s: write: %w", kind, err)
		}
		if n%1000 == 999 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return fmt.Errorf("export %s: write: %w", kind, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export %s: write: %w", kind, err)
	}
	return nil
}

// exportRecord scans the current row into rec.
func exportRecord(ctx context.Context, a *App, kind string, rows *sql.Rows, rec []string) error {
	switch kind {
	case ImportCategories:
		return rows.Scan(&rec[0], &rec[1])
	case ImportSuppliers:
		var lead int64
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &lead, &rec[5]); err != nil {
			return err
		}
		rec[4] = strconv.FormatInt(lead, 10)
	case ImportProducts:
		var (
			cost, price               db.Money
			stock, pack, moq, reorder int64
			lead                      sql.NullInt64
			level                     sql.NullFloat64
			active                    bool
		)
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &cost, &price, &stock, &pack, &moq,
			&lead, &level, &reorder, &active); err != nil {
			return err
		}
		rec[5], rec[6], rec[7] = cost.String(), price.String(), strconv.FormatInt(stock, 10)
		rec[8], rec[9] = strconv.FormatInt(pack, 10), strconv.FormatInt(moq, 10)
		rec[10], rec[11] = "", ""
		if lead.Valid {
			rec[10] = strconv.FormatInt(lead.Int64, 10)
		}
		if level.Valid {
			rec[11] = strconv.FormatFloat(level.Float64, 'f', -1, 64)
		}
		rec[12], rec[13] = strconv.FormatInt(reorder, 10), strconv.FormatBool(active)
	case ImportSales:
		var (
			id, qty int64
			soldAt  time.Time
			price   db.Money
			ext     sql.NullString
		)
		if err := a.DB.ScanRow(ctx, rows, &id, &soldAt, &rec[2], &qty, &price, &rec[5], &rec[6], &ext); err != nil {
			return err
		}
		rec[0], rec[1], rec[3], rec[4] = strconv.FormatInt(id, 10), soldAt.UTC().Format(time.RFC3339Nano),
			strconv.FormatInt(qty, 10), price.String()
		rec[7] = ext.String
	}
	return nil
}
