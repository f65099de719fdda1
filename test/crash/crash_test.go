package crash

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// Load shape of TestSIGKILLDuringSales.
const (
	saleWorkers    = 8
	saleProducts   = 4
	initialStock   = 1_000_000
	maxSalesWorker = 20_000 // bound of one worker's loop
	minAcked       = 30     // acknowledged sales before the kill timer starts
	maxKillDelay   = 300 * time.Millisecond
)

// ack is a sale the server acknowledged with 201.
type ack struct {
	id, product, quantity int64
}

// TestSIGKILLDuringSales posts sales from concurrent clients, kills the
// server with SIGKILL mid-load and checks, before and after a restart, that
//
//   - `check` passes (no sale without its stock movement and rollup);
//   - every sale answered 201 exists with its product and quantity;
//   - at most one unacknowledged sale per client exists (the one in flight
//     when the server died) and nothing else;
//   - every product's stock is its initial stock minus its sales;
//   - the restarted server records new sales.
func TestSIGKILLDuringSales(t *testing.T) {
	bin := binary(t)
	eachDatabase(t, func(t *testing.T, dsn string, iteration int) {
		srv := startServer(t, bin, dsn)
		c := newClient(t, adminToken(t, bin, dsn))
		products := createProducts(t, c, srv.url, saleProducts, initialStock)

		var (
			mu     sync.Mutex
			acked  []ack
			failed []string
			killed atomic.Bool
			wg     sync.WaitGroup
		)
		fail := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			failed = append(failed, fmt.Sprintf(format, args...))
		}
		for w := range saleWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(iteration), uint64(w)))
				for range maxSalesWorker {
					p := products[r.IntN(len(products))]
					q := int64(1 + r.IntN(3))
					status, body, err := c.do("POST", srv.url, "api/v1/sales",
						map[string]any{"product_id": p.ID, "quantity": q, "channel": "crash"})
					if err != nil {
						if !killed.Load() {
							fail("worker %d: POST /sales before the kill: %v", w, err)
						}
						return
					}
					if status != http.StatusCreated {
						fail("worker %d: POST /sales: status %d: %s", w, status, body)
						return
					}
					var res struct {
						Sale sale `json:"sale"`
					}
					if err := json.Unmarshal(body, &res); err != nil || res.Sale.ID == 0 {
						fail("worker %d: POST /sales answered 201 with %s (%v)", w, body, err)
						return
					}
					if res.Sale.ProductID != p.ID || res.Sale.Quantity != q {
						fail("worker %d: POST /sales of %d × product %d answered %+v", w, q, p.ID, res.Sale)
						return
					}
					mu.Lock()
					acked = append(acked, ack{res.Sale.ID, p.ID, q})
					mu.Unlock()
				}
			}()
		}

		// Kill at a random moment once the load is running.
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			n, nf := len(acked), len(failed)
			mu.Unlock()
			if n >= minAcked || nf > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("only %d sales acknowledged within 30 s", n)
			}
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(rand.N(maxKillDelay))
		killed.Store(true)
		srv.signal(t, syscall.SIGKILL)
		wg.Wait()
		if len(failed) > 0 {
			t.Fatalf("load failed before the kill:\n%s", strings.Join(failed, "\n"))
		}
		t.Logf("killed the server after %d acknowledged sales", len(acked))

		// The database as the crash left it: consistent.
		checkDB(t, bin, dsn)

		srv = startServer(t, bin, dsn)
		verifySales(t, c, srv.url, products, acked)
		c.must(t, "POST", srv.url, "api/v1/sales",
			map[string]any{"product_id": products[0].ID, "quantity": 1}, http.StatusCreated, nil)
		if code := srv.signal(t, syscall.SIGTERM); code != 0 {
			t.Fatalf("restarted serve exited %d after SIGTERM; stderr:\n%s", code, tail(srv.stderr.String()))
		}
		checkDB(t, bin, dsn)
	})
}

