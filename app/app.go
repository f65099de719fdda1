// Package app holds the business rules of Smart Inventory: the services that
// validate input, check roles and run each change in one transaction. It
// knows nothing of HTTP or HTML; the JSON API, the web pages and the CLI all
// call it.
package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Options configure an App.
type Options struct {
	// Now returns the current time; tests may fix it. Default time.Now.
	Now func() time.Time
	// Replenishment holds the restock settings (zero: DefaultReplenishment).
	Replenishment ReplenishmentOptions
	// AnalyticsMaxStale lets trends and KPIs be served from a snapshot up to
	// this old after the data changed, while a fresh one is built in the
	// background (0: rebuild before answering). Servers use ~30 s.
	AnalyticsMaxStale time.Duration
}

// App bundles the services over one database.
type App struct {
	db         *bun.DB // for the App's own methods; handlers call the services
	Catalog    *Catalog
	Sales      *Sales
	Stock      *Stock
	Users      *Users
	Sessions   *Sessions
	Purchasing *Purchasing
	Analytics  *Analytics
	Forecasts  *Forecasts
	Restock    *Restock
	Settings   *Settings
	Comments   *Comments
	Promotions *Promotions
	Prices     *Prices
	Audit      *Audit
	// Changes tells when data changed (this process's writes, and other
	// processes' while Changes.Watch runs).
	Changes *Changes

	exports exportSlots // running exports per user
	warming atomic.Bool // Warm is computing the caches: not ready yet
}

// New returns an App over bdb, which must be migrated.
func New(bdb *bun.DB, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	b := &base{db: bdb, now: func() time.Time { return opt.Now().UTC() }, changes: &Changes{}, stmts: newPreparedStmts(bdb)}
	if db.IsSQLite(bdb) {
		// SQLite has one writer: queue write transactions here, in order,
		// instead of letting them spin on the busy timeout (and fail after
		// it), and commit the writers that queue up together.
		b.writes = newWriteQueue(bdb)
	}
	b.audit = &Audit{base: b}
	analytics := &Analytics{base: b, maxStale: opt.AnalyticsMaxStale}
	forecasts := &Forecasts{base: b}
	if opt.Replenishment.ReviewDays == 0 {
		opt.Replenishment = DefaultReplenishment()
	}
	users := &Users{base: b}
	restock := &Restock{base: b, forecasts: forecasts, analytics: analytics, opt: opt.Replenishment}
	return &App{
		db:         bdb,
		Catalog:    &Catalog{base: b, lowStock: restock.lowStockIDs},
		Sales:      &Sales{base: b},
		Stock:      &Stock{base: b},
		Users:      users,
		Sessions:   &Sessions{base: b, users: users},
		Purchasing: &Purchasing{base: b},
		Analytics:  analytics,
		Forecasts:  forecasts,
		Restock:    restock,
		Settings:   &Settings{base: b},
		Comments:   &Comments{base: b},
		Promotions: &Promotions{base: b},
		Prices:     &Prices{base: b},
		Audit:      b.audit,
		Changes:    b.changes,
	}
}

// base is what every service shares.
type base struct {
	db      *bun.DB
	now     func() time.Time
	audit   *Audit
	writes  *writeQueue      // SQLite only: the queue of write transactions
	changes *Changes         // bumped after every committed write
	ledger  genCache[string] // ledgerVersion's last answer
	stmts   *preparedStmts   // the sale path's prepared statements
	touches toucher          // best-effort last-used writes (touch.go)
	shopC   shopCache        // the shop settings (shop.go)
}

// maxDeadlockRetries bounds how often a transaction that MySQL chose as a
// deadlock's victim is run.
const maxDeadlockRetries = 5

// inTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise. fn must do its queries with the ctx it is given. On SQLite the
// transaction may be shared with other writers (see writeQueue), so fn's
// effects are only those of its queries and of assignments: it must not
// commit, roll back or keep tx.
func (b *base) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return b.inWeightedTx(ctx, 1, fn)
}

// inWeightedTx is inTx for work that writes about rows rows (heavy work is
// not grouped with other writers on SQLite).
func (b *base) inWeightedTx(ctx context.Context, rows int, fn func(ctx context.Context, tx bun.Tx) error) error {
	var err error
	if b.writes != nil {
		err = b.writes.run(ctx, rows, fn)
	} else {
		err = b.db.RunInTx(ctx, &sql.TxOptions{}, fn)
		// InnoDB breaks a deadlock by rolling one transaction back whole
		// (rows locked in different orders by, say, a sale and a purchase
		// order receipt): run it again.
		for try := 1; db.IsDeadlock(err) && try < maxDeadlockRetries && ctx.Err() == nil; try++ {
			err = b.db.RunInTx(ctx, &sql.TxOptions{}, fn)
		}
	}
	if err == nil {
		b.changes.Bump()
	}
	return err
}

// lockWrites waits for this process's turn to write on SQLite (a no-op on
// PostgreSQL, whose row locks let writers proceed in parallel). It gives
// up when ctx ends.
func (b *base) lockWrites(ctx context.Context) (func(), error) {
	if b.writes == nil {
		return func() {}, nil
	}
	return b.writes.lock(ctx)
}

// ErrWarming is Ready's answer while Warm computes the caches.
var ErrWarming = errors.New("warming up: computing restock suggestions and KPIs")

// Ready checks that the database answers and that Warm (when started) has
// finished.
func (a *App) Ready(ctx context.Context) error {
	if a.warming.Load() {
		return ErrWarming
	}
	if err := a.db.PingContext(ctx); err != nil {
		return fmt.Errorf("database ping: %w", err)
	}
	return nil
}

// Warm computes the restock suggestions and the KPIs in the background so
// that the first user does not wait seconds for them: Ready answers
// ErrWarming from now until they are cached. The returned channel receives
// the outcome (nil, or why warming failed: the caches then fill on first
// use) and is closed.
func (a *App) Warm(ctx context.Context) <-chan error {
	a.warming.Store(true)
	done := make(chan error, 1)
	go func() {
		defer close(done)
		defer a.warming.Store(false)
		if _, err := a.Restock.Suggestions(ctx, System, RestockFilter{}); err != nil {
			done <- fmt.Errorf("warm restock suggestions: %w", err)
			return
		}
		if _, err := a.Restock.KPIs(ctx, System); err != nil {
			done <- fmt.Errorf("warm KPIs: %w", err)
			return
		}
		done <- nil
	}()
	return done
}

// Pool returns the database's connection pool, for its statistics (the
// metrics); queries go through the services.
func (a *App) Pool() *sql.DB { return a.db.DB }
