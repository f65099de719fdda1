package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

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
