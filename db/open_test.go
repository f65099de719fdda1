package db_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"smartinventory/db"
	"smartinventory/db/dbtest"
)

func TestSQLitePragmasApply(t *testing.T) {
	bdb := dbtest.Open(t)
	ctx := context.Background()
	// Check on several pooled connections: pragmas must apply to each.
	for i := 0; i < 3; i++ {
		conn, err := bdb.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		checks := []struct {
			pragma string
			want   string
		}{
			{"journal_mode", "wal"},
			{"synchronous", "1"}, // NORMAL
			{"busy_timeout", "10000"},
			{"foreign_keys", "1"},
		}
		for _, c := range checks {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
				t.Fatalf("pragma %s: %v", c.pragma, err)
			}
			if strings.ToLower(got) != c.want {
				t.Errorf("conn %d: PRAGMA %s = %q, want %q", i, c.pragma, got, c.want)
			}
		}
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn     string
		kind    db.Kind
		wantErr bool
	}{
		{"sqlite:inv.db", db.SQLite, false},
		{"sqlite:///tmp/x.db", db.SQLite, false},
		{"data.db", db.SQLite, false},
		{"postgres://u@localhost/db?sslmode=disable", db.Postgres, false},
		{"postgresql://u@localhost/db", db.Postgres, false},
		{"sqlite:", "", true},
		{"sqlite:x.db?_pragma=foo", "", true},
		{"mysql://x", "", true},
		{"mysql://root@127.0.0.1/test", db.MySQL, false},
		{"mariadb://shop:p%40ss@db.example:3307/shop?tls=true&timeout=5s", db.MySQL, false},
		{"mysql://shop@localhost/shop?socket=/run/mysqld/mysqld.sock", db.MySQL, false},
		{"mysql://shop@localhost/", "", true},
		{"mysql://@localhost/shop", "", true},
		{"mysql://shop@localhost:99999/shop", "", true},
		{"mysql://shop@localhost/shop?tls=maybe", "", true},
		{"mysql://shop@localhost/shop?timeout=soon", "", true},
		{"mysql://shop@localhost/shop?parseTime=false", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		kind, _, err := db.ParseDSN(tt.dsn)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDSN(%q) err = %v, wantErr %v", tt.dsn, err, tt.wantErr)
			continue
		}
		if kind != tt.kind {
			t.Errorf("ParseDSN(%q) kind = %q, want %q", tt.dsn, kind, tt.kind)
		}
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		bdb := dbtest.OpenDSN(t, dsn)
		ctx := context.Background()
		st, err := db.MigrationStatus(ctx, bdb)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || !st[0].Applied {
			t.Fatalf("status after migrate = %+v, want applied", st)
		}
		if names, err := db.Migrate(ctx, bdb); err != nil || len(names) != 0 {
			t.Fatalf("second migrate = %v, %v; want nothing to do", names, err)
		}
		if _, err := db.Rollback(ctx, bdb); err != nil {
			t.Fatal(err)
		}
		if _, err := bdb.NewSelect().Model((*db.Product)(nil)).Count(ctx); err == nil {
			t.Fatal("products table still exists after rollback")
		}
		if _, err := db.Migrate(ctx, bdb); err != nil {
			t.Fatal(err)
		}
		if _, err := bdb.NewSelect().Model((*db.Product)(nil)).Count(ctx); err != nil {
			t.Fatalf("products after re-migrate: %v", err)
		}
	})
}

func TestMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    db.Money
		json    string
		wantErr bool
	}{
		{"12", 1200, "12", false},
		{"12.5", 1250, "12.5", false},
		{"0.99", 99, "0.99", false},
		{"-3.10", -310, "-3.1", false},
		{"0", 0, "0", false},
		{"1.234", 0, "", true},
		{"1e3", 0, "", true},
		{"abc", 0, "", true},
		{".", 0, "", true},
	}
	for _, tt := range tests {
		got, err := db.ParseMoney(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseMoney(%q) err = %v", tt.in, err)
			continue
		}
		if tt.wantErr {
			continue
		}
		if got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, want %d", tt.in, got, tt.want)
		}
		b, _ := got.MarshalJSON()
		if string(b) != tt.json {
			t.Errorf("MarshalJSON(%d) = %s, want %s", got, b, tt.json)
		}
	}
}

// TestMySQLSession: every pooled MySQL connection runs with the settings
// the program relies on, and every table (of every migration) is utf8mb4
// with the binary collation.
func TestMySQLSession(t *testing.T) {
	bdb := dbtest.OpenDSN(t, dbtest.MySQLDSN(t))
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		conn, err := bdb.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode, zone, collation, isolation string
		if err := conn.QueryRowContext(ctx, "SELECT @@sql_mode, @@time_zone, @@collation_connection, @@"+
			map[bool]string{true: "tx_isolation", false: "transaction_isolation"}[isMariaDB(t, conn)]).
			Scan(&mode, &zone, &collation, &isolation); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"STRICT_ALL_TABLES", "ANSI_QUOTES", "PIPES_AS_CONCAT", "NO_ZERO_DATE"} {
			if !strings.Contains(mode, m) {
				t.Errorf("conn %d: sql_mode %q lacks %s", i, mode, m)
			}
		}
		if zone != "+00:00" || collation != "utf8mb4_bin" || isolation != "READ-COMMITTED" {
			t.Errorf("conn %d: time_zone %q, collation %q, isolation %q; want +00:00, utf8mb4_bin, READ-COMMITTED", i, zone, collation, isolation)
		}
	}
	var bad []string
	if err := bdb.NewRaw(`SELECT table_name || ' ' || table_collation || ' ' || engine FROM information_schema.tables
		WHERE table_schema = DATABASE() AND (table_collation <> 'utf8mb4_bin' OR engine <> 'InnoDB')`).Scan(ctx, &bad); err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("tables not InnoDB utf8mb4_bin (add {{.Table}} after CREATE TABLE's parenthesis): %q", bad)
	}
	// Text survives exactly: backslashes, quotes, all of Unicode.
	want := `a\b 'q' "d" ⌘ 🧾 \n`
	c := &db.Category{Name: want, Description: want}
	if _, err := bdb.NewInsert().Model(c).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	got := new(db.Category)
	if err := bdb.NewSelect().Model(got).Where("name = ?", want).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if got.Name != want || got.Description != want {
		t.Errorf("round trip: %q / %q, want %q", got.Name, got.Description, want)
	}
}

func isMariaDB(t *testing.T, conn interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) bool {
	var v string
	if err := conn.QueryRowContext(context.Background(), "SELECT VERSION()").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return strings.Contains(v, "MariaDB")
}
