// Package apptest starts the real Smart Inventory HTTP server on a fresh
// test database and offers request helpers and per-role bearer tokens for
// API tests.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/app/httpapi"
	"smartinventory/app/server"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// Password is the password of every user Token creates.
const Password = "correct horse battery"

// Server is a running test server over its own database.
type Server struct {
	*httptest.Server
	DB      *bun.DB
	App     *app.App
	Handler *echo.Echo

	mu     sync.Mutex
	tokens map[db.Role]string
}

// Options tune NewServerWith.
type Options struct {
	// DSN of the database; default a fresh SQLite file.
	DSN string
	// Server options; the Logger defaults to the test's output at warn level.
	Server server.Options
	// App options.
	App app.Options
}

// NewServer starts a server on a fresh, migrated SQLite database.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	return NewServerWith(tb, Options{})
}

// NewServerDSN starts a server on a fresh, migrated database at dsn (see
// dbtest.EachDSN).
func NewServerDSN(tb testing.TB, dsn string) *Server {
	tb.Helper()
	return NewServerWith(tb, Options{DSN: dsn})
}

// NewServerWith starts a server as opt says. It is closed when the test ends.
func NewServerWith(tb testing.TB, opt Options) *Server {
	tb.Helper()
	if opt.DSN == "" {
		opt.DSN = dbtest.SQLiteDSN(tb)
	}
	bdb := dbtest.OpenDSN(tb, opt.DSN)
	a := app.New(bdb, opt.App)
	if opt.Server.Logger == nil {
		opt.Server.Logger = slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	e := server.New(a, opt.Server)
	s := &Server{Server: httptest.NewServer(e), DB: bdb, App: a, Handler: e, tokens: map[db.Role]string{}}
	tb.Cleanup(s.Close)
	return s
}

// EachServer runs fn as a subtest with a server on SQLite and, when
// SMARTINV_TEST_POSTGRES is set, on PostgreSQL.
func EachServer(t *testing.T, fn func(t *testing.T, s *Server)) {
	t.Helper()
	dbtest.EachDSN(t, func(t *testing.T, dsn string) { fn(t, NewServerDSN(t, dsn)) })
}

// Token returns a bearer token of a user with role (the user, named after
// the role, is created on first use).
func (s *Server) Token(tb testing.TB, role db.Role) string {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := s.tokens[role]; ok {
		return tok
	}
	tok := s.NewUserToken(tb, string(role), role)
	s.tokens[role] = tok
	return tok
}

// NewUserToken creates the user username with role and returns a new
// token named "test" for them.
func (s *Server) NewUserToken(tb testing.TB, username string, role db.Role) string {
	tb.Helper()
	ctx := context.Background()
	_, err := s.App.Users.CreateUser(ctx, app.System, app.UserInput{
		Username: app.Ptr(username), DisplayName: app.Ptr(username), Role: app.Ptr(role), Password: app.Ptr(Password)})
	if err != nil {
		tb.Fatalf("create user %s: %v", username, err)
	}
	tok, err := s.App.Users.CreateToken(ctx, app.System, username, "test", 0)
	if err != nil {
		tb.Fatalf("create token for %s: %v", username, err)
	}
	return tok.Secret
}

// Do sends a request to the server and returns the status, headers and
// body. body may be nil, a string or []byte (sent as is) or any other value
// (sent as JSON). token, when not empty, goes in Authorization: Bearer.
func (s *Server) Do(tb testing.TB, method, path, token string, body any) (int, http.Header, []byte) {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("marshal request body: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		tb.Fatalf("new request %s %s: %v", method, path, err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read response of %s %s: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, out
}

// DoJSON is Do that requires status want and decodes the JSON response into out (if not nil).
func (s *Server) DoJSON(tb testing.TB, method, path, token string, body any, want int, out any) {
	tb.Helper()
	status, _, b := s.Do(tb, method, path, token, body)
	if status != want {
		tb.Fatalf("%s %s: status %d, want %d; body %s", method, path, status, want, b)
	}
	if out != nil {
		Decode(tb, b, out)
	}
}

// Decode unmarshals the JSON b into out or fails the test.
func Decode(tb testing.TB, b []byte, out any) {
	tb.Helper()
	if err := json.Unmarshal(b, out); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
}

// DecodeAs unmarshals the JSON b into a new T.
func DecodeAs[T any](tb testing.TB, b []byte) T {
	tb.Helper()
	var v T
	Decode(tb, b, &v)
	return v
}

// Problem checks that a response is a well-formed problem+json with the
// given status and returns it.
func Problem(tb testing.TB, status int, h http.Header, body []byte) httpapi.Problem {
	tb.Helper()
	if err := CheckProblem(status, h, body); err != nil {
		tb.Fatal(err)
	}
	var p httpapi.Problem
	Decode(tb, body, &p)
	return p
}

// CheckProblem returns an error unless the response is a well-formed RFC
// 9457 problem+json whose status field matches status.
func CheckProblem(status int, h http.Header, body []byte) error {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != httpapi.ProblemContentType {
		return &checkError{"content type " + h.Get("Content-Type") + ", want " + httpapi.ProblemContentType, body}
	}
	var p httpapi.Problem
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return &checkError{"problem does not decode: " + err.Error(), body}
	}
	switch {
	case p.Status != status:
		return &checkError{"problem status field differs from the HTTP status", body}
	case p.Type == "" || p.Title == "":
		return &checkError{"problem without type or title", body}
	case status >= 500 && p.Detail != "Internal error.":
		return &checkError{"5xx problem leaks a detail", body}
	}
	for _, f := range p.Errors {
		if f.Message == "" {
			return &checkError{"field error without message", body}
		}
	}
	return nil
}

type checkError struct {
	msg  string
	body []byte
}

func (e *checkError) Error() string { return e.msg + "; body: " + string(e.body) }

// HasField reports whether p has a field error for field (and, when index
// is not negative, for that batch line).
func HasField(p httpapi.Problem, field string, index int) bool {
	for _, f := range p.Errors {
		if f.Field != field {
			continue
		}
		if index < 0 || (f.Index != nil && *f.Index == index) {
			return true
		}
	}
	return false
}
