package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"smartinventory/app"
	"smartinventory/db"
)

// TestBrowserPurchaseOrder edits a draft's lines, receives everything and
// opens the print view, at desktop (1440 px) and phone (390×844) widths.
func TestBrowserPurchaseOrder(t *testing.T) {
	f := newPOFixture(t)
	s := f.s
	b := newBrowser(t, s.URL)
	poURL := s.URL + f.path
	a, bb, c := itoa(f.a.ID), itoa(f.b.ID), itoa(f.extra.ID)
	// noOverflow is true when the page does not scroll sideways.
	const noOverflow = `document.documentElement.scrollWidth <= window.innerWidth`

	b.do("open login", chromedp.EmulateViewport(1440, 900), chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
	b.do("sign in as clerk", chromedp.SendKeys(css("#username"), "clerk"), chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`[data-testid="login-submit"]`)), chromedp.WaitVisible(css(`[data-testid="logout"]`)))

	b.do("open the draft", chromedp.Navigate(poURL), chromedp.WaitVisible(css(`[data-testid="po-lines-form"]`)))
	b.shot("po-draft-1440")
	b.do("edit the lines",
		chromedp.SetValue(css("#f-qty-"+a), "12"),
		chromedp.SetValue(css("#f-cost-"+a), "3.75"),
		chromedp.Click(css(`tr[data-sku="PO-B"] [data-testid="po-line-remove"]`)),
		chromedp.SendKeys(css("#f-add-sku"), "PO-C"),
		chromedp.SendKeys(css("#f-add-qty"), "6"),
		chromedp.Click(css(`[data-testid="po-save-lines"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
	if v := eval[string](b, `document.querySelector("#f-qty-`+a+`").value`); v != "12" {
		t.Errorf("quantity of PO-A after saving %q", v)
	}
	if n := eval[int](b, `document.querySelectorAll("#f-qty-`+bb+`").length`); n != 0 {
		t.Error("the removed line PO-B is still shown")
	}
	if v := eval[string](b, `document.querySelector("#f-qty-`+c+`").value`); v != "6" {
		t.Errorf("added line PO-C quantity %q", v)
	}
	po := f.order(t)
	if len(po.Lines) != 2 || po.Lines[0].Quantity != 12 || po.Lines[0].UnitCost != 375 || po.Lines[1].ProductID != f.extra.ID {
		t.Fatalf("stored lines %+v %+v", po.Lines[0], po.Lines[len(po.Lines)-1])
	}
	b.shot("po-draft-saved-1440")
	b.do("phone width", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="po-lines-form"]`)))
	if !eval[bool](b, noOverflow) {
		t.Log(eval[string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth && !e.closest("table")).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("\n")`))
		t.Error("the draft page scrolls sideways at 390 px")
	}
	b.shot("po-draft-390")

	ctx := context.Background()
	if _, err := s.app.Purchasing.Approve(ctx, app.System, f.po.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Purchasing.MarkOrdered(ctx, app.System, f.po.ID, nil); err != nil {
		t.Fatal(err)
	}
	b.do("open the ordered order", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="po-receive-all"]`)))
	if !eval[bool](b, noOverflow) {
		t.Error("the receipt form scrolls sideways at 390 px")
	}
	b.shot("po-receive-390")
	b.do("desktop width", chromedp.EmulateViewport(1440, 900), chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="po-receive-all"]`)))
	if label := b.text(`[data-testid="po-receive-all"]`); label != "Receive all (18 units)" {
		t.Errorf("Receive all label %q", label)
	}
	b.shot("po-receive-1440")
	b.do("receive all", chromedp.Click(css(`[data-testid="po-receive-all"]`)), chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
	if st := b.text(`[data-testid="po-status"]`); !strings.EqualFold(st, string(db.POReceived)) {
		t.Errorf("status after Receive all %q", st)
	}
	if got := f.order(t); got.Status != db.POReceived || got.Lines[0].ReceivedQty != 12 || got.Lines[1].ReceivedQty != 6 {
		t.Errorf("after Receive all: %s %+v %+v", got.Status, got.Lines[0], got.Lines[1])
	}
	b.shot("po-received-1440")

	b.do("open the print view", chromedp.Click(css(`[data-testid="po-print"]`)), chromedp.WaitVisible(css(`[data-testid="po-print-lines"]`)))
	if n := eval[int](b, `document.querySelectorAll('[data-testid="po-print-line"]').length`); n != 2 {
		t.Errorf("print view lines %d, want 2", n)
	}
	if total := b.text(`[data-testid="po-print-total"]`); total != "69.00" {
		t.Errorf("print total %q, want 69.00", total)
	}
	b.shot("po-print-1440")
	b.do("print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if !eval[bool](b, `[...document.querySelectorAll(".no-print")].every(e => getComputedStyle(e).display === "none")`) {
		t.Error("the print stylesheet keeps the screen-only links")
	}
	b.shot("po-print-media")
	b.do("screen media, phone", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}), chromedp.EmulateViewport(390, 844))
	if !eval[bool](b, noOverflow) {
		t.Error("the print view scrolls sideways at 390 px")
	}
	b.shot("po-print-390")
	b.checkConsole()
}

// TestBrowserSaleByName records a sale by typing the product's name, at
// 1440 px and at 390×844.
func TestBrowserSaleByName(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "clerk", db.RoleClerk)
	p := s.product(t, "TEA-1", 10) // "Product TEA-1"
	s.product(t, "MUG-1", 10)
	b := newBrowser(t, s.URL)
	b.do("open login", chromedp.EmulateViewport(1440, 900), chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
	b.do("sign in as clerk", chromedp.SendKeys(css("#username"), "clerk"), chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`[data-testid="login-submit"]`)), chromedp.WaitVisible(css(`[data-testid="logout"]`)))
	for i, size := range []struct {
		name string
		w, h int64
	}{{"1440", 1440, 900}, {"390", 390, 844}} {
		b.do("sale form at "+size.name, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(s.URL+"/sales/new"),
			chromedp.WaitVisible(css(`[data-testid="sale-form"]`)),
			chromedp.SendKeys(css("#f-sku"), "product tea-1"),
			chromedp.Click(css("#f-quantity")), // leaves the product field: its change shows the match
			chromedp.WaitVisible(css(`[data-testid="summary-match"]`)))
		if got := b.text(`[data-testid="summary-match"]`); !strings.Contains(got, "Matched by name: TEA-1") {
			t.Errorf("match line %q", got)
		}
		if !eval[bool](b, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the sale form scrolls sideways at %s px", size.name)
		}
		b.shot("sale-by-name-" + size.name)
		b.do("record", chromedp.Click(css(`[data-testid="save-sale"]`)), chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
		if msg := b.text(`[data-testid="flash-success"]`); !strings.Contains(msg, "1 × TEA-1 (Product TEA-1), matched by name") {
			t.Errorf("flash %q", msg)
		}
		if got, _ := s.app.Catalog.Product(context.Background(), app.System, p.ID); got.Stock != int64(9-i) {
			t.Errorf("stock after %d sales: %d", i+1, got.Stock)
		}
	}
	b.shot("sale-by-name-recorded-390")
	b.checkConsole()
}
