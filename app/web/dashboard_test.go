package web

import (
	"context"
	"encoding/xml"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/seed"
	"smartinventory/views"
)

// newSeededServer is a test server over a small demo data set (products,
// suppliers, categories and sales history ending yesterday) with cached
// forecasts, and users admin, bob (manager), clerk and viewer.
func newSeededServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	s := newTestServer(t, cfg)
	ctx := context.Background()
	end := time.Now().UTC().AddDate(0, 0, -1)
	if _, err := seed.Generate(ctx, s.db, seed.Options{Products: 24, Days: 150, EndDate: end, Seed: 3}, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if st, err := s.app.Forecasts.RefreshAll(ctx, app.System, nil); err != nil || st.Failed > 0 {
		t.Fatalf("forecasts: %+v, %v", st, err)
	}
	s.user(t, "admin", db.RoleAdmin)
	s.user(t, "bob", db.RoleManager)
	s.user(t, "clerk", db.RoleClerk)
	s.user(t, "viewer", db.RoleViewer)
	return s
}

// stockedSKU returns the SKU of an active product with stock.
func stockedSKU(t testing.TB, s *testServer) string {
	t.Helper()
	items, _, err := s.app.Catalog.ListProducts(context.Background(), app.System, app.ProductFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range items {
		if p.Active && p.Stock > 0 {
			return p.SKU
		}
	}
	t.Fatal("no product with stock to sell")
	return ""
}

// sell records a sale of one unit of a product with stock.
func (s *testServer) sell(t testing.TB) {
	t.Helper()
	if _, err := s.app.Sales.Record(context.Background(), app.System,
		app.SaleInput{SKU: app.Ptr(stockedSKU(t, s)), Quantity: app.Ptr(int64(1))}); err != nil {
		t.Fatalf("sale: %v", err)
	}
}

func TestDashboardFragmentsAnswer304UntilTheDataChanges(t *testing.T) {
	s := newSeededServer(t, Config{LivePollInterval: 1500 * time.Millisecond})
	c := s.login(t, "viewer")

	status, _, page := c.get("/")
	if status != http.StatusOK {
		t.Fatalf("dashboard: %d", status)
	}
	for _, id := range []string{"dashboard-kpis", "dashboard-charts", "dashboard-restock", "dashboard-movers-fast", "dashboard-movers-slow", "kpi-sales-today"} {
		if !strings.Contains(page, `data-testid="`+id+`"`) {
			t.Errorf("dashboard lacks %s", id)
		}
	}
	if !strings.Contains(page, `hx-trigger="every 1500ms, smartinv:changed from:body"`) {
		t.Errorf("poll interval and change event not in the markup")
	}
	if want := `data-live-events="/events?since=` + strconv.FormatUint(s.app.Changes.Generation(), 10) + `"`; !strings.Contains(page, want) {
		t.Errorf("the page does not listen to the event stream (%s)", want)
	}

	fragments := []struct{ url, testid string }{
		{fragKPIs, "dashboard-kpis"},
		{fragCharts, "dashboard-charts"},
		{fragRestock, "dashboard-restock"},
		{fragFast, "dashboard-movers-fast"},
		{fragSlow, "dashboard-movers-slow"},
	}
	etags := map[string]string{}
	for _, f := range fragments {
		t.Run("first "+f.url, func(t *testing.T) {
			status, h, body := c.get(f.url, "HX-Request", "true")
			if status != http.StatusOK || !strings.Contains(body, `data-testid="`+f.testid+`"`) {
				t.Fatalf("status %d, body %.200s", status, body)
			}
			etags[f.url] = h.Get("ETag")
			if etags[f.url] == "" {
				t.Fatal("no ETag")
			}
			// The page embeds the same ETag for the fragment's next poll.
			if !strings.Contains(page, `data-etag="`+strings.ReplaceAll(etags[f.url], `"`, "&#34;")+`"`) {
				t.Errorf("page and fragment ETags differ (%s)", etags[f.url])
			}
			status, _, body = c.get(f.url, "HX-Request", "true", "If-None-Match", etags[f.url])
			if status != http.StatusNotModified || body != "" {
				t.Errorf("idle poll: status %d, body %q", status, body)
			}
			if status, _, _ := c.get(f.url, "HX-Request", "true", "If-None-Match", `"stale"`); status != http.StatusOK {
				t.Errorf("stale ETag: status %d", status)
			}
		})
	}

	s.sell(t)
	for _, f := range fragments {
		status, h, _ := c.get(f.url, "HX-Request", "true", "If-None-Match", etags[f.url])
		if status != http.StatusOK || h.Get("ETag") == etags[f.url] {
			t.Errorf("%s after a sale: status %d, ETag %s (was %s)", f.url, status, h.Get("ETag"), etags[f.url])
		}
	}
}

func TestDashboardKPIsShowTodaysSales(t *testing.T) {
	s := newSeededServer(t, Config{})
	c := s.login(t, "viewer")
	value := regexp.MustCompile(`data-testid="kpi-sales-today-value">([^<]*)<`)
	read := func() string {
		_, _, body := c.get(fragKPIs, "HX-Request", "true")
		m := value.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no sales today figure in %.300s", body)
		}
		return m[1]
	}
	before := read()
	s.sell(t)
	if after := read(); after == before {
		t.Errorf("sales today still %s after a sale", after)
	}
}

