package cli_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
)

// createToken runs `tokens create` and returns the secret, checking that
// stdout holds exactly one line: the si_ token.
func createToken(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	r := mustRun(t, "", append([]string{"--db", dsn, "tokens", "create"}, args...)...)
	if strings.Count(r.stdout, "\n") != 1 || !strings.HasSuffix(r.stdout, "\n") || !strings.HasPrefix(r.stdout, app.TokenPrefix) {
		t.Fatalf("tokens create: stdout %q, want exactly one line starting with %s", r.stdout, app.TokenPrefix)
	}
	return strings.TrimSuffix(r.stdout, "\n")
}

type tokenList struct {
	Items []struct {
		ID        int64      `json:"id"`
		Name      string     `json:"name"`
		Prefix    string     `json:"prefix"`
		ExpiresAt *time.Time `json:"expires_at"`
		RevokedAt *time.Time `json:"revoked_at"`
	} `json:"items"`
	Total int `json:"total"`
}

func listTokens(t *testing.T, dsn, user string) tokenList {
	t.Helper()
	r := mustRun(t, "", "--db", dsn, "tokens", "list", user, "-o", "json")
	var l tokenList
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatalf("tokens list -o json: %v\n%s", err, r.stdout)
	}
	return l
}

func TestTokensCreateListRevoke(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	mustRun(t, "password1\n", "--db", dsn, "users", "create", "ivy", "--role", "clerk", "--password-stdin")
	a := openApp(t, dsn)
	ctx := context.Background()

	secret := createToken(t, dsn, "ivy", "--name", "till 1")
	u, _, err := a.Users.AuthenticateToken(ctx, secret)
	if err != nil || u.Username != "ivy" {
		t.Fatalf("authenticate with the printed token: user %v, err %v", u, err)
	}
	expiring := createToken(t, dsn, "ivy", "--expires", "30d")

	l := listTokens(t, dsn, "ivy")
	if l.Total != 2 || l.Items[0].Name != "till 1" || l.Items[1].Name != "cli" {
		t.Fatalf("tokens list: %+v", l)
	}
	if !strings.HasPrefix(secret, l.Items[0].Prefix) || !strings.HasPrefix(expiring, l.Items[1].Prefix) {
		t.Errorf("prefixes %q, %q do not start the secrets", l.Items[0].Prefix, l.Items[1].Prefix)
	}
	if l.Items[0].ExpiresAt != nil {
		t.Errorf("token without --expires expires at %v", l.Items[0].ExpiresAt)
	}
	if exp := l.Items[1].ExpiresAt; exp == nil || time.Until(*exp) < 29*24*time.Hour || time.Until(*exp) > 31*24*time.Hour {
		t.Errorf("--expires 30d: expires at %v, want in 30 days", exp)
	}
	table := mustRun(t, "", "--db", dsn, "tokens", "list", "ivy")
	if !strings.Contains(table.stdout, "active") || strings.Contains(table.stdout, secret) {
		t.Errorf("tokens list table shows no status or leaks the secret:\n%s", table.stdout)
	}

	id := strconv.FormatInt(l.Items[0].ID, 10)
	r := mustRun(t, "", "--db", dsn, "tokens", "revoke", id)
	if r.stdout != "" || !strings.Contains(r.stderr, "revoked token "+id) {
		t.Errorf("tokens revoke: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	if _, _, err := a.Users.AuthenticateToken(ctx, secret); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("revoked token authenticates: err %v", err)
	}
	if _, _, err := a.Users.AuthenticateToken(ctx, expiring); err != nil {
		t.Errorf("revoking one token broke another: %v", err)
	}
	mustRun(t, "", "--db", dsn, "tokens", "revoke", id) // idempotent
	if l := listTokens(t, dsn, "ivy"); l.Items[0].RevokedAt == nil {
		t.Errorf("revoked token has no revoked_at: %+v", l.Items[0])
	}
	if table := mustRun(t, "", "--db", dsn, "tokens", "list", "ivy"); !strings.Contains(table.stdout, "revoked") {
		t.Errorf("tokens list table does not show the revoked status:\n%s", table.stdout)
	}
}

func TestTokensErrors(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	mustRun(t, "password1\n", "--db", dsn, "users", "create", "jo", "--role", "viewer", "--password-stdin")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown user", []string{"tokens", "create", "nobody"}, 4, `User "nobody" not found.`},
		{"list unknown user", []string{"tokens", "list", "nobody"}, 4, "not found"},
		{"revoke unknown id", []string{"tokens", "revoke", "999"}, 4, "not found"},
		{"revoke bad id", []string{"tokens", "revoke", "abc"}, 2, "invalid token ID"},
		{"revoke zero id", []string{"tokens", "revoke", "0"}, 2, "invalid token ID"},
		{"negative expiry", []string{"tokens", "create", "jo", "--expires", "-1h"}, 2, "negative"},
		{"bad expiry", []string{"tokens", "create", "jo", "--expires", "soon"}, 2, "invalid --expires"},
		{"long name", []string{"tokens", "create", "jo", "--name", strings.Repeat("n", 201)}, 2, "name: must be at most 200"},
		{"no username", []string{"tokens", "create"}, 2, "takes USERNAME"},
		{"no subcommand", []string{"tokens"}, 2, "needs a subcommand"},
		{"bad output", []string{"tokens", "list", "jo", "-o", "yaml"}, 2, "invalid --output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"--db", dsn}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want empty", r.stdout)
			}
		})
	}
	if l := listTokens(t, dsn, "jo"); l.Total != 0 {
		t.Errorf("failed commands created %d tokens", l.Total)
	}
}
