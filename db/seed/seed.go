// Package seed generates deterministic demo data: categories, suppliers,
// products and years of daily sales with a consistent stock ledger and
// sales rollup. It backs `smartinventory populate`, `serve --demo` and
// benchmarks.
//
// Each product's history is simulated from its own random generator seeded
// by (Options.Seed, product number), so the same options always produce the
// same rows. Demand has a level, a trend, weekly and yearly seasonality,
// promotions, price changes and day-to-day noise; some products are
// intermittent slow movers, some stop selling (dead stock) and some are
// introduced late. Sales are limited by the stock on hand (lost sales while
// out of stock), and stock is replenished by a reorder-point policy with the
// supplier's lead time, so stock-out periods occur as they do in shops.
//
// Rows are written with multi-row INSERTs, about a thousand rows each, in
// one transaction; SQL is built on all cores while the database executes,
// a few products at a time and at most one chunk per core ahead of the
// writer, so memory stays bounded whatever the size (2,000 × 730 peaks at
// about 140 MB resident).
// A failed or interrupted run leaves the database as it was, so it can
// simply be run again. On an empty database the secondary indexes of
// sales, stock_movements and daily_sales are dropped for the load and
// rebuilt from their stored definitions before the commit (on PostgreSQL
// also their foreign keys), which is much faster than maintaining them row
// by row.
package seed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// Limits of Options.
const (
	MaxProducts = 1_000_000
	MaxDays     = 20 * 366
)

// ErrNotEmpty is returned by Generate when the database already has
// products and Options.Append is not set.
var ErrNotEmpty = errors.New("seed: database already has products")

// Options says what to generate.
type Options struct {
	// Products is the number of products to create (≥ 1).
	Products int
	// Days is the length of the sales history in days (≥ 1).
	Days int
	// EndDate is the last day of the history (its calendar date; the time
	// of day is ignored). Zero means today in Location.
	EndDate time.Time
	// Location is the shop's time zone (nil: UTC): events happen at shop
	// hours in it, and the rollup counts its days (db.LocalDay).
	Location *time.Location
	// Seed selects the data set: equal options give equal data.
	Seed int64
	// Append adds the products to a database that already has some;
	// categories and suppliers with the demo names are reused. Without it
	// Generate refuses a database that has products (ErrNotEmpty).
	Append bool
}

// Summary tells what Generate wrote.
type Summary struct {
	Categories int      `json:"categories"`
	Suppliers  int      `json:"suppliers"`
	Products   int      `json:"products"`
	Sales      int      `json:"sales"`
	Movements  int      `json:"movements"`
	DailyRows  int      `json:"daily_rows"`
	Units      int64    `json:"units"`
	Revenue    db.Money `json:"revenue"`
	// LostUnits is demand that could not be served because stock was out.
	LostUnits int64 `json:"lost_units"`
	// StockoutDays counts product-days that ended with zero stock while the
	// product was on sale.
	StockoutDays int `json:"stockout_days"`
	// Truth is the simulated demand effects of each product, for tests.
	Truth    []ProductTruth `json:"-"`
	FirstDay string         `json:"first_day"`
	LastDay  string         `json:"last_day"`
	Elapsed  time.Duration  `json:"elapsed_ns"`
}

// Demo generates the data set of `serve --demo`: 300 products with two
// years of history ending today, seed 1.
func Demo(ctx context.Context, bdb *bun.DB, loc *time.Location, progress func(done, total int)) (*Summary, error) {
	return Generate(ctx, bdb, Options{Products: 300, Days: 730, Seed: 1, Location: loc}, progress)
}

// Validate checks the options and fills in the default end date.
func (o *Options) Validate() error {
	if o.Products < 1 || o.Products > MaxProducts {
		return fmt.Errorf("seed: products must be between 1 and %d, got %d", MaxProducts, o.Products)
	}
	if o.Days < 1 || o.Days > MaxDays {
		return fmt.Errorf("seed: days must be between 1 and %d, got %d", MaxDays, o.Days)
	}
	if o.EndDate.IsZero() {
		o.EndDate = db.LocalDay(time.Now(), o.Location)
	}
	y, m, d := o.EndDate.Date()
	o.EndDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return nil
}

