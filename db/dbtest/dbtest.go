// Package dbtest opens fresh, migrated databases for tests: SQLite in a
// temporary directory, PostgreSQL (in a schema of its own) when
// SMARTINV_TEST_POSTGRES holds a DSN, and MySQL or MariaDB (in a database
// of its own) when SMARTINV_TEST_MYSQL holds one.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// PostgresEnv names the environment variable with the PostgreSQL test DSN.
const PostgresEnv = "SMARTINV_TEST_POSTGRES"

// MySQLEnv names the environment variable with the MySQL/MariaDB test DSN,
// in the form --db takes (mysql://USER:PASS@HOST:PORT/DB). Its user must
// be allowed to create and drop databases.
const MySQLEnv = "SMARTINV_TEST_MYSQL"

// Kinds are the database kinds EachDB and EachDSN run on, in order.
var Kinds = []db.Kind{db.SQLite, db.Postgres, db.MySQL}

// DSN returns a DSN for a fresh, empty database of kind (skipping the test
// when that kind's server is not configured).
func DSN(tb testing.TB, kind db.Kind) string {
	tb.Helper()
	switch kind {
	case db.Postgres:
		return PostgresDSN(tb)
	case db.MySQL:
		return MySQLDSN(tb)
	}
	return SQLiteDSN(tb)
}

// MySQLDSN creates a fresh database on the server named by
// SMARTINV_TEST_MYSQL and returns a DSN for it; the database is dropped
// when the test ends. It skips the test when the variable is unset.
func MySQLDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(MySQLEnv)
	if base == "" {
		tb.Skipf("MySQL tests skipped: set %s to a DSN (e.g. mysql://root@127.0.0.1:3306/test)", MySQLEnv)
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", MySQLEnv, err)
	}
	name := "t_" + randomHex(tb, 8)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE "+db.MySQLCollation); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		// MariaDB sometimes refuses a drop with errno 39 ("Directory not
		// empty") while it still closes the files of a table another
		// connection of the test just used; a retry succeeds.
		var err error
		for attempt := 0; attempt < 5; attempt++ {
			if _, err = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name); err == nil {
				break
			}
			time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
		}
		if err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", MySQLEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// SQLiteDSN returns a DSN for a new SQLite file in tb's temporary directory.
func SQLiteDSN(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
}

// PostgresDSN creates a fresh schema on the server named by
// SMARTINV_TEST_POSTGRES and returns a DSN whose search_path points at it;
// the schema is dropped when the test ends. It skips the test when the
// variable is unset.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s to a DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	schema := "t_" + randomHex(tb, 8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenDSN opens and migrates the database at dsn and closes it when the test ends.
func OpenDSN(tb testing.TB, dsn string) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { _ = bdb.Close() })
	if _, err := db.Migrate(ctx, bdb); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return bdb
}

// Open returns a fresh, migrated SQLite database.
func Open(tb testing.TB) *bun.DB {
	tb.Helper()
	return OpenDSN(tb, SQLiteDSN(tb))
}

// EachDB runs fn as a subtest on a fresh SQLite database and, when
// SMARTINV_TEST_POSTGRES is set, on a fresh PostgreSQL schema, and when
// SMARTINV_TEST_MYSQL is set, on a fresh MySQL database.
func EachDB(t *testing.T, fn func(t *testing.T, bdb *bun.DB)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) { fn(t, OpenDSN(t, DSN(t, k))) })
	}
}

// EachDSN is EachDB for tests that need the DSN itself (e.g. to start a
// server or the CLI on the database).
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) { fn(t, DSN(t, k)) })
	}
}

// EachServerDSN is EachDSN on the server databases only (PostgreSQL and
// MySQL), for what SQLite does not do (replicas on several machines).
func EachServerDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, k := range Kinds[1:] {
		t.Run(string(k), func(t *testing.T) { fn(t, DSN(t, k)) })
	}
}

func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(b)
}
