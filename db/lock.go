package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// mysqlLockWait is how long Lock waits for a MySQL lock held elsewhere.
const mysqlLockWait = 600 // seconds

// Lock takes the advisory lock key, held on a dedicated connection until
// release is called, so that one process among all those on the database
// (every serve replica and command) holds it: pg_advisory_lock on
// PostgreSQL, GET_LOCK on MySQL (named after the database, since MySQL's
// locks span the whole server). With wait false it returns ok false at
// once when another session holds the lock. On SQLite, which one machine
// serves, it always succeeds and does nothing.
func Lock(ctx context.Context, bdb *bun.DB, key int64, wait bool) (release func(), ok bool, err error) {
	if IsSQLite(bdb) {
		return func() {}, true, nil
	}
	conn, err := bdb.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %d: %w", key, err)
	}
	var lock, unlock string
	var args []any
	switch {
	case IsMySQL(bdb):
		// GET_LOCK's names are at most 64 characters: hash the database's.
		name := "CONCAT('smartinv.', SHA1(CONCAT(DATABASE(), '.', ?)))"
		timeout := 0
		if wait {
			timeout = mysqlLockWait
		}
		lock, unlock, args = "SELECT COALESCE(GET_LOCK("+name+", ?), 0) = 1", "SELECT RELEASE_LOCK("+name+")", []any{key, timeout}
	case wait:
		lock, unlock, args = "SELECT pg_advisory_lock(?) IS NOT NULL", "SELECT pg_advisory_unlock(?)", []any{key}
	default:
		lock, unlock, args = "SELECT pg_try_advisory_lock(?)", "SELECT pg_advisory_unlock(?)", []any{key}
	}
	if err := conn.QueryRowContext(ctx, lock, args...).Scan(&ok); err != nil {
		_ = conn.Close()
		return nil, false, fmt.Errorf("lock %d: %w", key, err)
	}
	if !ok {
		_ = conn.Close()
		if wait {
			return nil, false, fmt.Errorf("lock %d: still held by another session after %d s", key, mysqlLockWait)
		}
		return nil, false, nil
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), unlock, key)
		_ = conn.Close()
	}, true, nil
}
