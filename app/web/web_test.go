package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

func TestWeb_RedirectsToLogin(t *testing.T) {
	s := newTestServer(t, Config{})
	tests := []struct {
		path, want string
	}{
		{"/", "/login"},
		{"/products", "/login?next=%2Fproducts"},
		{"/products?q=a&sort=-stock", "/login?next=%2Fproducts%3Fq%3Da%26sort%3D-stock"},
		{"/users", "/login?next=%2Fusers"},
		{"/sales/new", "/login?next=%2Fsales%2Fnew"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, h, _ := s.client(t).get(tt.path)
			if status != http.StatusSeeOther || h.Get("Location") != tt.want {
				t.Errorf("GET %s: %d %q, want 303 %q", tt.path, status, h.Get("Location"), tt.want)
			}
		})
	}
	t.Run("htmx", func(t *testing.T) {
		status, h, _ := s.client(t).get("/products", "HX-Request", "true")
		if status != http.StatusOK || h.Get("HX-Redirect") != "/login" {
			t.Errorf("htmx GET: %d HX-Redirect %q, want 200 /login", status, h.Get("HX-Redirect"))
		}
	})
}

func TestWeb_Login(t *testing.T) {
	s := newTestServer(t, Config{LoginBurst: 3})
	s.user(t, "alice", db.RoleManager)

	c := s.client(t)
	c.get("/login")
	status, _, body := c.post("/login", url.Values{"username": {"alice"}, "password": {"wrong password"}})
	if status != http.StatusUnauthorized || !strings.Contains(body, `data-testid="login-error"`) || !strings.Contains(body, `value="alice"`) {
		t.Fatalf("wrong password: status %d, want 401 with the error and the username kept", status)
	}
	status, h, _ := c.post("/login", url.Values{"username": {"alice"}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("login: %d %q, want 303 / (a foreign next is ignored)", status, h.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range c.http.Jar.Cookies(mustURL(t, s.URL)) {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	_, _, body = c.get("/products")
	if !strings.Contains(body, `data-testid="current-role">manager<`) {
		t.Error("the header does not show the role")
	}

	t.Run("rate limit", func(t *testing.T) {
		c := s.client(t)
		c.get("/login")
		var last int
		for range 4 {
			last, _, _ = c.post("/login", url.Values{"username": {"mallory"}, "password": {"guess"}})
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("4th attempt with burst 3: status %d, want 429", last)
		}
	})

	t.Run("logout", func(t *testing.T) {
		c := s.login(t, "alice")
		status, h, _ := c.post("/logout", url.Values{})
		if status != http.StatusSeeOther || h.Get("Location") != "/login" {
			t.Fatalf("logout: %d %q", status, h.Get("Location"))
		}
		if status, _, _ := c.get("/products"); status != http.StatusSeeOther {
			t.Errorf("after logout GET /products: %d, want 303", status)
		}
	})

	t.Run("deactivated user is signed out", func(t *testing.T) {
		u := s.user(t, "bob", db.RoleClerk)
		c := s.login(t, "bob")
		if _, err := s.app.Users.UpdateUser(context.Background(), app.System, u.ID, app.UserInput{Active: app.Ptr(false)}); err != nil {
			t.Fatal(err)
		}
		status, h, _ := c.get("/sales")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("deactivated: %d %q, want a redirect to /login", status, h.Get("Location"))
		}
	})
}

func TestWeb_CSRF(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleManager)
	c := s.login(t, "alice")
	form := func(token string) url.Values {
		v := url.Values{"sku": {"CSRF-1"}, "name": {"Widget"}}
		if token != "-" {
			v.Set("_csrf", token)
		}
		return v
	}
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"missing token", "", http.StatusForbidden},
		{"wrong token", "forged-token", http.StatusForbidden},
		{"other session's token", s.web.csrfToken(context.Background(), session{Nonce: "someone else"}), http.StatusForbidden},
		{"valid token", c.csrf, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.post("/products", form(tt.token))
			if status != tt.want {
				t.Errorf("status %d, want %d; body %.200s", status, tt.want, body)
			}
		})
	}
	t.Run("cross-site", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/logout", strings.NewReader("_csrf="+c.csrf))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if status, _, _ := c.do(req); status != http.StatusForbidden {
			t.Errorf("cross-site POST: %d, want 403", status)
		}
	})
	t.Run("API with the session cookie", func(t *testing.T) {
		if status, _, _ := c.get("/api/v1/products"); status != http.StatusOK {
			t.Errorf("API GET with the session: %d, want 200", status)
		}
		body := `{"sku":"API-1","name":"From the browser"}`
		if status, _, _ := c.postJSON("/api/v1/products", body); status != http.StatusUnauthorized {
			t.Errorf("API POST with the session and no CSRF header: %d, want 401", status)
		}
		if status, _, _ := c.postJSON("/api/v1/products", body, "X-CSRF-Token", "forged"); status != http.StatusUnauthorized {
			t.Errorf("API POST with a wrong CSRF header: %d, want 401", status)
		}
		if status, _, b := c.postJSON("/api/v1/products", body, "X-CSRF-Token", c.csrf); status != http.StatusCreated {
			t.Errorf("API POST with the CSRF header: %d, want 201; %s", status, b)
		}
	})
}

