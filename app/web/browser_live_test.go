package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboardLive checks that the dashboard is pushed changes:
// a sale recorded through the service layer shows in the KPI cards within
// seconds, although the fragments poll only once a minute, and the event
// stream is closed when the browser leaves the page.
func TestBrowserDashboardLive(t *testing.T) {
	s := newSeededServer(t, Config{LivePollInterval: time.Minute})
	b := newBrowser(t, s.URL)
	b.do("sign in", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css("#username"), "viewer"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="dashboard"]`)))

	if trig := eval[string](b, `document.querySelector('[data-testid="dashboard-kpis"]').getAttribute("hx-trigger")`); trig != "every 60s, smartinv:changed from:body" {
		t.Errorf("KPI fragment hx-trigger %q", trig)
	}
	waitFor(t, 5*time.Second, "the page's event stream", func() bool { return s.openEventStreams() == 1 })
	eval[bool](b, `(() => { window.__noReload = true; return true; })()`)
	before := b.text(`[data-testid="kpi-sales-today-value"]`)

	start := time.Now()
	s.sell(t)
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	js := `document.querySelector('[data-testid="kpi-sales-today-value"]')?.textContent.trim() !== ` + jsString(before)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
		b.shot("live-not-updated")
		t.Fatalf("sales today still %q 5 s after the sale (the fragments poll every minute): %v", before, err)
	}
	t.Logf("sales today %s → %s in %s", before, b.text(`[data-testid="kpi-sales-today-value"]`), time.Since(start).Round(time.Millisecond))
	if !eval[bool](b, `window.__noReload === true`) {
		t.Error("the page was reloaded")
	}
	b.shot("dashboard-live")

	b.do("leave", chromedp.Navigate(s.URL+"/products"), chromedp.WaitVisible(css(`[data-testid="product-results"]`)))
	waitFor(t, 5*time.Second, "the stream to close after leaving the page", func() bool { return s.openEventStreams() == 0 })
	if strings.Contains(eval[string](b, `document.body.innerHTML`), "data-live-events") {
		t.Error("the products page listens to the event stream")
	}
	b.checkConsole()
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
