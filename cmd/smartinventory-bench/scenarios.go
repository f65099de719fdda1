package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// scenarioSpec describes one scenario: its name, what it requests, and
// its throughput target (the targets column of the README's load
// benchmark table; every target also asks p99 < 20 ms).
type scenarioSpec struct {
	name, request, target string
	// minRate is the target in requests (or, for batch, sales) per second.
	minRate float64
	// perRequest is how many sales one request records (batch), else 1.
	perRequest int
	// targeter builds the scenario's requests from the prepared state.
	targeter func(st *benchState) vegeta.Targeter
}

// scenarios lists every scenario in the order they run: reads before
// writes.
func scenarios() []scenarioSpec {
	return []scenarioSpec{
		{name: "list", request: "GET /api/v1/products?limit=50", target: ">= 5000 req/s", minRate: 5000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products?limit=50" })
		}},
		{name: "detail", request: "GET /api/v1/products/{id}", target: ">= 15000 req/s", minRate: 15000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products/" + st.randomProduct() })
		}},
		{name: "forecast", request: "GET /api/v1/products/{id}/forecast", targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products/" + st.randomProduct() + "/forecast" })
		}},
		{name: "restock", request: "GET /api/v1/restock", target: ">= 1000 req/s", minRate: 1000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/restock" })
		}},
		{name: "dashboard", request: "GET / (signed in)", targeter: func(st *benchState) vegeta.Targeter {
			return st.page(func() (string, string) { return "/", "" })
		}},
		{name: "poll", request: "GET /fragments/dashboard/* (If-None-Match, 304)", targeter: func(st *benchState) vegeta.Targeter {
			return st.page(st.nextPoll)
		}},
		{name: "sale", request: "POST /api/v1/sales", target: ">= 3000 writes/s, no errors", minRate: 3000, targeter: func(st *benchState) vegeta.Targeter {
			return st.post("/api/v1/sales", func() ([]byte, error) {
				return json.Marshal(map[string]any{"product_id": st.saleProduct(), "quantity": 1})
			})
		}},
		{name: "batch", request: "POST /api/v1/sales/batch (1,000 lines)", target: ">= 50000 sales/s", minRate: 50000, perRequest: benchBatchLines,
			targeter: func(st *benchState) vegeta.Targeter {
				return st.post("/api/v1/sales/batch", func() ([]byte, error) {
					lines := make([]map[string]any, benchBatchLines)
					for i := range lines {
						lines[i] = map[string]any{"product_id": st.saleProduct(), "quantity": 1}
					}
					return json.Marshal(map[string]any{"lines": lines})
				})
			}},
	}
}

func scenarioNames() []string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, s.name)
	}
	return names
}

// benchState is what the scenarios need from the setup.
type benchState struct {
	bases      []string // http://127.0.0.1:PORT of each replica
	turn       atomic.Uint64
	token      string   // API bearer token (admin)
	cookie     string   // Cookie header of a signed-in web session
	productIDs []string // every product id
	saleIDs    []int64  // products with plenty of stock
	pollURLs   []string // dashboard fragments
	pollETags  []string // their ETags
	pollNote   string
}

func (st *benchState) randomProduct() string { return st.productIDs[mrand.IntN(len(st.productIDs))] }
func (st *benchState) saleProduct() int64    { return st.saleIDs[mrand.IntN(len(st.saleIDs))] }

// base returns the base URL of the replica the next request goes to,
// round-robin (vegeta calls targeters from many goroutines).
func (st *benchState) base() string {
	if len(st.bases) == 1 {
		return st.bases[0]
	}
	return st.bases[(st.turn.Add(1)-1)%uint64(len(st.bases))]
}

// replicaOf returns the index of the replica that u was sent to, -1 for
// none.
func (st *benchState) replicaOf(u string) int {
	for i, b := range st.bases {
		if strings.HasPrefix(u, b+"/") {
			return i
		}
	}
	return -1
}

