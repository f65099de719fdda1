package app

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// Sales records and voids sales. Clerks and above may record and void;
// anyone may read.
type Sales struct{ *base }

// MaxBatch is the largest number of lines one batch may hold.
const MaxBatch = 10_000

// SaleInput is one sale line. The product is named by ProductID or SKU.
type SaleInput struct {
	ProductID  *int64     `json:"product_id"`
	SKU        *string    `json:"sku"`
	Quantity   *int64     `json:"quantity"`
	UnitPrice  *db.Money  `json:"unit_price"` // default: the product's price
	SoldAt     *time.Time `json:"sold_at"`    // default: now
	Channel    string     `json:"channel"`
	Note       string     `json:"note"`
	ExternalID *string    `json:"external_id"` // optional idempotency key
}

// SaleResult is a recorded sale with its product's stock right after it.
type SaleResult struct {
	Sale  db.Sale `json:"sale"`
	Stock int64   `json:"stock"`
}

// Record records one sale: stock is decremented only when enough is on
// hand, the stock movement and the daily rollup are written in the same
// transaction. Not enough stock is a conflict and nothing is written.
func (s *Sales) Record(ctx context.Context, a Actor, in SaleInput) (*SaleResult, error) {
	res, err := s.record(ctx, a, []SaleInput{in}, false)
	if err != nil {
		return nil, err
	}
	return &res[0], nil
}

// RecordBatch records up to MaxBatch sales all-or-nothing. Errors name the
// offending lines by their zero-based index.
func (s *Sales) RecordBatch(ctx context.Context, a Actor, lines []SaleInput) ([]SaleResult, error) {
	if len(lines) == 0 {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.", Fields: []FieldError{{Field: "lines", Message: "must hold at least one sale"}}}
	}
	if len(lines) > MaxBatch {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "lines", Message: fmt.Sprintf("must hold at most %d sales", MaxBatch)}}}
	}
	return s.record(ctx, a, lines, true)
}

