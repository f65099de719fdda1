package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"smartinventory/db"
)

// ChangeChannel is the PostgreSQL notification channel on which the
// database announces committed changes (see the change_notify migration:
// every write statement on a data table notifies "schema.table").
const ChangeChannel = "smartinv_changes"

// sqlitePollInterval is how often a watcher on SQLite looks for commits of
// other processes (PRAGMA data_version).
const sqlitePollInterval = 200 * time.Millisecond

// mysqlPollInterval is how often a watcher on MySQL reads the change
// counters (smartinv_changes, a few rows: one per connection that wrote
// in the last mysqlChangeRetention).
const mysqlPollInterval = 200 * time.Millisecond

// mysqlChangeRetention is how long a connection's change counter row is
// kept after its last write; a watcher deletes older rows now and then.
const mysqlChangeRetention = time.Hour

// Changes tells this process when data changed: a generation number that
// every committed write bumps. Writes of this process bump it as they
// commit. While Watch runs it also sees the writes of other processes: on
// PostgreSQL it LISTENs for the notifications that the database's triggers
// send on commit (so replicas behind a load balancer hear each other at
// once), on MySQL it polls the counters that triggers bump (within
// mysqlPollInterval), on SQLite it polls PRAGMA data_version.
//
// Caches key their entries by Generation while Live is true, instead of
// asking the database whether anything changed; subscribers (the web UI's
// live event stream) are woken on every change.
type Changes struct {
	data atomic.Uint64 // bumped on every change
	auth atomic.Uint64 // bumped on changes to users and API tokens
	live atomic.Bool   // a watcher is connected and listening

	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// Generation is the number of changes seen so far. Equal generations (while
// Live) mean no change in between.
func (c *Changes) Generation() uint64 { return c.data.Load() }

// AuthGeneration changes whenever users or API tokens may have changed.
func (c *Changes) AuthGeneration() uint64 { return c.auth.Load() }

// Live reports whether a watcher is running, so that the generations also
// cover other processes' writes. Without it, callers must ask the database.
func (c *Changes) Live() bool { return c.live.Load() }

// Subscribe returns a channel that receives a value after changes (several
// changes in a row may arrive as one) and a function that unsubscribes.
func (c *Changes) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	if c.subs == nil {
		c.subs = map[chan struct{}]struct{}{}
	}
	c.subs[ch] = struct{}{}
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		delete(c.subs, ch)
		c.mu.Unlock()
	}
}

// Bump records a change to data (not to users or tokens).
func (c *Changes) Bump() { c.bump(false) }

// BumpAuth records a change to users or API tokens (and data).
func (c *Changes) BumpAuth() { c.bump(true) }

func (c *Changes) bump(auth bool) {
	if auth {
		c.auth.Add(1)
	}
	c.data.Add(1)
	c.mu.Lock()
	for ch := range c.subs {
		select {
		case ch <- struct{}{}:
		default: // already woken
		}
	}
	c.mu.Unlock()
}

// Watch follows other processes' changes until ctx ends, reconnecting after
// failures. Live is true while it listens. Call it once per process (serve
// does); the caller runs it in its own goroutine.
func (c *Changes) Watch(ctx context.Context, bdb *bun.DB, logger *slog.Logger) {
	follow := c.followSQLite
	switch {
	case db.IsPostgres(bdb):
		follow = c.followPostgres
	case db.IsMySQL(bdb):
		follow = c.followMySQL
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := follow(ctx, bdb)
		c.live.Store(false)
		// Whatever happened while not listening is unknown: treat it as a change.
		c.BumpAuth()
		if ctx.Err() != nil {
			return
		}
		logger.Warn("change watcher stopped; reconnecting", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// followPostgres LISTENs on a dedicated connection and bumps the
// generations for every notification of this schema.
func (c *Changes) followPostgres(ctx context.Context, bdb *bun.DB) error {
	conn, err := bdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("change watcher: connect: %w", err)
	}
	defer conn.Close()
	var schema string
	if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("change watcher: schema: %w", err)
	}
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("change watcher: unexpected driver connection %T", driverConn)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
			return fmt.Errorf("change watcher: listen: %w", err)
		}
		c.live.Store(true)
		c.BumpAuth() // changes before LISTEN were not heard
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return fmt.Errorf("change watcher: wait: %w", err)
			}
			table, ok := strings.CutPrefix(n.Payload, schema+".")
			if !ok {
				continue // another schema's (another test's or tenant's) change
			}
			c.bump(table == "users" || table == "api_tokens" || table == "web_secrets")
		}
	})
}

