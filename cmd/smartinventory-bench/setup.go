package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
)

// openBenchDB opens and migrates the benchmark database: a new SQLite file
// in a temporary directory (dsn ""), a new schema on PostgreSQL, or the
// SQLite file dsn names. It returns the database, the DSN the servers
// open (with the schema in search_path on PostgreSQL), a description, and
// cleanup, which closes the database and removes what was created.
func openBenchDB(ctx context.Context, dsn string) (*bun.DB, string, string, func(), error) {
	cleanup := func() {}
	kind := db.SQLite
	if dsn != "" {
		var err error
		if kind, _, err = db.ParseDSN(dsn); err != nil {
			return nil, "", "", nil, err
		}
	}
	desc := ""
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "smartinventory-bench-")
		if err != nil {
			return nil, "", "", nil, fmt.Errorf("bench: temporary directory: %w", err)
		}
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
		desc = "SQLite (temporary file)"
		cleanup = func() { _ = os.RemoveAll(dir) }
	case kind == db.Postgres:
		schema, drop, err := createBenchSchema(ctx, dsn)
		if err != nil {
			return nil, "", "", nil, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, "", "", nil, fmt.Errorf("bench: parse --db: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
		desc = "PostgreSQL (temporary schema " + schema + ")"
		cleanup = drop
	case kind == db.MySQL:
		name, drop, err := createBenchDatabase(ctx, dsn)
		if err != nil {
			return nil, "", "", nil, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, "", "", nil, fmt.Errorf("bench: parse --db: %w", err)
		}
		u.Path = "/" + name
		dsn = u.String()
		desc = "MySQL (temporary database " + name + ")"
		cleanup = drop
	default:
		desc = "SQLite (" + dsn + ")"
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		cleanup()
		return nil, "", "", nil, fmt.Errorf("bench: open database: %w", err)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		cleanup()
		return nil, "", "", nil, fmt.Errorf("bench: migrate: %w", err)
	}
	return bdb, dsn, desc, func() { _ = bdb.Close(); cleanup() }, nil
}

// createBenchDatabase creates a new database on the MySQL server at dsn
// and returns its name and a function that drops it.
func createBenchDatabase(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := db.Open(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: database name: %w", err)
	}
	name := "smartinv_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE "+db.MySQLCollation); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: create database: %w", err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = admin.ExecContext(dctx, "DROP DATABASE "+name)
		_ = admin.Close()
	}
	return name, drop, nil
}

// createBenchSchema creates a new schema on the PostgreSQL server at dsn
// and returns its name and a function that drops it.
func createBenchSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := db.Open(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: schema name: %w", err)
	}
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: create schema: %w", err)
	}
	drop := func() {
		// The run's context may be cancelled by now (Ctrl-C): drop anyway.
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = admin.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE")
		_ = admin.Close()
	}
	return schema, drop, nil
}

// benchUser is the admin that bench signs in as.
const benchUser = "bench"

// prepareBench creates the bench admin and its token, and gives the
// products the write scenarios sell a billion units each. It returns the
// state and the admin's password.
func prepareBench(ctx context.Context, a *app.App, bdb *bun.DB) (*benchState, string, error) {
	pw, err := app.RandomPassword()
	if err != nil {
		return nil, "", fmt.Errorf("bench: %w", err)
	}
	role := db.RoleAdmin
	if _, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr(benchUser),
		DisplayName: app.Ptr("Benchmark"), Role: &role, Password: &pw}); err != nil {
		return nil, "", fmt.Errorf("bench: create user: %w", err)
	}
	tok, err := a.Users.CreateToken(ctx, app.System, benchUser, "bench", 0)
	if err != nil {
		return nil, "", fmt.Errorf("bench: create token: %w", err)
	}
	var ids []int64
	if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("id").Where("active = ?", true).
		OrderExpr("id").Scan(ctx, &ids); err != nil {
		return nil, "", fmt.Errorf("bench: list products: %w", err)
	}
	if len(ids) == 0 {
		return nil, "", errors.New("bench: the seeded database has no active products")
	}
	st := &benchState{token: tok.Secret}
	for _, id := range ids {
		st.productIDs = append(st.productIDs, strconv.FormatInt(id, 10))
	}
	step := max(1, len(ids)/benchSaleProducts)
	for i := 0; i < len(ids) && len(st.saleIDs) < benchSaleProducts; i += step {
		id := ids[i]
		if _, err := a.Stock.Receive(ctx, app.System, app.ReceiptInput{ProductID: &id,
			Quantity: app.Ptr(int64(100_000_000)), Reason: "bench"}); err != nil {
			return nil, "", fmt.Errorf("bench: stock receipt: %w", err)
		}
		st.saleIDs = append(st.saleIDs, id)
	}
	return st, pw, nil
}

