package app_test

import (
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Sessions expire after their lifetime unless renewed; renewal happens in
// the background and extends the server-side expiry.
func TestSessions_ExpiryAndRenewal(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		a := app.New(bdb, app.Options{Now: clk.now})
		u := actorWithRole(t, a, "ann", db.RoleClerk)
		renewed, err := a.Sessions.Start(ctx, u.UserID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		idle, err := a.Sessions.Start(ctx, u.UserID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		clk.add(50 * time.Minute)
		exp := a.Sessions.Renew(renewed.Token, time.Hour)
		if want := clk.now().Add(time.Hour); !exp.Equal(want) {
			t.Errorf("Renew returned %v, want %v", exp, want)
		}
		a.Users.WaitTouches()
		clk.add(20 * time.Minute) // 70 min after the start
		if _, _, err := a.Sessions.Lookup(ctx, renewed.Token); err != nil {
			t.Errorf("renewed session after 70 min: %v", err)
		}
		if _, _, err := a.Sessions.Lookup(ctx, idle.Token); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("idle session after 70 min: %v, want EUNAUTHORIZED", err)
		}
		clk.add(41 * time.Minute) // 61 min after the renewal
		if _, _, err := a.Sessions.Lookup(ctx, renewed.Token); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("renewed session an hour after its renewal: %v, want EUNAUTHORIZED", err)
		}
	})
}

// A user keeps at most MaxSessionsPerUser sessions; the oldest end first.
func TestSessions_PerUserCap(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	a := app.New(dbtest.Open(t), app.Options{Now: clk.now})
	u := actorWithRole(t, a, "ann", db.RoleClerk)
	var tokens []string
	for range app.MaxSessionsPerUser + 3 {
		st, err := a.Sessions.Start(ctx, u.UserID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, st.Token)
		clk.add(time.Second)
	}
	if n, err := a.Sessions.Count(ctx, app.System); err != nil || n != app.MaxSessionsPerUser {
		t.Fatalf("%d sessions open (%v), want %d", n, err, app.MaxSessionsPerUser)
	}
	for i, tok := range tokens {
		_, _, err := a.Sessions.Lookup(ctx, tok)
		if ended := app.ErrorCode(err) == app.EUNAUTHORIZED; ended != (i < 3) {
			t.Errorf("session %d: %v", i, err)
		}
	}
}
