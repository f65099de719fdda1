package cli_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartinventory/db/dbtest"
)

// TestBadDSNs: a --db that cannot work (wrong scheme, unreachable server,
// missing database, refused credentials) fails the command with one line
// that names the problem, on each of the three databases; never a stack
// trace or a second line.
func TestBadDSNs(t *testing.T) {
	pg, my := os.Getenv(dbtest.PostgresEnv), os.Getenv(dbtest.MySQLEnv)
	with := func(base string, change func(u *url.URL)) string {
		if base == "" {
			return ""
		}
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		change(u)
		return u.String()
	}
	host := func(h string) func(*url.URL) { return func(u *url.URL) { u.Host = h } }
	path := func(p string) func(*url.URL) { return func(u *url.URL) { u.Path = p } }
	user := func(name, pass string) func(*url.URL) {
		return func(u *url.URL) { u.User = url.UserPassword(name, pass) }
	}
	tests := []struct {
		name, dsn string
		want      []string // all in the message
	}{
		{"wrong scheme", "mongodb://localhost/shop", []string{"unsupported database", "mysql://"}},
		{"wrong scheme hides the password", "redis://u:secret@localhost/0", []string{"unsupported database"}},
		{"sqlite/missing directory", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "dir", "shop.db"), []string{"shop.db", "does not exist"}},
		{"sqlite/not a database", "sqlite:" + notADatabase(t), []string{"not a database"}},
		{"postgres/unreachable", with(pg, host("127.0.0.1:1")), []string{"127.0.0.1:1", "connection refused"}},
		{"postgres/missing database", with(pg, path("/smartinv_no_such_db")), []string{`"smartinv_no_such_db" does not exist`}},
		// The test server trusts local connections whatever the password:
		// an unknown user stands for refused credentials.
		{"postgres/refused user", with(pg, user("smartinv_no_such_user", "wrong")), []string{"smartinv_no_such_user", "does not exist"}},
		{"mysql/unreachable", with(my, host("127.0.0.1:1")), []string{"127.0.0.1:1", "connection refused"}},
		{"mysql/missing database", with(my, path("/smartinv_no_such_db")), []string{`"smartinv_no_such_db" does not exist`}},
		{"mysql/wrong password", with(my, func(u *url.URL) { u.User = url.UserPassword(u.User.Username(), "wrong-password") }),
			[]string{"refused user", "wrong password"}},
		{"mysql/unknown parameter", with(my, func(u *url.URL) { u.RawQuery = "charset=latin1" }), []string{`unknown parameter "charset"`}},
		{"mysql/no database name", "mysql://root@127.0.0.1:3306/", []string{"needs a database name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.dsn == "" {
				t.Skipf("set %s / %s to run it", dbtest.PostgresEnv, dbtest.MySQLEnv)
			}
			r := runCLI(t, "", "--db", tt.dsn, "products", "list")
			if r.code == 0 {
				t.Fatalf("exit 0 with --db %s; stdout %q", tt.dsn, r.stdout)
			}
			msg := strings.TrimSuffix(r.stderr, "\n")
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "error: ") {
				t.Fatalf("want one line \"error: …\", got %q", r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, "secret") || strings.Contains(msg, "wrong-password") {
				t.Errorf("message %q shows the password", msg)
			}
		})
	}
}

// notADatabase returns the path of a file that is not an SQLite database.
func notADatabase(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(p, []byte(strings.Repeat("this is not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
