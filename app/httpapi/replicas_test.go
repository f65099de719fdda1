package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestReplicasSeeEachOthersChanges: two servers (replicas) on one
// PostgreSQL or MySQL database. A sale recorded through the first shows in the
// dashboard figures, stock and restock state served by the second, even
// after the second has cached them: caches are keyed by the database's
// data version, not by anything local to a process.
func TestReplicasSeeEachOthersChanges(t *testing.T) {
	dbtest.EachServerDSN(t, func(t *testing.T, dsn string) { replicasSeeEachOthersChanges(t, dsn) })
}

func replicasSeeEachOthersChanges(t *testing.T, dsn string) {
	r1 := apptest.NewServerDSN(t, dsn)
	r2 := apptest.NewServerDSN(t, dsn) // migrations already applied: a no-op
	token := r1.Token(t, db.RoleManager)

	var p db.Product
	r1.DoJSON(t, "POST", "/api/v1/products", token, map[string]any{"sku": "REP-1", "name": "Replicated", "stock": 10, "unit_price": 2, "unit_cost": 1}, http.StatusCreated, &p)
	var before app.KPIs
	r2.DoJSON(t, "GET", "/api/v1/dashboard/kpis", token, nil, http.StatusOK, &before)

	r1.DoJSON(t, "POST", "/api/v1/sales", token, map[string]any{"product_id": p.ID, "quantity": 3}, http.StatusCreated, nil)

	var after app.KPIs
	r2.DoJSON(t, "GET", "/api/v1/dashboard/kpis", token, nil, http.StatusOK, &after)
	if after.UnitsOnHand != before.UnitsOnHand-3 || after.Sales[0].Units != before.Sales[0].Units+3 {
		t.Fatalf("replica 2 KPIs before %+v after %+v: the sale on replica 1 is not visible", before, after)
	}
	var got db.Product
	r2.DoJSON(t, "GET", "/api/v1/products/"+strconv.FormatInt(p.ID, 10), token, nil, http.StatusOK, &got)
	if got.Stock != 7 {
		t.Fatalf("replica 2 sees stock %d, want 7", got.Stock)
	}
}
