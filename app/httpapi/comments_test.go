package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/app/httpapi"
	"smartinventory/db"
)

func TestCommentsAndSettings(t *testing.T) {
	s := apptest.NewServer(t)
	manager, clerk, viewer := s.Token(t, db.RoleManager), s.Token(t, db.RoleClerk), s.Token(t, db.RoleViewer)
	var p db.Product
	s.DoJSON(t, "POST", "/api/v1/products", manager, map[string]any{"sku": "CM-1", "name": "Comment me"}, http.StatusCreated, &p)
	path := "/api/v1/products/" + strconv.FormatInt(p.ID, 10) + "/comments"

	var cm db.Comment
	s.DoJSON(t, "POST", path, clerk, map[string]any{"body": "waiting for supplier price"}, http.StatusCreated, &cm)
	if cm.Body != "waiting for supplier price" || cm.EntityID != p.ID {
		t.Fatalf("comment = %+v", cm)
	}
	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
		field  string
	}{
		{"viewer cannot comment", "POST", path, viewer, map[string]any{"body": "x"}, http.StatusForbidden, ""},
		{"empty body", "POST", path, clerk, map[string]any{"body": " "}, http.StatusBadRequest, "body"},
		{"unknown field", "POST", path, clerk, map[string]any{"text": "x"}, http.StatusBadRequest, ""},
		{"unknown product", "GET", "/api/v1/products/999/comments", viewer, nil, http.StatusNotFound, ""},
		{"unknown order", "POST", "/api/v1/purchase-orders/999/comments", clerk, map[string]any{"body": "x"}, http.StatusNotFound, ""},
		{"bad setting value", "PUT", "/api/v1/settings/purchasing.four_eyes", manager, map[string]any{"value": "maybe"}, http.StatusBadRequest, "value"},
		{"unknown time zone", "PUT", "/api/v1/settings/shop.time_zone", manager, map[string]any{"value": "Mars/Olympus_Mons"}, http.StatusBadRequest, "value"},
		{"unknown currency", "PUT", "/api/v1/settings/shop.currency", manager, map[string]any{"value": "DOGE"}, http.StatusBadRequest, "value"},
		{"unknown language", "PUT", "/api/v1/settings/shop.language", manager, map[string]any{"value": "fr"}, http.StatusBadRequest, "value"},
		{"unknown setting", "PUT", "/api/v1/settings/nope", manager, map[string]any{"value": "1"}, http.StatusBadRequest, "key"},
		{"clerk cannot change settings", "PUT", "/api/v1/settings/purchasing.four_eyes", clerk, map[string]any{"value": "false"}, http.StatusForbidden, ""},
		{"no token", "GET", "/api/v1/settings", "", nil, http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := s.Do(t, tt.method, tt.path, tt.token, tt.body)
			pr := apptest.Problem(t, status, h, body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.field != "" && !apptest.HasField(pr, tt.field, -1) {
				t.Fatalf("problem %+v lacks field %s", pr, tt.field)
			}
		})
	}
	var list httpapi.CommentList
	s.DoJSON(t, "GET", path, viewer, nil, http.StatusOK, &list)
	if list.Total != 1 || list.Items[0].Username == "" {
		t.Fatalf("comments = %+v", list)
	}
	var settings httpapi.SettingList
	s.DoJSON(t, "PUT", "/api/v1/settings/purchasing.approval_threshold", manager, map[string]any{"value": "250.00"}, http.StatusOK, &settings)
	found := false
	for _, st := range settings.Items {
		found = found || st.Key == "purchasing.approval_threshold" && st.Value == "250.00"
	}
	if !found {
		t.Fatalf("settings = %+v", settings)
	}
	s.DoJSON(t, "PUT", "/api/v1/settings/shop.time_zone", manager, map[string]any{"value": "America/Mexico_City"}, http.StatusOK, &settings)
	for _, st := range settings.Items {
		if st.Key == "shop.time_zone" && st.Value != "America/Mexico_City" {
			t.Fatalf("shop.time_zone = %q after PUT", st.Value)
		}
	}
}
