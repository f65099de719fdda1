package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smartinventory/app"
	"smartinventory/db"
)

// TestBrowserRestockReview is the buyer's review in Chromium, on a desktop
// (1440 px) and a phone (390×844): select a supplier's suggestions with
// "Select all" (the collapsed group loads its rows), see the running count
// and total in the sticky bar, create, confirm in the dialog that names the
// supplier, and land on the result page linking the new draft.
func TestBrowserRestockReview(t *testing.T) {
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"desktop", 1440, 900}, {"phone", 390, 844}} {
		t.Run(vp.name, func(t *testing.T) {
			s := newSeededServer(t, Config{})
			b := newBrowser(t, s.URL)
			b.do("open login", chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(s.URL+"/restock"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
			b.do("sign in", chromedp.SendKeys(css("#username"), "clerk"), chromedp.SendKeys(css("#password"), testPassword),
				chromedp.Click(css(`[data-testid="login-submit"]`)), chromedp.WaitVisible(css(`[data-testid="restock-results"]`)))
			b.do("restock page", chromedp.Navigate(s.URL+"/restock"), chromedp.WaitVisible(css(`[data-testid="restock-bar"]`)))
			if got := b.text(`[data-testid="selection-summary"]`); got != "Nothing selected" {
				t.Errorf("before choosing: %q", got)
			}
			if n := eval[int](b, `document.querySelectorAll('[data-testid="pick"]').length`); n != 0 {
				t.Errorf("%d rows loaded before any group was opened", n)
			}
			b.shot("restock-" + vp.name)

			group := `[data-restock-group]:not([data-supplier="0"])`
			supplier := eval[string](b, `document.querySelector('`+group+`').getAttribute("data-supplier-name")`)
			value := eval[string](b, `document.querySelector('`+group+`').getAttribute("data-value")`)
			b.do("select the supplier", chromedp.Click(css(group+` [data-testid="select-supplier"]`)),
				chromedp.WaitVisible(css(group+` [data-testid="pick"]`)))
			pollCtx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			defer cancel()
			if _, err := chromedp.Run(pollCtx, chromedp.Poll[bool](`[...document.querySelectorAll('`+group+` [data-testid="pick"]')].every(p => p.checked)`)); err != nil {
				b.shot("failed-select-all-" + vp.name)
				t.Fatalf("select all did not check the loaded rows: %v", err)
			}
			want := "Create 1 order · " + value
			if got := b.text(`[data-testid="create-drafts"]`); got != want {
				t.Errorf("bar says %q, want %q", got, want)
			}
			picked := eval[int](b, `document.querySelectorAll('`+group+` [data-testid="pick"]:checked').length`)
			b.shot("restock-selected-" + vp.name)

			b.do("create", chromedp.Click(css(`[data-testid="create-drafts"]`)),
				chromedp.WaitVisible(css(`[data-testid="confirm-dialog"]`)))
			if got := b.text(`[data-testid="confirm-suppliers"]`); !strings.Contains(got, supplier) {
				t.Errorf("confirmation %q does not name %s", got, supplier)
			}
			b.shot("restock-confirm-" + vp.name)
			b.do("confirm", chromedp.Click(css(`[data-testid="confirm-create"]`)),
				chromedp.WaitVisible(css(`[data-testid="created-drafts"]`)))
			if got := b.text(`[data-testid="created-draft"]`); !strings.Contains(got, supplier) || !strings.Contains(got, "Draft PO #") {
				t.Errorf("result page %q", got)
			}
			b.shot("restock-created-" + vp.name)
			orders, n, err := s.app.Purchasing.ListOrders(context.Background(), app.System, app.OrderFilter{Status: "draft"})
			if err != nil || n != 1 || len(orders[0].Lines) != picked || orders[0].Status != db.PODraft {
				t.Fatalf("drafts = %d (%v), want one with %d lines", n, err, picked)
			}
			b.do("open the draft", chromedp.Click(css(`[data-testid="created-draft"] a`)),
				chromedp.WaitVisible(css(`[data-testid="page-heading"]`)))
			if path := eval[string](b, "location.pathname"); path != "/purchase-orders/"+itoa(orders[0].ID) {
				t.Errorf("landed on %s", path)
			}
			b.checkConsole()
		})
	}
}
