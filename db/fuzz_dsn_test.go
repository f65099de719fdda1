package db_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"smartinventory/db"
)

// FuzzParseDSN checks db.ParseDSN on arbitrary strings: it never panics;
// an accepted SQLite DSN becomes "file:PATH?PRAGMAS" with the fixed pragmas
// last and nothing in PATH able to add or override a parameter, and
// "sqlite://PATH" gives the same source back; an accepted PostgreSQL DSN is
// the trimmed input, a parseable URL, which pgx parses without panicking.
func FuzzParseDSN(f *testing.F) {
	for _, seed := range []string{
		"sqlite:inv.db", "sqlite:///tmp/x.db", "sqlite://rel.db", "data.db", "  sqlite:x.db  ",
		"sqlite:", "sqlite:x.db?_pragma=foo", "sqlite:x.db#frag", "sqlite:a b.db", "sqlite:file:x.db",
		"postgres://u@localhost/db?sslmode=disable", "postgresql://u:p@[::1]:5432/db",
		"postgres://u@host/db?search_path=a,b&sslmode=disable", "postgres://%zz", "postgres://u@host:99999/db",
		"mysql://x", "", "x.db://y", "sqlite:\x00.db",
		"mysql://root@127.0.0.1:3306/test", "mariadb://u:p%40ss@h/db?tls=true&timeout=3s", "mysql://u@h/db?socket=/tmp/s.sock",
		"mysql://u@h/d%3Fb?parseTime=false", "mysql://u:p@h:0/db", "mysql://u@[::1]:3306/db?tls=skip-verify",
	} {
		f.Add(seed)
	}
	pragmas := ""
	if _, src, err := db.ParseDSN("sqlite:probe.db"); err != nil {
		f.Fatal(err)
	} else {
		_, pragmas, _ = strings.Cut(src, "?")
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		kind, src, err := db.ParseDSN(dsn)
		if err != nil {
			if kind != "" || src != "" {
				t.Fatalf("ParseDSN(%q) failed (%v) but returned %q, %q", dsn, err, kind, src)
			}
			return
		}
		switch kind {
		case db.SQLite:
			path, rest, ok := strings.Cut(strings.TrimPrefix(src, "file:"), "?")
			if !strings.HasPrefix(src, "file:") || !ok || rest != pragmas || path == "" || strings.Contains(path, "#") {
				t.Fatalf("ParseDSN(%q) = sqlite %q: want file:PATH?%s with a PATH without ? or #", dsn, src, pragmas)
			}
			if k2, src2, err := db.ParseDSN("sqlite://" + path); err != nil || k2 != db.SQLite || src2 != src {
				t.Fatalf("ParseDSN(sqlite://%s) = %q, %q, %v; want the source of %q: %q", path, k2, src2, err, dsn, src)
			}
		case db.Postgres:
			if src != strings.TrimSpace(dsn) {
				t.Fatalf("ParseDSN(%q) = postgres %q, want the trimmed input", dsn, src)
			}
			if _, err := url.Parse(src); err != nil {
				t.Fatalf("ParseDSN(%q) accepted a DSN url.Parse rejects: %v", dsn, err)
			}
			_, _ = pgx.ParseConfig(src) // may fail (db.Open reports it), must not panic
		case db.MySQL:
			// The driver reads the source back with the program's fixed
			// session settings, whatever the input held.
			cfg, err := mysql.ParseDSN(src)
			if err != nil {
				t.Fatalf("ParseDSN(%q) = mysql %q, which the driver rejects: %v", dsn, src, err)
			}
			if !cfg.ParseTime || cfg.Loc != time.UTC || cfg.Collation != db.MySQLCollation || cfg.MultiStatements ||
				cfg.AllowAllFiles || len(cfg.Params) != 2 || cfg.DBName == "" {
				t.Fatalf("ParseDSN(%q) = mysql %q: settings changed: %+v", dsn, src, cfg)
			}
		default:
			t.Fatalf("ParseDSN(%q) = unknown kind %q", dsn, kind)
		}
	})
}
