package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smartinventory/app"
)

// TestBrowserDashboard drives Chromium through the dashboard (live update
// by polling after a sale made through the JSON API), the charts, the
// product page, restock (create draft orders), trends and purchase
// orders, with screenshots of each and no console errors.
func TestBrowserDashboard(t *testing.T) {
	s := newSeededServer(t, Config{PollInterval: 300 * time.Millisecond, LivePollInterval: 300 * time.Millisecond})
	b := newBrowser(t, s.URL)
	run := func(name string, fn func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			b.t = t
			defer func() { b.t = nil }()
			fn(t)
		})
		b.t = t
	}

	run("login", func(t *testing.T) {
		b.do("open", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
		b.do("sign in",
			chromedp.SendKeys(css("#username"), "admin"),
			chromedp.SendKeys(css("#password"), testPassword),
			chromedp.Click(css(`[data-testid="login-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="dashboard"]`)))
	})

	run("dashboard updates by polling after an API sale", func(t *testing.T) {
		b.do("wait for the charts", chromedp.WaitVisible(css(`[data-testid="chart-sales"] img`)))
		// Mark this document and record htmx's poll statuses: a reload
		// would lose both.
		eval[bool](b, `(() => {
			window.__noReload = true; window.__statuses = [];
			document.body.addEventListener("htmx:afterRequest", e => window.__statuses.push(e.detail.xhr.status));
			return true; })()`)
		before := b.text(`[data-testid="kpi-sales-today-value"]`)
		// A few idle polls (the fragments poll every 300 ms here), each
		// answered 304.
		idle, cancelIdle := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancelIdle()
		if _, err := chromedp.Run(idle, chromedp.Poll[bool](`window.__statuses.filter(s => s === 304).length >= 3`)); err != nil {
			t.Errorf("idle polls answered %v, want three 304s: %v", eval[[]int](b, `window.__statuses`), err)
		}
		if got := b.text(`[data-testid="kpi-sales-today-value"]`); got != before {
			t.Fatalf("figure changed without a sale (or a 304 was swapped in): %q → %q", before, got)
		}
		b.shot("dashboard")

		apiSale(t, s, stockedSKU(t, s))
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		js := `document.querySelector('[data-testid="kpi-sales-today-value"]')?.textContent.trim() !== ` + jsString(before)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("sales today still %q after the API sale: %v", before, err)
		}
		if !eval[bool](b, `window.__noReload === true`) {
			t.Error("the page was reloaded")
		}
		if got := eval[[]int](b, `window.__statuses`); !containsInt(got, http.StatusOK) {
			t.Errorf("no poll answered 200 after the sale: %v", got)
		}
		t.Logf("sales today %s → %s", before, b.text(`[data-testid="kpi-sales-today-value"]`))
		b.shot("dashboard-after-sale")
	})

	run("charts are valid SVG", func(t *testing.T) {
		for _, key := range []string{"sales", "top-movers", "pareto", "categories"} {
			sel := `[data-testid="chart-` + key + `"] img`
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector('`+sel+`'); return !!i && i.complete && i.naturalWidth > 0; })()`))
			cancel()
			if err != nil {
				t.Errorf("chart %s not drawn: %v", key, err)
			}
		}
		res := eval[string](b, `(async () => {
			const r = await fetch("/charts/dashboard/sales.svg");
			const doc = new DOMParser().parseFromString(await r.text(), "image/svg+xml");
			if (doc.querySelector("parsererror")) return "parse error";
			return r.headers.get("Content-Type") + " " + doc.documentElement.nodeName;
		})()`)
		if res != "image/svg+xml svg" {
			t.Errorf("fetched chart: %s", res)
		}
		svg := eval[string](b, `fetch("/charts/dashboard/pareto.svg?width=600&height=300").then(r => r.text())`)
		if err := validXML(svg); err != nil || !strings.Contains(svg, "<svg") {
			t.Errorf("pareto chart is not valid SVG: %v", err)
		}
	})

	run("product page", func(t *testing.T) {
		p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, firstSKU(t, s))
		if err != nil {
			t.Fatal(err)
		}
		b.do("open", chromedp.Navigate(s.URL+"/products/"+itoa(p.ID)),
			chromedp.WaitVisible(css(`[data-testid="product-insights"] [data-testid="forecast-model"]`)))
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector('[data-testid="product-chart"] img'); return !!i && i.complete && i.naturalWidth > 0; })()`)); err != nil {
			t.Errorf("forecast chart not drawn: %v", err)
		}
		if m := b.text(`[data-testid="forecast-quality"]`); !strings.Contains(m, "simple method") {
			t.Errorf("no accuracy against the simple method: %q", m)
		}
		b.do("details", chromedp.Click(css(`[data-testid="forecast-details"] summary`)),
			chromedp.WaitVisible(css(`[data-testid="forecast-method"]`)))
		if m := b.text(`[data-testid="forecast-model"]`); !strings.Contains(m, "seasonal naive") {
			t.Errorf("no accuracy against seasonal naive in the details: %q", m)
		}
		b.shot("product-detail")
	})

	run("restock creates draft orders", func(t *testing.T) {
		b.do("open", chromedp.Navigate(s.URL+"/restock"), chromedp.WaitVisible(css(`[data-testid="draft-form"]`)))
		b.shot("restock")
		if n := eval[int](b, `document.querySelectorAll('[data-testid="restock-group"]').length`); n == 0 {
			t.Fatal("no suggestions to pick")
		}
		b.do("filter by urgency", chromedp.SetValue(css("#filter-urgency"), "overdue"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#filter-urgency").dispatchEvent(new Event("change", {bubbles: true}))`))
		if q := eval[string](b, `location.search`); q != "?urgency=overdue" {
			t.Errorf("filter URL %q", q)
		}
		group := `[data-restock-group]:not([data-supplier="0"])`
		b.do("all again", chromedp.Navigate(s.URL+"/restock"), chromedp.WaitVisible(css(`[data-testid="create-drafts"]`)),
			chromedp.Click(css(group+` [data-testid="select-supplier"]`)),
			chromedp.WaitVisible(css(group+` [data-testid="pick"]`)))
		b.do("create", chromedp.Click(css(`[data-testid="create-drafts"]`)),
			chromedp.WaitVisible(css(`[data-testid="confirm-dialog"]`)))
		b.do("confirm", chromedp.Click(css(`[data-testid="confirm-create"]`)),
			chromedp.WaitVisible(css(`[data-testid="flash-success"]`)),
			chromedp.WaitVisible(css(`[data-testid="created-draft"]`)))
		if msg := b.text(`[data-testid="flash-success"]`); !strings.Contains(msg, "Created") {
			t.Errorf("flash %q", msg)
		}
		b.do("drafts", chromedp.Navigate(s.URL+"/purchase-orders?status=draft"), chromedp.WaitVisible(css(`[data-testid="po-row"]`)))
		b.shot("purchase-orders")
	})

	run("purchase order detail", func(t *testing.T) {
		b.do("open", chromedp.Click(css(`[data-testid="po-link"]`)), chromedp.WaitVisible(css(`[data-testid="po-detail"]`)))
		// The admin drafted the order and bob, a manager, exists: under
		// the four-eyes rule only cancelling is offered.
		if n := eval[int](b, `document.querySelectorAll('[data-testid="po-approve"],[data-testid="po-cancel"],[data-testid="po-approve-note"]').length`); n != 2 {
			t.Errorf("admin sees %d of cancel and the four-eyes note on their own draft, want 2", n)
		}
		if n := eval[int](b, `document.querySelectorAll('[data-testid="po-approve"]').length`); n != 0 {
			t.Errorf("the drafter sees the Approve button under four-eyes")
		}
		b.shot("purchase-order")
	})

	run("trends", func(t *testing.T) {
		b.do("open", chromedp.Navigate(s.URL+"/trends"), chromedp.WaitVisible(css(`[data-testid="matrix"]`)),
			chromedp.Click(css(`[data-testid="cell-AX"]`)),
			chromedp.WaitVisible(css(`[data-testid="cell-products"][data-cell="AX"]`)))
		b.shot("trends")
	})

	b.checkConsole()
}

// apiSale records a sale of one unit of sku through the JSON API with an
// API token, as a till or another system would.
func apiSale(t *testing.T, s *testServer, sku string) {
	t.Helper()
	tok, err := s.app.Users.CreateToken(context.Background(), app.System, "clerk", "till", 0)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"sku": sku, "quantity": 1})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/sales", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("API sale: status %d", resp.StatusCode)
	}
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