// csrfMeta finds the CSRF token in a page's <meta name="csrf-token">.
var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// signIn logs in through the web form of the first replica (GET /login
// for the CSRF token, POST /login), keeps the session cookie, and checks
// that every replica accepts it (sessions are cookies signed with a
// secret stored in the database).
func (st *benchState) signIn(ctx context.Context, user, password string) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return fmt.Errorf("bench: cookie jar: %w", err)
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	first := st.bases[0]
	status, body, _, err := benchDo(ctx, client, http.MethodGet, first+"/login", nil, nil)
	if err != nil {
		return err
	}
	m := csrfMeta.FindSubmatch(body)
	if status != http.StatusOK || m == nil {
		return fmt.Errorf("bench: GET /login: %d, no CSRF token", status)
	}
	form := url.Values{"username": {user}, "password": {password}, "_csrf": {string(m[1])}}
	status, _, _, err = benchDo(ctx, client, http.MethodPost, first+"/login",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form.Encode()))
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("bench: POST /login: %d, want 303", status)
	}
	u, err := url.Parse(first + "/")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	st.cookie = strings.Join(parts, "; ")
	// The cookie as the scenarios send it, without the jar (cookies are
	// per host and port), to every replica.
	plain := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i, base := range st.bases {
		status, _, _, err = benchDo(ctx, plain, http.MethodGet, base+"/", http.Header{"Cookie": {st.cookie}}, nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("bench: GET / on replica %d with the session of replica 1: %d, want 200", i+1, status)
		}
	}
	return nil
}

// dashboardFragments are the dashboard's polled fragments.
var dashboardFragments = []string{
	"/fragments/dashboard/kpis", "/fragments/dashboard/charts", "/fragments/dashboard/restock",
	"/fragments/dashboard/movers/fast", "/fragments/dashboard/movers/slow",
}

// preparePoll fetches each dashboard fragment once, from the first
// replica, for its ETag (ETags derive from the data version, so every
// replica agrees). Without fragments (an older web UI) the poll scenario
// polls / instead, and says so in its note.
func (st *benchState) preparePoll(ctx context.Context) error {
	client := &http.Client{Timeout: 60 * time.Second}
	h := http.Header{"Cookie": {st.cookie}, "HX-Request": {"true"}}
	for _, path := range dashboardFragments {
		status, _, header, err := benchDo(ctx, client, http.MethodGet, st.bases[0]+path, h, nil)
		if err != nil {
			return err
		}
		if status == http.StatusOK && header.Get("ETag") != "" {
			st.pollURLs = append(st.pollURLs, path)
			st.pollETags = append(st.pollETags, header.Get("ETag"))
		}
	}
	if len(st.pollURLs) > 0 {
		st.pollNote = fmt.Sprintf("%d fragments at random", len(st.pollURLs))
		return nil
	}
	_, _, header, err := benchDo(ctx, client, http.MethodGet, st.bases[0]+"/", h, nil)
	if err != nil {
		return err
	}
	st.pollURLs, st.pollETags = []string{"/"}, []string{header.Get("ETag")}
	st.pollNote = "no dashboard fragments with ETags: polled / instead"
	return nil
}
