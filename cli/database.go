package cli

import (
	"context"
	"fmt"

	"smartinventory/db"
)

// openDB opens the database named by --db (with --sync) and applies
// pending migrations.
func (e *Env) openDB(ctx context.Context) (*db.DB, error) {
	var opt db.OpenOptions
	switch e.Sync {
	case "normal", "":
	case "full":
		opt.SyncFull = true
	default:
		return nil, usagef("--sync: use normal or full, not %q", e.Sync)
	}
	bdb, err := db.OpenWith(ctx, e.DB, opt)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", db.RedactDSN(e.DB), err)
	}
	return bdb, nil
}
