package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db/dbtest"
)

func TestTokens_CreateListRevoke(t *testing.T) {
	s, users, _ := collabServer(t)
	c := s.login(t, "viewer")
	secretRE := regexp.MustCompile(`data-testid="token-secret"[^>]*value="(si_[^"]+)"|value="(si_[^"]+)"[^>]*data-testid="token-secret"`)

	tests := []struct {
		name   string
		form   url.Values
		forged bool
		want   int
		check  string
	}{
		{"without CSRF", url.Values{"name": {"script"}}, true, http.StatusForbidden, ""},
		{"bad expiry", url.Values{"name": {"x"}, "expires_days": {"3651"}}, false, http.StatusBadRequest, `data-testid="error-expires_days"`},
		{"name too long", url.Values{"name": {strings.Repeat("n", app.MaxTokenNameLength+1)}}, false, http.StatusBadRequest, `data-testid="error-name"`},
		{"created", url.Values{"name": {"till script"}, "expires_days": {"30"}}, false, http.StatusOK, `data-testid="token-secret"`},
	}
	var secret string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.forged {
				tt.form.Set("_csrf", "forged")
			}
			status, _, body := c.post("/account/tokens", tt.form)
			if status != tt.want || !strings.Contains(body, tt.check) {
				t.Fatalf("status %d, want %d with %q", status, tt.want, tt.check)
			}
			if m := secretRE.FindStringSubmatch(body); m != nil {
				secret = m[1] + m[2]
			}
		})
	}
	toks, err := s.app.Users.ListTokens(context.Background(), app.System, "viewer")
	if err != nil || len(toks) != 1 || toks[0].Name != "till script" || toks[0].ExpiresAt == nil {
		t.Fatalf("tokens %+v, %v: want the one created, with an expiry", toks, err)
	}
	if secret == "" {
		t.Fatal("secret not shown")
	}
	if _, _, err := s.app.Users.AuthenticateToken(context.Background(), secret); err != nil {
		t.Fatalf("the shown secret does not authenticate: %v", err)
	}
	t.Run("shown once", func(t *testing.T) {
		_, _, body := c.get("/account/tokens")
		if strings.Contains(body, secret) || !strings.Contains(body, `data-name="till script" data-status="active"`) {
			t.Error("the list shows the secret, or not the token")
		}
	})
	t.Run("admin sees them", func(t *testing.T) {
		_, _, body := s.login(t, "admin").get("/users/" + itoa(users["viewer"].ID) + "/tokens")
		if !strings.Contains(body, `data-name="till script"`) || strings.Contains(body, `data-testid="token-form"`) {
			t.Error("admin's view lacks the token or offers the create form")
		}
	})
	revoke := "/account/tokens/" + itoa(toks[0].ID) + "/revoke"
	t.Run("revoke without CSRF", func(t *testing.T) {
		if status, _, _ := c.post(revoke, url.Values{"_csrf": {""}}); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
	})
	t.Run("someone else's token", func(t *testing.T) {
		if status, _, _ := s.login(t, "clerk").post(revoke, url.Values{}); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
	})
	t.Run("revoke", func(t *testing.T) {
		status, h, _ := c.post(revoke, url.Values{})
		if status != http.StatusSeeOther || h.Get("Location") != "/account/tokens" {
			t.Fatalf("status %d %q", status, h.Get("Location"))
		}
		if _, _, err := s.app.Users.AuthenticateToken(context.Background(), secret); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("revoked token still works: %v", err)
		}
		_, _, body := c.get("/account/tokens")
		if !strings.Contains(body, `data-status="revoked"`) {
			t.Error("token not listed as revoked")
		}
	})
}

func TestSettingsPage(t *testing.T) {
	s, _, _ := collabServer(t)
	c := s.login(t, "alice")
	ctx := context.Background()
	tests := []struct {
		name      string
		form      url.Values
		want      int
		wantError string
		threshold string
		fourEyes  string
	}{
		{"bad threshold", url.Values{"approval_threshold": {"-5"}, "four_eyes": {"true"}, "service_calibration": {"1"}},
			http.StatusBadRequest, "error-approval_threshold", "0", "true"},
		{"bad calibration, other saved", url.Values{"approval_threshold": {"250.00"}, "four_eyes": {"true"}, "service_calibration": {"99"}},
			http.StatusBadRequest, "error-service_calibration", "250.00", "true"},
		{"four-eyes off", url.Values{"approval_threshold": {"250.00"}, "four_eyes": {"false"}, "service_calibration": {"1"}},
			http.StatusSeeOther, "", "250.00", "false"},
		{"unknown time zone", url.Values{"four_eyes": {"false"}, "time_zone": {"Mars/Olympus_Mons"}, "currency": {"MXN"}},
			http.StatusBadRequest, "error-time_zone", "250.00", "false"},
		{"shop settings", url.Values{"four_eyes": {"false"}, "shop_name": {"Ferretería López"}, "time_zone": {"America/Mexico_City"}, "currency": {"mxn"}, "language": {"es"}, "first_weekday": {"sunday"}},
			http.StatusSeeOther, "", "250.00", "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.post("/settings", tt.form)
			if status != tt.want || (tt.wantError != "" && !strings.Contains(body, `data-testid="`+tt.wantError+`"`)) {
				t.Errorf("status %d, want %d with %s", status, tt.want, tt.wantError)
			}
			if v, _ := s.app.Settings.Get(ctx, app.System, app.SettingApprovalThreshold, "0"); v != tt.threshold {
				t.Errorf("threshold %q, want %q", v, tt.threshold)
			}
			if v, _ := s.app.Settings.Get(ctx, app.System, app.SettingFourEyes, "true"); v != tt.fourEyes {
				t.Errorf("four-eyes %q, want %q", v, tt.fourEyes)
			}
		})
	}
	shop, err := s.app.Settings.Shop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if shop.Name != "Ferretería López" || shop.TimeZone != "America/Mexico_City" || shop.Currency != "MXN" || shop.Language != "es" || shop.FirstWeekday != time.Sunday {
		t.Errorf("shop after the form = %+v", shop)
	}
}

