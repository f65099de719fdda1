package cli

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// openDB opens the database named by --db and applies pending migrations.
func (e *Env) openDB(ctx context.Context) (*bun.DB, error) {
	bdb, err := db.Open(ctx, e.DB)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", db.RedactDSN(e.DB), err)
	}
	return bdb, nil
}
