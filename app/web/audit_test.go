package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// collabServer is a server with a user of each role (bob is a second
// manager, so four-eyes applies to alice's drafts) and one product.
func collabServer(t *testing.T) (*testServer, map[string]*db.User, *db.Product) {
	t.Helper()
	return collabOn(t, newTestServer(t, Config{}))
}

// collabOn gives s collabServer's users and product.
func collabOn(t *testing.T, s *testServer) (*testServer, map[string]*db.User, *db.Product) {
	t.Helper()
	users := map[string]*db.User{}
	for name, role := range map[string]db.Role{"admin": db.RoleAdmin, "alice": db.RoleManager, "bob": db.RoleManager,
		"clerk": db.RoleClerk, "viewer": db.RoleViewer} {
		users[name] = s.user(t, name, role)
	}
	return s, users, s.product(t, "AUD-1", 10)
}

func TestCollab_Roles(t *testing.T) {
	s, users, p := collabServer(t)
	pid := itoa(p.ID)
	tests := []struct {
		user, path string
		want       int
	}{
		{"viewer", "/audit", http.StatusForbidden},
		{"clerk", "/audit", http.StatusForbidden},
		{"alice", "/audit", http.StatusOK},
		{"viewer", "/fragments/history/product/" + pid, http.StatusForbidden},
		{"alice", "/fragments/history/product/" + pid, http.StatusOK},
		{"alice", "/fragments/history/sale/" + pid, http.StatusNotFound},
		{"clerk", "/settings", http.StatusForbidden},
		{"alice", "/settings", http.StatusOK},
		{"viewer", "/account/tokens", http.StatusOK},
		{"alice", "/users/" + itoa(users["viewer"].ID) + "/tokens", http.StatusForbidden},
		{"admin", "/users/" + itoa(users["viewer"].ID) + "/tokens", http.StatusOK},
		{"viewer", "/import", http.StatusForbidden},
		{"clerk", "/import", http.StatusOK},
		{"viewer", "/fragments/comments/products/" + pid, http.StatusOK},
		{"viewer", "/fragments/comments/sales/" + pid, http.StatusNotFound},
	}
	clients := map[string]*client{}
	for _, tt := range tests {
		t.Run(tt.user+tt.path, func(t *testing.T) {
			c := clients[tt.user]
			if c == nil {
				c = s.login(t, tt.user)
				clients[tt.user] = c
			}
			c.t = t
			if status, _, _ := c.get(tt.path); status != tt.want {
				t.Errorf("GET %s as %s: %d, want %d", tt.path, tt.user, status, tt.want)
			}
		})
	}
	t.Run("clerk cannot change settings", func(t *testing.T) {
		c := s.login(t, "clerk")
		status, _, _ := c.post("/settings", url.Values{"approval_threshold": {"1.00"}, "four_eyes": {"false"}})
		if status != http.StatusForbidden {
			t.Errorf("POST /settings as clerk: %d, want 403", status)
		}
		if v, _ := s.app.Settings.Get(context.Background(), app.System, app.SettingApprovalThreshold, "unset"); v != "unset" {
			t.Errorf("threshold changed to %q", v)
		}
	})
	t.Run("nav", func(t *testing.T) {
		_, _, body := s.login(t, "alice").get("/products")
		_, _, vbody := s.login(t, "viewer").get("/products")
		if !strings.Contains(body, `data-testid="nav-audit"`) || strings.Contains(vbody, `data-testid="nav-audit"`) {
			t.Error("the History nav link is for managers and admins only")
		}
	})
}