func TestComments(t *testing.T) {
	s, _, p := collabServer(t)
	path := "/comments/products/" + itoa(p.ID)
	tests := []struct {
		name, user, body string
		want             int
		check            string
	}{
		{"viewer may not", "viewer", "hello", http.StatusForbidden, ""},
		{"empty", "clerk", "  ", http.StatusBadRequest, `data-testid="comment-error"`},
		{"added", "clerk", "waiting for <supplier> price", http.StatusOK, "waiting for &lt;supplier&gt; price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.login(t, tt.user)
			c.get("/products/" + itoa(p.ID))
			form := url.Values{"body": {tt.body}, "_csrf": {c.csrf}}
			req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			status, _, body := c.do(req)
			if status != tt.want || !strings.Contains(body, tt.check) {
				t.Errorf("status %d, want %d with %q", status, tt.want, tt.check)
			}
		})
	}
	_, _, body := s.login(t, "viewer").get("/fragments/comments/products/" + itoa(p.ID))
	if !strings.Contains(body, `data-testid="comment-author">clerk<`) || strings.Contains(body, `data-testid="comment-form"`) {
		t.Error("viewer should see clerk's comment and no form")
	}
	evs, _, err := s.app.Audit.List(context.Background(), app.System, app.AuditFilter{EntityType: "product", EntityID: p.ID, Limit: 1})
	if err != nil || len(evs) != 1 || evs[0].Action != "comment" {
		t.Errorf("newest product event %+v, %v: want the comment", evs, err)
	}
}

// clockedServer is newTestServer with the services and the web UI on the
// clock now.
func clockedServer(t *testing.T, now func() time.Time) *testServer {
	t.Helper()
	a := app.New(dbtest.Open(t), app.Options{Now: now})
	w, err := New(context.Background(), a, Config{Now: now})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e := server.New(a, server.Options{ActorFromRequest: w.ActorFromRequest, Mount: w.Mount, HandleError: w.HandleError})
	s := &testServer{Server: httptest.NewServer(e), app: a, web: w}
	t.Cleanup(s.Close)
	return s
}

func TestChangesNotice(t *testing.T) {
	// One clock for the services and the web UI, moved by the test: the
	// page is loaded a second after the setup, and every change comes a
	// second after the page (the notice compares times to the
	// millisecond).
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	tick := func() { clock.Add(int64(time.Second)) }
	s, users, p := collabOn(t, clockedServer(t, func() time.Time { return time.Unix(0, clock.Load()) }))
	c := s.login(t, "viewer")
	tick()
	status, _, body := c.get("/fragments/changes?list=products", "HX-Request", "true", "HX-Current-URL", s.URL+"/products?q=x")
	m := regexp.MustCompile(`hx-get="(/fragments/changes\?list=products&amp;since=\d+)"`).FindStringSubmatch(body)
	if status != http.StatusOK || m == nil || strings.Contains(body, "changes-count") {
		t.Fatalf("first load: %d, poll URL found %v, count shown %v", status, m != nil, strings.Contains(body, "changes-count"))
	}
	poll := strings.ReplaceAll(m[1], "&amp;", "&")
	tick()
	status, h, _ := c.get(poll)
	etag := h.Get("ETag")
	if st, _, _ := c.get(poll, "If-None-Match", etag); status != http.StatusOK || st != http.StatusNotModified {
		t.Fatalf("unchanged poll: %d then %d, want 200 then 304", status, st)
	}
	ctx := context.Background()
	if _, err := s.app.Catalog.UpdateProduct(ctx, app.ActorFor(users["bob"], "web"), p.ID,
		app.ProductInput{Name: app.Ptr("By bob"), Version: app.Ptr(p.Version)}, false); err != nil {
		t.Fatal(err)
	}
	status, _, body = c.get(poll, "If-None-Match", etag, "HX-Current-URL", s.URL+"/products?q=x")
	if status != http.StatusOK || !strings.Contains(body, `data-count="1"`) || !strings.Contains(body, `href="/products?q=x"`) {
		t.Errorf("after bob's change: %d, want the notice of 1 change linking back to the page", status)
	}
	// The viewer's own changes do not count.
	vc := s.login(t, "alice")
	_, _, body = vc.get(poll)
	if !strings.Contains(body, `data-count="1"`) {
		t.Error("alice should see bob's change")
	}
	if _, err := s.app.Sales.Record(ctx, app.ActorFor(users["alice"], "web"), app.SaleInput{SKU: app.Ptr(p.SKU), Quantity: app.Ptr[int64](1)}); err != nil {
		t.Fatal(err)
	}
	_, _, body = vc.get(poll)
	if !strings.Contains(body, `data-count="1"`) {
		t.Error("alice's own sale counted as a change by others")
	}
	if status, _, _ := c.get("/fragments/changes?list=users"); status != http.StatusNotFound {
		t.Errorf("unknown list: %d, want 404", status)
	}
}
