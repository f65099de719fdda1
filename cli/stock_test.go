package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStock(t *testing.T) {
	dsn := demoDSN(t)
	r := mustRun(t, "", "--db", dsn, "stock", "-o", "json")
	var all struct {
		Items []struct {
			SKU          string   `json:"sku"`
			Stock        int64    `json:"stock"`
			OnOrder      int64    `json:"on_order"`
			ReorderPoint *int64   `json:"effective_reorder_point"`
			DailyDemand  float64  `json:"daily_demand"`
			DaysOfCover  *float64 `json:"days_of_cover"`
			Status       string   `json:"status"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if all.Total < 15 || all.Total != len(all.Items) {
		t.Fatalf("%d items (total %d), want every active product of 20", len(all.Items), all.Total)
	}
	rank := map[string]int{"out": 0, "low": 1, "excess": 2, "ok": 3}
	counts := map[string]int{}
	for i, it := range all.Items {
		counts[it.Status]++
		var want string
		switch {
		case it.Stock <= 0:
			want = "out"
		case it.ReorderPoint != nil && it.Stock+it.OnOrder <= *it.ReorderPoint:
			want = "low"
		case it.DaysOfCover == nil || *it.DaysOfCover > 180:
			want = "excess"
		default:
			want = "ok"
		}
		if it.Status != want {
			t.Errorf("%s: stock %d ROP %v cover %v: status %s, want %s", it.SKU, it.Stock, it.ReorderPoint, it.DaysOfCover, it.Status, want)
		}
		if it.DaysOfCover != nil && it.DailyDemand > 0 && *it.DaysOfCover != float64(it.Stock)/it.DailyDemand {
			t.Errorf("%s: cover %v, want stock ÷ daily demand", it.SKU, *it.DaysOfCover)
		}
		if i > 0 && rank[all.Items[i-1].Status] > rank[it.Status] {
			t.Errorf("not ordered by status at %d: %s after %s", i, it.Status, all.Items[i-1].Status)
		}
	}

	// --status filters; the table shows the columns.
	for status, n := range counts {
		r := mustRun(t, "", "--db", dsn, "stock", "--status", status, "-o", "csv")
		if got := strings.Count(r.stdout, ","+status+"\n"); got != n || strings.Count(r.stdout, "\n") != n+1 {
			t.Errorf("--status %s: %d rows, want %d:\n%s", status, got, n, r.stdout)
		}
	}
	r = mustRun(t, "", "--db", dsn, "stock")
	if !strings.HasPrefix(r.stdout, "SKU ") || !strings.Contains(r.stdout, "COVER DAYS") || !strings.Contains(r.stdout, "STATUS") {
		t.Errorf("table:\n%s", r.stdout)
	}
	if r := runCLI(t, "", "--db", dsn, "stock", "--status", "missing"); r.code != 2 {
		t.Errorf("--status missing: exit %d, want 2", r.code)
	}
}
