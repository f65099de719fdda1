package app

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
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
// written with one multi-row INSERT each (db.SalesWriter). At the end the
// products' stock is decremented by their totals with set-based
// conditional UPDATEs and the daily rollup is upserted, aggregated.
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
	skuKey   string // namekey.Key(sku): products are found by it
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
	now      time.Time
	loc      *time.Location           // the shop's zone: the days of the rollup
	products map[string]*productState // nil value: no such product
	touched  []*productState
	daily    map[dayKey]*dayAgg
	nextID   int64 // SQLite: the id the next sale gets
	firstID  int64
	sqlBuf   []byte
	saleRows []saleRow
	moveRows []moveRow
	// w writes the sales, their movements and the stock decrements;
	// bulkSales and bulkMoves are its input, reused from batch to batch.
	w         *db.SalesWriter
	bulkSales []db.BulkSale
	bulkMoves []db.BulkMove
	// seen holds every external id recorded before the import and every
	// one the import wrote; only ids it may contain are looked up.
	seen *bloom
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
	s := &salesImport{im: im, tx: tx, pg: db.IsPostgres(tx), mysql: db.IsMySQL(tx), sqlite: db.IsSQLite(tx), now: im.now(),
		products: map[string]*productState{}, daily: map[dayKey]*dayAgg{}, dry: im.opt.DryRun}
	if s.dry {
		s.dryExt = map[uint64]struct{}{}
	}
	shop, err := im.shopIn(ctx, tx)
	if err != nil {
		return err
	}
	s.loc = shop.Location
	s.w = db.NewSalesWriter(tx, im.actor.userID(), s.now)
	if s.sqlite {
		last, err := lastSaleID(ctx, tx)
		if err != nil {
			return err
		}
		s.nextID, s.firstID = last+1, last+1
	}

	defer s.w.Close()
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
			if l, ok := parseSaleLine(&cells{in: im.in, errs: errs}, now); ok {
				l.soldText = l.soldAt.Format(db.SQLiteTime)
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
func parseSaleLine(c *cells, now time.Time) (saleLine, bool) {
	l := saleLine{line: c.in.line, soldAt: now}
	if s := c.text("sku", MaxSKULength); s != nil {
		l.sku, l.skuKey = *s, namekey.Key(*s)
	} else if !c.bad {
		c.fail("sku", "is required")
	}
	// The quantity, price and time follow the rules of Sales.Record
	// (checkQuantity, checkAmount, checkSoldAt).
	switch q := c.integer("quantity"); {
	case q == nil:
		if _, given := c.in.get("quantity"); !given {
			c.fail("quantity", "is required")
		}
	case checkQuantity(c.fail, "quantity", *q, 1):
		l.qty = *q
	}
	if p := c.money("unit_price"); p != nil {
		checkAmount(c.fail, "unit_price", *p)
		l.price, l.hasPrice = *p, true
	}
	if t := c.time("sold_at"); t != nil && checkSoldAt(c.fail, *t, now) {
		l.soldAt = *t
	}
	if s := c.text("channel", MaxChannelLength); s != nil {
		l.channel = *s
	}
	if s := c.text("note", MaxNoteLength); s != nil {
		l.note = *s
	}
	if s := c.text("external_id", MaxExternalIDLength); s != nil {
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
		p := s.products[l.skuKey]
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
		price := p.price
		if l.hasPrice {
			price = l.price
		}
		k := dayKey{p.id, floorDiv(db.LocalDay(l.soldAt, s.loc).Unix(), 86400)}
		d := s.daily[k]
		revenue, ok := db.MulMoney(l.qty, price)
		if !ok {
			errs.add(l.line, "unit_price", "makes the line total exceed %s", db.MaxTotal)
			continue
		}
		dayRevenue := revenue
		if d != nil {
			dayRevenue, ok = db.AddMoney(db.Money(d.revenue), revenue)
		}
		if !ok {
			errs.add(l.line, "unit_price", "makes the revenue of %s on its day exceed %s", p.sku, db.MaxTotal)
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

		if d == nil {
			d = &dayAgg{}
			s.daily[k] = d
		}
		d.units += l.qty
		d.revenue = int64(dayRevenue)
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
		sku := lines[i].skuKey
		if _, ok := s.products[sku]; !ok && !want[sku] {
			want[sku] = true
			skus = append(skus, sku)
		}
	}
	if len(skus) == 0 {
		return nil
	}
	q := "SELECT id, sku, sku_norm, unit_price, stock, active FROM products WHERE sku_norm IN (?)"
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
		var key string
		if err := rows.Scan(&p.id, &p.sku, &key, &p.price, &p.stock, &p.active); err != nil {
			return fmt.Errorf("import: load products: %w", err)
		}
		s.products[key] = p
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
		// What was stored and what was added are each within
		// db.MaxTotal, so the sums did not overflow; refuse any above it.
		part := keys[start:min(start+1000, len(keys))]
		rows := make([]db.DailySales, len(part))
		for i, k := range part {
			rows[i] = db.DailySales{ProductID: k.product, Day: time.Unix(k.day*86400, 0).UTC().Format(db.DayLayout)}
		}
		if err := checkDailyBounds(ctx, s.tx, rows); err != nil {
			return err
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
		takes := make([]db.StockTake, len(part))
		for i, p := range part {
			takes[i] = db.StockTake{ID: p.id, Sold: p.sold}
		}
		n, err := s.w.TakeStock(ctx, takes)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if n != int64(len(part)) {
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

// writeRows writes the batch's sales and movements with the bulk writer
// (db.SalesWriter).
func (s *salesImport) writeRows(ctx context.Context) error {
	sales, moves := s.bulkSales[:0], s.bulkMoves[:0]
	for i, r := range s.saleRows {
		l := r.line
		sales = append(sales, db.BulkSale{ID: r.id, ProductID: r.product, Quantity: l.qty, UnitPrice: r.price,
			SoldAt: l.soldAt, SoldText: l.soldText, Channel: l.channel, Note: l.note, ExternalID: l.ext, HasExternalID: l.hasExt})
		m := s.moveRows[i]
		moves = append(moves, db.BulkMove{ProductID: m.product, Delta: m.delta, Balance: m.balance, SaleID: m.sale})
	}
	s.bulkSales, s.bulkMoves = sales, moves
	if err := s.w.Write(ctx, sales, moves); err != nil {
		return fmt.Errorf("import: %w", err)
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