// followSQLite polls PRAGMA data_version on a dedicated connection: it
// changes when another connection (of this process or another) commits.
func (c *Changes) followSQLite(ctx context.Context, bdb *bun.DB) error {
	conn, err := bdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("change watcher: connect: %w", err)
	}
	defer conn.Close()
	version := func() (int64, error) {
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			return 0, fmt.Errorf("change watcher: data_version: %w", err)
		}
		return v, nil
	}
	last, err := version()
	if err != nil {
		return err
	}
	c.live.Store(true)
	c.BumpAuth()
	tick := time.NewTicker(sqlitePollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		v, err := version()
		if err != nil {
			return err
		}
		if v != last {
			last = v
			// This process's own commits change it too; those bumped the
			// generation already, and one more bump costs a cache refresh.
			c.BumpAuth()
		}
	}
}

// followMySQL polls smartinv_changes (see the change_notify migration):
// a row per writing connection with counters of its committed writes (all
// tables, and users and tokens). Any row that is new or whose counters
// moved since the last poll is a change. Rows are compared one by one, not
// summed or maxed: transactions commit in any order.
func (c *Changes) followMySQL(ctx context.Context, bdb *bun.DB) error {
	type counters struct{ gen, auth uint64 }
	read := func() (map[uint64]counters, error) {
		rows, err := bdb.QueryContext(ctx, "SELECT conn, gen, auth_gen FROM smartinv_changes")
		if err != nil {
			return nil, fmt.Errorf("change watcher: read counters: %w", err)
		}
		defer rows.Close()
		m := map[uint64]counters{}
		for rows.Next() {
			var conn uint64
			var v counters
			if err := rows.Scan(&conn, &v.gen, &v.auth); err != nil {
				return nil, fmt.Errorf("change watcher: read counters: %w", err)
			}
			m[conn] = v
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("change watcher: read counters: %w", err)
		}
		return m, nil
	}
	last, err := read()
	if err != nil {
		return err
	}
	c.live.Store(true)
	c.BumpAuth()
	tick := time.NewTicker(mysqlPollInterval)
	defer tick.Stop()
	pruned := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if time.Since(pruned) > mysqlChangeRetention/4 {
			// Rows of connections that wrote nothing for a while (a new
			// write makes a new row, which the comparison sees).
			if _, err := bdb.ExecContext(ctx, "DELETE FROM smartinv_changes WHERE changed_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
				int(mysqlChangeRetention.Seconds())); err != nil {
				return fmt.Errorf("change watcher: prune counters: %w", err)
			}
			pruned = time.Now()
		}
		now, err := read()
		if err != nil {
			return err
		}
		data, auth := false, false
		for conn, v := range now {
			old, ok := last[conn]
			if !ok || v.gen != old.gen {
				data = true
			}
			if !ok && v.auth != 0 || ok && v.auth != old.auth {
				auth = true
			}
		}
		last = now
		if data || auth {
			// This process's own commits move the counters too; those bumped
			// the generation already, and one more bump costs a cache refresh.
			c.bump(auth)
		}
	}
}

// genCache remembers one value computed from the database for as long as
// no change is seen (and the day is the same). Without a live watcher it
// always recomputes, since other processes' writes would go unseen.
type genCache[T any] struct {
	mu  sync.Mutex
	ok  bool
	gen uint64
	day time.Time
	val T
}

// get returns the cached value if the generation and day are unchanged,
// else compute's result (cached under the generation read before it ran,
// so a change during compute is never hidden).
func (g *genCache[T]) get(c *Changes, day time.Time, compute func() (T, error)) (T, error) {
	if !c.Live() {
		return compute()
	}
	gen := c.Generation()
	g.mu.Lock()
	if g.ok && g.gen == gen && g.day.Equal(day) {
		v := g.val
		g.mu.Unlock()
		return v, nil
	}
	g.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	g.mu.Lock()
	g.ok, g.gen, g.day, g.val = true, gen, day, v
	g.mu.Unlock()
	return v, nil
}
