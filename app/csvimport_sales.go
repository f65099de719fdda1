package app

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"smartinventory/db"
)

// Bulk sales import
//
// A sales file may hold millions of lines, so it is streamed: one goroutine
// reads and parses the CSV into batches of saleBatchSize lines while the
// importing goroutine checks each batch against the database and writes it.
// Memory holds one product state per product named (its stock as the file
// is applied), the daily rollup aggregated per product and day (flushed
// when it grows), and a few batches in flight; never the whole file.
//
// Per batch: the products not yet seen are loaded (locked FOR UPDATE on
// PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write
// lock), the external ids are looked up (earlier batches of the same file
// are already inserted, so a repeat within the file is found too), then
// every line is applied in file order to its product's running stock — a
// line that would take stock below zero is an error naming that line — and
// the sales and their movements (with the balance after each line) are
// written with one multi-row INSERT each. At the end the products' stock
// is decremented by their totals with set-based conditional UPDATEs and the
// daily rollup is upserted, aggregated.
//
// Sale ids: on SQLite the transaction holds the write lock, so AUTOINCREMENT
// hands out consecutive ids after the last one and the INSERTs need no id
// column (an explicit rowid costs a statement journal); the result is
// verified at the end. On PostgreSQL the ids are reserved from the sequence.

// saleBatchSize is the number of lines checked and written together.
const saleBatchSize = 2000

// dailyFlushAt is the number of aggregated (product, day) rows kept before
// they are upserted.
const dailyFlushAt = 100_000

// saleLine is one parsed sales line.
type saleLine struct {
	line     int64
	sku      string
	qty      int64
	price    db.Money
	hasPrice bool
	soldAt   time.Time
	soldText string // soldAt as SQLite stores it (formatted by the reader goroutine)
	channel  string
	note     string
	ext      string
	hasExt   bool
}

// saleBatch is a run of parsed lines and how far the reader got.
type saleBatch struct {
	lines []saleLine
	read  int64 // data lines read so far
	bytes int64 // bytes read so far
}

// productState is a product as the import applies the file to it.
type productState struct {
	id     int64
	sku    string
	price  db.Money
	active bool
	stock  int64 // on hand after the lines applied so far
	sold   int64 // units the file takes off its stock
}

type dayKey struct {
	product int64
	day     int64 // days since 1970-01-01
}

type dayAgg struct {
	units   int64
	revenue int64
}

// salesImport is the state of one sales import.
type salesImport struct {
	im       *importer
	tx       bun.Tx
	pg       bool // PostgreSQL: sale ids reserved from the sequence
	mysql    bool // MySQL: sale ids read back from each INSERT
	sqlite   bool // SQLite: sale ids predicted (the import holds the write lock)
	dialect  schema.Dialect
	now      time.Time
	loc      *time.Location           // the shop's zone: the days of the rollup
	products map[string]*productState // nil value: no such product
	touched  []*productState
	daily    map[dayKey]*dayAgg
	nextID   int64 // SQLite: the id the next sale gets
	firstID  int64
	userSQL  string // recorded_by / user_id literal
	created  string // created_at literal
	sqlBuf   []byte
	saleRows []saleRow
	moveRows []moveRow
	args     []any
	// seen holds every external id recorded before the import and every
	// one the import wrote; only ids it may contain are looked up.
	seen *bloom
	// SQLite: prepared INSERTs of rowsPerStmt rows.
	saleStmt, moveStmt *sql.Stmt
	// dry: a dry run, which writes nothing; dryExt holds a 64-bit hash of
	// each external id it would have written (a repeat later in the file
	// is then skipped as the real import would; a hash collision could
	// only over-count skips in a report).
	dry    bool
	dryExt map[uint64]struct{}
}

// saleRow is a sale to insert.
type saleRow struct {
	id      int64
	line    *saleLine
	product int64
	price   int64
}

// moveRow is the stock movement of a sale.
type moveRow struct {
	product, delta, balance, sale int64
}