// verifySales checks the sales on the server at base against the
// acknowledged ones (see TestSIGKILLDuringSales).
func verifySales(t *testing.T, c *client, base string, products []product, acked []ack) {
	t.Helper()
	for _, a := range acked {
		var s sale
		c.must(t, "GET", base, fmt.Sprintf("api/v1/sales/%d", a.id), nil, http.StatusOK, &s)
		if s.ProductID != a.product || s.Quantity != a.quantity || s.VoidedAt != nil {
			t.Fatalf("acknowledged sale %d (%d × product %d) reads back as %+v", a.id, a.quantity, a.product, s)
		}
	}
	all := allSales(t, c, base)
	ackedIDs := map[int64]bool{}
	for _, a := range acked {
		ackedIDs[a.id] = true
		if _, ok := all[a.id]; !ok {
			t.Fatalf("acknowledged sale %d is missing from GET /sales", a.id)
		}
	}
	sold := map[int64]int64{}
	unacked := 0
	for _, s := range all {
		sold[s.ProductID] += s.Quantity
		if !ackedIDs[s.ID] {
			unacked++
			if s.Quantity < 1 || s.Quantity > 3 {
				t.Fatalf("unacknowledged sale %+v was never sent", s)
			}
		}
	}
	if unacked > saleWorkers {
		t.Fatalf("%d unacknowledged sales exist; at most %d (one in flight per client) may", unacked, saleWorkers)
	}
	for _, p := range products {
		var got product
		c.must(t, "GET", base, fmt.Sprintf("api/v1/products/%d", p.ID), nil, http.StatusOK, &got)
		if want := p.Stock - sold[p.ID]; got.Stock != want {
			t.Fatalf("product %s: stock %d, want %d (initial %d − sold %d)", p.SKU, got.Stock, want, p.Stock, sold[p.ID])
		}
	}
	t.Logf("%d acknowledged sales present, %d unacknowledged (in flight at the kill) committed", len(acked), unacked)
}

// TestSIGTERMDrainsInFlightRequests starts sales whose bodies are still
// being sent, stops the server with SIGTERM, waits until it refuses new
// connections, then finishes the bodies: every sale must be answered 201
// and exist after a restart, and serve must exit 0.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	bin := binary(t)
	eachDatabase(t, func(t *testing.T, dsn string, _ int) {
		const inflight = 4
		srv := startServer(t, bin, dsn)
		c := newClient(t, adminToken(t, bin, dsn))
		products := createProducts(t, c, srv.url, 1, 100)

		type result struct {
			status int
			body   []byte
			err    error
		}
		writers := make([]*io.PipeWriter, inflight)
		results := make(chan result, inflight)
		started := make(chan struct{}, inflight)
		for i := range writers {
			pr, pw := io.Pipe()
			writers[i] = pw
			req, err := http.NewRequest("POST", srv.url+"api/v1/sales", pr)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+c.token)
			tr := &http.Transport{DisableKeepAlives: true}
			t.Cleanup(tr.CloseIdleConnections)
			hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
			go func() {
				resp, err := hc.Do(req)
				if err != nil {
					results <- result{err: err}
					return
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				results <- result{resp.StatusCode, b, err}
			}()
			// The first bytes of the body go out after the headers, so once
			// this write returns the server is reading the request.
			go func() {
				_, _ = io.WriteString(pw, fmt.Sprintf(`{"product_id": %d, `, products[0].ID))
				started <- struct{}{}
			}()
		}
		for range inflight {
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("request bodies not read within 10 s")
			}
		}
		// Let the server accept the connections and read the headers.
		time.Sleep(200 * time.Millisecond)
		if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		// Shutdown has begun once the listener is closed.
		addr := strings.TrimSuffix(strings.TrimPrefix(srv.url, "http://"), "/")
		for deadline := time.Now().Add(10 * time.Second); ; {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				break
			}
			_ = conn.Close()
			if time.Now().After(deadline) {
				t.Fatal("server still accepts connections 10 s after SIGTERM")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if srv.exited() {
			t.Fatalf("serve exited before its in-flight requests finished; stderr:\n%s", tail(srv.stderr.String()))
		}
		for _, pw := range writers {
			_, _ = io.WriteString(pw, `"quantity": 1}`)
			_ = pw.Close()
		}
		for range inflight {
			select {
			case r := <-results:
				if r.err != nil || r.status != http.StatusCreated {
					t.Errorf("in-flight sale during shutdown: status %d, err %v, body %s", r.status, r.err, r.body)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("in-flight sales not answered within 30 s of SIGTERM")
			}
		}
		if code := srv.wait(t); code != 0 {
			t.Fatalf("serve exited %d after SIGTERM; stderr:\n%s", code, tail(srv.stderr.String()))
		}
		checkDB(t, bin, dsn)
		srv = startServer(t, bin, dsn)
		var p product
		c.must(t, "GET", srv.url, fmt.Sprintf("api/v1/products/%d", products[0].ID), nil, http.StatusOK, &p)
		if n := len(allSales(t, c, srv.url)); n != inflight || p.Stock != 100-inflight {
			t.Fatalf("after the drained shutdown: %d sales and stock %d, want %d and %d", n, p.Stock, inflight, 100-inflight)
		}
		if code := srv.signal(t, syscall.SIGTERM); code != 0 {
			t.Fatalf("restarted serve exited %d after SIGTERM; stderr:\n%s", code, tail(srv.stderr.String()))
		}
	})
}

