package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// waitGeneration waits until c's generation passes after, or fails.
func waitGeneration(t *testing.T, c *app.Changes, after uint64, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.Generation() <= after {
		if time.Now().After(deadline) {
			t.Fatalf("%s: generation still %d after 10 s", what, c.Generation())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestChangesSeeOtherProcesses: two App instances on one database stand for
// two processes (replicas, or serve and a command-line import). A write
// through one bumps its own generation at once and, while the other
// watches, the other's too — through LISTEN/NOTIFY on PostgreSQL and
// PRAGMA data_version on SQLite. Subscribers are woken.
func TestChangesSeeOtherProcesses(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		writer := app.New(dbtest.OpenDSN(t, dsn), app.Options{})
		other, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = other.Close() })
		watcher := app.New(other, app.Options{})
		if watcher.Changes.Live() {
			t.Fatal("Live before Watch")
		}
		c, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { watcher.Changes.Watch(c, other, slog.New(slog.DiscardHandler)); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		deadline := time.Now().Add(10 * time.Second)
		for !watcher.Changes.Live() {
			if time.Now().After(deadline) {
				t.Fatal("watcher not live after 10 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		events, unsubscribe := watcher.Changes.Subscribe()
		defer unsubscribe()

		own, seen, auth := writer.Changes.Generation(), watcher.Changes.Generation(), watcher.Changes.AuthGeneration()
		p := newProduct(t, writer, "CHG-1", 5)
		if writer.Changes.Generation() <= own {
			t.Fatal("the writer's own generation did not move on its commit")
		}
		waitGeneration(t, watcher.Changes, seen, "the other process's product")
		select {
		case <-events:
		case <-time.After(5 * time.Second):
			t.Fatal("subscriber not woken")
		}
		if !db.IsSQLite(other) && watcher.Changes.AuthGeneration() != auth {
			t.Fatalf("a product write moved the auth generation on %s (%d → %d)", other.Dialect().Name(), auth, watcher.Changes.AuthGeneration())
		}

		seen = watcher.Changes.Generation()
		if _, err := writer.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr(int64(1))}); err != nil {
			t.Fatal(err)
		}
		waitGeneration(t, watcher.Changes, seen, "the other process's sale")

		if _, err := writer.Users.EnsureAdmin(ctx); err != nil {
			t.Fatal(err)
		}
		auth = watcher.Changes.AuthGeneration()
		if _, err := writer.Users.CreateToken(ctx, app.System, "admin", "chg", 0); err != nil {
			t.Fatal(err)
		}
		deadline = time.Now().Add(10 * time.Second)
		for watcher.Changes.AuthGeneration() == auth {
			if time.Now().After(deadline) {
				t.Fatal("a new API token did not move the other process's auth generation")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestRevokedTokenIsRefusedAtOnce: with the change watcher running, tokens
// and users are served from a cache; revoking a token or deactivating its
// user, in this process or another, must still lock it out.
func TestRevokedTokenIsRefusedAtOnce(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		bdb := dbtest.OpenDSN(t, dsn)
		a := app.New(bdb, app.Options{})
		other, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = other.Close() })
		remote := app.New(other, app.Options{})
		c, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { a.Changes.Watch(c, bdb, slog.New(slog.DiscardHandler)); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		for !a.Changes.Live() {
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := a.Users.EnsureAdmin(ctx); err != nil {
			t.Fatal(err)
		}
		mint := func() *app.NewToken {
			nt, err := a.Users.CreateToken(ctx, app.System, "admin", "cache", 0)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 { // warm the cache
				if _, _, err := a.Users.AuthenticateToken(ctx, nt.Secret); err != nil {
					t.Fatal(err)
				}
			}
			return nt
		}
		refused := func(secret string) bool {
			_, _, err := a.Users.AuthenticateToken(ctx, secret)
			return app.ErrorCode(err) == app.EUNAUTHORIZED
		}

		local := mint()
		if err := a.Users.RevokeToken(ctx, app.System, local.Token.ID); err != nil {
			t.Fatal(err)
		}
		if !refused(local.Secret) {
			t.Fatal("token revoked in this process still accepted")
		}

		elsewhere := mint()
		if err := remote.Users.RevokeToken(ctx, app.System, elsewhere.Token.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !refused(elsewhere.Secret) {
			if time.Now().After(deadline) {
				t.Fatal("token revoked by another process still accepted after 5 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// BenchmarkChangeFeedDelay measures how long a write by one process takes
// to reach another process's watcher (the change feed's delivery delay):
// LISTEN/NOTIFY on PostgreSQL, counter polling on MySQL, data_version
// polling on SQLite: from the moment the sale is acknowledged until the
// watcher's generation moves. It reports the mean delay (delay-ms) and
// the worst (worst-ms); ns/op also counts recording the sale.
//
//	go test ./app -run '^$' -bench ChangeFeedDelay -benchtime 50x
func BenchmarkChangeFeedDelay(b *testing.B) {
	for _, kind := range dbtest.Kinds {
		b.Run(string(kind), func(b *testing.B) {
			dsn := dbtest.DSN(b, kind)
			writer := app.New(dbtest.OpenDSN(b, dsn), app.Options{})
			other, err := db.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = other.Close() })
			watcher := app.New(other, app.Options{})
			c, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { watcher.Changes.Watch(c, other, slog.New(slog.DiscardHandler)); close(done) }()
			b.Cleanup(func() { cancel(); <-done })
			events, unsubscribe := watcher.Changes.Subscribe()
			defer unsubscribe()
			for !watcher.Changes.Live() {
				select {
				case <-events:
				case <-time.After(10 * time.Second):
					b.Fatal("watcher not live after 10 s")
				}
			}
			p, err := writer.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("FEED-1"), Name: app.Ptr("Feed"), Stock: app.Ptr(int64(1 << 40))})
			if err != nil {
				b.Fatal(err)
			}
			var worst, total time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Drain wake-ups of earlier writes, then time one sale.
				for len(events) > 0 {
					<-events
				}
				seen := watcher.Changes.Generation()
				if _, err := writer.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr(int64(1))}); err != nil {
					b.Fatal(err)
				}
				start := time.Now() // the sale is committed and acknowledged
				for watcher.Changes.Generation() == seen {
					select {
					case <-events:
					case <-time.After(10 * time.Second):
						b.Fatal("change not delivered within 10 s")
					}
				}
				d := time.Since(start)
				worst, total = max(worst, d), total+d
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "delay-ms")
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
		})
	}
}
