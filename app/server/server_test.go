package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db/dbtest"
)

func TestHealthAndReady(t *testing.T) {
	bdb := dbtest.Open(t)
	e := server.New(app.New(bdb, app.Options{}), server.Options{})

	tests := []struct {
		name, path string
		closeDB    bool
		want       int
		wantStatus string
	}{
		{"healthz", "/healthz", false, http.StatusOK, "ok"},
		{"readyz", "/readyz", false, http.StatusOK, "ok"},
		{"readyz_db_closed", "/readyz", true, http.StatusServiceUnavailable, "unavailable"},
		{"healthz_db_closed", "/healthz", true, http.StatusOK, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.closeDB {
				_ = bdb.Close()
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			var body struct{ Status string }
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			if body.Status != tt.wantStatus {
				t.Errorf("status field = %q, want %q", body.Status, tt.wantStatus)
			}
			if rec.Header().Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID header")
			}
		})
	}
}

func TestRun_GracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	started := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		_, _ = io.WriteString(w, "done")
	})
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- server.Run(ctx, "127.0.0.1:0", h, nil, func(a net.Addr) { addrc <- a }) }()

	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("ready not called")
	}

	type result struct {
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr.String() + "/slow")
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		resc <- result{string(b), err}
	}()
	<-started
	cancel()
	// Shutdown has begun once the listener refuses new connections; the
	// request in flight since before must still complete after that.
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr.String(), time.Second)
		if err != nil {
			break
		}
		_ = conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 5 s after its context ended")
		}
		runtime.Gosched()
	}
	select {
	case res := <-resc:
		t.Fatalf("the in-flight request ended before its handler returned: %+v", res)
	default:
	}
	close(release)
	res := <-resc
	if res.err != nil || res.body != "done" {
		t.Fatalf("in-flight request: body %q, err %v", res.body, res.err)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after shutdown")
	}
	if _, err := http.Get("http://" + addr.String() + "/"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func TestRun_ListenError(t *testing.T) {
	err := server.Run(context.Background(), "256.0.0.1:99999", http.NotFoundHandler(), nil, nil)
	if err == nil {
		t.Fatal("Run on a bad address returned nil")
	}
}
