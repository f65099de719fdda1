// Package app holds the business rules of Smart Inventory: the services that
// validate input, check roles and run each change in one transaction. It
// knows nothing of HTTP or HTML; the JSON API, the web pages and the CLI all
// call it.
package app

import (
	"context"
	"database/sql"
	"fmt"
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
	DB         *bun.DB
	Catalog    *Catalog
	Sales      *Sales
	Stock      *Stock
	Users      *Users
	Purchasing *Purchasing
	Analytics  *Analytics
	Forecasts  *Forecasts
	Restock    *Replenishment
	Settings   *Settings
	Comments   *Comments
	Audit      *Audit
}

// New returns an App over bdb, which must be migrated.
func New(bdb *bun.DB, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	b := &base{db: bdb, now: func() time.Time { return opt.Now().UTC() }}
	if !db.IsPostgres(bdb) {
		// SQLite has one writer: queue write transactions here, in order,
		// instead of letting them spin on the busy timeout (and fail after it).
		b.writers = make(chan struct{}, 1)
	}
	b.audit = &Audit{base: b}
	analytics := &Analytics{base: b, maxStale: opt.AnalyticsMaxStale}
	forecasts := &Forecasts{base: b}
	if opt.Replenishment.ReviewDays == 0 {
		opt.Replenishment = DefaultReplenishment()
	}
	return &App{
		DB:         bdb,
		Catalog:    &Catalog{base: b},
		Sales:      &Sales{base: b},
		Stock:      &Stock{base: b},
		Users:      &Users{base: b},
		Purchasing: &Purchasing{base: b},
		Analytics:  analytics,
		Forecasts:  forecasts,
		Restock:    &Replenishment{base: b, forecasts: forecasts, analytics: analytics, opt: opt.Replenishment},
		Settings:   &Settings{base: b},
		Comments:   &Comments{base: b},
		Audit:      b.audit,
	}
}

// base is what every service shares.
type base struct {
	db      *bun.DB
	now     func() time.Time
	audit   *Audit
	writers chan struct{} // SQLite only: a one-slot queue for write transactions
}

// inTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise.
func (b *base) inTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	unlock, err := b.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return b.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return fn(tx)
	})
}

// lockWrites waits for this process's turn to write on SQLite (a no-op on
// PostgreSQL, whose row locks let writers proceed in parallel). It gives
// up when ctx ends.
func (b *base) lockWrites(ctx context.Context) (func(), error) {
	if b.writers == nil {
		return func() {}, nil
	}
	select {
	case b.writers <- struct{}{}:
		return func() { <-b.writers }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the database writer: %w", ctx.Err())
	}
}

// Ready checks that the database answers.
func (a *App) Ready(ctx context.Context) error {
	if err := a.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("database ping: %w", err)
	}
	return nil
}
