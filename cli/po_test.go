package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/cli"
)

// poList is the JSON of po list and po draft.
type poList struct {
	Items []struct {
		ID         int64  `json:"id"`
		Status     string `json:"status"`
		SupplierID int64  `json:"supplier_id"`
		Lines      []struct {
			ProductID   int64 `json:"product_id"`
			Quantity    int64 `json:"quantity"`
			ReceivedQty int64 `json:"received_qty"`
		} `json:"lines"`
	} `json:"items"`
	Total int `json:"total"`
}

func decodePOList(t *testing.T, out string) poList {
	t.Helper()
	var l poList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return l
}

// TestPO drafts orders from suggestions on demo data, checks that a second
// draft makes nothing, and walks one order through approve, order and two
// receipts.
func TestPO(t *testing.T) {
	dsn := tempDSN(t)
	mustRun(t, "", "--db", dsn, "populate", "--products", "10", "--days", "120")

	// Empty the shelf of the best seller with a supplier, so that at least
	// one suggestion needs an order.
	a, bdb := openAppDB(t, dsn)
	ctx := context.Background()
	if _, err := a.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatal(err)
	}
	lines, err := a.Restock.Suggestions(ctx, app.System, app.RestockFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var best *app.RestockLine
	for i, l := range lines {
		if l.SupplierID != nil && (best == nil || l.DailyDemand > best.DailyDemand) {
			best = &lines[i]
		}
	}
	if best == nil || best.DailyDemand <= 0 {
		t.Fatalf("no product with a supplier and demand in %+v", lines)
	}
	if best.Stock > 0 {
		if _, err := a.Stock.Adjust(ctx, app.System, app.AdjustmentInput{ProductID: &best.ProductID, Delta: app.Ptr(-best.Stock), Reason: "test"}); err != nil {
			t.Fatal(err)
		}
	}

	drafts := decodePOList(t, mustRun(t, "", "--db", dsn, "po", "draft", "--from-suggestions", "-o", "json").stdout)
	if drafts.Total == 0 || drafts.Total != len(drafts.Items) {
		t.Fatalf("drafts = %+v", drafts)
	}
	var po int64
	var qty int64
	suppliers := map[int64]bool{}
	for _, d := range drafts.Items {
		if d.Status != "draft" || suppliers[d.SupplierID] {
			t.Fatalf("drafts = %+v: want one draft per supplier", drafts)
		}
		suppliers[d.SupplierID] = true
		for _, l := range d.Lines {
			if l.ProductID == best.ProductID {
				po, qty = d.ID, l.Quantity
			}
		}
	}
	if po == 0 || qty < 2 {
		t.Fatalf("the emptied product %d is not drafted (or only 1 unit): %+v", best.ProductID, drafts)
	}
	again := runCLI(t, "", "--db", dsn, "po", "draft", "--from-suggestions", "-o", "json")
	if again.code != 0 || decodePOList(t, again.stdout).Total != 0 || !strings.Contains(again.stderr, "nothing to draft") {
		t.Fatalf("second draft: exit %d %s %s", again.code, again.stdout, again.stderr)
	}
	open := decodePOList(t, mustRun(t, "", "--db", dsn, "po", "list", "--status", "open", "-o", "json").stdout)
	if open.Total != drafts.Total {
		t.Fatalf("%d open orders, want %d", open.Total, drafts.Total)
	}

	id := fmt.Sprint(po)
	show := mustRun(t, "", "--db", dsn, "po", "show", id).stdout
	if !strings.Contains(show, "purchase order "+id+" to ") || !strings.Contains(show, best.SKU) || !strings.Contains(show, "draft") {
		t.Fatalf("show:\n%s", show)
	}
	mustRun(t, "", "--db", dsn, "po", "approve", id)
	ordered := mustRun(t, "", "--db", dsn, "po", "order", id, "--expected", "2030-01-02").stdout
	if !strings.Contains(ordered, "ordered, expected 2030-01-02") {
		t.Fatalf("order:\n%s", ordered)
	}
	part := mustRun(t, "", "--db", dsn, "po", "receive", id, "--line", fmt.Sprintf("%d=1", best.ProductID), "-o", "csv").stdout
	if !strings.HasPrefix(part, "product_id,sku,quantity,received_qty,unit_cost\n") || !strings.Contains(part, fmt.Sprintf(",%d,1,", qty)) {
		t.Fatalf("partial receipt csv:\n%s", part)
	}
	mustRun(t, "", "--db", dsn, "po", "receive", id, "--all")
	list := mustRun(t, "", "--db", dsn, "po", "list", "--status", "received").stdout
	if !strings.HasPrefix(list, "ID  STATUS") || !strings.Contains(list, " received ") {
		t.Fatalf("received list:\n%s", list)
	}
	var stock int64
	if err := bdb.NewSelect().Table("products").Column("stock").Where("id = ?", best.ProductID).Scan(ctx, &stock); err != nil {
		t.Fatal(err)
	}
	if stock != qty {
		t.Fatalf("stock %d after receiving %d onto an empty shelf", stock, qty)
	}

	tests := []struct {
		args []string
		code int
	}{
		{[]string{"po", "show", "abc"}, cli.ExitUsage},
		{[]string{"po", "show", "999999"}, cli.ExitNotFound},
		{[]string{"po", "show"}, cli.ExitUsage},
		{[]string{"po", "receive", id}, cli.ExitUsage},
		{[]string{"po", "receive", id, "--all", "--line", "1=2"}, cli.ExitUsage},
		{[]string{"po", "receive", id, "--line", "x"}, cli.ExitUsage},
		{[]string{"po", "receive", id, "--line", "1=0"}, cli.ExitUsage},
		{[]string{"po", "receive", id, "--all"}, cli.ExitConflict},
		{[]string{"po", "order", id, "--expected", "tomorrow"}, cli.ExitUsage},
		{[]string{"po", "list", "--status", "lost"}, cli.ExitUsage},
		{[]string{"po", "list", "-o", "xml"}, cli.ExitUsage},
		{[]string{"po", "draft"}, cli.ExitUsage},
		{[]string{"po", "approve", id}, cli.ExitConflict},
		{[]string{"po", "cancel", id}, cli.ExitConflict},
		{[]string{"po", "cancel", "999999"}, cli.ExitNotFound},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if r := runCLI(t, "", append([]string{"--db", dsn}, tt.args...)...); r.code != tt.code {
				t.Errorf("exit %d, want %d: %s", r.code, tt.code, r.stderr)
			}
		})
	}
}
