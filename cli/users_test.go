package cli_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"smartinventory/app"
)

func TestUsersCreatePasswordStdin(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	tests := []struct {
		name, user, role, stdin, password string
	}{
		{"newline", "alice", "manager", "correct horse\n", "correct horse"},
		{"crlf", "bob", "clerk", "battery staple\r\nsecond line\n", "battery staple"},
		{"no newline", "carol", "VIEWER", "s3cret-pass", "s3cret-pass"},
	}
	a := openApp(t, dsn)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, tt.stdin, "--db", dsn, "users", "create", tt.user, "--role", tt.role,
				"--display-name", "User "+tt.user, "--password-stdin")
			if r.stdout != "" {
				t.Errorf("stdout %q, want empty with --password-stdin", r.stdout)
			}
			if !strings.Contains(r.stderr, "created user "+tt.user) {
				t.Errorf("stderr %q, want created user %s", r.stderr, tt.user)
			}
			u, err := a.Users.Authenticate(context.Background(), tt.user, tt.password)
			if err != nil {
				t.Fatalf("log in as %s with the piped password: %v", tt.user, err)
			}
			if want := strings.ToLower(tt.role); string(u.Role) != want || u.DisplayName != "User "+tt.user {
				t.Errorf("user %+v, want role %s and display name %q", u, want, "User "+tt.user)
			}
		})
	}
}

func TestUsersCreateGeneratesPassword(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	r := mustRun(t, "", "--db", dsn, "users", "create", "dave", "--role", "admin")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1 || len(lines[0]) < app.MinPasswordLength {
		t.Fatalf("stdout %q: want exactly one line with the generated password", r.stdout)
	}
	if _, err := openApp(t, dsn).Users.Authenticate(context.Background(), "dave", lines[0]); err != nil {
		t.Errorf("log in with the printed password: %v", err)
	}
}

func TestUsersCreateErrors(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	mustRun(t, "password1\n", "--db", dsn, "users", "create", "erin", "--role", "clerk", "--password-stdin")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string // lines expected in stderr
	}{
		{"duplicate", "password2\n", []string{"users", "create", "erin", "--role", "clerk", "--password-stdin"}, 3,
			[]string{`error: User "erin" already exists.`, "  username: already exists"}},
		{"short password", "short\n", []string{"users", "create", "frank", "--role", "clerk", "--password-stdin"}, 2,
			[]string{"error: Validation failed.", "  password: must be at least 8 characters"}},
		{"bad username", "password3\n", []string{"users", "create", "bad name", "--role", "clerk", "--password-stdin"}, 2,
			[]string{"  username: is required"}},
		{"empty stdin", "", []string{"users", "create", "gina", "--role", "clerk", "--password-stdin"}, 2,
			[]string{"stdin is empty"}},
		{"bad role", "", []string{"users", "create", "hank", "--role", "owner"}, 2, []string{"--role must be"}},
		{"missing role", "", []string{"users", "create", "hank"}, 2, []string{"needs --role"}},
		{"missing name", "", []string{"users", "create", "--role", "clerk"}, 2, []string{"takes NAME"}},
		{"no subcommand", "", []string{"users"}, 2, []string{"needs a subcommand"}},
		{"unknown subcommand", "", []string{"users", "delete"}, 2, []string{`unknown command "delete"`}},
		{"list with args", "", []string{"users", "list", "x"}, 2, []string{"takes no arguments"}},
		{"remote", "", []string{"--server", "http://example.com", "users", "list"}, 2, []string{"local database only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, append([]string{"--db", dsn}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			lines := strings.Split(r.stderr, "\n")
			for _, want := range tt.want {
				found := false
				for _, l := range lines {
					if strings.HasPrefix(l, want) || strings.Contains(l, want) {
						found = true
					}
				}
				if !found {
					t.Errorf("stderr %q lacks a line with %q", r.stderr, want)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want empty", r.stdout)
			}
		})
	}
	// Nothing rejected above may have created a user.
	users, err := openApp(t, dsn).Users.ListUsers(context.Background(), app.System)
	if err != nil || len(users) != 1 {
		t.Errorf("users after errors: %d (%v), want only erin", len(users), err)
	}
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	mustRun(t, "password-z\n", "--db", dsn, "users", "create", "zoe", "--role", "viewer", "--display-name", "Zoë, \"Z\"", "--password-stdin")
	mustRun(t, "password-a\n", "--db", dsn, "users", "create", "adam", "--role", "manager", "--password-stdin")

	t.Run("table", func(t *testing.T) {
		r := mustRun(t, "", "--db", dsn, "users", "list")
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("table:\n%s\nwant a header and 2 rows", r.stdout)
		}
		if !strings.HasPrefix(lines[0], "ID  USERNAME") || !strings.Contains(lines[1], "adam") || !strings.Contains(lines[2], "zoe") {
			t.Errorf("table:\n%s\nwant header then adam, zoe (sorted by username)", r.stdout)
		}
		col := strings.Index(lines[0], "ROLE") // the header is ASCII: bytes = runes
		for _, l := range lines[1:] {
			rs := []rune(l)
			if col < 0 || len(rs) <= col || !(strings.HasPrefix(string(rs[col:]), "manager") || strings.HasPrefix(string(rs[col:]), "viewer")) {
				t.Errorf("row %q: role not aligned under the ROLE header", l)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		r := mustRun(t, "", "--db", dsn, "users", "list", "--output", "json")
		var got struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("json: %v\n%s", err, r.stdout)
		}
		if got.Total != 2 || len(got.Items) != 2 || got.Items[1]["username"] != "zoe" || got.Items[1]["display_name"] != `Zoë, "Z"` {
			t.Errorf("json: %+v", got)
		}
		for _, it := range got.Items {
			if _, ok := it["password_hash"]; ok {
				t.Errorf("json leaks the password hash: %v", it)
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		r := mustRun(t, "", "--db", dsn, "-o", "csv", "users", "list")
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v\n%s", err, r.stdout)
		}
		if len(recs) != 3 || strings.Join(recs[0], ",") != "id,username,display_name,role,active,last_login,created_at" {
			t.Fatalf("csv:\n%s", r.stdout)
		}
		if recs[2][1] != "zoe" || recs[2][2] != `Zoë, "Z"` || recs[2][3] != "viewer" || recs[2][5] != "" {
			t.Errorf("csv row %q", recs[2])
		}
	})
}
