package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smartinventory/app"
	"smartinventory/db"
)

// TestBrowserCollab drives two Chromium instances (two users, separate
// cookies): a stale edit resolved once with "take theirs" and once with
// "keep mine", the product's History showing both users' changes; the
// settings page; and the Approve button following the approval rules
// (threshold, four-eyes) for the drafter, another manager and a clerk.
func TestBrowserCollab(t *testing.T) {
	s := newTestServer(t, Config{})
	alice := s.user(t, "alice", db.RoleManager)
	s.user(t, "bob", db.RoleManager)
	s.user(t, "carl", db.RoleClerk)
	p := s.product(t, "COLLAB-1", 5)
	productURL := s.URL + "/products/" + itoa(p.ID)

	a, b := newBrowser(t, s.URL), newBrowser(t, s.URL) // two browsers, two cookie jars
	login := func(br *browser, username string) {
		br.do("sign in as "+username, chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
			chromedp.SendKeys(css("#username"), username),
			chromedp.SendKeys(css("#password"), testPassword),
			chromedp.Click(css(`[data-testid="login-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="current-user"]`)))
	}
	logout := func(br *browser) {
		br.do("log out", chromedp.Click(css(`[data-testid="logout"]`)), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
	}
	run := func(name string, fn func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			a.t, b.t = t, t
			fn(t)
		})
		a.t, b.t = t, t
	}
	// bobSaves has B change one field of the product in its own session.
	bobSaves := func(field, value string) {
		b.do("B edits "+field, chromedp.Navigate(productURL+"/edit"), chromedp.WaitVisible(css(`[data-testid="product-form"]`)),
			chromedp.SetValue(css("#f-"+field), value),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-details"]`)))
	}
	login(a, "alice")
	login(b, "bob")

	run("conflict, take theirs", func(t *testing.T) {
		a.do("A opens the form", chromedp.Navigate(productURL+"/edit"), chromedp.WaitVisible(css(`[data-testid="product-form"]`)))
		bobSaves("name", "Bob's name")
		a.do("A saves a stale form", chromedp.SetValue(css("#f-description"), "Alice's description"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="conflict"]`)))
		if by := a.text(`[data-testid="conflict-by"]`); by != "bob" {
			t.Errorf("conflict by %q, want bob", by)
		}
		if theirs := a.text(`[data-testid="theirs-name"]`); !strings.Contains(theirs, "Bob's name") {
			t.Errorf("their name %q", theirs)
		}
		a.shot("collab-conflict-take-theirs")
		a.do("take theirs", chromedp.Click(css(`[data-testid="take-theirs"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-form"]`)))
		if n := eval[int](a, `document.querySelectorAll('[data-testid="conflict"]').length`); n != 0 {
			t.Error("the conflict view is still shown after taking theirs")
		}
		if v := eval[string](a, `document.querySelector("#f-name").value`); v != "Bob's name" {
			t.Errorf("name after take theirs %q", v)
		}
		if v := eval[string](a, `document.querySelector("#f-description").value`); v != "" {
			t.Errorf("description after take theirs %q, want A's change discarded", v)
		}
	})

	run("conflict, keep mine", func(t *testing.T) {
		a.do("A edits", chromedp.SetValue(css("#f-reorder_point"), "7"))
		bobSaves("unit_price", "19.99")
		a.do("A saves a stale form", chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="conflict"]`)))
		if theirs := a.text(`[data-testid="theirs-unit_price"]`); !strings.Contains(theirs, "19.99") {
			t.Errorf("their price %q", theirs)
		}
		a.shot("collab-conflict-keep-mine")
		a.do("keep mine", chromedp.Click(css(`[data-testid="keep-mine"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-details"]`)))
		got, err := s.app.Catalog.Product(context.Background(), app.System, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Bob's name" || got.ReorderPoint != 7 || got.UnitPrice != db.Money(1250) {
			t.Errorf("after keep mine: name %q, reorder point %d, price %s; want Bob's name, 7, 12.50 (A's form)", got.Name, got.ReorderPoint, got.UnitPrice)
		}
	})

	run("history shows both users' changes", func(t *testing.T) {
		a.do("A opens the product", chromedp.Navigate(productURL),
			chromedp.WaitVisible(css(`[data-testid="history"] [data-testid="audit-event"]`)))
		// Each event as user:action:changed fields (newest first).
		evs := eval[[]string](a, `[...document.querySelectorAll('[data-testid="history"] [data-testid="audit-event"]')].map(e =>
			e.dataset.user + ":" + e.dataset.action + ":" + [...e.querySelectorAll('[data-testid="audit-change"]')].map(c => c.dataset.field).join(","))`)
		want := []string{"alice:update:reorder_point,unit_price", "bob:update:unit_price", "bob:update:name", "system:create:"}
		if len(evs) != len(want) {
			t.Fatalf("history %q, want %q", evs, want)
		}
		for i := range want {
			if !strings.HasPrefix(evs[i], want[i]) {
				t.Errorf("event %d: %q, want %q", i, evs[i], want[i])
			}
		}
		change := eval[string](a, `document.querySelector('[data-testid="audit-event"][data-user="bob"] [data-testid="audit-change"][data-field="unit_price"]').textContent.replace(/\s+/g, " ").trim()`)
		if !strings.Contains(change, "12.50 → 19.99") {
			t.Errorf("bob's price change reads %q", change)
		}
		a.shot("collab-history")
	})

	run("settings", func(t *testing.T) {
		a.do("invalid threshold", chromedp.Navigate(s.URL+"/settings"), chromedp.WaitVisible(css(`[data-testid="settings-form"]`)),
			chromedp.SetValue(css("#f-approval_threshold"), "lots"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-approval_threshold"]`)))
		a.shot("collab-settings-error")
		a.do("valid threshold", chromedp.SetValue(css("#f-approval_threshold"), "100.00"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
		if v, _ := s.app.Settings.Get(context.Background(), app.System, app.SettingApprovalThreshold, ""); v != "100.00" {
			t.Errorf("threshold stored %q", v)
		}
	})

	run("approve button follows the rules", func(t *testing.T) {
		ctx := context.Background()
		sup, err := s.app.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme")})
		if err != nil {
			t.Fatal(err)
		}
		cost := db.Money(1000)
		po, err := s.app.Purchasing.CreateOrder(ctx, app.ActorFor(alice, "web"), app.POInput{SupplierID: &sup.ID,
			Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](20), UnitCost: &cost}}}) // 200.00 > 100.00
		if err != nil {
			t.Fatal(err)
		}
		poURL := s.URL + "/purchase-orders/" + itoa(po.ID)
		approveButtons := `document.querySelectorAll('[data-testid="po-approve"]').length`

		a.do("drafter opens the order", chromedp.Navigate(poURL), chromedp.WaitVisible(css(`[data-testid="po-actions"]`)))
		if n := eval[int](a, approveButtons); n != 0 {
			t.Error("the drafter sees Approve under four-eyes while bob exists")
		}
		if note := a.text(`[data-testid="po-approve-note"]`); !strings.Contains(note, "four-eyes") {
			t.Errorf("drafter's note %q", note)
		}
		a.shot("collab-po-drafter")

		logout(b)
		login(b, "carl")
		b.do("clerk opens the order", chromedp.Navigate(poURL), chromedp.WaitVisible(css(`[data-testid="po-actions"]`)))
		if n := eval[int](b, approveButtons); n != 0 {
			t.Error("a clerk sees Approve on an order over the threshold")
		}
		if note := b.text(`[data-testid="po-approve-note"]`); !strings.Contains(note, "manager") {
			t.Errorf("clerk's note %q", note)
		}
		b.do("clerk comments", chromedp.WaitVisible(css(`[data-testid="comment-form"]`)),
			chromedp.SendKeys(css(`[data-testid="comment-body-input"]`), "Waiting for the supplier's price"),
			chromedp.Click(css(`[data-testid="comment-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="comment"]`)))
		if au := b.text(`[data-testid="comment-author"]`); au != "carl" {
			t.Errorf("comment author %q", au)
		}
		b.shot("collab-po-clerk")

		logout(b)
		login(b, "bob")
		b.do("manager opens the order", chromedp.Navigate(poURL), chromedp.WaitVisible(css(`[data-testid="po-approve"]`)))
		b.shot("collab-po-manager")
		b.do("manager approves", chromedp.Click(css(`[data-testid="po-approve"]`)),
			chromedp.WaitVisible(css(`[data-testid="flash-success"]`)),
			chromedp.WaitVisible(css(`[data-testid="history"] [data-testid="audit-event"]`)))
		if s := b.text(`[data-testid="po-status"]`); !strings.Contains(strings.ToLower(s), "approved") {
			t.Errorf("status after approval %q", s)
		}
		evs := eval[[]string](b, `[...document.querySelectorAll('[data-testid="history"] [data-testid="audit-event"]')].map(e => e.dataset.user + ":" + e.dataset.action)`)
		if len(evs) < 2 || evs[0] != "bob:approve" || evs[1] != "carl:comment" {
			t.Errorf("order history %q, want bob:approve then carl:comment first", evs)
		}
		b.shot("collab-po-approved")
	})

	a.checkConsole()
	b.checkConsole()
}