// nextPoll returns a random fragment to poll and its ETag (vegeta calls
// targeters from many goroutines; math/rand/v2's functions are safe).
func (st *benchState) nextPoll() (string, string) {
	i := int(mrand.Uint64() % uint64(len(st.pollURLs)))
	return st.pollURLs[i], st.pollETags[i]
}

// get returns a targeter of API GETs at the paths path returns.
func (st *benchState) get(path func() string) vegeta.Targeter {
	h := http.Header{"Authorization": {"Bearer " + st.token}, "Accept": {"application/json"}}
	return func(t *vegeta.Target) error {
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base()+path(), h, nil
		return nil
	}
}

// page returns a targeter of signed-in web GETs, with If-None-Match when
// page gives an ETag.
func (st *benchState) page(page func() (path, etag string)) vegeta.Targeter {
	plain := http.Header{"Cookie": {st.cookie}, "Accept": {"text/html"}}
	return func(t *vegeta.Target) error {
		path, etag := page()
		h := plain
		if etag != "" {
			h = http.Header{"Cookie": {st.cookie}, "Accept": {"text/html"}, "HX-Request": {"true"}, "If-None-Match": {etag}}
		}
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base()+path, h, nil
		return nil
	}
}

// post returns a targeter of API POSTs to path with the JSON bodies body
// makes.
func (st *benchState) post(path string, body func() ([]byte, error)) vegeta.Targeter {
	h := http.Header{"Authorization": {"Bearer " + st.token}, "Content-Type": {"application/json"}}
	return func(t *vegeta.Target) error {
		b, err := body()
		if err != nil {
			return fmt.Errorf("bench: request body: %w", err)
		}
		t.Method, t.URL, t.Header, t.Body = http.MethodPost, st.base()+path, h, b
		return nil
	}
}

// attack runs one scenario: --concurrency workers sending back to back
// (vegeta at an unlimited rate) for --duration, or until ctx ends.
func attack(ctx context.Context, sc scenarioSpec, st *benchState, o benchOptions) benchResult {
	n := uint64(o.concurrency)
	atk := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n),
		vegeta.Connections(o.concurrency), vegeta.MaxConnections(o.concurrency),
		vegeta.KeepAlive(true), vegeta.HTTP2(false), vegeta.MaxBody(0),
		vegeta.Timeout(30*time.Second),
		// Loopback only, never through a proxy from the environment.
		vegeta.Proxy(func(*http.Request) (*url.URL, error) { return nil, nil }),
	)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-finished:
		}
	}()
	var m vegeta.Metrics
	var first string
	perReplica := make([]uint64, len(st.bases))
	begin := time.Now()
	for r := range atk.Attack(sc.targeter(st), vegeta.Rate{}, o.duration, sc.name) {
		m.Add(r)
		if i := st.replicaOf(r.URL); i >= 0 {
			perReplica[i]++
		}
		if r.Error != "" && first == "" {
			first = fmt.Sprintf("%d %s", r.Code, r.Error)
		}
	}
	elapsed := time.Since(begin).Seconds()
	m.Close()
	res := benchResult{
		Scenario: sc.name, Request: sc.request, Requests: m.Requests, PerReplica: perReplica, Seconds: elapsed,
		P50: m.Latencies.P50, P99: m.Latencies.P99, Max: m.Latencies.Max,
		StatusCodes: m.StatusCodes, FirstError: first, Target: sc.target,
	}
	if elapsed > 0 {
		res.RPS = float64(m.Requests) / elapsed
	}
	success := uint64(math.Round(m.Success * float64(m.Requests)))
	res.Errors = m.Requests - success
	rate := res.RPS
	if sc.perRequest > 1 {
		res.SalesPerSec = float64(success*uint64(sc.perRequest)) / elapsed
		rate = res.SalesPerSec
	}
	if sc.minRate > 0 {
		met := rate >= sc.minRate && res.P99 < 20*time.Millisecond && (sc.name != "sale" || res.Errors == 0)
		res.Met = &met
	}
	return res
}
