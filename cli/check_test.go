package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"smartinventory/db/dbtest"
)

func TestCheckCommand(t *testing.T) {
	dsn := tempDSN(t)
	mustRun(t, "", "--db", dsn, "populate", "--products", "8", "--days", "40", "--end-date", "2026-01-31")

	r := mustRun(t, "", "--db", dsn, "check")
	if !strings.HasPrefix(r.stdout, "ok: 8 products, ") || !strings.HasSuffix(r.stdout, " sales consistent\n") {
		t.Errorf("check on fresh data: %q", r.stdout)
	}
	r = mustRun(t, "", "--db", dsn, "-o", "json", "check")
	var ok struct {
		OK         bool  `json:"ok"`
		Products   int64 `json:"products"`
		Mismatches []any `json:"mismatches"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &ok); err != nil || !ok.OK || ok.Products != 8 || ok.Mismatches == nil || len(ok.Mismatches) != 0 {
		t.Errorf("check -o json: %+v (err %v)\n%s", ok, err, r.stdout)
	}

	// Break the ledger of one product and the rollup of another behind the
	// command's back.
	bdb := dbtest.OpenDSN(t, dsn)
	ctx := context.Background()
	for _, q := range []string{
		"UPDATE products SET stock = stock + 2 WHERE id = 3",
		"UPDATE daily_sales SET revenue = revenue + 1 WHERE product_id = 5 AND day = (SELECT MAX(day) FROM daily_sales WHERE product_id = 5)",
	} {
		if _, err := bdb.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	_ = bdb.Close()

	tests := []struct {
		output string
		want   []string
	}{
		{"table", []string{"PRODUCT", "SKU-000003", "stock", "last_balance", "SKU-000005", "daily_revenue", "3 mismatches in 8 products"}},
		{"json", []string{`"ok": false`, `"total_mismatches": 3`, `"what": "daily_revenue"`}},
		{"csv", []string{"product_id,sku,what,day,expected,actual,detail", "3,SKU-000003,stock,"}},
	}
	for _, tt := range tests {
		t.Run(tt.output, func(t *testing.T) {
			r := runCLI(t, "", "--db", dsn, "-o", tt.output, "check")
			if r.code != 1 || !strings.Contains(r.stderr, "check failed: 3 mismatches") {
				t.Errorf("exit %d, stderr %q; want 1 and the mismatch count", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}

func TestCheckCommandEmptyDatabase(t *testing.T) {
	r := mustRun(t, "", "--db", tempDSN(t), "check")
	if r.stdout != "ok: 0 products, 0 sales consistent\n" {
		t.Errorf("check on an empty database: %q", r.stdout)
	}
	r = runCLI(t, "", "--db", tempDSN(t), "check", "extra")
	if r.code != 2 {
		t.Errorf("check with an argument: exit %d, want 2", r.code)
	}
}