// Tuning of the writer.
const (
	rowsPerInsert     = 1000 // rows in one multi-row INSERT
	productsPerChunk  = 5    // products simulated and formatted together
	categoriesWritten = 8
	suppliersWritten  = 20
)

// Generate writes demo data into bdb (migrated) and reports what it wrote.
// progress, when not nil, is called with the number of products written so
// far and the total, from the calling goroutine.
func Generate(ctx context.Context, bdb *bun.DB, opt Options, progress func(done, total int)) (*Summary, error) {
	began := time.Now()
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	var state struct {
		Products   int64 `bun:"products"`
		MaxProduct int64 `bun:"max_product"`
	}
	err := bdb.NewRaw(`SELECT (SELECT COUNT(*) FROM products) AS products,
		(SELECT COALESCE(MAX(id), 0) FROM products) AS max_product`).Scan(ctx, &state)
	if err != nil {
		return nil, fmt.Errorf("seed: inspect database: %w", err)
	}
	if state.Products > 0 && !opt.Append {
		return nil, fmt.Errorf("%w (%d)", ErrNotEmpty, state.Products)
	}

	w := &world{days: opt.Days, loc: opt.Location}
	w.first = opt.EndDate.AddDate(0, 0, -(opt.Days - 1))
	if now := w.wall(time.Now()); !opt.EndDate.Before(now.Truncate(24 * time.Hour)) {
		w.now = now // the history ends today: nothing may be dated after now
	}
	w.created = w.clock(w.first.Add(6 * time.Hour))
	sum := &Summary{FirstDay: w.first.Format(db.DayLayout), LastDay: opt.EndDate.Format(db.DayLayout)}
	if err := writeCatalog(ctx, bdb, opt, w, sum); err != nil {
		return nil, err
	}
	taken := map[string]bool{}
	if state.Products > 0 {
		var skus []string
		if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("sku_norm").Scan(ctx, &skus); err != nil {
			return nil, fmt.Errorf("seed: load existing SKUs: %w", err)
		}
		for _, s := range skus {
			taken[s] = true
		}
	}

	g := &generator{bdb: bdb, opt: opt, w: w, taken: taken, sqlite: db.IsSQLite(bdb), mysql: db.IsMySQL(bdb), fresh: state.Products == 0}
	if g.productBase, err = lastID(ctx, bdb, "products"); err != nil {
		return nil, err
	}
	if g.saleBase, err = lastID(ctx, bdb, "sales"); err != nil {
		return nil, err
	}
	progress(0, opt.Products)
	if err := g.run(ctx, sum, progress); err != nil {
		return nil, err
	}
	if db.IsPostgres(bdb) {
		// Product and sale ids were assigned here: move the sequences past
		// them (MySQL moves its auto-increment counters by itself).
		for _, table := range []string{"products", "sales"} {
			_, err := bdb.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM "+
				table+"), 0) + 1, false)", table)
			if err != nil {
				return nil, fmt.Errorf("seed: reset %s id sequence: %w", table, err)
			}
		}
	}
	sum.Elapsed = time.Since(began)
	return sum, nil
}

