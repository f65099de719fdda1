package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

// stalled is a download that stopped reading after its first bytes.
type stalled struct {
	first, release chan struct{}
	once           sync.Once
}

func (w *stalled) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.first) })
	<-w.release
	return len(p), nil
}

// Issue 12, Medium 4: beyond app.MaxExportsPerUser running exports, a
// user's next export gets 429 with Retry-After.
func TestExport_BusyIs429(t *testing.T) {
	s := apptest.NewServer(t)
	token := s.NewUserToken(t, "slow", db.RoleViewer)
	u, err := s.App.Users.UserByName(context.Background(), app.System, "slow")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	release := make(chan struct{})
	defer func() { close(release); wg.Wait() }()
	for range app.MaxExportsPerUser {
		w := &stalled{first: make(chan struct{}), release: release}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.App.Export(context.Background(), app.ActorFor(u, "test"), w, app.ImportProducts)
		}()
		<-w.first
	}
	status, h, body := s.Do(t, http.MethodGet, "/api/v1/export/products.csv", token, nil)
	p := apptest.Problem(t, http.StatusTooManyRequests, h, body)
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || p.Code != app.EBUSY {
		t.Fatalf("third export: %d, Retry-After %q, code %q; want 429 with Retry-After", status, h.Get("Retry-After"), p.Code)
	}
	if status, _, _ := s.Do(t, http.MethodGet, "/api/v1/export/products.csv", s.Token(t, db.RoleViewer), nil); status != http.StatusOK {
		t.Errorf("another viewer's export: %d, want 200", status)
	}
}

// Issue 12, Medium 4: while as many sales exports as the SQLite pool has
// connections stall mid-download (eight viewers), a plain API read still
// answers.
func TestExport_StalledDownloadsLeaveAPIReadsAnswering(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		p, err := s.App.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("EXP-1"), Name: app.Ptr("Export"), Stock: app.Ptr(int64(5000))})
		if err != nil {
			t.Fatal(err)
		}
		lines := make([]app.SaleInput, 1000)
		for i := range lines {
			lines[i] = app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr(int64(1))}
		}
		for range 3 { // 3,000 sales: several pages
			if _, err := s.App.Sales.RecordBatch(ctx, app.System, lines); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		release := make(chan struct{})
		defer func() { close(release); wg.Wait() }()
		for i := range db.SQLiteMaxConns {
			u, err := s.App.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr(fmt.Sprintf("slow%d", i)), Role: app.Ptr(db.RoleViewer), Password: app.Ptr(apptest.Password)})
			if err != nil {
				t.Fatal(err)
			}
			w := &stalled{first: make(chan struct{}), release: release}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = s.App.Export(ctx, app.ActorFor(u, "test"), w, app.ImportSales)
			}()
			<-w.first
		}
		client := &http.Client{Timeout: 20 * time.Second}
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/products?limit=5", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token(t, db.RoleViewer))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("API read while %d exports stall: %v", db.SQLiteMaxConns, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("API read while exports stall: %d", resp.StatusCode)
		}
	})
}
