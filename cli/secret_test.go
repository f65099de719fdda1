package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
)

// `secret rotate` replaces the signing secret and ends every web session.
func TestSecretRotate(t *testing.T) {
	dsn := tempDSN(t)
	a := openApp(t, dsn)
	ctx := context.Background()
	u, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr("ann"), Role: app.Ptr(db.RoleClerk), Password: app.Ptr("correct horse")})
	if err != nil {
		t.Fatal(err)
	}
	before, err := a.Sessions.Secret(ctx, app.SessionSecretName)
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.Sessions.Start(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, "", "--db", dsn, "secret", "rotate")
	if !strings.Contains(r.stderr, "1 web sessions ended") {
		t.Errorf("stderr %q, want the count of ended sessions", r.stderr)
	}
	after, err := a.Sessions.Secret(ctx, app.SessionSecretName)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) == string(before) || len(after) < 32 {
		t.Error("the secret did not change")
	}
	if _, _, err := a.Sessions.Lookup(ctx, st.Token); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("session after rotate: %v, want EUNAUTHORIZED", err)
	}
	if r := runCLI(t, "", "--server", "http://127.0.0.1:1", "--token", "x", "secret", "rotate"); r.code == 0 {
		t.Error("secret rotate over --server must be refused (local only)")
	}
}

// --sync takes normal or full (the SQLite durability option).
func TestSyncFlag(t *testing.T) {
	dsn := tempDSN(t)
	if r := runCLI(t, "", "--db", dsn, "--sync", "sometimes", "check"); r.code != 2 || !strings.Contains(r.stderr, "--sync") {
		t.Errorf("--sync sometimes: exit %d, stderr %q; want 2 naming --sync", r.code, r.stderr)
	}
	mustRun(t, "", "--db", dsn, "--sync", "full", "check")
}