// writeCatalog creates (or, when appending, reuses) the demo categories and
// suppliers and fills w with their ids.
func writeCatalog(ctx context.Context, bdb *bun.DB, opt Options, w *world, sum *Summary) error {
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0x5eedca7a))
	sups := makeSuppliers(r, suppliersWritten)
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var haveCats []db.Category
		if err := tx.NewSelect().Model(&haveCats).Scan(ctx); err != nil {
			return fmt.Errorf("seed: load categories: %w", err)
		}
		catByName := map[string]int64{}
		for _, c := range haveCats {
			catByName[c.Name] = c.ID
		}
		var newCats []*db.Category
		for _, spec := range categories[:categoriesWritten] {
			if _, ok := catByName[spec.Name]; !ok {
				newCats = append(newCats, &db.Category{Name: spec.Name, Description: spec.Description,
					Version: 1, CreatedAt: w.created, UpdatedAt: w.created})
			}
		}
		if len(newCats) > 0 {
			if _, err := tx.NewInsert().Model(&newCats).Exec(ctx); err != nil {
				return fmt.Errorf("seed: insert categories: %w", err)
			}
			for _, c := range newCats {
				catByName[c.Name] = c.ID
			}
		}
		w.categoryIDs = w.categoryIDs[:0]
		for _, spec := range categories[:categoriesWritten] {
			w.categoryIDs = append(w.categoryIDs, catByName[spec.Name])
		}

		var haveSups []db.Supplier
		if err := tx.NewSelect().Model(&haveSups).Scan(ctx); err != nil {
			return fmt.Errorf("seed: load suppliers: %w", err)
		}
		supByName := map[string]db.Supplier{}
		for _, s := range haveSups {
			supByName[s.Name] = s
		}
		var newSups []*db.Supplier
		for _, s := range sups {
			if _, ok := supByName[s.Name]; !ok {
				newSups = append(newSups, &db.Supplier{Name: s.Name, ContactName: s.Contact, Email: s.Email,
					Phone: s.Phone, LeadTimeDays: s.LeadTimeDays, Notes: s.Notes, Version: 1,
					CreatedAt: w.created, UpdatedAt: w.created})
			}
		}
		if len(newSups) > 0 {
			if _, err := tx.NewInsert().Model(&newSups).Exec(ctx); err != nil {
				return fmt.Errorf("seed: insert suppliers: %w", err)
			}
			for _, s := range newSups {
				supByName[s.Name] = *s
			}
		}
		w.suppliers = w.suppliers[:0]
		for _, s := range sups {
			have := supByName[s.Name]
			lead := have.LeadTimeDays
			if lead < 1 {
				lead = 1
			}
			w.suppliers = append(w.suppliers, supplierRef{ID: have.ID, Name: have.Name, LeadTimeDays: lead})
		}
		sum.Categories, sum.Suppliers = len(newCats), len(newSups)
		return nil
	})
}

// lastID returns the highest id table has used: on SQLite the larger of
// MAX(id) and the AUTOINCREMENT counter, on PostgreSQL and MySQL MAX(id).
func lastID(ctx context.Context, idb bun.IDB, table string) (int64, error) {
	q := "SELECT COALESCE(MAX(id), 0) FROM " + table
	if db.IsSQLite(idb) {
		q = "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '" + table + "'), 0), (" + q + "))"
	}
	var id int64
	if err := idb.QueryRowContext(ctx, q).Scan(&id); err != nil {
		return 0, fmt.Errorf("seed: last %s id: %w", table, err)
	}
	return id, nil
}

// generator simulates products in parallel and writes them in order.
//
// Ids: product k (0-based) gets id productBase+k+1. Sales are numbered
// consecutively from saleBase+1 in insertion order. On PostgreSQL and MySQL
// the ids are written explicitly (and the sequences moved past them
// afterwards). On
// SQLite sales are inserted without an id so that the multi-row INSERTs need
// no statement journal (an explicit rowid forces one); AUTOINCREMENT then
// hands out exactly the predicted ids because the load holds the write lock,
// and the transaction first verifies that nobody else has written a sale.
type generator struct {
	bdb         *bun.DB
	opt         Options
	w           *world
	sqlite      bool
	mysql       bool
	fresh       bool            // the database had no products: bulk-load mode
	taken       map[string]bool // keys (namekey.Key) of the SKUs already in the database (read-only while running)
	productBase int64
	saleBase    int64
}

// chunk is the SQL for a run of products plus its statistics.
type chunk struct {
	stmts     []string
	firstSale int64 // id of the chunk's first sale
	products  int
	sales     int
	moves     int
	daily     int
	units     int64
	revenue   int64
	lost      int64
	stockout  int
	truth     []ProductTruth
	err       error
}

