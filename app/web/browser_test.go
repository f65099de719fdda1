package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smartinventory/app"
	"smartinventory/db"
)

// browser drives one Chromium tab and collects its console messages.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // screenshots

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	arrived chan struct{} // gets a value (when empty) as each console message arrives
}

// newBrowser starts Chromium (skipping the test when it is not installed).
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed: apt-get install -y chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelA)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	dir := os.Getenv("SMARTINV_SCREENSHOTS") // keep screenshots after the test
	if dir == "" {
		dir = t.TempDir()
	}
	b := &browser{t: t, ctx: bctx, base: base, dir: dir, arrived: make(chan struct{}, 1)}
	msgs := chromedp.Console(bctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
			select {
			case b.arrived <- struct{}{}:
			default:
			}
		}
	}()
	return b
}

// do runs steps or fails the test with what.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.mu.Lock()
		for _, m := range b.console {
			b.t.Logf("console %s %s: %s", m.Type, m.URL, m.Text)
		}
		b.mu.Unlock()
		b.t.Fatalf("%s: %v", what, err)
	}
	// Wait until the page has loaded, htmx (a deferred script) has
	// initialised and no swap is settling, so that the next step's clicks
	// reach elements htmx has already processed.
	ready := `document.readyState === "complete" && !!window.htmx && !document.querySelector(".htmx-request, .htmx-settling, .htmx-added, .htmx-swapping")`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready)); err != nil {
		b.t.Fatalf("%s: page not ready: %v", what, err)
	}
}