func (im *importer) importSales(ctx context.Context, tx bun.Tx) error {
	s := &salesImport{im: im, tx: tx, pg: db.IsPostgres(tx), mysql: db.IsMySQL(tx), sqlite: db.IsSQLite(tx), dialect: tx.Dialect(), now: im.now(),
		products: map[string]*productState{}, daily: map[dayKey]*dayAgg{}, userSQL: "NULL", dry: im.opt.DryRun}
	if s.dry {
		s.dryExt = map[uint64]struct{}{}
	}
	shop, err := im.shopIn(ctx, tx)
	if err != nil {
		return err
	}
	s.loc = shop.Location
	s.created = string(s.dialect.AppendTime(nil, s.now))
	if id := im.actor.userID(); id != nil {
		s.userSQL = strconv.FormatInt(*id, 10)
	}
	if s.sqlite {
		last, err := lastSaleID(ctx, tx)
		if err != nil {
			return err
		}
		s.nextID, s.firstID = last+1, last+1
	}

	defer s.close()
	if err := s.loadSeen(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan saleBatch, 4)
	parseErrs := &errList{max: im.errs.max}
	parsed := make(chan error, 1)
	go func() { parsed <- im.parseSales(ctx, batches, parseErrs, s.now) }()

	err = nil
	for b := range batches {
		if err == nil {
			err = s.batch(ctx, b.lines)
			if im.opt.Progress != nil {
				im.opt.Progress(b.read, b.bytes)
			}
		}
		if err != nil {
			cancel() // stop the reader; keep draining so it can exit
		}
	}
	perr := <-parsed
	im.errs.merge(parseErrs)
	if err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	return s.finish(ctx)
}

// lastSaleID returns the highest sale id SQLite has handed out.
func lastSaleID(ctx context.Context, tx bun.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'sales'), 0), "+
		"(SELECT COALESCE(MAX(id), 0) FROM sales))").Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("import: last sale id: %w", err)
	}
	return id, nil
}

// parseSales reads the file into batches of valid lines; invalid ones go
// to errs. It closes out when done.
func (im *importer) parseSales(ctx context.Context, out chan<- saleBatch, errs *errList, now time.Time) error {
	defer close(out)
	latest := now.Add(24 * time.Hour)
	send := func(b saleBatch) error {
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("import: %w", ctx.Err())
		}
	}
	b := saleBatch{lines: make([]saleLine, 0, saleBatchSize)}
	for {
		more, err := im.in.next(errs)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		b.read++
		if im.in.ok() {
			if l, ok := parseSaleLine(&cells{in: im.in, errs: errs}, now, latest); ok {
				l.soldText = l.soldAt.Format(sqliteTime)
				b.lines = append(b.lines, l)
			}
		}
		im.in.rec = nil
		if len(b.lines) == saleBatchSize {
			b.bytes = im.in.cr.InputOffset()
			if err := send(b); err != nil {
				return err
			}
			b = saleBatch{lines: make([]saleLine, 0, saleBatchSize), read: b.read}
		}
	}
	im.sum.Lines = b.read
	b.bytes = im.in.cr.InputOffset()
	return send(b)
}

// parseSaleLine checks one line with the rules of Sales.Record.
func parseSaleLine(c *cells, now, latest time.Time) (saleLine, bool) {
	l := saleLine{line: c.in.line, soldAt: now}
	if s := c.text("sku", 64); s != nil {
		l.sku = *s
	} else if !c.bad {
		c.fail("sku", "is required")
	}
	switch q := c.integer("quantity"); {
	case q == nil:
		if _, given := c.in.get("quantity"); !given {
			c.fail("quantity", "is required")
		}
	case *q <= 0:
		c.fail("quantity", "must be greater than 0")
	case *q > 1_000_000_000:
		c.fail("quantity", "is too large")
	default:
		l.qty = *q
	}
	if p := c.money("unit_price"); p != nil {
		if *p < 0 {
			c.fail("unit_price", "must not be negative")
		}
		l.price, l.hasPrice = *p, true
	}
	if t := c.time("sold_at"); t != nil {
		switch {
		case t.After(latest):
			c.fail("sold_at", "must not be in the future")
		case t.Year() < 1970:
			c.fail("sold_at", "must be after 1970")
		default:
			l.soldAt = *t
		}
	}
	if s := c.text("channel", 64); s != nil {
		l.channel = *s
	}
	if s := c.text("note", 0); s != nil {
		l.note = *s
	}
	if s := c.text("external_id", 200); s != nil {
		l.ext, l.hasExt = *s, true
	}
	return l, !c.bad
}

