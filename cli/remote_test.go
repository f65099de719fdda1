package cli_test

import (
	"context"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
	"smartinventory/db/dbtest"
	"smartinventory/db/seed"
)

// twinDSNs returns two SQLite databases with the same demo data and the
// same cached forecasts: a seeded one and a VACUUM INTO copy of it.
func twinDSNs(t *testing.T) (string, string) {
	t.Helper()
	ctx := context.Background()
	dsn := tempDSN(t)
	bdb := dbtest.OpenDSN(t, dsn)
	if _, err := seed.Generate(ctx, bdb, seed.Options{Products: 12, Days: 200, Seed: 3}, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if _, err := app.New(bdb, app.Options{}).Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatalf("forecasts: %v", err)
	}
	twin := filepath.Join(t.TempDir(), "twin.db")
	if _, err := bdb.ExecContext(ctx, "VACUUM INTO ?", twin); err != nil {
		t.Fatalf("copy database: %v", err)
	}
	return dsn, "sqlite:" + twin
}

// nowTimes matches RFC 3339 times: write outputs hold the time of the
// write, which differs between two runs.
var nowTimes = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// actorIDs matches the user recorded on a write: none locally (the
// system actor), the token's user remotely.
var actorIDs = regexp.MustCompile(`"(user_id|recorded_by|voided_by)": (null|\d+)`)

// mask replaces what legitimately differs between two runs of a write.
func mask(s string) string {
	return actorIDs.ReplaceAllString(nowTimes.ReplaceAllString(s, "T"), `"$1": U`)
}