func (g *generator) run(ctx context.Context, sum *Summary, progress func(done, total int)) error {
	n := (g.opt.Products + productsPerChunk - 1) / productsPerChunk
	ctx, cancel := context.WithCancel(ctx)

	workers := max(1, runtime.GOMAXPROCS(0))
	lookahead := make(chan struct{}, workers+1)
	results := make([]chan chunk, n)
	// saleIDs[i] receives the id of chunk i's first sale once every earlier
	// chunk has been simulated and counted.
	saleIDs := make([]chan int64, n+1)
	for i := range results {
		results[i] = make(chan chunk, 1)
		saleIDs[i] = make(chan int64, 1)
	}
	saleIDs[n] = make(chan int64, 1)
	saleIDs[0] <- g.saleBase + 1

	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case lookahead <- struct{}{}:
				case <-ctx.Done():
					return
				}
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				results[i] <- g.build(ctx, i, saleIDs[i], saleIDs[i+1])
			}
		}()
	}
	defer func() {
		cancel() // release workers waiting for a lookahead slot
		wg.Wait()
	}()
	return g.write(ctx, n, results, lookahead, sum, progress)
}

// build simulates chunk i, takes its first sale id from firstSale, passes
// the next chunk's on to nextSale, and formats the chunk's INSERTs.
func (g *generator) build(ctx context.Context, i int, firstSale <-chan int64, nextSale chan<- int64) chunk {
	from := i * productsPerChunk
	to := min(from+productsPerChunk, g.opt.Products)
	var (
		c        chunk
		products []db.Product
		sales    []db.Sale
		moves    []db.StockMovement
		daily    []db.DailySales
		promos   []db.Promotion
	)
	for k := from; k < to; k++ {
		id := g.productBase + int64(k) + 1
		r := rand.New(rand.NewPCG(uint64(g.opt.Seed)^0x9e3779b97f4a7c15, uint64(id)))
		p := newPlan(r, g.w, g.sku(id))
		out := simulate(r, g.w, p, id)
		rows, truth := promotionRows(g.w, p, id, g.opt.Seed, g.w.created)
		promos = append(promos, rows...)
		c.truth = append(c.truth, truth)
		// Shift the product's local sale numbers past the chunk's earlier sales.
		off := int64(len(sales))
		for j := range out.sales {
			out.sales[j].ID += off
		}
		for j := range out.moves {
			if out.moves[j].SaleID != nil {
				*out.moves[j].SaleID += off
			}
		}
		products = append(products, out.product)
		sales = append(sales, out.sales...)
		moves = append(moves, out.moves...)
		daily = append(daily, out.daily...)
		c.units += out.units
		c.revenue += out.revenue
		c.lost += out.lost
		c.stockout += out.stockouts
	}
	select {
	case c.firstSale = <-firstSale:
	case <-ctx.Done():
		c.err = fmt.Errorf("seed: %w", ctx.Err())
		return c
	}
	nextSale <- c.firstSale + int64(len(sales))
	for j := range sales {
		sales[j].ID += c.firstSale
	}
	for j := range moves {
		if moves[j].SaleID != nil {
			*moves[j].SaleID += c.firstSale
		}
	}
	c.products, c.sales, c.moves, c.daily = len(products), len(sales), len(moves), len(daily)

	gen := g.bdb.QueryGen()
	buf := make([]byte, 0, 256<<10) // reused: each statement costs one string
	add := func(what string, q *bun.InsertQuery) bool {
		// No RETURNING: ids are assigned here and nothing is read back.
		b, err := q.Returning("NULL").AppendQuery(gen, buf[:0])
		if err != nil {
			c.err = fmt.Errorf("seed: format %s insert: %w", what, err)
			return false
		}
		buf = b
		if !g.sqlite {
			c.stmts = append(c.stmts, string(b))
			return true
		}
		// OR FAIL instead of the default ABORT: any failure fails the run
		// (the transaction is rolled back), and without ABORT SQLite needs
		// no statement journal, which would otherwise copy every existing
		// page each INSERT touches.
		const plain = "INSERT INTO "
		if !bytes.HasPrefix(b, []byte(plain)) {
			c.err = fmt.Errorf("seed: format %s insert: unexpected SQL %.40q", what, b)
			return false
		}
		var sb strings.Builder
		sb.Grow(len(b) + 8)
		sb.WriteString("INSERT OR FAIL INTO ")
		sb.Write(b[len(plain):])
		c.stmts = append(c.stmts, sb.String())
		return true
	}
	if !add("products", g.bdb.NewInsert().Model(&products)) {
		return c
	}
	saleCols := []string{"product_id", "quantity", "unit_price", "sold_at", "channel", "note", "created_at"}
	if !g.sqlite {
		saleCols = append([]string{"id"}, saleCols...)
	}
	for a := 0; a < len(sales); a += rowsPerInsert {
		part := sales[a:min(a+rowsPerInsert, len(sales))]
		if !add("sales", g.bdb.NewInsert().Model(&part).Column(saleCols...)) {
			return c
		}
	}
	for a := 0; a < len(moves); a += rowsPerInsert {
		part := moves[a:min(a+rowsPerInsert, len(moves))]
		if !add("stock movements", g.bdb.NewInsert().Model(&part).
			Column("product_id", "kind", "delta", "balance", "reason", "sale_id", "created_at")) {
			return c
		}
	}
	for a := 0; a < len(daily); a += rowsPerInsert {
		part := daily[a:min(a+rowsPerInsert, len(daily))]
		if !add("daily sales", g.bdb.NewInsert().Model(&part)) {
			return c
		}
	}
	if len(promos) > 0 && !add("promotions", g.bdb.NewInsert().Model(&promos).ExcludeColumn("id")) {
		return c
	}
	return c
}