func TestCharts(t *testing.T) {
	s := newSeededServer(t, Config{})
	c := s.login(t, "viewer")
	p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, firstSKU(t, s))
	if err != nil {
		t.Fatal(err)
	}
	product := "/charts/products/" + views.Itoa(p.ID) + "/forecast.svg"
	tests := []struct {
		name, url string
		want      int
	}{
		{"sales", "/charts/dashboard/sales.svg", 200},
		{"sales sized", "/charts/dashboard/sales.svg?width=600&height=300&days=60", 200},
		{"top movers", "/charts/dashboard/top-movers.svg", 200},
		{"pareto", "/charts/dashboard/pareto.svg?width=400", 200},
		{"categories", "/charts/dashboard/categories.svg", 200},
		{"product", product, 200},
		{"product sized", product + "?days=30&horizon=14&width=320&height=200", 200},
		{"width not a number", "/charts/dashboard/sales.svg?width=wide", 400},
		{"width too small", "/charts/dashboard/sales.svg?width=10&height=300", 400},
		{"height too large", "/charts/dashboard/pareto.svg?width=800&height=99999", 400},
		{"days zero", "/charts/dashboard/sales.svg?days=0", 400},
		{"days beyond history", "/charts/dashboard/sales.svg?days=400", 400},
		{"days on a bar chart", "/charts/dashboard/top-movers.svg?days=30", 400},
		{"horizon too long", product + "?horizon=400", 400},
		{"bad download", "/charts/dashboard/sales.svg?download=yes", 400},
		{"unknown product", "/charts/products/999999/forecast.svg", 404},
		{"bad product id", "/charts/products/x/forecast.svg", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := c.get(tt.url)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %.200s", status, tt.want, body)
			}
			if status != http.StatusOK {
				return
			}
			if ct := h.Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("Content-Type %q", ct)
			}
			if err := validXML(body); err != nil || !strings.Contains(body, "<svg") {
				t.Errorf("not valid SVG: %v", err)
			}
			etag := h.Get("ETag")
			if status, _, body := c.get(tt.url, "If-None-Match", etag); status != http.StatusNotModified || body != "" {
				t.Errorf("revalidation: status %d", status)
			}
		})
	}

	t.Run("download", func(t *testing.T) {
		day := time.Now().UTC().Format(db.DayLayout)
		for url, want := range map[string]string{
			product + "?download=1":                      `attachment; filename="forecast-` + p.SKU + `-` + day + `.svg"`,
			"/charts/dashboard/pareto.svg?download=1":    `attachment; filename="pareto-` + day + `.svg"`,
			"/charts/dashboard/sales.svg?download=1&v=1": `attachment; filename="sales-` + day + `.svg"`,
		} {
			status, h, _ := c.get(url)
			if got := h.Get("Content-Disposition"); status != http.StatusOK || got != want {
				t.Errorf("%s: status %d, Content-Disposition %q, want %q", url, status, got, want)
			}
		}
		if _, h, _ := c.get(product); h.Get("Content-Disposition") != "" {
			t.Errorf("inline chart has Content-Disposition %q", h.Get("Content-Disposition"))
		}
	})

	t.Run("signed out", func(t *testing.T) {
		status, h, _ := s.client(t).get("/charts/dashboard/sales.svg")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("status %d, location %q", status, h.Get("Location"))
		}
	})
}

