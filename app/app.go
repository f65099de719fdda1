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
	db    *bun.DB
	now   func() time.Time
	audit *Audit
}

// inTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise.
func (b *base) inTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	return b.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return fn(tx)
	})
}

// Ready checks that the database answers.
func (a *App) Ready(ctx context.Context) error {
	if err := a.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("database ping: %w", err)
	}
	return nil
}