// TestLocalRemoteSameOutput runs each command on a local database and
// against a server over a twin of it, and requires the same stdout, stderr
// and exit code byte for byte: reads as they are, writes after masking
// the times and the user they record.
func TestLocalRemoteSameOutput(t *testing.T) {
	t.Parallel()
	localDSN, remoteDSN := twinDSNs(t)
	s := apptest.NewServerWith(t, apptest.Options{DSN: remoteDSN})
	token := s.Token(t, db.RoleManager)
	var sku string
	{
		var page struct{ Items []db.Product }
		s.DoJSON(t, "GET", "/api/v1/products?limit=1", token, nil, 200, &page)
		sku = page.Items[0].SKU
	}

	steps := []struct {
		name  string
		write bool // mask times
		code  int  // expected exit code of both
		args  []string
	}{
		{"products list table", false, 0, []string{"products", "list"}},
		{"products list json", false, 0, []string{"products", "list", "-o", "json", "--limit", "5", "--offset", "2"}},
		{"products list csv", false, 0, []string{"products", "list", "-o", "csv", "--sort", "-stock"}},
		{"products show table", false, 0, []string{"products", "show", sku}},
		{"products show json", false, 0, []string{"products", "show", sku, "-o", "json"}},
		{"products show missing", false, 4, []string{"products", "show", "NOPE"}},
		{"categories list", false, 0, []string{"categories", "list", "-o", "json"}},
		{"suppliers list", false, 0, []string{"suppliers", "list"}},
		{"forecast table", false, 0, []string{"forecast", sku, "--horizon", "7"}},
		{"forecast json", false, 0, []string{"forecast", sku, "--horizon", "7", "-o", "json"}},
		{"forecast other model (computed now)", true, 0, []string{"forecast", sku, "--horizon", "5", "--model", "ses", "-o", "json"}},
		{"restock table", false, 0, []string{"restock"}},
		{"restock json", false, 0, []string{"restock", "--all", "-o", "json"}},
		{"stock status", false, 0, []string{"stock"}},
		{"trends", false, 0, []string{"trends", "--limit", "5", "-o", "csv"}},
		{"sales list", false, 0, []string{"sales", "list", "--product", sku, "--limit", "3", "-o", "json"}},
		{"po list", false, 0, []string{"po", "list"}},

		{"create category", true, 0, []string{"categories", "create", "--name", "Allotment", "-o", "json"}},
		{"create supplier", true, 0, []string{"suppliers", "create", "--name", "Hoe & Co", "--lead-time-days", "4"}},
		{"create product", true, 0, []string{"products", "create", "--sku", "GARDEN-1", "--name", "Hoe", "--category", "Allotment",
			"--unit-price", "19.90", "--unit-cost", "8", "--stock", "5", "--lead-time-days", "3", "-o", "json"}},
		{"create product by id", true, 0, []string{"products", "create", "--sku", "GARDEN-2", "--name", "Rake", "--stock", "1"}},
		{"duplicate sku", false, 3, []string{"products", "create", "--sku", "GARDEN-1", "--name", "Again"}},
		{"sell", true, 0, []string{"sales", "record", "--sku", "GARDEN-1", "--quantity", "2", "--sold-at", "2026-01-02T10:00:00Z", "-o", "json"}},
		{"sell table", true, 0, []string{"sales", "record", "--sku", "GARDEN-1", "--quantity", "1", "--price", "18", "--sold-at", "2026-01-03"}},
		{"oversell", false, 3, []string{"sales", "record", "--sku", "GARDEN-1", "--quantity", "99"}},
		{"adjust", true, 0, []string{"stock", "adjust", "--sku", "GARDEN-1", "--delta", "-1", "--reason", "broken"}},
		{"adjust below zero", false, 3, []string{"stock", "adjust", "--sku", "GARDEN-2", "--delta", "-5", "--reason", "lost"}},
		{"receive", true, 0, []string{"stock", "receive", "--sku", "GARDEN-1", "--quantity", "10", "-o", "json"}},
		{"update", true, 0, []string{"products", "update", "GARDEN-1", "--version", "1", "--unit-price", "21", "--category", "none", "-o", "json"}},
		{"stale update", false, 3, []string{"products", "update", "GARDEN-1", "--version", "1", "--name", "Old"}},
		{"create promotion", true, 0, []string{"promotions", "create", "--product", "GARDEN-1", "--first", "2026-12-12", "--last", "2026-12-18",
			"--percent-off", "20", "--feature", "--note", "Winter", "-o", "json"}},
		{"overlapping promotion", false, 3, []string{"promotions", "create", "--product", "GARDEN-1", "--first", "2026-12-18", "--last", "2026-12-20", "--price", "9.99"}},
		{"invalid promotion", false, 2, []string{"promotions", "create", "--product", "GARDEN-1", "--first", "2026-12-20", "--last", "2026-12-19", "--price", "9.99"}},
		{"promotions list", true, 0, []string{"promotions", "list", "--product", "GARDEN-1", "--from", "2026-12-01"}},
		{"plan price", true, 0, []string{"prices", "plan", "--product", "GARDEN-1", "--day", "2099-01-01", "--unit-price", "22.50", "-o", "json"}},
		{"planned prices", true, 0, []string{"prices", "list", "--pending"}},
		{"list after writes", false, 0, []string{"products", "list", "--query", "garden"}},
		{"sales after writes", true, 0, []string{"sales", "list", "--product", "GARDEN-1"}},
		{"delete with history", false, 0, []string{"products", "delete", "GARDEN-1", "-o", "json"}},
		{"delete without history", false, 0, []string{"products", "delete", "GARDEN-2"}},
		{"delete supplier", false, 0, []string{"suppliers", "delete", "Hoe & Co", "-o", "json"}},
		{"delete category", false, 0, []string{"categories", "delete", "Allotment"}},
	}
	for _, st := range steps {
		local := runCLI(t, "", append([]string{"--db", localDSN}, st.args...)...)
		remote := runCLI(t, "", append([]string{"--server", s.URL, "--token", token}, st.args...)...)
		if st.write {
			local.stdout, remote.stdout = mask(local.stdout), mask(remote.stdout)
		}
		if local.code != st.code {
			t.Errorf("%s: exit %d, want %d; stderr %s", st.name, local.code, st.code, local.stderr)
		}
		if local != remote {
			t.Errorf("%s: smartinventory %s differs\nlocal  exit %d\nstdout:\n%s\nstderr:\n%s\nremote exit %d\nstdout:\n%s\nstderr:\n%s",
				st.name, strings.Join(st.args, " "), local.code, local.stdout, local.stderr, remote.code, remote.stdout, remote.stderr)
			continue
		}
		if local.stdout == "" && local.code == 0 && !strings.HasPrefix(st.name, "delete") && st.name != "po list" {
			t.Errorf("%s: no output", st.name)
		}
	}
}

// TestRemoteExitCodes checks the exit code and the one line on stderr of
// the errors only a server gives.
func TestRemoteExitCodes(t *testing.T) {
	t.Parallel()
	s := apptest.NewServer(t)
	viewer := s.Token(t, db.RoleViewer)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name          string
		server, token string
		args          []string
		code          int
		stderr        string
	}{
		{"bad token", s.URL, "si_wrong", []string{"products", "list"}, 5, "error: "},
		{"no token", s.URL, "", []string{"products", "list"}, 2, "error: no API token for " + s.URL},
		{"viewer writes", s.URL, viewer, []string{"categories", "create", "--name", "X"}, 5, "error: "},
		{"not found", s.URL, viewer, []string{"categories", "show", "99"}, 4, "error: "},
		{"unreachable", down, "t", []string{"products", "list"}, 1, "error: cannot reach " + down + ": connection refused\n"},
		{"bad url", "localhost:1", "t", []string{"products", "list"}, 2, "error: invalid server URL"},
		{"local only", s.URL, viewer, []string{"restock", "simulate"}, 2, "error: restock simulate works on the local database only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--server", tt.server, "--token", tt.token}, tt.args...)
			r := runCLI(t, "", args...)
			if r.code != tt.code || !strings.HasPrefix(r.stderr, tt.stderr) || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stderr starting %q", r.code, r.stdout, r.stderr, tt.code, tt.stderr)
			}
			if strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", r.stderr)
			}
		})
	}
}