func TestWeb_Roles(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "viewer", db.RoleViewer)
	s.user(t, "clerk", db.RoleClerk)
	p := s.product(t, "ROLE-1", 5)
	id := "/products/" + itoa(p.ID)
	tests := []struct {
		user   string
		method string
		path   string
		want   int
	}{
		{"viewer", "GET", "/products", http.StatusOK},
		{"viewer", "GET", "/products/new", http.StatusForbidden},
		{"viewer", "GET", id + "/edit", http.StatusForbidden},
		{"viewer", "POST", id, http.StatusForbidden},
		{"viewer", "POST", id + "/delete", http.StatusForbidden},
		{"viewer", "GET", "/sales/new", http.StatusForbidden},
		{"viewer", "POST", "/sales", http.StatusForbidden},
		{"viewer", "GET", "/users", http.StatusForbidden},
		{"clerk", "GET", "/sales/new", http.StatusOK},
		{"clerk", "GET", "/products/new", http.StatusForbidden},
		{"clerk", "GET", "/users", http.StatusForbidden},
	}
	clients := map[string]*client{"viewer": s.login(t, "viewer"), "clerk": s.login(t, "clerk")}
	for _, tt := range tests {
		t.Run(tt.user+" "+tt.method+" "+tt.path, func(t *testing.T) {
			c := clients[tt.user]
			var status int
			var body string
			if tt.method == "GET" {
				status, _, body = c.get(tt.path)
			} else {
				status, _, body = c.post(tt.path, url.Values{"sku": {"X"}, "quantity": {"1"}})
			}
			if status != tt.want {
				t.Errorf("status %d, want %d", status, tt.want)
			}
			if tt.want == http.StatusForbidden && !strings.Contains(body, `data-testid="error-403"`) {
				t.Errorf("no 403 page: %.300s", body)
			}
		})
	}
	t.Run("viewer sees no edit buttons", func(t *testing.T) {
		_, _, body := clients["viewer"].get("/products")
		for _, id := range []string{"new-product", "edit-product", "delete-product", "record-sale-link", "nav-users"} {
			if strings.Contains(body, `data-testid="`+id+`"`) {
				t.Errorf("viewer's product list has %s", id)
			}
		}
		if !strings.Contains(body, `data-sku="ROLE-1"`) {
			t.Error("viewer's product list lacks the product")
		}
	})
}

func TestWeb_ProductForm(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleManager)
	c := s.login(t, "alice")
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantErrors []string
		wantValues []string
	}{
		{"parse errors", url.Values{"sku": {"OK-1"}, "name": {"Widget"}, "unit_price": {"abc"}, "pack_size": {"two"}},
			http.StatusBadRequest, []string{"unit_price", "pack_size"}, []string{`value="abc"`, `value="two"`, `value="Widget"`}},
		{"service validation", url.Values{"sku": {"has space"}, "name": {""}, "unit_price": {"-1"}, "active": {"false", "true"}},
			http.StatusBadRequest, []string{"sku", "name", "unit_price"}, []string{`value="has space"`, `value="-1"`}},
		{"valid", url.Values{"sku": {"OK-1"}, "name": {"Widget"}, "unit_price": {"9.99"}, "stock": {"4"}},
			http.StatusSeeOther, nil, nil},
		{"duplicate SKU", url.Values{"sku": {"OK-1"}, "name": {"Again"}}, // a conflict, 409 as in the API
			http.StatusConflict, []string{"sku"}, []string{`value="Again"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.post("/products", tt.form)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d; %.300s", status, tt.wantStatus, body)
			}
			for _, f := range tt.wantErrors {
				if !strings.Contains(body, `data-testid="error-`+f+`"`) {
					t.Errorf("no inline error for %s", f)
				}
			}
			for _, v := range tt.wantValues {
				if !strings.Contains(body, v) {
					t.Errorf("typed value %s not kept", v)
				}
			}
		})
	}
	p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, "OK-1")
	if err != nil || p.Stock != 4 || p.UnitPrice != 999 {
		t.Fatalf("created product %+v, %v", p, err)
	}
}

func TestWeb_StaleEditShowsConflict(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleManager)
	bob := s.user(t, "bob", db.RoleManager)
	p := s.product(t, "STALE-1", 1)
	c := s.login(t, "alice")
	if _, err := s.app.Catalog.UpdateProduct(context.Background(), app.ActorFor(bob, "web"), p.ID,
		app.ProductInput{Name: app.Ptr("Bob's name"), Version: app.Ptr(p.Version)}, false); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"sku": {"STALE-1"}, "name": {"Alice's name"}, "version": {itoa(p.Version)}, "pack_size": {"1"}, "min_order_qty": {"1"}}
	status, _, body := c.post("/products/"+itoa(p.ID), form)
	if status != http.StatusConflict {
		t.Fatalf("stale edit: status %d, want 409", status)
	}
	for _, want := range []string{`data-testid="conflict"`, `data-testid="conflict-by">bob<`, `value="Alice&#39;s name"`,
		`data-testid="theirs-name"`, "Bob&#39;s name", `name="version" value="` + itoa(p.Version+1) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict view lacks %s", want)
		}
	}
	form.Set("version", itoa(p.Version+1)) // keep mine
	if status, _, _ := c.post("/products/"+itoa(p.ID), form); status != http.StatusSeeOther {
		t.Fatalf("keep mine: status %d", status)
	}
	got, _ := s.app.Catalog.Product(context.Background(), app.System, p.ID)
	if got.Name != "Alice's name" {
		t.Errorf("name %q after keep mine", got.Name)
	}
}