// batch checks and writes one batch of lines.
func (s *salesImport) batch(ctx context.Context, lines []saleLine) error {
	if len(lines) == 0 {
		return nil
	}
	if err := s.loadProducts(ctx, lines); err != nil {
		return err
	}
	recorded, err := s.recordedIDs(ctx, lines)
	if err != nil {
		return err
	}
	var ids []int64
	if s.pg && !s.dry {
		if ids, err = s.reserveIDs(ctx, len(lines)); err != nil {
			return err
		}
	}
	s.saleRows, s.moveRows = s.saleRows[:0], s.moveRows[:0]
	inBatch := map[string]bool{}
	errs := s.im.errs
	for i := range lines {
		l := &lines[i]
		if l.hasExt && (recorded[l.ext] || inBatch[l.ext] || s.dryRepeat(l.ext)) {
			s.im.sum.Skipped++
			continue
		}
		p := s.products[l.sku]
		switch {
		case p == nil:
			errs.add(l.line, "sku", "no product with SKU %q", l.sku)
			continue
		case !p.active:
			errs.add(l.line, "sku", "product %s is inactive", p.sku)
			continue
		case l.qty > p.stock:
			errs.add(l.line, "quantity", "insufficient stock for %s: %d requested, %d on hand", p.sku, l.qty, p.stock)
			continue
		}
		if l.hasExt {
			inBatch[l.ext] = true
			s.seen.add(l.ext)
			if s.dry {
				s.dryExt[extHash(l.ext)] = struct{}{}
			}
		}
		if p.sold == 0 {
			s.touched = append(s.touched, p)
		}
		p.stock -= l.qty
		p.sold += l.qty
		price := p.price
		if l.hasPrice {
			price = l.price
		}
		var id int64 // MySQL: set by writeRows; a dry run writes none
		switch {
		case s.pg:
			if !s.dry {
				id = ids[i]
			}
		case s.sqlite:
			id = s.nextID
			s.nextID++
		}
		s.saleRows = append(s.saleRows, saleRow{id: id, line: l, product: p.id, price: int64(price)})
		s.moveRows = append(s.moveRows, moveRow{product: p.id, delta: -l.qty, balance: p.stock, sale: id})

		k := dayKey{p.id, floorDiv(db.LocalDay(l.soldAt, s.loc).Unix(), 86400)}
		d := s.daily[k]
		if d == nil {
			d = &dayAgg{}
			s.daily[k] = d
		}
		d.units += l.qty
		d.revenue += l.qty * int64(price)
	}
	n := len(s.saleRows)
	if n == 0 {
		return nil
	}
	if s.dry {
		s.im.sum.Inserted += int64(n)
		clear(s.daily) // nothing to flush
		return nil
	}
	if err := s.writeRows(ctx); err != nil {
		return err
	}
	s.im.sum.Inserted += int64(n)
	if len(s.daily) >= dailyFlushAt {
		return s.flushDaily(ctx)
	}
	return nil
}

// dryRepeat reports whether a dry run already counted ext as written.
func (s *salesImport) dryRepeat(ext string) bool {
	if !s.dry {
		return false
	}
	_, ok := s.dryExt[extHash(ext)]
	return ok
}

// extHash is the 64-bit FNV-1a hash of an external id.
func extHash(ext string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(ext))
	return h.Sum64()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// loadProducts loads the products of lines not loaded yet.