// Shape of the populate that TestSIGKILLDuringPopulate kills.
const (
	populateProducts = 300
	populateDays     = 730
)

// TestSIGKILLDuringPopulate kills `populate` at a random moment and checks
// that the seed left nothing or everything: `check` passes and there are 0
// or all the products (with or without their sales, never some). The kill
// delay adapts to how long a populate that finished took.
func TestSIGKILLDuringPopulate(t *testing.T) {
	bin := binary(t)
	estimate := map[bool]time.Duration{} // by "is PostgreSQL": a completed run's duration
	var mu sync.Mutex
	eachDatabase(t, func(t *testing.T, dsn string, iteration int) {
		bdb := dbtest.OpenDSN(t, dsn) // migrated, so the kill hits the seed
		pg := db.IsPostgres(bdb)
		mu.Lock()
		est := estimate[pg]
		mu.Unlock()
		if est == 0 {
			est = 1500 * time.Millisecond
		}
		delay := est/5 + rand.N(est)

		began := time.Now()
		p := startProcess(t, bin, nil, "populate", "--products", fmt.Sprint(populateProducts),
			"--days", fmt.Sprint(populateDays), "--db", dsn)
		select {
		case <-p.done:
		case <-time.After(delay):
		}
		finished := p.exited()
		if finished {
			if code := p.wait(t); code != 0 {
				t.Fatalf("populate exited %d; stderr:\n%s", code, tail(p.stderr.String()))
			}
			mu.Lock()
			estimate[pg] = time.Since(began)
			mu.Unlock()
		} else {
			p.signal(t, syscall.SIGKILL)
		}

		n := countRows(t, bdb, "products")
		sales := countRows(t, bdb, "sales")
		t.Logf("populate %s after %v: %d products, %d sales", map[bool]string{true: "finished", false: "killed"}[finished],
			time.Since(began).Round(time.Millisecond), n, sales)
		switch {
		case n == 0 && sales == 0:
			if finished {
				t.Fatal("populate exited 0 but wrote no products")
			}
		case n == populateProducts && sales > 0:
		default:
			t.Fatalf("populate left %d of %d products and %d sales: not nothing or everything", n, populateProducts, sales)
		}
		checkDB(t, bin, dsn)
		if n == 0 && iteration == 0 {
			// Nothing was left in the way: populate runs again.
			if _, errOut, code := runCLI(t, bin, "populate", "--products", "20", "--days", "30", "--db", dsn); code != 0 {
				t.Fatalf("populate after the killed one exited %d: %s", code, tail(errOut))
			}
			checkDB(t, bin, dsn)
		}
	})
}

// countRows counts the rows of table.
func countRows(t *testing.T, bdb *bun.DB, table string) int64 {
	t.Helper()
	n, err := bdb.NewSelect().TableExpr(table).Count(t.Context())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
