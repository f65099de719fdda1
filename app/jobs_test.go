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

// TestBatchElection: two replicas on one database (PostgreSQL, MySQL);
// only one wins the batch lock until it releases it.
func TestBatchElection(t *testing.T) {
	dbtest.EachServerDSN(t, func(t *testing.T, dsn string) {
		r1 := app.New(dbtest.OpenDSN(t, dsn), app.Options{})
		other, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		r2 := app.New(other, app.Options{})
		release, ok, err := r1.Forecasts.Elect(ctx)
		if err != nil || !ok {
			t.Fatalf("first replica: %v, %v", ok, err)
		}
		if _, ok2, err := r2.Forecasts.Elect(ctx); err != nil || ok2 {
			t.Fatalf("second replica won while the first holds the lock: %v, %v", ok2, err)
		}
		if db.IsMySQL(other) {
			// MySQL's locks span the server: another shop's database on it
			// has a batch lock of its own.
			shop2 := app.New(dbtest.OpenDSN(t, dbtest.MySQLDSN(t)), app.Options{})
			release3, ok3, err := shop2.Forecasts.Elect(ctx)
			if err != nil || !ok3 {
				t.Fatalf("replica of another database: %v, %v; want its own lock", ok3, err)
			}
			release3()
		}
		release()
		release2, ok2, err := r2.Forecasts.Elect(ctx)
		if err != nil || !ok2 {
			t.Fatalf("second replica after release: %v, %v", ok2, err)
		}
		release2()
	})
}

// TestScheduleRefreshesStaleForecasts: on start the scheduler forecasts a
// database whose products have no forecast yet.
func TestScheduleRefreshesStaleForecasts(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	newProduct(t, a, "SCH-1", 5)
	if stale, err := a.Forecasts.Stale(ctx, app.System); err != nil || !stale {
		t.Fatalf("stale = %v, %v; want true before any batch", stale, err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.Forecasts.Schedule(c, slog.New(slog.DiscardHandler), time.Hour); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		stale, err := a.Forecasts.Stale(ctx, app.System)
		if err == nil && !stale {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("forecasts still stale 20 s after the scheduler started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}
