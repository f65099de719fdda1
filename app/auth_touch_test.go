package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// Issue 12, Medium 5: while an import holds the writer, authenticating
// with an API token (whose last use is due to be recorded) and signing in
// answer at once and without error; the last use is recorded afterwards.
func TestAuth_TouchNeverFailsARead(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		newProduct(t, a, "TCH-1", 1_000_000)
		admin := actorWithRole(t, a, "admin", db.RoleAdmin)
		tok, err := a.Users.CreateToken(ctx, admin, "admin", "ci", 0)
		if err != nil {
			t.Fatal(err)
		}
		imp := startBlockedImport(t, a, app.ImportSales, "sku,quantity,external_id\n"+salesLines("TCH-1", 0, 6000), false)

		// Far less than the busy timeout (10 s) that used to end in
		// "database is locked".
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, _, err := a.Users.AuthenticateToken(rctx, tok.Secret); err != nil {
			t.Fatalf("token authentication while an import holds the writer: %v", err)
		}
		if _, err := a.Users.Authenticate(rctx, "admin", "correct horse"); err != nil {
			t.Fatalf("sign-in while an import holds the writer: %v", err)
		}
		if _, err := imp.finish(t, ""); err != nil {
			t.Fatalf("import: %v", err)
		}
		a.Users.WaitTouches()
		got, err := a.Users.ListTokens(ctx, admin, "admin")
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.Users.UserByName(ctx, admin, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].LastUsedAt == nil || u.LastLoginAt == nil {
			t.Fatalf("after the import: tokens %+v, user last login %v; want the last use and login recorded", got, u.LastLoginAt)
		}
	})
}
