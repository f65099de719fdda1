package app

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"smartinventory/db"
)

// exportPage is the number of rows an export reads per query.
const exportPage = 1000

// MaxExportsPerUser is how many exports one user may run at once; more
// get EBUSY (HTTP 429 with Retry-After).
const MaxExportsPerUser = 2

// exportBusyRetry is the Retry-After of a refused export.
const exportBusyRetry = 10 * time.Second

// exportQuery selects one page of kind's rows after the key of the last
// row of the previous page (keyset pagination, so each page is an indexed
// range read however far the export got). The columns match
// exportHeaders, followed by the key columns.
type exportQuery struct {
	sel   string // SELECT … FROM … (WHERE for sales)
	after string // the condition on the key, ? per key column
	order string
	keys  int // key columns at the end of each row
}

var exportQueries = map[string]exportQuery{
	ImportCategories: {sel: `SELECT name, description, name, id FROM categories`, after: `(name > ? OR (name = ? AND id > ?))`, order: `name, id`, keys: 2},
	ImportSuppliers: {sel: `SELECT name, contact_name, email, phone, lead_time_days, notes, name, id FROM suppliers`,
		after: `(name > ? OR (name = ? AND id > ?))`, order: `name, id`, keys: 2},
	ImportProducts: {sel: `SELECT p.sku, p.name, p.description, COALESCE(c.name, ''), COALESCE(s.name, ''), p.unit_cost, p.unit_price,
		p.stock, p.pack_size, p.min_order_qty, p.lead_time_days, p.service_level, p.reorder_point, p.active, p.sku
		FROM products AS p LEFT JOIN categories AS c ON c.id = p.category_id LEFT JOIN suppliers AS s ON s.id = p.supplier_id`,
		after: `p.sku > ?`, order: `p.sku`, keys: 1},
	ImportSales: {sel: `SELECT s.id, s.sold_at, p.sku, s.quantity, s.unit_price, s.channel, s.note, s.external_id, s.id
		FROM sales AS s JOIN products AS p ON p.id = s.product_id WHERE s.voided_at IS NULL`,
		after: `s.id > ?`, order: `s.id`, keys: 1},
}

// exportHeaders are the CSV headers of each kind; an export imports back
// unchanged (sales' id column is ignored by the import).
var exportHeaders = map[string][]string{
	ImportCategories: importColumns[ImportCategories],
	ImportSuppliers:  importColumns[ImportSuppliers],
	ImportProducts:   importColumns[ImportProducts],
	ImportSales:      {"id", "sold_at", "sku", "quantity", "unit_price", "channel", "note", "external_id"},
}

// exportSlots counts the running exports per user.
type exportSlots struct {
	mu      sync.Mutex
	running map[int64]int
}

// acquire takes an export slot of userID (0: the system, unlimited).
func (e *exportSlots) acquire(userID int64) (func(), error) {
	if userID == 0 {
		return func() {}, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running[userID] >= MaxExportsPerUser {
		return nil, &Error{Code: EBUSY, RetryAfter: exportBusyRetry,
			Message: fmt.Sprintf("You are already running %d exports; wait for one to finish.", MaxExportsPerUser)}
	}
	if e.running == nil {
		e.running = map[int64]int{}
	}
	e.running[userID]++
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.running[userID]--; e.running[userID] == 0 {
			delete(e.running, userID)
		}
	}, nil
}

// Export writes every record of kind (products, suppliers, categories, or
// non-voided sales) to w as CSV with a header line. Amounts have a decimal
// point, times are RFC 3339 UTC, empty optional values are empty cells,
// and text cells that a spreadsheet would run as a formula start with an
// apostrophe (see csvformula.go). Any role may export, MaxExportsPerUser at once.
//
// Rows are read in pages of exportPage in key order, and no database
// connection is held while they are written: a slow reader holds nothing
// that other requests need. Each row appears once; a row changed while a
// long export runs appears as it was when its page was read.
func (a *App) Export(ctx context.Context, actor Actor, w io.Writer, kind string) error {
	q, ok := exportQueries[kind]
	if !ok {
		return invalidKind(kind)
	}
	if err := actor.require(db.RoleViewer, "export data"); err != nil {
		return err
	}
	release, err := a.exports.acquire(actor.UserID)
	if err != nil {
		return err
	}
	defer release()
	header := exportHeaders[kind]
	page := make([][]string, 0, exportPage)
	var key []any
	for first := true; ; first = false {
		page, key, err = a.exportPage(ctx, kind, q, key, page[:0])
		if err != nil {
			return fmt.Errorf("export %s: %w", kind, err)
		}
		// The header goes out with the first page, so a failing query still
		// becomes an error response.
		cw := csv.NewWriter(w)
		if first {
			if err := cw.Write(header); err != nil {
				return fmt.Errorf("export %s: write: %w", kind, err)
			}
		}
		for _, rec := range page {
			neutralizeRecord(kind, rec)
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("export %s: write: %w", kind, err)
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("export %s: write: %w", kind, err)
		}
		if len(page) < exportPage {
			return nil
		}
	}
}

// exportPage reads the page of rows after key into page (reusing its
// records) and returns it with the key of its last row. The connection
// goes back to the pool before it returns.
func (a *App) exportPage(ctx context.Context, kind string, q exportQuery, key []any, page [][]string) ([][]string, []any, error) {
	query := q.sel
	var args []any
	if key != nil {
		join := " WHERE "
		if kind == ImportSales {
			join = " AND "
		}
		query += join + q.after
		args = key
		if q.keys == 2 {
			args = []any{key[0], key[0], key[1]}
		}
	}
	query += " ORDER BY " + q.order + " LIMIT " + strconv.Itoa(exportPage)
	rows, err := a.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	n := len(exportHeaders[kind])
	for rows.Next() {
		rec := make([]string, n)
		next, err := exportRecord(ctx, a, kind, rows, rec)
		if err != nil {
			return nil, nil, err
		}
		page, key = append(page, rec), next
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return page, key, nil
}

// exportRecord scans the current row into rec and returns its key.
func exportRecord(ctx context.Context, a *App, kind string, rows *sql.Rows, rec []string) ([]any, error) {
	var (
		name  string
		id    int64
		sku   string
		after []any
	)
	switch kind {
	case ImportCategories:
		if err := rows.Scan(&rec[0], &rec[1], &name, &id); err != nil {
			return nil, err
		}
		after = []any{name, id}
	case ImportSuppliers:
		var lead int64
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &lead, &rec[5], &name, &id); err != nil {
			return nil, err
		}
		rec[4] = strconv.FormatInt(lead, 10)
		after = []any{name, id}
	case ImportProducts:
		var (
			cost, price               db.Money
			stock, pack, moq, reorder int64
			lead                      sql.NullInt64
			level                     sql.NullFloat64
			active                    bool
		)
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &cost, &price, &stock, &pack, &moq,
			&lead, &level, &reorder, &active, &sku); err != nil {
			return nil, err
		}
		after = []any{sku}
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
		var key int64
		if err := a.db.ScanRow(ctx, rows, &id, &soldAt, &rec[2], &qty, &price, &rec[5], &rec[6], &ext, &key); err != nil {
			return nil, err
		}
		after = []any{key}
		rec[0], rec[1], rec[3], rec[4] = strconv.FormatInt(id, 10), soldAt.UTC().Format(time.RFC3339Nano),
			strconv.FormatInt(qty, 10), price.String()
		rec[7] = ext.String
	}
	return after, nil
}