// text returns the text of the element matching css.
//
// The element is found and read in one evaluation inside the page, so a
// fragment that htmx swaps in between cannot make the read fail (as
// chromedp.Text, which queries the node and reads it in two round trips,
// can when a poll replaces the node in between).
func (b *browser) text(css string) string {
	b.t.Helper()
	sel := jsString(css)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector(`+sel+`) !== null`)); err != nil {
		b.t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(eval[string](b, `(document.querySelector(`+sel+`) || {}).innerText ?? ""`))
}

// eval evaluates js (awaiting a promise) and returns its value.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// shot saves a full-page PNG screenshot and logs its path.
func (b *browser) shot(name string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("write %s: %v", path, err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}

// expectedNetworkError matches the browser-log lines of the error statuses
// the test provokes on purpose (form errors 400, the conflict 409, the
// forged POSTs 403, the visit of an unknown page 404).
var expectedNetworkError = regexp.MustCompile(`status of (400|409|403|404) `)

// checkConsole fails the test on any console error or exception other
// than the expected error statuses. It first logs a marker and waits for
// it: the browser reports console messages in order, so every message
// from before has arrived by then.
func (b *browser) checkConsole() {
	b.t.Helper()
	marker := "smartinventory-test-flush-" + strconv.FormatInt(time.Now().UnixNano(), 10)
	eval[bool](b, `(console.log(`+jsString(marker)+`), true)`)
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for !b.logged(marker) {
		select {
		case <-b.arrived:
		case <-deadline.C:
			b.t.Fatalf("console message %q not received within 10 s", marker)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
			continue
		}
		if m.Type == chromedp.ConsoleError && expectedNetworkError.MatchString(m.Text) {
			continue
		}
		b.t.Errorf("console %s at %s: %s", m.Type, m.URL, m.Text)
	}
}

// logged reports whether a console message with text has arrived.
func (b *browser) logged(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if strings.Contains(m.Text, text) {
			return true
		}
	}
	return false
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

func TestBrowser(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "admin", db.RoleAdmin)
	bob := s.user(t, "bob", db.RoleManager)
	s.user(t, "viewer", db.RoleViewer)
	s.product(t, "EXIST-1", 20)
	b := newBrowser(t, s.URL)

	login := func(username string) {
		b.do("open login", chromedp.Navigate(s.URL+"/products"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
		b.do("sign in as "+username,
			chromedp.SendKeys(css("#username"), username),
			chromedp.SendKeys(css("#password"), testPassword),
			chromedp.Click(css(`[data-testid="login-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-results"]`)))
	}

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
		b.shot("login")
		login("admin")
		if role := b.text(`[data-testid="current-role"]`); !strings.EqualFold(role, "admin") {
			t.Errorf("role in header %q", role)
		}
		b.shot("products")
	})

	run("active search", func(t *testing.T) {
		b.do("search", chromedp.SendKeys(css("#f-q"), "nothing"),
			chromedp.WaitVisible(css(`[data-testid="product-results"] [data-testid="empty-state"]`)))
		if loc := eval[string](b, "location.search"); loc != "?q=nothing" {
			t.Errorf("URL not kept in sync: %q", loc)
		}
		b.do("back", chromedp.NavigateBack(), chromedp.WaitVisible(css(`tr[data-sku="EXIST-1"]`)))
	})

	var productURL string
	run("create product with a validation error", func(t *testing.T) {
		b.do("open form", chromedp.Navigate(s.URL+"/products/new"), chromedp.WaitVisible(css(`[data-testid="product-form"]`)),
			chromedp.SendKeys(css("#f-sku"), "NEW-1"),
			chromedp.SetValue(css("#f-unit_price"), "4.50"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-name"]`)))
		b.shot("product-form-errors")
		if v := eval[string](b, `document.querySelector("#f-sku").value`); v != "NEW-1" {
			t.Errorf("typed SKU not kept: %q", v)
		}
		b.do("fix and save", chromedp.SendKeys(css("#f-name"), "New widget"),
			chromedp.SetValue(css("#f-stock"), "10"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-details"]`)))
		if stock := b.text(`[data-testid="product-stock"]`); stock != "10" {
			t.Errorf("stock %q", stock)
		}
		productURL = eval[string](b, `location.pathname`)
		b.shot("product")
	})

	run("record a sale", func(t *testing.T) {
		b.do("sale form", chromedp.Navigate(s.URL+"/products"), chromedp.WaitVisible(css(`[data-testid="record-sale-link"]`)),
			chromedp.Click(css(`[data-testid="record-sale-link"]`)),
			chromedp.WaitVisible(css(`[data-testid="sale-form"]`)),
			chromedp.SendKeys(css("#f-sku"), "NEW-1"),
			chromedp.WaitReady(css(`#product-options option[value="NEW-1"]`)),
			chromedp.SetValue(css("#f-quantity"), "3"),
			chromedp.Click(css("#f-quantity")),
			chromedp.WaitVisible(css(`[data-testid="summary-price"]`)))
		if price := b.text(`[data-testid="summary-price"]`); price != "4.50" {
			t.Errorf("default price shown %q", price)
		}
		b.do("save sale", chromedp.Click(css(`[data-testid="save-sale"]`)),
			chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
		if msg := b.text(`[data-testid="flash-success"]`); !strings.Contains(msg, "3 × NEW-1") || !strings.Contains(msg, "Stock now 7") {
			t.Errorf("flash %q", msg)
		}
		b.shot("sales")
	})

	run("void a sale with htmx", func(t *testing.T) {
		b.do("void", chromedp.Click(css(`[data-testid="void-sale"]`)),
			chromedp.WaitVisible(css(`[data-testid="confirm-void"]`)))
		b.do("confirm void", chromedp.Click(css(`[data-testid="confirm-void"]`)),
			chromedp.WaitVisible(css(`[data-testid="sale-voided"]`)))
	})

	run("stale edit shows the conflict view", func(t *testing.T) {
		b.do("edit", chromedp.Navigate(s.URL+productURL+"/edit"), chromedp.WaitVisible(css(`[data-testid="product-form"]`)))
		p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, "NEW-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.app.Catalog.UpdateProduct(context.Background(), app.ActorFor(bob, "web"), p.ID,
			app.ProductInput{Name: app.Ptr("Bob's widget"), Version: app.Ptr(p.Version)}, false); err != nil {
			t.Fatal(err)
		}
		b.do("save stale", chromedp.SetValue(css("#f-name"), "Admin's widget"),
			chromedp.Click(css(`[data-testid="save"]`)),
			chromedp.WaitVisible(css(`[data-testid="conflict"]`)))
		if by := b.text(`[data-testid="conflict-by"]`); by != "bob" {
			t.Errorf("changed by %q", by)
		}
		if theirs := b.text(`[data-testid="theirs-name"]`); !strings.Contains(theirs, "Bob's widget") {
			t.Errorf("their value %q", theirs)
		}
		b.shot("conflict")
		b.do("keep mine", chromedp.Click(css(`[data-testid="keep-mine"]`)),
			chromedp.WaitVisible(css(`[data-testid="product-details"]`)))
		if h := b.text(`[data-testid="page-heading"] h1`); !strings.Contains(h, "Admin's widget") {
			t.Errorf("after keep mine: %q", h)
		}
	})

	run("pages", func(t *testing.T) {
		for _, pg := range []struct{ path, testid string }{
			{"/stock", "movement-results"}, {"/suppliers", "supplier-results"}, {"/categories", "category-results"},
			{"/users", "user-results"}, {"/", "dashboard"}, {"/no-such-page", "error-404"},
		} {
			b.do("open "+pg.path, chromedp.Navigate(s.URL+pg.path), chromedp.WaitVisible(css(`[data-testid="`+pg.testid+`"]`)))
			name := strings.Trim(strings.ReplaceAll(pg.path, "/", "-"), "-")
			if name == "" {
				name = "dashboard"
			}
			b.shot(name)
		}
		b.do("phone width", chromedp.EmulateViewport(390, 844), chromedp.Navigate(s.URL+"/products"),
			chromedp.WaitVisible(css(`[data-testid="product-results"]`)))
		b.shot("products-phone")
		b.do("desktop width", chromedp.EmulateViewport(1280, 900))
	})

	run("viewer", func(t *testing.T) {
		b.do("log out", chromedp.Click(css(`[data-testid="logout"]`)), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
		login("viewer")
		n := eval[int](b, `document.querySelectorAll('[data-testid="edit-product"],[data-testid="delete-product"],[data-testid="new-product"],[data-testid="record-sale-link"]').length`)
		if n != 0 {
			t.Errorf("viewer sees %d edit controls", n)
		}
		b.shot("products-viewer")
		forge := `(async (token) => {
			const body = new URLSearchParams({sku: "FORGED-1", name: "Forged"});
			if (token !== null) body.set("_csrf", token);
			const r = await fetch("/products", {method: "POST", body});
			return r.status;
		})`
		for _, tt := range []struct {
			name, arg string
			want      int
		}{
			{"without token", "null", 403},
			{"wrong token", `"forged"`, 403},
			{"valid token, viewer role", `document.querySelector('meta[name="csrf-token"]').content`, 403},
		} {
			if got := eval[int](b, forge+"("+tt.arg+")"); got != tt.want {
				t.Errorf("forged POST %s: status %d, want %d", tt.name, got, tt.want)
			}
		}
		if _, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, "FORGED-1"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("forged product exists: %v", err)
		}
	})

	b.checkConsole()
}