// sku returns the SKU of product id, avoiding SKUs already in the database.
func (g *generator) sku(id int64) string {
	s := fmt.Sprintf("SKU-%06d", id)
	for n := 2; g.taken[namekey.Key(s)]; n++ {
		s = fmt.Sprintf("SKU-%06d-%d", id, n)
	}
	return s
}

// sqliteLoadPragmas tune the loading connection. The page cache is a fixed
// 8 MB (a fresh load has no secondary indexes to keep in memory, see
// prepareBulkLoad; a larger cache only grows the peak memory with the
// database); temp_store=FILE lets the sorter that rebuilds the indexes
// spill to temporary files instead of holding every key in memory (with
// INSERT OR FAIL there is no statement journal to keep off the disk);
// foreign keys are off because with them on every multi-row INSERT needs a
// statement journal. The rows are consistent by construction (products are
// inserted before their sales and movements, in the same transaction), and
// the tests run PRAGMA foreign_key_check on the result. sqliteRestorePragmas
// restore what db.Open sets before the connection returns to the pool.
var (
	sqliteLoadPragmas    = []string{"PRAGMA cache_size = -8192", "PRAGMA temp_store = FILE", "PRAGMA foreign_keys = OFF"}
	sqliteRestorePragmas = []string{"PRAGMA cache_size = -2000", "PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = ON"}
)

// write executes the chunks in order in one transaction on one connection.
func (g *generator) write(ctx context.Context, n int, results []chan chunk, lookahead chan struct{},
	sum *Summary, progress func(done, total int)) (err error) {
	conn, err := g.bdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("seed: get connection: %w", err)
	}
	defer conn.Close()
	if g.sqlite {
		defer func() {
			for _, p := range sqliteRestorePragmas {
				if _, rerr := conn.ExecContext(context.Background(), p); rerr != nil && err == nil {
					err = fmt.Errorf("seed: %s: %w", p, rerr)
				}
			}
		}()
		for _, p := range sqliteLoadPragmas {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("seed: %s: %w", p, err)
			}
		}
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if g.mysql {
		// The rows are consistent by construction (as on SQLite, see
		// sqliteLoadPragmas): skip the per-row foreign key and unique
		// checks of this connection while it loads.
		defer func() {
			if _, rerr := conn.ExecContext(context.Background(), mysqlRestoreChecks); rerr != nil && err == nil {
				err = fmt.Errorf("seed: restore checks: %w", rerr)
			}
		}()
		if _, err := conn.ExecContext(ctx, mysqlLoadChecks); err != nil {
			return fmt.Errorf("seed: %s: %w", mysqlLoadChecks, err)
		}
	}
	var rebuild []string
	if g.sqlite {
		last, err := lastID(ctx, tx, "sales")
		if err != nil {
			return err
		}
		if last != g.saleBase {
			return fmt.Errorf("seed: sales were recorded by someone else while populating "+
				"(last sale id %d, expected %d); populate a database nobody else writes to", last, g.saleBase)
		}
	}
	if g.fresh && !g.mysql {
		if rebuild, err = prepareBulkLoad(ctx, tx, !g.sqlite); err != nil {
			return err
		}
	}

	done := 0
	for i := 0; i < n; i++ {
		var c chunk
		select {
		case c = <-results[i]:
		case <-ctx.Done():
			return fmt.Errorf("seed: %w", ctx.Err())
		}
		<-lookahead
		if c.err != nil {
			return c.err
		}
		for _, s := range c.stmts {
			// Statements are complete SQL built by bun: bypass bun's
			// placeholder formatting.
			if _, err := tx.Tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("seed: insert chunk %d: %w", i, err)
			}
		}
		sum.Products += c.products
		sum.Sales += c.sales
		sum.Movements += c.moves
		sum.DailyRows += c.daily
		sum.Units += c.units
		sum.Revenue += db.Money(c.revenue)
		sum.LostUnits += c.lost
		sum.StockoutDays += c.stockout
		sum.Truth = append(sum.Truth, c.truth...)
		done += c.products
		if done < g.opt.Products {
			progress(done, g.opt.Products)
		}
	}
	for _, q := range rebuild {
		if _, err := tx.Tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seed: rebuild index: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: commit: %w", err)
	}
	progress(done, g.opt.Products)
	return nil
}

