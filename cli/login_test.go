package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestLogin is not parallel: it sets XDG_CONFIG_HOME.
func TestLogin(t *testing.T) {
	s := apptest.NewServer(t)
	token := s.Token(t, db.RoleManager)
	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("SMARTINV_SERVER", "")
	t.Setenv("SMARTINV_TOKEN", "")
	t.Setenv("SMARTINV_DB", "")
	path := filepath.Join(cfgHome, "smartinventory", "config.json")

	// A wrong token is refused and nothing is saved.
	r := runCLI(t, "si_wrong\n", "login", "--server", s.URL)
	if r.code != 5 {
		t.Fatalf("login with a wrong token: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("config saved for a wrong token")
	}
	if r := runCLI(t, "", "login"); r.code != 2 {
		t.Fatalf("login without --server: exit %d", r.code)
	}

	// The token from stdin is checked and saved, readable by the user only.
	r = mustRun(t, token+"\n", "login", "--server", s.URL+"/")
	if r.stdout != "" || !strings.Contains(r.stderr, "as manager") {
		t.Fatalf("login: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	var cfg struct{ Server, Token string }
	if err := json.Unmarshal(raw, &cfg); err != nil || cfg.Server != s.URL || cfg.Token != token {
		t.Fatalf("config %s: %+v, %v", raw, cfg, err)
	}

	// Without --server or --db, data commands use the saved server.
	mustRun(t, "", "categories", "create", "--name", "Saved")
	var page struct{ Total int }
	s.DoJSON(t, "GET", "/api/v1/categories", token, nil, 200, &page)
	if page.Total != 1 {
		t.Fatalf("%d categories on the server, want the one created through the saved login", page.Total)
	}
	// --db names a local database instead.
	r = mustRun(t, "", "--db", tempDSN(t), "categories", "list", "-o", "json")
	if !strings.Contains(r.stdout, `"total": 0`) {
		t.Fatalf("--db after login: %s", r.stdout)
	}
}
