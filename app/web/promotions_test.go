package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
)

// TestPromotionPages: a manager plans a promotion in the form; invalid and
// overlapping ones come back with the errors at their fields; the
// promotion shows in the list and on the product page; a viewer may read
// but not plan.
func TestPromotionPages(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s := newTestServer(t, Config{Now: func() time.Time { return now }})
	s.user(t, "mona", db.RoleManager)
	s.user(t, "vera", db.RoleViewer)
	p := s.product(t, "COLA", 10)
	m := s.login(t, "mona")

	status, _, body := m.get("/promotions/new?sku=COLA")
	if status != http.StatusOK || !strings.Contains(body, `data-testid="promotion-form"`) || !strings.Contains(body, `value="COLA"`) {
		t.Fatalf("new form: %d", status)
	}
	form := url.Values{"sku": {"COLA"}, "first_day": {"2026-12-12"}, "last_day": {"2026-12-18"}, "percent_off": {"20"},
		"display": {"false"}, "feature": {"false", "true"}, "coupon": {"false"}, "note": {"Winter"}}
	status, h, _ := m.post("/promotions", form)
	if status != http.StatusSeeOther || h.Get("Location") != "/promotions" {
		t.Fatalf("create: %d %q", status, h.Get("Location"))
	}

	// Inline errors: the field's message next to it, nothing stored.
	bad := url.Values{"sku": {"NOPE"}, "first_day": {"2026-12-20"}, "last_day": {"2026-12-19"}, "percent_off": {"20"}}
	status, _, body = m.post("/promotions", bad)
	if status != http.StatusBadRequest || !strings.Contains(body, "no product with this SKU") {
		t.Fatalf("unknown SKU: %d", status)
	}
	bad["sku"] = []string{"COLA"}
	status, _, body = m.post("/promotions", bad)
	if status != http.StatusBadRequest || !strings.Contains(body, "must not be before first_day") {
		t.Fatalf("last before first: %d\n%s", status, body)
	}
	overlap := url.Values{"sku": {"COLA"}, "first_day": {"2026-12-18"}, "last_day": {"2026-12-20"}, "price": {"0.99"}}
	status, _, body = m.post("/promotions", overlap)
	if status != http.StatusConflict || !strings.Contains(body, "overlaps promotion 1") {
		t.Fatalf("overlap: %d\n%s", status, body)
	}
	if _, n, _ := s.app.Promotions.List(context.Background(), app.System, app.PromotionFilter{}); n != 1 {
		t.Fatalf("%d promotions stored, want 1", n)
	}

	status, _, body = m.get("/promotions")
	if status != http.StatusOK || strings.Count(body, `data-testid="promotion-row"`) != 1 || !strings.Contains(body, "20 % off") {
		t.Fatalf("list: %d\n%s", status, body)
	}
	if _, err := s.app.Prices.Plan(context.Background(), app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-24"), UnitPrice: app.Ptr[db.Money](1399)}); err != nil {
		t.Fatal(err)
	}
	status, _, body = m.get("/products/" + itoa(p.ID))
	if status != http.StatusOK || !strings.Contains(body, `data-testid="product-plan"`) || !strings.Contains(body, "20 % off") ||
		!strings.Contains(body, "List price 13.99 from 2026-12-24") {
		t.Fatalf("product page: %d\n%s", status, body)
	}

	// The dashboard's calendar: today is 4 Dec, the promotion runs 12-18
	// Dec, so days 8 to 14 of the 30 are marked.
	status, _, body = m.get("/")
	if status != http.StatusOK || strings.Count(body, `data-testid="calendar-row"`) != 1 ||
		strings.Count(body, "rounded-sm bg-indigo-500") != 7 || !strings.Contains(body, "2026-12-04 to 2027-01-02") {
		t.Fatalf("dashboard calendar: %d\n%s", status, body)
	}

	v := s.login(t, "vera")
	if status, _, _ := v.get("/promotions"); status != http.StatusOK {
		t.Fatalf("viewer list: %d", status)
	}
	if status, _, _ := v.post("/promotions", form); status != http.StatusForbidden {
		t.Fatalf("viewer create: %d, want 403", status)
	}
}