func (s *salesImport) loadProducts(ctx context.Context, lines []saleLine) error {
	var skus []string
	want := map[string]bool{}
	for i := range lines {
		sku := lines[i].sku
		if _, ok := s.products[sku]; !ok && !want[sku] {
			want[sku] = true
			skus = append(skus, sku)
		}
	}
	if len(skus) == 0 {
		return nil
	}
	q := "SELECT id, sku, unit_price, stock, active FROM products WHERE sku IN (?)"
	if !s.sqlite && !s.dry {
		q += " ORDER BY id FOR UPDATE"
	}
	rows, err := s.tx.QueryContext(ctx, q, bun.In(skus))
	if err != nil {
		return fmt.Errorf("import: load products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p := &productState{}
		if err := rows.Scan(&p.id, &p.sku, &p.price, &p.stock, &p.active); err != nil {
			return fmt.Errorf("import: load products: %w", err)
		}
		s.products[p.sku] = p
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import: load products: %w", err)
	}
	for _, sku := range skus {
		if _, ok := s.products[sku]; !ok {
			s.products[sku] = nil
		}
	}
	return nil
}

// recordedIDs returns the external ids of lines already in sales.
func (s *salesImport) recordedIDs(ctx context.Context, lines []saleLine) (map[string]bool, error) {
	var ext []string
	for i := range lines {
		if lines[i].hasExt && s.seen.has(lines[i].ext) {
			ext = append(ext, lines[i].ext)
		}
	}
	found := map[string]bool{}
	if len(ext) == 0 {
		return found, nil
	}
	rows, err := s.tx.QueryContext(ctx, "SELECT external_id FROM sales WHERE external_id IN (?)", bun.In(ext))
	if err != nil {
		return nil, fmt.Errorf("import: look up external ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("import: look up external ids: %w", err)
		}
		found[e] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("import: look up external ids: %w", err)
	}
	return found, nil
}

// reserveIDs takes n sale ids from the PostgreSQL sequence.
func (s *salesImport) reserveIDs(ctx context.Context, n int) ([]int64, error) {
	rows, err := s.tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('sales', 'id')) FROM generate_series(1, ?)", n)
	if err != nil {
		return nil, fmt.Errorf("import: reserve sale ids: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("import: reserve sale ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("import: reserve sale ids: %w", err)
	}
	slices.Sort(ids)
	if len(ids) != n {
		return nil, fmt.Errorf("import: reserved %d sale ids, want %d", len(ids), n)
	}
	return ids, nil
}

// flushDaily upserts the aggregated daily rollup and clears it.
func (s *salesImport) flushDaily(ctx context.Context) error {
	keys := make([]dayKey, 0, len(s.daily))
	for k := range s.daily {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].product != keys[j].product {
			return keys[i].product < keys[j].product
		}
		return keys[i].day < keys[j].day
	})
	for start := 0; start < len(keys); start += 1000 {
		b := append(s.sqlBuf[:0], "INSERT INTO daily_sales (product_id, day, units, revenue) VALUES "...)
		for i, k := range keys[start:min(start+1000, len(keys))] {
			if i > 0 {
				b = append(b, ',')
			}
			d := s.daily[k]
			b = append(b, '(')
			b = strconv.AppendInt(b, k.product, 10)
			b = append(b, ",'"...)
			b = time.Unix(k.day*86400, 0).UTC().AppendFormat(b, db.DayLayout)
			b = append(b, "',"...)
			b = strconv.AppendInt(b, d.units, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, d.revenue, 10)
			b = append(b, ')')
		}
		b = append(b, db.UpsertClause(s.tx, "product_id, day",
			"units = daily_sales.units + EXCLUDED.units", "revenue = daily_sales.revenue + EXCLUDED.revenue")...)
		s.sqlBuf = b
		if _, err := s.tx.ExecContext(ctx, string(b)); err != nil {
			return fmt.Errorf("import: update daily sales: %w", err)
		}
	}
	clear(s.daily)
	return nil
}

