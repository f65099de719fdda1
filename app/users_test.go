package app_test

import (
	"github.com/uptrace/bun"

	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestRolesAreCheckedInTheServiceLayer walks each role through what it may
// and may not do.
func TestRolesAreCheckedInTheServiceLayer(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	p := newProduct(t, a, "R-1", 100)
	actors := map[db.Role]app.Actor{}
	for _, r := range []db.Role{db.RoleViewer, db.RoleClerk, db.RoleManager, db.RoleAdmin} {
		actors[r] = actorWithRole(t, a, "user-"+string(r), r)
	}
	ops := []struct {
		name string
		min  db.Role
		do   func(a *app.App, who app.Actor) error
	}{
		{"read products", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, _, err := a.Catalog.ListProducts(ctx, who, app.ProductFilter{})
			return err
		}},
		{"record sale", db.RoleClerk, func(a *app.App, who app.Actor) error {
			_, err := a.Sales.Record(ctx, who, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1)})
			return err
		}},
		{"adjust stock", db.RoleClerk, func(a *app.App, who app.Actor) error {
			_, err := a.Stock.Adjust(ctx, who, app.AdjustmentInput{ProductID: &p.ID, Delta: app.Ptr[int64](1), Reason: "count"})
			return err
		}},
		{"receive stock", db.RoleClerk, func(a *app.App, who app.Actor) error {
			_, err := a.Stock.Receive(ctx, who, app.ReceiptInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1)})
			return err
		}},
		{"create product", db.RoleManager, func(a *app.App, who app.Actor) error {
			_, err := a.Catalog.CreateProduct(ctx, who, app.ProductInput{SKU: app.Ptr("new-" + who.Username), Name: app.Ptr("x")})
			return err
		}},
		{"create supplier", db.RoleManager, func(a *app.App, who app.Actor) error {
			_, err := a.Catalog.CreateSupplier(ctx, who, app.SupplierInput{Name: app.Ptr("sup-" + who.Username)})
			return err
		}},
		{"list users", db.RoleAdmin, func(a *app.App, who app.Actor) error {
			_, err := a.Users.ListUsers(ctx, who)
			return err
		}},
		{"read a setting", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Settings.Get(ctx, who, app.SettingFourEyes, "true")
			return err
		}},
		{"ask whether forecasts are stale", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Forecasts.Stale(ctx, who)
			return err
		}},
		{"product labels", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Catalog.ProductLabels(ctx, who, []int64{p.ID})
			return err
		}},
		{"supplier names", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Catalog.SupplierNames(ctx, who)
			return err
		}},
		{"count products", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Catalog.CountProducts(ctx, who)
			return err
		}},
		{"count changes by others", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Audit.ChangesSince(ctx, who, []string{"product"}, time.Time{})
			return err
		}},
		{"demand history", db.RoleViewer, func(a *app.App, who app.Actor) error {
			_, err := a.Analytics.Demand(ctx, who, app.DemandQuery{ProductIDs: []int64{p.ID}, From: time.Now().AddDate(0, 0, -7), To: time.Now()})
			return err
		}},
		{"refresh every forecast", db.RoleManager, func(a *app.App, who app.Actor) error {
			_, err := a.Forecasts.RefreshAll(ctx, who, nil)
			return err
		}},
		{"count users", db.RoleAdmin, func(a *app.App, who app.Actor) error {
			_, err := a.Users.CountUsers(ctx, who)
			return err
		}},
		{"count sessions", db.RoleAdmin, func(a *app.App, who app.Actor) error {
			_, err := a.Sessions.Count(ctx, who)
			return err
		}},
		{"read a user", db.RoleAdmin, func(a *app.App, who app.Actor) error {
			_, err := a.Users.User(ctx, who, who.UserID)
			return err
		}},
	}
	for _, op := range ops {
		for role, who := range actors {
			err := op.do(a, who)
			allowed := role.Rank() >= op.min.Rank()
			if allowed && err != nil {
				t.Errorf("%s as %s: %v, want allowed", op.name, role, err)
			}
			if !allowed && app.ErrorCode(err) != app.EFORBIDDEN {
				t.Errorf("%s as %s: %v, want forbidden", op.name, role, err)
			}
		}
	}
	// Anonymous actors are unauthorized, not forbidden.
	for _, op := range ops {
		if err := op.do(a, app.Actor{}); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("%s anonymously: %v, want unauthorized", op.name, err)
		}
	}
}

// TestLookups checks what the lookups answer beyond their role checks.
func TestLookups(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) { testLookups(t, bdb) })
}

func testLookups(t *testing.T, bdb *bun.DB) {
	a := app.New(bdb, app.Options{})
	p := newProduct(t, a, "L-1", 5)
	admin := actorWithRole(t, a, "boss", db.RoleAdmin)
	viewer := actorWithRole(t, a, "watcher", db.RoleViewer)

	labels, err := a.Catalog.ProductLabels(ctx, viewer, []int64{p.ID, p.ID + 1000})
	if err != nil || len(labels) != 1 || labels[p.ID].SKU != "L-1" {
		t.Errorf("ProductLabels = %v, %v; want only L-1", labels, err)
	}
	if u, err := a.Users.User(ctx, admin, viewer.UserID); err != nil || u.Username != "watcher" {
		t.Errorf("User(%d) = %v, %v", viewer.UserID, u, err)
	}
	_, err = a.Users.User(ctx, admin, 99999)
	wantCode(t, err, app.ENOTFOUND)
	// The admin's own change is not news to the admin, but is to the viewer
	// (the creation by System, before since, counts for neither).
	since := time.Now()
	if _, err := a.Catalog.UpdateProduct(ctx, admin, p.ID, app.ProductInput{Name: app.Ptr("renamed"), Version: &p.Version}, false); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Audit.ChangesSince(ctx, admin, []string{"product"}, since); err != nil || n != 0 {
		t.Errorf("ChangesSince(admin) = %d, %v; want 0", n, err)
	}
	if n, err := a.Audit.ChangesSince(ctx, viewer, []string{"product"}, since); err != nil || n < 1 {
		t.Errorf("ChangesSince(viewer) = %d, %v; want at least 1", n, err)
	}
	if n, err := a.Audit.ChangesSince(ctx, viewer, []string{"sale"}, since); err != nil || n != 0 {
		t.Errorf("ChangesSince(viewer, sale) = %d, %v; want 0", n, err)
	}
}