func (s *Sales) record(ctx context.Context, a Actor, lines []SaleInput, indexed bool) ([]SaleResult, error) {
	if err := a.require(db.RoleClerk, "record sales"); err != nil {
		return nil, err
	}
	now := s.now()
	if err := validateSaleLines(lines, now, indexed); err != nil {
		return nil, err
	}
	var out []SaleResult
	err := s.inWeightedTx(ctx, len(lines), func(ctx context.Context, tx bun.Tx) error {
		products, err := resolveProducts(ctx, tx, lines, indexed)
		if err != nil {
			return err
		}
		if err := checkLineRevenue(lines, products, indexed); err != nil {
			return err
		}
		final, err := s.decrementStock(ctx, tx, lines, products, indexed)
		if err != nil {
			return err
		}
		out, err = s.insertSales(ctx, tx, a, lines, products, final, now)
		if err != nil {
			return err
		}
		if len(out) == 1 {
			return s.audit.record(ctx, tx, a, "create", "sale", out[0].Sale.ID, nil, &out[0].Sale)
		}
		return s.audit.record(ctx, tx, a, "batch", "sale", out[0].Sale.ID, nil, map[string]any{"lines": len(out)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func lineIndex(i int, indexed bool) *int {
	if !indexed {
		return nil
	}
	return &i
}

// validateSaleLines checks every line before anything is read or written.
func validateSaleLines(lines []SaleInput, now time.Time, indexed bool) error {
	v := &validation{}
	for i := range lines {
		in := &lines[i]
		v.index = lineIndex(i, indexed)
		if in.ProductID == nil && (in.SKU == nil || *in.SKU == "") {
			v.add("product_id", "is required (or give sku)")
		}
		// The rules every way of recording a sale shares (the CSV import
		// too): checkQuantity, checkAmount, checkSoldAt.
		qtyOK := false
		if in.Quantity == nil {
			v.add("quantity", "is required")
		} else {
			qtyOK = checkQuantity(v.add, "quantity", *in.Quantity, 1)
		}
		if in.UnitPrice != nil && checkAmount(v.add, "unit_price", *in.UnitPrice) && qtyOK {
			v.total("unit_price", *in.Quantity, *in.UnitPrice)
		}
		if in.SoldAt != nil {
			checkSoldAt(v.add, *in.SoldAt, now)
		}
		v.text("channel", in.Channel, MaxChannelLength)
		v.text("note", in.Note, MaxNoteLength)
		if in.ExternalID != nil && (*in.ExternalID == "" || tooLong(*in.ExternalID, MaxExternalIDLength)) {
			v.add("external_id", "must be 1 to %d characters", MaxExternalIDLength)
		}
	}
	return v.err()
}

// checkSoldAt checks the time of a sale, for every way of recording one:
// no later than a day after now (clocks and time zones differ), not before
// 1970. The bounds hold for the instant in UTC, the zone it is stored in,
// whatever offset it was written with: 1970-01-01T05:00:00+14:00 is a
// time of 1969. It reports the problem to fail and returns whether there
// is none.
func checkSoldAt(fail failFunc, t, now time.Time) bool {
	switch {
	case t.After(now.Add(24 * time.Hour)):
		fail("sold_at", "must not be in the future")
	case t.UTC().Year() < 1970:
		fail("sold_at", "must be after 1970")
	default:
		return true
	}
	return false
}

// checkLineRevenue refuses lines whose revenue at the product's price
// (when the line gives none) would exceed db.MaxTotal.
func checkLineRevenue(lines []SaleInput, products []*db.Product, indexed bool) error {
	v := &validation{}
	for i, in := range lines {
		if in.UnitPrice == nil {
			v.index = lineIndex(i, indexed)
			v.total("quantity", *in.Quantity, products[i].UnitPrice)
		}
	}
	return v.err()
}

// resolveProducts loads the products the lines name, keyed by line index.
func resolveProducts(ctx context.Context, tx bun.Tx, lines []SaleInput, indexed bool) ([]*db.Product, error) {
	var ids []int64
	var skus []string
	for _, in := range lines {
		if in.ProductID != nil {
			ids = append(ids, *in.ProductID)
		} else {
			skus = append(skus, namekey.Key(*in.SKU))
		}
	}
	byID := map[int64]*db.Product{}
	bySKU := map[string]*db.Product{}
	for start := 0; start < len(ids) || start < len(skus); start += 500 {
		var batch []db.Product
		q := tx.NewSelect().Model(&batch)
		idPart, skuPart := chunk(ids, start, 500), chunk(skus, start, 500)
		switch {
		case len(idPart) > 0 && len(skuPart) > 0:
			q = q.Where("id IN (?) OR sku_norm IN (?)", bun.In(idPart), bun.In(skuPart))
		case len(idPart) > 0:
			q = q.Where("id IN (?)", bun.In(idPart))
		default:
			q = q.Where("sku_norm IN (?)", bun.In(skuPart))
		}
		if err := q.Scan(ctx); err != nil {
			return nil, fmt.Errorf("load products for sale: %w", err)
		}
		for i := range batch {
			p := &batch[i]
			byID[p.ID], bySKU[p.SKUKey] = p, p
		}
	}
	out := make([]*db.Product, len(lines))
	v := &validation{}
	conflict := &validation{}
	for i, in := range lines {
		v.index, conflict.index = lineIndex(i, indexed), lineIndex(i, indexed)
		if in.ProductID != nil {
			out[i] = byID[*in.ProductID]
			if out[i] == nil {
				v.add("product_id", "no product with id %d", *in.ProductID)
				continue
			}
		} else {
			out[i] = bySKU[namekey.Key(*in.SKU)]
			if out[i] == nil {
				v.add("sku", "no product with SKU %q", *in.SKU)
				continue
			}
		}
		if !out[i].Active {
			conflict.add("product_id", "product %s is inactive", out[i].SKU)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if len(conflict.fields) > 0 {
		return nil, &Error{Code: ECONFLICT, Message: "Inactive products cannot be sold.", Fields: limitFields(conflict.fields)}
	}
	return out, nil
}

func chunk[T any](s []T, start, n int) []T {
	if start >= len(s) {
		return nil
	}
	return s[start:min(start+n, len(s))]
}

// decrementStock takes each product's total quantity off its stock with a
// conditional UPDATE (in id order, so concurrent batches cannot deadlock)
// and returns the resulting stock per product id. Any product without
// enough stock makes the whole call a conflict.
func (s *Sales) decrementStock(ctx context.Context, tx bun.Tx, lines []SaleInput, products []*db.Product, indexed bool) (map[int64]int64, error) {
	total := map[int64]int64{}
	for i, in := range lines {
		total[products[i].ID] += *in.Quantity
	}
	ids := make([]int64, 0, len(total))
	for id := range total {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	final := make(map[int64]int64, len(ids))
	short := map[int64]bool{}
	decrement := s.decrementOne
	if !s.stmts.returning {
		decrement = s.decrementOneThenRead
	}
	for _, id := range ids {
		stock, err := decrement(ctx, tx, id, total[id])
		switch {
		case errors.Is(err, sql.ErrNoRows):
			short[id] = true
		case err != nil:
			return nil, fmt.Errorf("decrement stock of product %d: %w", id, err)
		default:
			final[id] = stock
		}
	}
	if len(short) == 0 {
		return final, nil
	}
	return nil, insufficient(ctx, tx, products, short, total, indexed)
}

// decrementOne takes qty off product id's stock if it has as much, and
// returns the new stock (sql.ErrNoRows when it has not).
func (s *Sales) decrementOne(ctx context.Context, tx bun.Tx, id, qty int64) (int64, error) {
	update, err := s.stmts.in(ctx, tx, "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ? RETURNING stock")
	if err != nil {
		return 0, err
	}
	var stock int64
	err = update.QueryRowContext(ctx, qty, id, qty).Scan(&stock)
	return stock, err
}

// decrementOneThenRead is decrementOne without RETURNING (MySQL): the
// conditional UPDATE, then the row it changed and still locks.
func (s *Sales) decrementOneThenRead(ctx context.Context, tx bun.Tx, id, qty int64) (int64, error) {
	update, err := s.stmts.in(ctx, tx, "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")
	if err != nil {
		return 0, err
	}
	res, err := update.ExecContext(ctx, qty, id, qty)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, cmp.Or(err, sql.ErrNoRows)
	}
	read, err := s.stmts.in(ctx, tx, "SELECT stock FROM products WHERE id = ?")
	if err != nil {
		return 0, err
	}
	var stock int64
	err = read.QueryRowContext(ctx, id).Scan(&stock)
	return stock, err
}

// insufficient builds the conflict error naming each short line.
func insufficient(ctx context.Context, tx bun.Tx, products []*db.Product, short map[int64]bool, total map[int64]int64, indexed bool) error {
	v := &validation{}
	var msg string
	for i, p := range products {
		if !short[p.ID] {
			continue
		}
		var stock int64
		if err := tx.NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", p.ID).Scan(ctx, &stock); err != nil {
			return fmt.Errorf("read stock of product %d: %w", p.ID, err)
		}
		v.index = lineIndex(i, indexed)
		v.add("quantity", "insufficient stock for %s: %d requested, %d on hand", p.SKU, total[p.ID], stock)
		if msg == "" {
			msg = fmt.Sprintf("Insufficient stock for %s: %d requested, %d on hand.", p.SKU, total[p.ID], stock)
		}
	}
	return &Error{Code: ECONFLICT, Message: msg, Fields: limitFields(v.fields)}
}

// insertSales writes the sale rows, their movements and the daily rollup.
func (s *Sales) insertSales(ctx context.Context, tx bun.Tx, a Actor, lines []SaleInput, products []*db.Product, final map[int64]int64, now time.Time) ([]SaleResult, error) {
	sales := make([]db.Sale, len(lines))
	for i, in := range lines {
		p := products[i]
		price := p.UnitPrice
		if in.UnitPrice != nil {
			price = *in.UnitPrice
		}
		soldAt := now
		if in.SoldAt != nil {
			soldAt = in.SoldAt.UTC()
		}
		sales[i] = db.Sale{ProductID: p.ID, Quantity: *in.Quantity, UnitPrice: price, SoldAt: soldAt,
			Channel: in.Channel, Note: in.Note, ExternalID: in.ExternalID, RecordedBy: a.userID(), CreatedAt: now}
	}
	if err := s.insertSaleRows(ctx, tx, sales); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, &Error{Code: ECONFLICT, Message: "A sale with this external_id was already recorded.",
				Fields: []FieldError{{Field: "external_id", Message: "already recorded"}}}
		}
		return nil, err
	}
	// Balances: walking the lines backwards from each product's final stock.
	balance := make([]int64, len(lines))
	running := make(map[int64]int64, len(final))
	for id, st := range final {
		running[id] = st
	}
	for i := len(sales) - 1; i >= 0; i-- {
		id := sales[i].ProductID
		balance[i] = running[id]
		running[id] += sales[i].Quantity
	}
	moves := make([]db.StockMovement, len(sales))
	out := make([]SaleResult, len(sales))
	for i := range sales {
		saleID := sales[i].ID
		moves[i] = db.StockMovement{ProductID: sales[i].ProductID, Kind: db.MoveSale, Delta: -sales[i].Quantity,
			Balance: balance[i], Reason: "sale", SaleID: &saleID, UserID: a.userID(), CreatedAt: now}
		out[i] = SaleResult{Sale: sales[i], Stock: balance[i]}
	}
	if err := s.insertMovements(ctx, tx, moves); err != nil {
		return nil, err
	}
	if err := s.addDaily(ctx, tx, sales, 1); err != nil {
		return nil, err
	}
	return out, nil
}

// addDaily adds (sign 1) or subtracts (sign -1) sales to the daily rollup,
// aggregated per product and the shop's local day; rows that fall to zero
// are removed.
func (s *Sales) addDaily(ctx context.Context, tx bun.Tx, sales []db.Sale, sign int64) error {
	shop, err := s.shopIn(ctx, tx)
	if err != nil {
		return err
	}
	type key struct {
		id  int64
		day string
	}
	agg := map[key]*db.DailySales{}
	var keys []key
	for i := range sales {
		k := key{sales[i].ProductID, db.DayOf(sales[i].SoldAt, shop.Location)}
		d := agg[k]
		if d == nil {
			d = &db.DailySales{ProductID: k.id, Day: k.day}
			agg[k] = d
			keys = append(keys, k)
		}
		d.Units += sign * sales[i].Quantity
		r, ok := sales[i].CheckedRevenue()
		if ok && sign > 0 {
			d.Revenue, ok = db.AddMoney(d.Revenue, r)
		} else if ok {
			d.Revenue -= r
		}
		if !ok {
			return dailyTooLarge(sales[i].ProductID, k.day)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].id != keys[j].id {
			return keys[i].id < keys[j].id
		}
		return keys[i].day < keys[j].day
	})
	rows := make([]db.DailySales, len(keys))
	for i, k := range keys {
		rows[i] = *agg[k]
	}
	// Each row stays within db.MaxTotal: what is stored is (and what is
	// added was just checked to be), so the sum cannot overflow in the
	// database, and a sum above the bound is refused before commit.
	if s.stmts.batch {
		if err := upsertDailyChunks(ctx, tx, rows); err != nil {
			return err
		}
		if sign > 0 {
			if err := checkDailyBounds(ctx, tx, rows); err != nil {
				return err
			}
		}
	} else if err := s.upsertDailyRows(ctx, tx, rows); err != nil {
		return err
	}
	if sign < 0 {
		for _, r := range rows {
			if _, err := tx.NewDelete().Model((*db.DailySales)(nil)).
				Where("product_id = ? AND day = ? AND units = 0", r.ProductID, r.Day).Exec(ctx); err != nil {
				return fmt.Errorf("prune daily sales: %w", err)
			}
		}
	}
	return nil
}

// Void cancels a sale: its quantity goes back to stock (a "void" movement)
// and leaves the daily rollup. Voiding twice is a conflict.
func (s *Sales) Void(ctx context.Context, a Actor, id int64, reason string) (*SaleResult, error) {
	if err := a.require(db.RoleClerk, "void sales"); err != nil {
		return nil, err
	}
	now := s.now()
	var out *SaleResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sale := new(db.Sale)
		if err := findByID(ctx, tx, sale, id, "Sale"); err != nil {
			return err
		}
		before := *sale
		res, err := tx.NewUpdate().Model(sale).
			Set("voided_at = ?", now).Set("voided_by = ?", a.userID()).
			Where("id = ? AND voided_at IS NULL", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("void sale %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return Errorf(ECONFLICT, "Sale %d is already void.", id)
		}
		sale.VoidedAt, sale.VoidedBy = &now, a.userID()
		stock, ok, err := db.AddStock(ctx, tx, sale.ProductID, sale.Quantity, -1)
		if err == nil && !ok {
			return Errorf(ECONFLICT, "Voiding sale %d would take the stock of product %d above %d.", id, sale.ProductID, db.MaxQuantity)
		}
		if err != nil {
			return fmt.Errorf("restore stock for sale %d: %w", id, err)
		}
		if reason == "" {
			reason = "void of sale"
		}
		m := &db.StockMovement{ProductID: sale.ProductID, Kind: db.MoveVoid, Delta: sale.Quantity, Balance: stock,
			Reason: reason, SaleID: &sale.ID, UserID: a.userID(), CreatedAt: now}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("insert void movement: %w", err)
		}
		if err := s.addDaily(ctx, tx, []db.Sale{*sale}, -1); err != nil {
			return err
		}
		out = &SaleResult{Sale: *sale, Stock: stock}
		return s.audit.record(ctx, tx, a, "void", "sale", id, &before, sale)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaleFilter selects sales.
type SaleFilter struct {
	ProductID int64
	From, To  time.Time // sold_at in [From, To)
	Voided    string    // "false" (default: only valid sales), "true", "all"
	Limit     int
	Offset    int
}

// List returns sales, newest first, and the total that match.
func (s *Sales) List(ctx context.Context, a Actor, f SaleFilter) ([]db.Sale, int, error) {
	if err := a.require(db.RoleViewer, "read sales"); err != nil {
		return nil, 0, err
	}
	items := []db.Sale{}
	q := s.db.NewSelect().Model(&items).OrderExpr("sold_at DESC, id DESC")
	if f.ProductID != 0 {
		q = q.Where("product_id = ?", f.ProductID)
	}
	if !f.From.IsZero() {
		q = q.Where("sold_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("sold_at < ?", f.To.UTC())
	}
	switch f.Voided {
	case "", "false":
		q = q.Where("voided_at IS NULL")
	case "true":
		q = q.Where("voided_at IS NOT NULL")
	case "all":
	default:
		return nil, 0, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "voided", Message: "must be true, false or all"}}}
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list sales: %w", err)
	}
	return items, int(n), nil
}

// Sale returns one sale.
func (s *Sales) Sale(ctx context.Context, a Actor, id int64) (*db.Sale, error) {
	if err := a.require(db.RoleViewer, "read sales"); err != nil {
		return nil, err
	}
	sale := new(db.Sale)
	return sale, findByID(ctx, s.db, sale, id, "Sale")
}

// insertSaleRows inserts sales and sets their ids: on SQLite one prepared
// statement per row (no parsing, no network), on PostgreSQL and MySQL up to
// 1,000 rows per statement (one round trip).
func (s *Sales) insertSaleRows(ctx context.Context, tx bun.Tx, sales []db.Sale) error {
	if s.stmts.batch {
		return insertChunks(ctx, tx, sales, "sales")
	}
	insert, err := s.stmts.in(ctx, tx, "INSERT INTO sales (product_id, quantity, unit_price, sold_at, channel, note,"+
		" external_id, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
	if err != nil {
		return err
	}
	for i := range sales {
		r := &sales[i]
		err := insert.QueryRowContext(ctx, r.ProductID, r.Quantity, int64(r.UnitPrice), s.stmts.time(r.SoldAt),
			r.Channel, r.Note, r.ExternalID, r.RecordedBy, s.stmts.time(r.CreatedAt)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert sale of product %d: %w", r.ProductID, err)
		}
	}
	return nil
}

// insertMovements inserts stock movements (their ids are not read back),
// as insertSaleRows does.
func (s *Sales) insertMovements(ctx context.Context, tx bun.Tx, moves []db.StockMovement) error {
	if s.stmts.batch {
		return insertChunks(ctx, tx, moves, "sale movements")
	}
	insert, err := s.stmts.in(ctx, tx, "INSERT INTO stock_movements (product_id, kind, delta, balance, reason, sale_id,"+
		" user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for _, m := range moves {
		if _, err := insert.ExecContext(ctx, m.ProductID, string(m.Kind), m.Delta, m.Balance, m.Reason, m.SaleID,
			m.UserID, s.stmts.time(m.CreatedAt)); err != nil {
			return fmt.Errorf("insert movement of product %d: %w", m.ProductID, err)
		}
	}
	return nil
}

// insertChunks inserts rows with bun, 1,000 per statement.
func insertChunks[T any](ctx context.Context, tx bun.Tx, rows []T, what string) error {
	for start := 0; start < len(rows); start += 1000 {
		part := rows[start:min(start+1000, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return fmt.Errorf("insert %s: %w", what, err)
		}
	}
	return nil
}

// upsertDailyRows adds rows to the daily rollup, one prepared statement per row.
func (s *Sales) upsertDailyRows(ctx context.Context, tx bun.Tx, rows []db.DailySales) error {
	upsert, err := s.stmts.in(ctx, tx, "INSERT INTO daily_sales (product_id, day, units, revenue) VALUES (?, ?, ?, ?)"+
		" ON CONFLICT (product_id, day) DO UPDATE SET units = daily_sales.units + EXCLUDED.units, revenue = daily_sales.revenue + EXCLUDED.revenue RETURNING revenue")
	if err != nil {
		return err
	}
	for _, r := range rows {
		var revenue int64
		if err := upsert.QueryRowContext(ctx, r.ProductID, r.Day, r.Units, int64(r.Revenue)).Scan(&revenue); err != nil {
			return fmt.Errorf("update daily sales of product %d on %s: %w", r.ProductID, r.Day, err)
		}
		if revenue > int64(db.MaxTotal) && r.Revenue > 0 {
			return dailyTooLarge(r.ProductID, r.Day)
		}
	}
	return nil
}

// checkDailyBounds refuses rollup rows the upsert took above db.MaxTotal.
func checkDailyBounds(ctx context.Context, tx bun.Tx, rows []db.DailySales) error {
	ids, days := map[int64]bool{}, map[string]bool{}
	for _, r := range rows {
		ids[r.ProductID], days[r.Day] = true, true
	}
	var over []db.DailySales
	err := tx.NewSelect().Model(&over).Column("product_id", "day").
		Where("product_id IN (?) AND day IN (?) AND revenue > ?", bun.In(setKeys(ids)), bun.In(setKeys(days)), int64(db.MaxTotal)).
		Limit(1).Scan(ctx)
	if err != nil {
		return fmt.Errorf("check daily sales bounds: %w", err)
	}
	if len(over) > 0 {
		return dailyTooLarge(over[0].ProductID, over[0].Day)
	}
	return nil
}

func setKeys[K comparable](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// dailyTooLarge is the error for sales that would take one product's
// revenue on one day above db.MaxTotal.
func dailyTooLarge(productID int64, day string) error {
	return totalError("unit_price", fmt.Sprintf("The revenue of product %d on %s", productID, day), nil)
}

// upsertDailyChunks adds rows to the daily rollup, 1,000 per statement.
func upsertDailyChunks(ctx context.Context, tx bun.Tx, rows []db.DailySales) error {
	for start := 0; start < len(rows); start += 1000 {
		part := rows[start:min(start+1000, len(rows))]
		_, err := db.Upsert(tx.NewInsert().Model(&part), tx, "product_id, day",
			"units = daily_sales.units + EXCLUDED.units", "revenue = daily_sales.revenue + EXCLUDED.revenue").
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("update daily sales: %w", err)
		}
	}
	return nil
}