// finish takes the totals off the products' stock, flushes the rollup and,
// on SQLite, verifies the sale ids.
func (s *salesImport) finish(ctx context.Context) error {
	if s.dry {
		return nil // every line was checked against the snapshot in memory
	}
	sort.Slice(s.touched, func(i, j int) bool { return s.touched[i].id < s.touched[j].id })
	for start := 0; start < len(s.touched); start += 1000 {
		part := s.touched[start:min(start+1000, len(s.touched))]
		b := s.decrementSQL(s.sqlBuf[:0], part)
		s.sqlBuf = b
		res, err := s.tx.ExecContext(ctx, string(b))
		if err != nil {
			return fmt.Errorf("import: decrement stock: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(part)) {
			return Errorf(ECONFLICT, "Stock changed while importing; nothing was written. Try again.")
		}
	}
	if err := s.flushDaily(ctx); err != nil {
		return err
	}
	if s.sqlite && s.nextID > s.firstID {
		last, err := lastSaleID(ctx, s.tx)
		if err != nil {
			return err
		}
		if last != s.nextID-1 {
			return fmt.Errorf("import: sale ids moved: last is %d, expected %d", last, s.nextID-1)
		}
	}
	return nil
}

// decrementSQL appends the UPDATE that takes each product's sold units off
// its stock (where it still has them) to b: joined to a VALUES list on
// SQLite and PostgreSQL, to a UNION ALL of rows on MySQL (whose VALUES
// lists MySQL and MariaDB spell differently).
func (s *salesImport) decrementSQL(b []byte, part []*productState) []byte {
	if s.mysql {
		b = append(b, "UPDATE products JOIN ("...)
		for i, p := range part {
			if i > 0 {
				b = append(b, " UNION ALL "...)
			}
			b = append(b, "SELECT "...)
			b = strconv.AppendInt(b, p.id, 10)
			b = append(b, " AS id, "...)
			b = strconv.AppendInt(b, p.sold, 10)
			b = append(b, " AS sold"...)
		}
		return append(b, ") AS v ON products.id = v.id SET products.stock = products.stock - v.sold WHERE products.stock >= v.sold"...)
	}
	b = append(b, "UPDATE products SET stock = products.stock - v.column2 FROM (VALUES "...)
	for i, p := range part {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		b = strconv.AppendInt(b, p.id, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, p.sold, 10)
		b = append(b, ')')
	}
	return append(b, ") AS v WHERE products.id = v.column1 AND products.stock >= v.column2"...)
}

// rowsPerStmt is the number of rows of the prepared SQLite INSERTs.
const rowsPerStmt = 200

// sqliteTime is how bun stores times on SQLite.
const sqliteTime = "2006-01-02 15:04:05.999999-07:00"

// salesHead is the start of a multi-row INSERT of sales, up to VALUES.
func (s *salesImport) salesHead() string {
	if s.pg {
		return "INSERT INTO sales (id, product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
	}
	if s.mysql {
		return "INSERT INTO sales (product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
	}
	// OR FAIL instead of the default ABORT: a failure fails the import
	// anyway, and without ABORT SQLite needs no statement journal.
	return "INSERT OR FAIL INTO sales (product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
}

// movesHead is the start of a multi-row INSERT of sale movements.
func (s *salesImport) movesHead() string {
	or := ""
	if s.sqlite {
		or = "OR FAIL "
	}
	return "INSERT " + or + "INTO stock_movements (product_id, kind, delta, balance, reason, sale_id, user_id, created_at) VALUES "
}

// prepare prepares the SQLite INSERTs of rowsPerStmt rows.
func (s *salesImport) prepare(ctx context.Context) error {
	var b strings.Builder
	b.WriteString(s.salesHead())
	for i := range rowsPerStmt {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?," + s.userSQL + "," + s.created + ")")
	}
	var err error
	if s.saleStmt, err = s.tx.Tx.PrepareContext(ctx, b.String()); err != nil {
		return fmt.Errorf("import: prepare sales insert: %w", err)
	}
	b.Reset()
	b.WriteString(s.movesHead())
	for i := range rowsPerStmt {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,'sale',?,?,'sale',?," + s.userSQL + "," + s.created + ")")
	}
	if s.moveStmt, err = s.tx.Tx.PrepareContext(ctx, b.String()); err != nil {
		return fmt.Errorf("import: prepare movements insert: %w", err)
	}
	return nil
}