func TestTokensAndPasswords(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a := app.New(dbtest.Open(t), app.Options{Now: clock})
	clerk := actorWithRole(t, a, "clerk1", db.RoleClerk)
	other := actorWithRole(t, a, "clerk2", db.RoleClerk)

	if _, err := a.Users.Authenticate(ctx, "clerk1", "wrong password"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := a.Users.Authenticate(ctx, "nobody", "correct horse"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("unknown user: %v", err)
	}
	if u, err := a.Users.Authenticate(ctx, "clerk1", "correct horse"); err != nil || u.Username != "clerk1" {
		t.Fatalf("login = %v, %v", u, err)
	}

	tok, err := a.Users.CreateToken(ctx, clerk, "clerk1", "laptop", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var stored db.APIToken
	if err := app.DBOf(a).NewSelect().Model(&stored).Where("id = ?", tok.Token.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if stored.TokenHash == tok.Secret || len(stored.TokenHash) != 64 {
		t.Fatalf("token stored as %q: must be a hash", stored.TokenHash)
	}
	u, _, err := a.Users.AuthenticateToken(ctx, tok.Secret)
	if err != nil || u.Username != "clerk1" {
		t.Fatalf("token auth = %v, %v", u, err)
	}
	if _, err := a.Users.CreateToken(ctx, clerk, "clerk2", "theirs", 0); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("token for another user: %v", err)
	}
	if err := a.Users.RevokeToken(ctx, other, tok.Token.ID); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("revoke someone else's token: %v", err)
	}
	now = now.Add(2 * time.Hour) // past expiry
	if _, _, err := a.Users.AuthenticateToken(ctx, tok.Secret); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
	tok2, err := a.Users.CreateToken(ctx, app.System, "clerk1", "ci", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Users.RevokeToken(ctx, clerk, tok2.Token.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Users.AuthenticateToken(ctx, tok2.Secret); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
	// Deactivating a user stops their tokens at once.
	tok3, _ := a.Users.CreateToken(ctx, app.System, "clerk2", "x", 0)
	if _, err := a.Users.UpdateUser(ctx, app.System, other.UserID, app.UserInput{Active: app.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Users.AuthenticateToken(ctx, tok3.Secret); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("token of deactivated user: %v", err)
	}
	if _, err := a.Users.Authenticate(ctx, "clerk2", "correct horse"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("login of deactivated user: %v", err)
	}
}

func TestEnsureAdminOnlyOnEmptyDatabase(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	pw, err := a.Users.EnsureAdmin(ctx)
	if err != nil || len(pw) < app.MinPasswordLength {
		t.Fatalf("EnsureAdmin = %q, %v", pw, err)
	}
	if u, err := a.Users.Authenticate(ctx, "admin", pw); err != nil || u.Role != db.RoleAdmin {
		t.Fatalf("admin login = %v, %v", u, err)
	}
	pw2, err := a.Users.EnsureAdmin(ctx)
	if err != nil || pw2 != "" {
		t.Fatalf("second EnsureAdmin = %q, %v; want nothing", pw2, err)
	}
}

// TestCreateTokenLifetime: one rule for every caller: 0 to MaxTokenDays
// days, a blank name becomes DefaultTokenName, and an actor signed in with
// a token that expires at E creates only tokens expiring by E.
func TestCreateTokenLifetime(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	a := app.New(dbtest.Open(t), app.Options{Now: func() time.Time { return now }})
	clerk := actorWithRole(t, a, "clerk1", db.RoleClerk)
	for _, ttl := range []time.Duration{-time.Hour, app.TokenTTL(app.MaxTokenDays + 1), app.TokenTTL(1 << 62)} {
		_, err := a.Users.CreateToken(ctx, clerk, "clerk1", "x", ttl)
		wantCode(t, err, app.EINVALID)
		wantField(t, err, "ttl_days")
	}
	tok, err := a.Users.CreateToken(ctx, clerk, "clerk1", "  ", app.TokenTTL(10))
	if err != nil || tok.Token.Name != app.DefaultTokenName {
		t.Fatalf("blank name: %+v, %v; want the default name", tok, err)
	}
	u, stored, err := a.Users.AuthenticateToken(ctx, tok.Secret)
	if err != nil {
		t.Fatal(err)
	}
	viaToken := app.ActorForToken(u, stored)
	for _, ttl := range []time.Duration{0, app.TokenTTL(11)} {
		_, err := a.Users.CreateToken(ctx, viaToken, "clerk1", "longer", ttl)
		wantCode(t, err, app.EINVALID)
		wantField(t, err, "ttl_days")
	}
	short, err := a.Users.CreateToken(ctx, viaToken, "clerk1", "shorter", app.TokenTTL(10))
	if err != nil || short.Token.ExpiresAt.After(*stored.ExpiresAt) {
		t.Fatalf("token as long as its creator: %+v, %v", short, err)
	}
}