func TestWeb_ErrorPages(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleAdmin)
	c := s.login(t, "alice")
	tests := []struct {
		path   string
		status int
		testid string
	}{
		{"/no-such-page", http.StatusNotFound, "error-404"},
		{"/products/999999", http.StatusNotFound, "error-404"},
		{"/products/abc/edit", http.StatusNotFound, "error-404"},
		{"/users/424242/edit", http.StatusNotFound, "error-404"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, h, body := c.get(tt.path)
			if status != tt.status || !strings.Contains(body, `data-testid="`+tt.testid+`"`) {
				t.Errorf("status %d, want %d with %s", status, tt.status, tt.testid)
			}
			if !strings.Contains(h.Get("Content-Type"), "text/html") || !strings.Contains(body, `data-testid="nav"`) {
				t.Error("error page is not the HTML layout with the navigation")
			}
		})
	}
	if status, h, _ := c.get("/api/v1/no-such"); status != http.StatusNotFound || !strings.Contains(h.Get("Content-Type"), "problem+json") {
		t.Errorf("API 404 became %d %s", status, h.Get("Content-Type"))
	}
}

func TestWeb_ListFragments(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "viewer", db.RoleViewer)
	for _, sku := range []string{"ALPHA-1", "ALPHA-2", "BETA-1"} {
		s.product(t, sku, 3)
	}
	c := s.login(t, "viewer")
	status, h, body := c.get("/products?q=alpha&category=&sort=-sku", "HX-Request", "true")
	if status != http.StatusOK || strings.Contains(body, "<html") {
		t.Fatalf("htmx list: %d, want a fragment", status)
	}
	if h.Get("HX-Push-Url") != "/products?q=alpha&sort=-sku" || !strings.Contains(h.Get("Vary"), "HX-Request") {
		t.Errorf("HX-Push-Url %q, Vary %q", h.Get("HX-Push-Url"), h.Get("Vary"))
	}
	if strings.Contains(body, "BETA-1") || strings.Index(body, "ALPHA-2") > strings.Index(body, "ALPHA-1") {
		t.Errorf("search or sort wrong: %s", body)
	}
	_, _, body = c.get("/products?q=alpha", "HX-Request", "true", "HX-History-Restore-Request", "true")
	if !strings.Contains(body, "<html") {
		t.Error("history restore did not get the whole page")
	}
	_, _, body = c.get("/products?q=nothing-matches")
	if !strings.Contains(body, `data-testid="empty-state"`) {
		t.Error("no empty state")
	}
}

func TestWeb_SaleAndStock(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "clerk", db.RoleClerk)
	p := s.product(t, "SELL-1", 5)
	c := s.login(t, "clerk")

	status, _, body := c.post("/sales", url.Values{"sku": {"SELL-1"}, "quantity": {"9"}})
	// Too little stock is a conflict: 409, as in the API, with the form.
	if status != http.StatusConflict || !strings.Contains(body, `data-testid="error-quantity"`) || !strings.Contains(body, `value="9"`) {
		t.Fatalf("oversell: %d, want 409 with the quantity error", status)
	}
	if status, _, _ := c.post("/sales", url.Values{"sku": {"SELL-1"}, "quantity": {"2"}}); status != http.StatusSeeOther {
		t.Fatalf("sale: %d", status)
	}
	_, _, body = c.get("/sales")
	if !strings.Contains(body, `data-testid="flash-success"`) || !strings.Contains(body, "SELL-1") {
		t.Error("sales list lacks the flash or the sale")
	}
	if status, _, _ := c.post("/stock/receipts", url.Values{"sku": {"SELL-1"}, "quantity": {"10"}, "back": {"/products/" + itoa(p.ID)}}); status != http.StatusSeeOther {
		t.Fatalf("receipt: %d", status)
	}
	status, _, body = c.post("/stock/adjustments", url.Values{"sku": {"SELL-1"}, "delta": {"-100"}, "reason": {"count"}})
	if status != http.StatusConflict || !strings.Contains(body, `data-testid="error-delta"`) {
		t.Errorf("negative stock adjustment: %d, want 409 (as the API) with the delta error", status)
	}
	got, _ := s.app.Catalog.Product(context.Background(), app.System, p.ID)
	if got.Stock != 13 {
		t.Errorf("stock %d, want 13", got.Stock)
	}
	_, _, body = c.get("/products/" + itoa(p.ID))
	if strings.Count(body, `data-testid="movement-row"`) != 3 {
		t.Errorf("movement history: %d rows, want 3", strings.Count(body, `data-testid="movement-row"`))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