// close releases the prepared statements.
func (s *salesImport) close() {
	for _, st := range []*sql.Stmt{s.saleStmt, s.moveStmt} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// writeRows inserts the batch's sales and movements: on SQLite through the
// prepared statements (no SQL parsing per row) and a literal INSERT for the
// rest, on PostgreSQL and MySQL as one literal multi-row INSERT each. On
// MySQL the sales' ids are those the INSERT reports: the first, then one
// more for each row (a multi-row INSERT of known length takes consecutive
// auto-increment values; db.Open checks that the increment is 1).
func (s *salesImport) writeRows(ctx context.Context) error {
	sales, moves := s.saleRows, s.moveRows
	if s.sqlite {
		if s.saleStmt == nil && len(sales) >= rowsPerStmt {
			if err := s.prepare(ctx); err != nil {
				return err
			}
		}
		for len(sales) >= rowsPerStmt {
			args := s.args[:0]
			for _, r := range sales[:rowsPerStmt] {
				var ext any
				if r.line.hasExt {
					ext = r.line.ext
				}
				args = append(args, r.product, r.line.qty, r.price, r.line.soldText,
					r.line.channel, r.line.note, ext)
			}
			if _, err := s.saleStmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("import: insert sales: %w", err)
			}
			args = args[:0]
			for _, m := range moves[:rowsPerStmt] {
				args = append(args, m.product, m.delta, m.balance, m.sale)
			}
			if _, err := s.moveStmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("import: insert sale movements: %w", err)
			}
			s.args = args
			sales, moves = sales[rowsPerStmt:], moves[rowsPerStmt:]
		}
		if len(sales) == 0 {
			return nil
		}
	}
	b := append(s.sqlBuf[:0], s.salesHead()...)
	for i, r := range sales {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		if s.pg {
			b = strconv.AppendInt(b, r.id, 10)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, r.product, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.line.qty, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.price, 10)
		b = append(b, ',')
		b = s.dialect.AppendTime(b, r.line.soldAt)
		b = append(b, ',')
		b = s.dialect.AppendString(b, r.line.channel)
		b = append(b, ',')
		b = s.dialect.AppendString(b, r.line.note)
		b = append(b, ',')
		if r.line.hasExt {
			b = s.dialect.AppendString(b, r.line.ext)
		} else {
			b = append(b, "NULL"...)
		}
		b = append(b, ',')
		b = append(b, s.userSQL...)
		b = append(b, ',')
		b = append(b, s.created...)
		b = append(b, ')')
	}
	s.sqlBuf = b
	res, err := s.tx.Tx.ExecContext(ctx, string(b))
	if err != nil {
		return fmt.Errorf("import: insert sales: %w", err)
	}
	if s.mysql {
		first, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("import: sale ids: %w", err)
		}
		for i := range moves {
			sales[i].id = first + int64(i)
			moves[i].sale = sales[i].id
		}
	}
	b = append(s.sqlBuf[:0], s.movesHead()...)
	for i, m := range moves {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		b = strconv.AppendInt(b, m.product, 10)
		b = append(b, ",'sale',"...)
		b = strconv.AppendInt(b, m.delta, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, m.balance, 10)
		b = append(b, ",'sale',"...)
		b = strconv.AppendInt(b, m.sale, 10)
		b = append(b, ',')
		b = append(b, s.userSQL...)
		b = append(b, ',')
		b = append(b, s.created...)
		b = append(b, ')')
	}
	s.sqlBuf = b
	if _, err := s.tx.Tx.ExecContext(ctx, string(b)); err != nil {
		return fmt.Errorf("import: insert sale movements: %w", err)
	}
	return nil
}

// loadSeen fills the filter of recorded external ids from the database.
func (s *salesImport) loadSeen(ctx context.Context) error {
	s.seen = newBloom(1 << 26)
	rows, err := s.tx.QueryContext(ctx, "SELECT external_id FROM sales WHERE external_id IS NOT NULL")
	if err != nil {
		return fmt.Errorf("import: read external ids: %w", err)
	}
	defer rows.Close()
	var e string
	for rows.Next() {
		if err := rows.Scan(&e); err != nil {
			return fmt.Errorf("import: read external ids: %w", err)
		}
		s.seen.add(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import: read external ids: %w", err)
	}
	return nil
}

// bloom is a Bloom filter of strings: has never misses an added string
// and rarely (about 1 in 50,000 with a million strings in 8 MB) reports
// one that was not added. It keeps the external-id check of a sales import
// to the lines that may repeat one, in fixed memory.
type bloom struct {
	bits []uint64
	mask uint64
}

// newBloom returns a filter of n bits (a power of two).
func newBloom(n uint64) *bloom { return &bloom{bits: make([]uint64, n/64), mask: n - 1} }

// hashes returns two independent 64-bit FNV-1a style hashes of s.
func (b *bloom) hashes(s string) (uint64, uint64) {
	h1, h2 := uint64(14695981039346656037), uint64(0x9e3779b97f4a7c15)
	for i := 0; i < len(s); i++ {
		h1 = (h1 ^ uint64(s[i])) * 1099511628211
		h2 = (h2 ^ uint64(s[i])) * 0xff51afd7ed558ccd
	}
	return h1, h2 ^ (h2 >> 29)
}

const bloomProbes = 4

func (b *bloom) add(s string) {
	h1, h2 := b.hashes(s)
	for i := range uint64(bloomProbes) {
		bit := (h1 + i*h2) & b.mask
		b.bits[bit/64] |= 1 << (bit % 64)
	}
}

func (b *bloom) has(s string) bool {
	h1, h2 := b.hashes(s)
	for i := range uint64(bloomProbes) {
		bit := (h1 + i*h2) & b.mask
		if b.bits[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
	}
	return true
}
