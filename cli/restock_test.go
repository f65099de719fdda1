package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"smartinventory/db/dbtest"
	"smartinventory/db/seed"
)

// demoDSN returns the --db of a new database holding 20 demo products with
// 200 days of history ending today (UTC).
func demoDSN(t *testing.T) string {
	t.Helper()
	dsn := tempDSN(t)
	bdb := dbtest.OpenDSN(t, dsn)
	if _, err := seed.Generate(context.Background(), bdb, seed.Options{Products: 20, Days: 200, Seed: 2}, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return dsn
}

// restockItem is a suggestion line as the JSON output shows it.
type restockItem struct {
	SKU          string `json:"sku"`
	SupplierName string `json:"supplier_name"`
	Stock        int64  `json:"stock"`
	Quantity     int64  `json:"quantity"`
	OrderUpTo    int64  `json:"order_up_to"`
	ReorderPoint *int64 `json:"effective_reorder_point"`
	Source       string `json:"reorder_point_source"`
	OrderBy      string `json:"order_by"`
	Urgency      string `json:"urgency"`
	Reason       string `json:"reason"`
}

func TestRestock(t *testing.T) {
	dsn := demoDSN(t)

	// JSON: a flat list; forecasts are computed on the way (none cached yet).
	r := mustRun(t, "", "--db", dsn, "restock", "--all", "-o", "json")
	var all struct {
		Items []restockItem `json:"items"`
		Total int           `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if all.Total != len(all.Items) || all.Total < 15 {
		t.Fatalf("--all: %d items (total %d), want every active product of 20", len(all.Items), all.Total)
	}
	need := 0
	for _, it := range all.Items {
		if it.Quantity > 0 {
			need++
		}
		if it.Reason == "" || (it.ReorderPoint != nil && it.OrderUpTo <= *it.ReorderPoint) || (it.ReorderPoint == nil) != (it.Source == "none") {
			t.Errorf("%s: reason %q, S %v ≤ ROP %v (%s)", it.SKU, it.Reason, it.OrderUpTo, it.ReorderPoint, it.Source)
		}
		if it.Quantity > 0 && it.Urgency != "later" && it.OrderBy == "" {
			t.Errorf("%s: %s without an order-by date", it.SKU, it.Urgency)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr without a terminal: %q", r.stderr)
	}

	// Default: only lines with a quantity; CSV has one record per line.
	r = mustRun(t, "", "--db", dsn, "restock", "-o", "csv")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasPrefix(lines[0], "sku,name,stock,on_order,daily_demand,effective_reorder_point,order_up_to,quantity,value,order_by,urgency,pending_drafts,reason") {
		t.Errorf("csv header %q", lines[0])
	}
	if len(lines)-1 != need {
		t.Errorf("csv has %d lines, want the %d with a quantity", len(lines)-1, need)
	}

	// Table: grouped by supplier with totals.
	r = mustRun(t, "", "--db", dsn, "restock")
	if need > 0 && (!strings.Contains(r.stdout, "total: ") || !strings.Contains(r.stdout, " product") || !strings.Contains(r.stdout, "URGENCY")) {
		t.Errorf("table:\n%s", r.stdout)
	}

	// Filters.
	r = mustRun(t, "", "--db", dsn, "restock", "--urgency", "later", "--all", "-o", "json")
	var later struct{ Items []restockItem }
	if err := json.Unmarshal([]byte(r.stdout), &later); err != nil {
		t.Fatal(err)
	}
	for _, it := range later.Items {
		if it.Urgency != "later" {
			t.Errorf("--urgency later gave %s: %s", it.SKU, it.Urgency)
		}
	}

	tests := []struct {
		name string
		args []string
		code int
	}{
		{"bad urgency", []string{"restock", "--urgency", "soon"}, 2},
		{"bad output", []string{"restock", "-o", "xml"}, 2},
		{"negative supplier", []string{"restock", "--supplier", "-3"}, 2},
		{"unknown supplier", []string{"restock", "--supplier", "999", "-o", "json"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := runCLI(t, "", append([]string{"--db", dsn}, tt.args...)...); r.code != tt.code {
				t.Errorf("exit %d, want %d: %s", r.code, tt.code, r.stderr)
			}
		})
	}
}

func TestRestockSimulate(t *testing.T) {
	dsn := demoDSN(t)
	r := mustRun(t, "", "--db", dsn, "restock", "simulate", "--days", "60", "--products", "8", "-o", "json")
	var rep struct {
		Days     int `json:"days"`
		Products int `json:"products"`
		Policies []struct {
			Name           string   `json:"name"`
			Target         *float64 `json:"target_service_level"`
			CycleService   float64  `json:"cycle_service_level"`
			FillRate       float64  `json:"fill_rate"`
			InventoryValue float64  `json:"avg_inventory_value"`
			Orders         int      `json:"orders"`
			StockoutDays   int      `json:"stockout_days"`
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if rep.Days != 60 || rep.Products != 8 || len(rep.Policies) != 4 {
		t.Fatalf("report %+v", rep)
	}
	for i, name := range []string{"forecast", "minmax", "minmax-tuned", "linreg"} {
		p := rep.Policies[i]
		if p.Name != name || p.CycleService <= 0 || p.CycleService > 1 || p.FillRate <= 0 || p.FillRate > 1 || p.InventoryValue <= 0 {
			t.Errorf("policy %d: %+v, want %s with rates in (0, 1]", i, p, name)
		}
	}
	if rep.Policies[0].Target == nil || rep.Policies[1].Target != nil {
		t.Errorf("targets: ours %v, min/max %v", rep.Policies[0].Target, rep.Policies[1].Target)
	}
	if r.stderr != "" {
		t.Errorf("stderr without a terminal: %q", r.stderr)
	}

	r = mustRun(t, "", "--db", dsn, "restock", "simulate", "--days", "30", "--products", "5", "--seed", "9")
	for _, want := range []string{"replayed ", "POLICY", "CYCLE SERVICE", "FILL RATE", "AVG INVENTORY", "forecast", "minmax-tuned", "linreg"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}

	tests := []struct {
		name string
		args []string
	}{
		{"days too short", []string{"--days", "3"}},
		{"zero products", []string{"--products", "0"}},
		{"csv", []string{"-o", "csv"}},
		{"negative refit", []string{"--reforecast-every", "-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", dsn, "restock", "simulate"}, tt.args...)
			if r := runCLI(t, "", args...); r.code != 2 {
				t.Errorf("exit %d, want 2: %s", r.code, r.stderr)
			}
		})
	}
}
