package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// TestPO_ApproveButtonSameRule checks that the Approve button follows
// Purchasing.MayApprove for issue 12's bypasses: a clerk gets none on a
// zero-cost order at the default threshold of 0, and a manager gets none on
// an order whose lines she replaced; forcing the POST is refused alike.
func TestPO_ApproveButtonSameRule(t *testing.T) {
	s, users, p := collabServer(t)
	ctx := context.Background()
	sup, err := s.app.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme")})
	if err != nil {
		t.Fatal(err)
	}
	draft := func(by string) *db.PurchaseOrder {
		po, err := s.app.Purchasing.CreateOrder(ctx, app.ActorFor(users[by], "web"), app.POInput{SupplierID: &sup.ID,
			Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](4)}}}) // at unit cost 0
		if err != nil {
			t.Fatal(err)
		}
		return po
	}
	free := "/purchase-orders/" + itoa(draft("alice").ID)
	po := draft("clerk")
	if _, err := s.app.Purchasing.UpdateOrder(ctx, app.ActorFor(users["bob"], "web"), po.ID, app.POInput{Version: &po.Version,
		Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](400)}}}); err != nil {
		t.Fatal(err)
	}
	edited := "/purchase-orders/" + itoa(po.ID)
	tests := []struct {
		user, po   string
		wantButton bool
		wantNote   string // the note next to the missing button, and the flash of a forced POST
	}{
		{"clerk", free, false, "manager"},
		{"bob", edited, false, "four-eyes"},
		{"alice", edited, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.po, func(t *testing.T) {
			c := s.login(t, tt.user)
			_, _, body := c.get(tt.po)
			if got := strings.Contains(body, `data-testid="po-approve"`); got != tt.wantButton {
				t.Errorf("Approve shown %v, want %v", got, tt.wantButton)
			}
			if tt.wantNote != "" && !strings.Contains(body, `data-testid="po-approve-note"`) {
				t.Errorf("no note saying why")
			}
			if tt.wantNote != "" && !strings.Contains(body, tt.wantNote) {
				t.Errorf("note lacks %q", tt.wantNote)
			}
			status, h, _ := c.post(tt.po+"/approve", url.Values{})
			if status != http.StatusSeeOther || h.Get("Location") != tt.po {
				t.Fatalf("POST approve: %d %q", status, h.Get("Location"))
			}
			_, _, body = c.get(tt.po)
			if tt.wantNote != "" {
				if !strings.Contains(body, `data-testid="flash-error"`) || !strings.Contains(body, tt.wantNote) {
					t.Errorf("refusal not shown (want %q)", tt.wantNote)
				}
			} else if !strings.Contains(body, `data-testid="flash-success"`) {
				t.Error("approval not confirmed")
			}
		})
	}
}
