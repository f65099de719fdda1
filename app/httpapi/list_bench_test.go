package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db"
	"smartinventory/db/seed"
)

// listBench is a server over a catalogue of some size, with a token.
type listBench struct {
	e     *echo.Echo
	token string
	err   error
}

var (
	listBenchMu   sync.Mutex
	listBenchEnvs = map[int]*listBench{}
)

// listServer returns the server over a SQLite catalogue of products
// products (30 days of history: the list does not read it), built once
// per size in a temporary directory, with the change watcher running as
// under serve.
func listServer(b *testing.B, products int) *listBench {
	b.Helper()
	listBenchMu.Lock()
	defer listBenchMu.Unlock()
	env, ok := listBenchEnvs[products]
	if !ok {
		env = buildListServer(products)
		listBenchEnvs[products] = env
	}
	if env.err != nil {
		b.Fatal(env.err)
	}
	return env
}

func buildListServer(products int) *listBench {
	fail := func(err error) *listBench { return &listBench{err: err} }
	dir, err := os.MkdirTemp("", "smartinventory-listbench-")
	if err != nil {
		return fail(err)
	}
	ctx := context.Background()
	bdb, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"))
	if err != nil {
		return fail(err)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		return fail(err)
	}
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if _, err := seed.Generate(ctx, bdb, seed.Options{Products: products, Days: 30, EndDate: end, Seed: 1}, nil); err != nil {
		return fail(err)
	}
	a := app.New(bdb, app.Options{})
	go a.Changes.Watch(context.Background(), bdb, slog.New(slog.DiscardHandler))
	for !a.Changes.Live() {
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr("viewer"), Role: app.Ptr(db.RoleViewer), Password: app.Ptr("correct horse battery")}); err != nil {
		return fail(err)
	}
	tok, err := a.Users.CreateToken(ctx, app.System, "viewer", "bench", 0)
	if err != nil {
		return fail(err)
	}
	return &listBench{e: server.New(a, server.Options{Logger: slog.New(slog.DiscardHandler)}), token: tok.Secret}
}

// BenchmarkProductList is one 50-row page of GET /api/v1/products at
// 2,000 and 20,000 products, paging through the catalogue (first page,
// a middle page) and searching by name, so that the growth of each cost
// with the catalogue shows:
//
//	go test ./app/httpapi -run '^$' -bench ProductList -benchtime 200x
func BenchmarkProductList(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		for _, c := range []struct{ name, query string }{
			{"first", "limit=50"},
			{"middle", fmt.Sprintf("limit=50&offset=%d", n/2)},
			{"search", "limit=50&q=salt"},
		} {
			b.Run(fmt.Sprintf("products=%d/%s", n, c.name), func(b *testing.B) {
				s := listServer(b, n)
				path := "/api/v1/products?" + c.query
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.Header.Set("Authorization", "Bearer "+s.token)
					rec := httptest.NewRecorder()
					s.e.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
					}
				}
			})
		}
	}
}
