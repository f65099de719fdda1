package db_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"smartinventory/db"
)

// Issue 12 (Low): OpenOptions.SyncFull sets synchronous=FULL on every
// pooled SQLite connection; the default is NORMAL.
func TestOpenSyncFull(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		full bool
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{false, 1}, {true, 2}} {
		bdb, err := db.OpenWith(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), db.OpenOptions{SyncFull: tt.full})
		if err != nil {
			t.Fatal(err)
		}
		// Hold several connections at once so the pool opens more than one.
		var wg sync.WaitGroup
		got := make([]int, db.SQLiteMaxConns)
		conns := make(chan struct{})
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := bdb.Conn(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&got[i]); err != nil {
					t.Error(err)
				}
				<-conns
			}()
		}
		close(conns)
		wg.Wait()
		for i, g := range got {
			if g != tt.want {
				t.Errorf("SyncFull %v: connection %d has synchronous %d, want %d", tt.full, i, g, tt.want)
			}
		}
		_ = bdb.Close()
	}
}