// validXML reports whether s is well-formed XML.
func validXML(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func firstSKU(t testing.TB, s *testServer) string {
	t.Helper()
	items, _, err := s.app.Catalog.ListProducts(context.Background(), app.System, app.ProductFilter{Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("no products: %v", err)
	}
	return items[0].SKU
}

var (
	pickRe      = regexp.MustCompile(`name="product" value="(\d+)"`)
	groupRowsRe = regexp.MustCompile(`hx-get="(/restock/groups/\d+[^"]*)"`)
)

func TestRestockCreatesDraftOrders(t *testing.T) {
	s := newSeededServer(t, Config{})

	t.Run("viewer sees no checkboxes and may not post", func(t *testing.T) {
		v := s.login(t, "viewer")
		status, _, body := v.get("/restock")
		if status != http.StatusOK || !strings.Contains(body, `data-testid="restock-group"`) {
			t.Fatalf("status %d; no suggestion groups in the demo data?", status)
		}
		if pickRe.MatchString(body) || strings.Contains(body, `data-testid="create-drafts"`) {
			t.Error("viewer sees the draft form")
		}
		if status, _, _ := v.post("/restock/drafts", url.Values{"product": {"1"}}); status != http.StatusForbidden {
			t.Errorf("viewer POST: %d", status)
		}
	})

	c := s.login(t, "clerk")
	_, _, body := c.get("/restock")
	// Groups load their rows when opened.
	var ids []string
	for _, g := range groupRowsRe.FindAllStringSubmatch(body, -1) {
		status, _, rows := c.get(html.UnescapeString(g[1]))
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", g[1], status)
		}
		for _, m := range pickRe.FindAllStringSubmatch(rows, -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) == 0 {
		t.Fatal("no products to pick")
	}

	tests := []struct {
		name      string
		form      url.Values
		location  string
		flashKind string
		flash     string
	}{
		{"nothing chosen", url.Values{}, "/restock", "error", "Choose at least one product"},
		{"bad id", url.Values{"product": {"x"}}, "", "", ""},
		{"chosen", url.Values{"product": ids[:min(len(ids), 3)], "note": {"Weekly order"}}, "/restock/created?orders=", "success", "Created"},
		{"again", url.Values{"product": ids[:min(len(ids), 3)]}, "/restock", "info", "Nothing to draft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, _ := c.post("/restock/drafts", tt.form)
			if tt.location == "" {
				if status != http.StatusBadRequest {
					t.Errorf("status %d, want 400", status)
				}
				return
			}
			loc := h.Get("Location")
			if status != http.StatusSeeOther || !strings.HasPrefix(loc, tt.location) {
				t.Fatalf("status %d, location %q", status, loc)
			}
			_, _, page := c.get(loc)
			if tt.name == "chosen" && !strings.Contains(page, `data-testid="created-draft"`) {
				t.Error("the result page does not list the new drafts")
			}
			if !strings.Contains(page, `data-testid="flash-`+tt.flashKind+`"`) || !strings.Contains(page, tt.flash) {
				t.Errorf("flash %s %q missing", tt.flashKind, tt.flash)
			}
		})
	}
	orders, total, err := s.app.Purchasing.ListOrders(context.Background(), app.System, app.OrderFilter{Status: "draft"})
	if err != nil || total == 0 {
		t.Fatalf("drafts: %d, %v", total, err)
	}
	if orders[0].Note != "Weekly order" {
		t.Errorf("note %q", orders[0].Note)
	}
}

func TestPurchaseOrderActionsByRole(t *testing.T) {
	s := newSeededServer(t, Config{})
	ctx := context.Background()
	clerkUser, err := s.app.Users.UserByName(ctx, app.System, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	orders, err := s.app.DraftOrdersFromSuggestions(ctx, app.ActorFor(clerkUser, "test"), app.FromSuggestionsInput{})
	if err != nil || len(orders) == 0 {
		t.Fatalf("drafts: %d, %v", len(orders), err)
	}
	po := orders[0]
	path := "/purchase-orders/" + views.Itoa(po.ID)
	viewer, clerk, bob := s.login(t, "viewer"), s.login(t, "clerk"), s.login(t, "bob")

	buttons := func(c *client) []string {
		_, _, body := c.get(path)
		var out []string
		for _, b := range []string{"po-approve", "po-order", "po-cancel", "po-receive"} {
			if strings.Contains(body, `data-testid="`+b+`"`) {
				out = append(out, b)
			}
		}
		return out
	}
	steps := []struct {
		name    string
		who     *client
		buttons map[*client]string // visible buttons per user before the step
		post    string
		form    url.Values
		want    db.POStatus
	}{
		{"approve", bob, map[*client]string{viewer: "", clerk: "", bob: "po-approve po-cancel"}, "/approve", url.Values{}, db.POApproved},
		{"order", bob, map[*client]string{viewer: "", clerk: "", bob: "po-order po-cancel"}, "/order", url.Values{"expected_at": {"2030-01-02"}}, db.POOrdered},
		{"receive", clerk, map[*client]string{viewer: "", clerk: "po-receive", bob: "po-cancel po-receive"}, "/receive",
			url.Values{"rcv-" + views.Itoa(po.Lines[0].ProductID): {"1"}}, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			for c, want := range st.buttons {
				if got := strings.Join(buttons(c), " "); got != want {
					t.Errorf("buttons %q, want %q", got, want)
				}
			}
			// post adds the client's CSRF token to the form: give each its own copy.
			if status, _, _ := viewer.post(path+st.post, cloneValues(st.form)); status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d", st.post, status)
			}
			status, h, _ := st.who.post(path+st.post, cloneValues(st.form))
			if status != http.StatusSeeOther || h.Get("Location") != path {
				t.Fatalf("status %d, location %q", status, h.Get("Location"))
			}
			_, _, page := st.who.get(path)
			if !strings.Contains(page, `data-testid="flash-success"`) {
				t.Errorf("no success flash")
			}
			cur, err := s.app.Purchasing.Order(ctx, app.System, po.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.want != "" && cur.Status != st.want {
				t.Errorf("status %s, want %s", cur.Status, st.want)
			}
		})
	}
	t.Run("refusal is a flash", func(t *testing.T) {
		status, _, _ := bob.post(path+"/approve", url.Values{})
		_, _, page := bob.get(path)
		if status != http.StatusSeeOther || !strings.Contains(page, `data-testid="flash-error"`) {
			t.Errorf("approving an ordered order: status %d, no error flash", status)
		}
	})
	t.Run("list filter", func(t *testing.T) {
		if status, _, body := viewer.get("/purchase-orders?status=draft"); status != http.StatusOK || strings.Contains(body, `data-id="`+views.Itoa(po.ID)+`"`) {
			t.Errorf("draft filter: status %d or lists the ordered order", status)
		}
		if status, _, body := viewer.get("/purchase-orders?status=open"); status != http.StatusOK || !strings.Contains(body, `data-id="`+views.Itoa(po.ID)+`"`) {
			t.Errorf("open filter: status %d or misses the order", status)
		}
		if status, _, _ := viewer.get("/purchase-orders?status=bogus"); status != http.StatusBadRequest {
			t.Errorf("bad status filter: %d", status)
		}
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

func TestTrendsAndProductInsights(t *testing.T) {
	s := newSeededServer(t, Config{})
	c := s.login(t, "viewer")
	p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, firstSKU(t, s))
	if err != nil {
		t.Fatal(err)
	}
	// A product first sold today, with no supplier: still learning, and
	// its lead time is the shop's default.
	fresh := s.product(t, "FRESH-1", 30)
	if _, err := s.app.Sales.Record(context.Background(), app.System, app.SaleInput{ProductID: &fresh.ID, Quantity: app.Ptr[int64](25)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Forecasts.RefreshAll(context.Background(), app.System, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url string
		want      int
		contains  []string
	}{
		{"trends", "/trends", 200, []string{`data-testid="cell-AX"`, `data-testid="cell-CZ"`, `data-testid="dead-stock"`, `data-testid="fast-movers"`}},
		{"trends with a cell", "/trends?abc=A&xyz=X", 200, []string{`data-testid="cell-products"`}},
		{"cell fragment", "/fragments/trends/cell?abc=B&xyz=Y", 200, []string{`data-cell="BY"`}},
		{"unknown cell", "/fragments/trends/cell?abc=Q&xyz=X", 404, nil},
		{"product page loads insights", "/products/" + views.Itoa(p.ID), 200, []string{`hx-get="/fragments/products/` + views.Itoa(p.ID) + `/insights"`}},
		{"insights", "/fragments/products/" + views.Itoa(p.ID) + "/insights", 200, []string{
			`data-testid="forecast-method"`, `data-testid="demand-class"`, `data-testid="abc-xyz-class"`, `data-testid="product-restock"`,
			`data-testid="forecast-details"`, "Expect ~", "Forecast quality ",
			`src="/charts/products/` + views.Itoa(p.ID) + `/forecast.svg?v=`}},
		{"insights of an unknown product", "/fragments/products/999999/insights", 404, nil},
		{"insights of a new product without a supplier", "/fragments/products/" + views.Itoa(fresh.ID) + "/insights", 200, []string{
			`data-testid="forecast-learning"`, "New product — still learning", "No supplier: lead time 7 days assumed.", "new product"}},
		{"restock filter", "/restock?urgency=overdue", 200, []string{`data-testid="restock-results"`}},
		{"restock bad urgency", "/restock?urgency=soon", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.get(tt.url)
			if status != tt.want {
				t.Fatalf("status %d, want %d", status, tt.want)
			}
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("missing %s", s)
				}
			}
		})
	}
}

func TestETagMatch(t *testing.T) {
	tests := []struct {
		header, etag string
		want         bool
	}{
		{`"a"`, `"a"`, true},
		{`W/"a"`, `"a"`, true},
		{`"b", "a"`, `"a"`, true},
		{`*`, `"a"`, true},
		{``, `"a"`, false},
		{`"ab"`, `"a"`, false},
		{`a`, `"a"`, false},
	}
	for _, tt := range tests {
		if got := etagMatch(tt.header, tt.etag); got != tt.want {
			t.Errorf("etagMatch(%q, %q) = %v", tt.header, tt.etag, got)
		}
	}
}

func TestChartFilename(t *testing.T) {
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	tests := []struct{ name, subject, want string }{
		{"forecast", "SKU-1", "forecast-SKU-1-2026-11-27.svg"},
		{"forecast", `a"b/c d`, "forecast-a_b_c_d-2026-11-27.svg"},
		{"pareto", "", "pareto-2026-11-27.svg"},
	}
	for _, tt := range tests {
		if got := chartFilename(tt.name, tt.subject, day); got != tt.want {
			t.Errorf("chartFilename(%q, %q) = %q, want %q", tt.name, tt.subject, got, tt.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct{ got, want string }{
		{views.FormatMoney(1234567.891), "1,234,567.89"},
		{views.FormatMoney(-1234.5), "-1,234.50"},
		{views.FormatMoney(0), "0.00"},
		{views.FormatNumber(999), "999"},
		{views.FormatNumber(1000), "1,000"},
		{views.FormatPercent(0.125), "+12.5 %"},
		{views.FormatPercent(-0.5), "-50.0 %"},
		{views.Poll{Every: 10 * time.Second}.Trigger(), "every 10s"},
		{views.Poll{Every: 250 * time.Millisecond}.Trigger(), "every 250ms"},
		{views.Poll{Every: 30 * time.Second, Events: true}.Trigger(), "every 30s, smartinv:changed from:body"},
		{views.Poll{ETag: `"x"`}.Headers(), `{"If-None-Match":"\"x\""}`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
