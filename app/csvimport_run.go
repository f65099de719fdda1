package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// importer runs one import.
type importer struct {
	*base
	actor Actor
	opt   ImportOptions
	in    *csvIn
	errs  *errList
	sum   *ImportSummary
	// dryIDs hands out the stand-in (negative) ids of what a dry run would
	// have created.
	dryIDs int64
}

// importBatch is the number of catalogue lines handled together.
const importBatch = 500

func (im *importer) run(ctx context.Context, kind string) error {
	err := im.withTx(ctx, func(tx bun.Tx) error {
		var err error
		switch kind {
		case ImportCategories:
			err = im.importCategories(ctx, tx)
		case ImportSuppliers:
			err = im.importSuppliers(ctx, tx)
		case ImportProducts:
			err = im.importProducts(ctx, tx)
		case ImportSales:
			err = im.importSales(ctx, tx)
		}
		if err != nil {
			return err
		}
		if im.errs.count > 0 || im.opt.DryRun {
			return errRollback
		}
		return im.audit.record(ctx, tx, im.actor, "import", importEntity[kind], 0, nil, map[string]any{
			"lines": im.sum.Lines, "inserted": im.sum.Inserted, "updated": im.sum.Updated, "skipped": im.sum.Skipped})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	if err != nil {
		return err
	}
	im.sum.Written = true
	return nil
}

var importEntity = map[string]string{ImportCategories: "category", ImportSuppliers: "supplier", ImportProducts: "product", ImportSales: "sale"}

// errRollback ends a transaction that must not commit (dry run, errors).
var errRollback = errors.New("rollback")

// sqliteImportPragmas tune the importing SQLite connection as the demo
// loader does: a large page cache for the growing indexes (temporary data
// is in memory on every connection) and foreign keys off so multi-row
// INSERTs need no statement journal (every reference is resolved inside the
// import's transaction, which holds the write lock). sqliteImportRestore
// undoes them.
var (
	sqliteImportPragmas = []string{"PRAGMA cache_size = -262144", "PRAGMA foreign_keys = OFF"}
	sqliteImportRestore = []string{"PRAGMA cache_size = -2000", "PRAGMA foreign_keys = ON"}
)

// withTx runs fn in one transaction on a dedicated connection (tuned on
// SQLite), committing when fn returns nil.
//
// A dry run writes nothing, so it does not take the writer: it reads one
// snapshot in a read-only transaction (a deferred BEGIN on SQLite, with
// the connection set query_only so that no statement can take the write
// lock; a REPEATABLE READ, READ ONLY transaction on PostgreSQL, which
// takes no row locks), and the importers skip their writes and keep what
// they would have written in memory.
func (im *importer) withTx(ctx context.Context, fn func(tx bun.Tx) error) (err error) {
	dry := im.opt.DryRun
	if !dry {
		unlock, err := im.lockWrites(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	conn, err := im.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("import: get connection: %w", err)
	}
	defer conn.Close()
	if db.IsSQLite(im.db) {
		pragmas, restore := sqliteImportPragmas, sqliteImportRestore
		if dry {
			pragmas, restore = append(slices.Clone(pragmas), "PRAGMA query_only = ON"), append(slices.Clone(restore), "PRAGMA query_only = OFF")
		}
		defer func() {
			for _, p := range restore {
				if _, rerr := conn.ExecContext(context.Background(), p); rerr != nil && err == nil {
					err = fmt.Errorf("import: %s: %w", p, rerr)
				}
			}
		}()
		for _, p := range pragmas {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("import: %s: %w", p, err)
			}
		}
	}
	opts := &sql.TxOptions{ReadOnly: dry}
	if dry && db.IsPostgres(im.db) {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for the whole file
	}
	err = conn.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error { return fn(tx) })
	if err == nil && !dry {
		im.changes.Bump()
	}
	return err
}

// progress reports progress every so many lines.
func (im *importer) progress(force bool) {
	if im.opt.Progress != nil && (force || im.sum.Lines%5000 == 0) {
		im.opt.Progress(im.sum.Lines, im.in.cr.InputOffset())
	}
}

// readBatch reads up to importBatch lines, calling parse for each record
// read without CSV errors. It returns false when the file is exhausted and
// nothing was read.
func (im *importer) readBatch(ctx context.Context, parse func(c *cells)) (bool, error) {
	got := false
	for range importBatch {
		more, err := im.in.next(im.errs)
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
		got = true
		im.sum.Lines++
		im.progress(false)
		if im.in.ok() {
			parse(&cells{in: im.in, errs: im.errs})
		}
		im.in.rec = nil
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("import: %w", err)
	}
	im.progress(!got)
	return got, nil
}

// lineFields reports the validation errors of one line.
func (im *importer) lineFields(line int64, v *validation, rename map[string]string) bool {
	for _, f := range v.fields {
		col := f.Field
		if r, ok := rename[col]; ok {
			col = r
		}
		im.errs.add(line, col, "%s", f.Message)
	}
	return len(v.fields) > 0
}

// dupCheck reports a key seen on an earlier line.
func (im *importer) dupCheck(seen map[string]int64, key string, line int64, col string) bool {
	return im.dupCheckKey(seen, key, key, line, col)
}

// dupCheckKey is dupCheck of a value known by its key (a SKU by
// namekey.Key): the error shows the value as written.
func (im *importer) dupCheckKey(seen map[string]int64, key, value string, line int64, col string) bool {
	if first, ok := seen[key]; ok {
		im.errs.add(line, col, "%q appears again (first on line %d)", value, first)
		return true
	}
	seen[key] = line
	return false
}