func TestAudit_ListAndHistory(t *testing.T) {
	s, users, p := collabServer(t)
	ctx := context.Background()
	if _, err := s.app.Catalog.UpdateProduct(ctx, app.ActorFor(users["bob"], "web"), p.ID,
		app.ProductInput{Name: app.Ptr("Renamed <b>"), Version: app.Ptr(p.Version)}, false); err != nil {
		t.Fatal(err)
	}
	c := s.login(t, "alice")
	eventRE := regexp.MustCompile(`data-testid="audit-event" data-user="([^"]*)" data-action="([^"]*)"`)
	users2 := func(body string) []string {
		var out []string
		for _, m := range eventRE.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1]+":"+m[2])
		}
		return out
	}
	tests := []struct {
		name, path string
		want       []string
	}{
		{"by user", "/audit?user=bob", []string{"bob:update"}},
		{"by entity", "/audit?entity_type=product&entity_id=" + itoa(p.ID), []string{"bob:update", "system:create"}},
		{"by date", "/audit?entity_type=product&from=2000-01-01&to=2000-01-02", nil},
		{"history fragment", "/fragments/history/product/" + itoa(p.ID), []string{"bob:update", "system:create"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.get(tt.path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d", tt.path, status)
			}
			if got := users2(body); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("events %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("changed fields are escaped", func(t *testing.T) {
		_, _, body := c.get("/fragments/history/product/" + itoa(p.ID))
		if !strings.Contains(body, `data-field="name"`) || !strings.Contains(body, "Renamed &lt;b&gt;") || strings.Contains(body, "Renamed <b>") {
			t.Error("the name change is missing or not escaped")
		}
	})
	t.Run("unknown entity type", func(t *testing.T) {
		if status, _, _ := c.get("/audit?entity_type=nope"); status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
	})
}

func TestAuditChanges(t *testing.T) {
	tests := []struct {
		before, after string
		want          string
	}{
		{`{"name":"a","unit_price":12.5}`, `{"name":"b","unit_price":19.99}`, "name:a>b unit_price:12.50>19.99"},
		{``, `{"comment":"hi","active":true,"lead_time_days":null}`, "active:>true comment:>hi lead_time_days:>"},
		{`{"lines":[1,2]}`, ``, "lines:[1,2]>"},
		{`not json`, ``, ""},
	}
	for _, tt := range tests {
		var parts []string
		for _, ch := range auditChanges(tt.before, tt.after) {
			parts = append(parts, ch.Field+":"+ch.Before+">"+ch.After)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("auditChanges(%q, %q) = %q, want %q", tt.before, tt.after, got, tt.want)
		}
	}
}

func TestPO_ApproveButton(t *testing.T) {
	s, users, p := collabServer(t)
	ctx := context.Background()
	if err := s.app.Settings.Set(ctx, app.ActorFor(users["admin"], "web"), app.SettingApprovalThreshold, "100.00"); err != nil {
		t.Fatal(err)
	}
	sup, err := s.app.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme")})
	if err != nil {
		t.Fatal(err)
	}
	draft := func(by string, qty int64) string {
		cost := db.Money(1000)
		po, err := s.app.Purchasing.CreateOrder(ctx, app.ActorFor(users[by], "web"), app.POInput{SupplierID: &sup.ID,
			Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: &qty, UnitCost: &cost}}})
		if err != nil {
			t.Fatal(err)
		}
		return "/purchase-orders/" + itoa(po.ID)
	}
	large, small := draft("alice", 20), draft("alice", 5) // 200.00 and 50.00
	tests := []struct {
		user, po    string
		wantButton  bool
		wantRefusal string // flash after a forced POST; "" = approved
	}{
		{"clerk", large, false, "over 100.00"},
		{"alice", large, false, "four-eyes"},
		{"clerk", small, true, ""},
		{"bob", large, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.po, func(t *testing.T) {
			c := s.login(t, tt.user)
			_, _, body := c.get(tt.po)
			if got := strings.Contains(body, `data-testid="po-approve"`); got != tt.wantButton {
				t.Errorf("Approve shown %v, want %v", got, tt.wantButton)
			}
			status, h, _ := c.post(tt.po+"/approve", url.Values{})
			if status != http.StatusSeeOther || h.Get("Location") != tt.po {
				t.Fatalf("POST approve: %d %q", status, h.Get("Location"))
			}
			_, _, body = c.get(tt.po)
			if tt.wantRefusal != "" {
				if !strings.Contains(body, `data-testid="flash-error"`) || !strings.Contains(body, tt.wantRefusal) {
					t.Errorf("refusal not shown (want %q)", tt.wantRefusal)
				}
			} else if !strings.Contains(body, `data-testid="flash-success"`) {
				t.Error("approval not confirmed")
			}
		})
	}
	t.Run("four-eyes off", func(t *testing.T) {
		if err := s.app.Settings.Set(ctx, app.ActorFor(users["admin"], "web"), app.SettingFourEyes, "false"); err != nil {
			t.Fatal(err)
		}
		_, _, body := s.login(t, "alice").get(draft("alice", 20))
		if !strings.Contains(body, `data-testid="po-approve"`) {
			t.Error("the drafter gets no Approve button with four-eyes off")
		}
	})
}

// postMultipart uploads fields and one file as a multipart form with the
// client's CSRF token.
func (c *client) postMultipart(path string, fields map[string]string, file string) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "data.csv")
	_, _ = fw.Write([]byte(file))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, _, body := c.do(req)
	return status, body
}

func TestImportPage(t *testing.T) {
	s, _, _ := collabServer(t)
	tests := []struct {
		name, user string
		fields     map[string]string
		file       string
		wantStatus int
		want       []string
	}{
		{"sales dry run", "clerk", map[string]string{"kind": "sales", "dry_run": "true"}, "sku,quantity\nAUD-1,2\n",
			http.StatusOK, []string{`data-testid="import-summary" data-written="false"`, "Dry run of sales"}},
		{"line errors", "clerk", map[string]string{"kind": "sales"}, "sku,quantity\nAUD-1,-2\nNOPE,1\n",
			http.StatusBadRequest, []string{`data-testid="import-error" data-line="2"`, `data-line="3"`, "nothing was written"}},
		{"decimal comma", "alice", map[string]string{"kind": "products", "decimal_comma": "true"}, "sku;name;unit_price\nIMP-1;Imported;3,50\n",
			http.StatusOK, []string{`data-written="true"`, "Imported products"}},
		{"clerk may not import the catalogue", "clerk", map[string]string{"kind": "products"}, "sku\nX-1\n",
			http.StatusBadRequest, []string{`data-testid="error-kind"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := s.login(t, tt.user).postMultipart("/import", tt.fields, tt.file)
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	if p, err := s.app.Catalog.ProductBySKU(context.Background(), app.System, "IMP-1"); err != nil || p.UnitPrice != db.Money(350) {
		t.Errorf("imported product: %+v, %v", p, err)
	}
	t.Run("without CSRF", func(t *testing.T) {
		c := s.login(t, "clerk")
		c.csrf = "forged"
		if status, _ := c.postMultipart("/import", map[string]string{"kind": "sales"}, "sku,quantity\nAUD-1,1\n"); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
	})
}