// mysqlLoadChecks and mysqlRestoreChecks switch the loading MySQL
// connection's foreign key and unique checks off and on again.
const (
	mysqlLoadChecks    = "SET foreign_key_checks = 0, unique_checks = 0"
	mysqlRestoreChecks = "SET foreign_key_checks = 1, unique_checks = 1"
)

// historyTables are the tables prepareBulkLoad works on.
var historyTables = []string{"sales", "stock_movements", "daily_sales"}

// prepareBulkLoad drops what slows a bulk load of the history tables down
// and returns the statements that recreate it, taken from the catalogue so
// whatever the migrations defined comes back exactly. On SQLite these are
// the explicitly created indexes; on PostgreSQL the indexes that back no
// constraint and the foreign keys (re-adding a foreign key validates it with
// one set-based query instead of a trigger per row). Primary keys and
// UNIQUE constraints stay. The caller runs everything in one transaction.
func prepareBulkLoad(ctx context.Context, tx bun.Tx, postgres bool) ([]string, error) {
	type object struct {
		Drop   string `bun:"drop_sql"`
		Create string `bun:"create_sql"`
		Ord    int    `bun:"ord"`
		Name   string `bun:"name"`
	}
	var objs []object
	var query string
	if postgres {
		query = `SELECT 'ALTER TABLE ' || quote_ident(t.relname) || ' DROP CONSTRAINT ' || quote_ident(k.conname) AS drop_sql,
				'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid) AS create_sql,
				1 AS ord, k.conname AS name
			FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
			WHERE k.contype = 'f' AND t.oid IN (SELECT to_regclass(x) FROM unnest(ARRAY[?]::text[]) AS x)
			UNION ALL
			SELECT 'DROP INDEX ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid), 2, c.relname
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE i.indrelid IN (SELECT to_regclass(x) FROM unnest(ARRAY[?]::text[]) AS x)
				AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
			ORDER BY ord, name`
	} else {
		query = `SELECT 'DROP INDEX "' || name || '"' AS drop_sql, sql AS create_sql, 2 AS ord, name FROM sqlite_master
			WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?) ORDER BY name`
	}
	var err error
	if postgres {
		err = tx.NewRaw(query, bun.In(historyTables), bun.In(historyTables)).Scan(ctx, &objs)
	} else {
		err = tx.NewRaw(query, bun.In(historyTables)).Scan(ctx, &objs)
	}
	if err != nil {
		return nil, fmt.Errorf("seed: list indexes and constraints: %w", err)
	}
	create := make([]string, 0, len(objs))
	for _, o := range objs {
		if _, err := tx.Tx.ExecContext(ctx, o.Drop); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", o.Drop, err)
		}
		create = append(create, o.Create)
	}
	// Recreate indexes before foreign keys (which were listed first).
	slices.Reverse(create)
	return create, nil
}
