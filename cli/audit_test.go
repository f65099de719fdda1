package cli_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

func TestAudit(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	a := openApp(t, dsn)
	ctx := context.Background()
	p, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("AU-1"), Name: app.Ptr("Audited")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{Name: app.Ptr("Renamed"), Version: &p.Version}, false); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, "", "--db", dsn, "audit", "--entity-type", "product", "-o", "json")
	var out struct {
		Items []db.AuditEvent `json:"items"`
		Total int             `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if out.Total != 2 || out.Items[0].Action != "update" || !strings.Contains(out.Items[0].After, "Renamed") ||
		!strings.Contains(out.Items[0].Before, "Audited") || strings.Contains(out.Items[0].After, "sku") {
		t.Fatalf("audit = %+v", out)
	}
	table := mustRun(t, "", "--db", dsn, "audit", "--from", "2000-01-01")
	if !strings.Contains(table.stdout, "product "+strconv.FormatInt(p.ID, 10)) || !strings.HasPrefix(table.stdout, "ID") {
		t.Fatalf("table = %q", table.stdout)
	}
	for _, args := range [][]string{{"audit", "--from", "yesterday"}, {"audit", "extra"}} {
		if r := runCLI(t, "", append([]string{"--db", dsn}, args...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
	}
}
