package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

// forecastJSON is GET /products/{id}/forecast.
type forecastJSON struct {
	ProductID   int64  `json:"product_id"`
	Model       string `json:"model"`
	DemandClass string `json:"demand_class"`
	DataThrough string `json:"data_through"`
	Cached      bool   `json:"cached"`
	Accuracy    struct {
		RMSSE *float64 `json:"rmsse"`
	} `json:"accuracy"`
	Points []struct {
		Date                                             string
		Mean, P50, P80, P90, P95, Lo80, Hi80, Lo95, Hi95 float64
	} `json:"points"`
}

// TestForecastGet checks horizons, models and the shape of the points.
func TestForecastGet(t *testing.T) {
	s := newStocked(t)
	viewer := s.Token(t, db.RoleViewer)
	path := fmt.Sprintf("/api/v1/products/%d/forecast", s.plenty.ID)
	tests := []struct {
		query  string
		points int
		model  string // "" = any
		cached bool
	}{
		{"", 30, "", true},
		{"?horizon=1", 1, "", true},
		{"?horizon=90&model=auto", 90, "", true},
		{"?horizon=120", 120, "", false},
		{"?model=ses&horizon=7", 7, "ses", false},
		{"?model=croston&horizon=365", 365, "croston", false},
	}
	for _, tt := range tests {
		t.Run("query"+tt.query, func(t *testing.T) {
			var f forecastJSON
			s.DoJSON(t, "GET", path+tt.query, viewer, nil, http.StatusOK, &f)
			if len(f.Points) != tt.points || f.Cached != tt.cached || f.ProductID != s.plenty.ID {
				t.Fatalf("%d points, cached %v; want %d, %v", len(f.Points), f.Cached, tt.points, tt.cached)
			}
			if f.Model == "" || (tt.model != "" && f.Model != tt.model) || f.DemandClass == "" {
				t.Fatalf("model %q class %q, want %q", f.Model, f.DemandClass, tt.model)
			}
			yesterday := shopDay0.AddDate(0, 0, 59).Format(time.DateOnly)
			if f.DataThrough != yesterday || f.Points[0].Date != s.today {
				t.Fatalf("data through %s, first day %s; want %s, %s", f.DataThrough, f.Points[0].Date, yesterday, s.today)
			}
			for _, p := range f.Points {
				if !(p.Lo95 <= p.Lo80 && p.Lo80 <= p.P50 && p.P50 <= p.P80 && p.P80 <= p.P90 && p.P90 <= p.P95 && p.P95 <= p.Hi95) || p.Hi80 != p.P90 {
					t.Fatalf("quantiles out of order on %s: %+v", p.Date, p)
				}
			}
		})
	}
	var f forecastJSON
	s.DoJSON(t, "GET", path, viewer, nil, http.StatusOK, &f)
	if m := f.Points[0].Mean; m < 6 || m > 14 || f.Accuracy.RMSSE == nil {
		t.Errorf("PLENTY sells ~10 a day: mean %.2f, rmsse %v", m, f.Accuracy.RMSSE)
	}

	// A product without sales: a chosen model has nothing to fit (409).
	p, err := s.App.Catalog.CreateProduct(t.Context(), app.System, app.ProductInput{SKU: app.Ptr("NEW"), Name: app.Ptr("New")})
	if err != nil {
		t.Fatal(err)
	}
	newPath := fmt.Sprintf("/api/v1/products/%d/forecast", p.ID)

	errs := []struct {
		name, path string
		want       int
		field      string
	}{
		{"horizon zero", path + "?horizon=0", 400, "horizon"},
		{"horizon too long", path + "?horizon=366", 400, "horizon"},
		{"horizon not a number", path + "?horizon=abc", 400, "horizon"},
		{"unknown model", path + "?model=magic", 400, "model"},
		{"bad id", "/api/v1/products/x/forecast", 400, "id"},
		{"unknown product", "/api/v1/products/999999/forecast", 404, ""},
		{"unknown product, model", "/api/v1/products/999999/forecast?model=ses", 404, ""},
		{"no history", newPath + "?model=ses", 409, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := s.Do(t, "GET", tt.path, viewer, nil)
			p := apptest.Problem(t, status, h, body)
			if status != tt.want || (tt.field != "" && !apptest.HasField(p, tt.field, -1)) {
				t.Fatalf("status %d, want %d naming %q: %s", status, tt.want, tt.field, body)
			}
		})
	}
}

// TestForecastRefresh checks the recompute and batch endpoints and their roles.
func TestForecastRefresh(t *testing.T) {
	s := newStocked(t)
	one := fmt.Sprintf("/api/v1/products/%d/forecast/refresh", s.empty.ID)
	tests := []struct {
		name         string
		role         db.Role
		method, path string
		want         int
	}{
		{"viewer recomputes", db.RoleViewer, "POST", one, 403},
		{"clerk recomputes", db.RoleClerk, "POST", one + "?horizon=14", 200},
		{"recompute horizon beyond cache", db.RoleClerk, "POST", one + "?horizon=91", 400},
		{"recompute unknown", db.RoleClerk, "POST", "/api/v1/products/999999/forecast/refresh", 404},
		{"clerk starts batch", db.RoleClerk, "POST", "/api/v1/forecasts/refresh", 403},
		{"viewer reads status", db.RoleViewer, "GET", "/api/v1/forecasts/status", 200},
		{"get refresh", db.RoleManager, "GET", "/api/v1/forecasts/refresh", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := s.Do(t, tt.method, tt.path, s.Token(t, tt.role), nil)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, body)
			}
			if status >= 400 {
				apptest.Problem(t, status, h, body)
			}
		})
	}
	var f forecastJSON
	s.DoJSON(t, "POST", one+"?horizon=14", s.Token(t, db.RoleClerk), nil, http.StatusOK, &f)
	if len(f.Points) != 14 || !f.Cached {
		t.Errorf("recomputed: %d points, cached %v", len(f.Points), f.Cached)
	}

	type jobJSON struct {
		Running    bool
		Done       int
		Total      int
		Failed     int
		StartedAt  *time.Time `json:"started_at"`
		FinishedAt *time.Time `json:"finished_at"`
	}
	manager := s.Token(t, db.RoleManager)
	status, h, body := s.Do(t, "POST", "/api/v1/forecasts/refresh", manager, nil)
	if status != http.StatusAccepted || h.Get("Location") != "/api/v1/forecasts/status" {
		t.Fatalf("start batch: %d %q %s", status, h.Get("Location"), body)
	}
	if job := apptest.DecodeAs[jobJSON](t, body); !job.Running || job.StartedAt == nil {
		t.Fatalf("started job = %+v", job)
	}
	// A second start while it runs is a conflict; it may already be done.
	if status, h, body := s.Do(t, "POST", "/api/v1/forecasts/refresh", manager, nil); status == http.StatusConflict {
		apptest.Problem(t, status, h, body)
	} else if status != http.StatusAccepted {
		t.Fatalf("second start: %d %s", status, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	var job jobJSON
	for {
		s.DoJSON(t, "GET", "/api/v1/forecasts/status", s.Token(t, db.RoleViewer), nil, http.StatusOK, &job)
		if !job.Running || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if job.Running || job.Done != 4 || job.Total != 4 || job.Failed != 0 || job.FinishedAt == nil {
		t.Fatalf("finished job = %+v", job)
	}
}
