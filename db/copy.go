package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db/migrations"
)

// ErrTargetNotEmpty is returned by Copy when the target holds data and
// CopyOptions.Force is not set.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// CopyOptions tune Copy.
type CopyOptions struct {
	// Force replaces whatever the target holds (deleted in the same
	// transaction as the copy, so a failure leaves it as it was).
	Force bool
	// BatchRows is the most rows one INSERT carries (default 1,000); an
	// INSERT also ends after about 4 MB of values.
	BatchRows int
	// Progress, when set, is called after every batch with the rows copied
	// so far and the total.
	Progress func(done, total int64)
}

// TableCount is a table and its number of rows.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// CopyReport says what Copy copied and how it verified the copy.
type CopyReport struct {
	Tables   []TableCount `json:"tables"`
	Rows     int64        `json:"rows"`
	Replaced int64        `json:"replaced"` // rows the target held before (with Force)
	Check    *CheckReport `json:"check"`    // of the target, before commit
	Seconds  float64      `json:"seconds"`
}

// copyBatchBytes bounds the values of one INSERT (MySQL's default
// max_allowed_packet is 16 or 64 MB).
const copyBatchBytes = 4 << 20

// Copy copies every table of the shop (migrations.Tables) from src to dst,
// which must both be migrated to the same version. It reads src in one
// snapshot (a read-only REPEATABLE READ transaction on PostgreSQL and
// MySQL, a read transaction on SQLite), so it may run while src is in use,
// and writes dst in one transaction: all or nothing. Before committing it
// verifies the target: every table has the source's row count and Check
// finds nothing. Ids are copied as they are; the target's id sequences
// (PostgreSQL) are moved past them, as MySQL's and SQLite's counters move
// by themselves. A source that fails Check is refused: copying it would
// copy its mismatches.
func Copy(ctx context.Context, src, dst *bun.DB, opt CopyOptions) (*CopyReport, error) {
	began := time.Now()
	if opt.BatchRows <= 0 {
		opt.BatchRows = 1000
	}
	if err := sameMigrations(ctx, src, dst); err != nil {
		return nil, err
	}
	srcOpts := &sql.TxOptions{ReadOnly: true}
	if !IsSQLite(src) {
		srcOpts.Isolation = sql.LevelRepeatableRead
	}
	stx, err := src.BeginTx(ctx, srcOpts)
	if err != nil {
		return nil, fmt.Errorf("copy: begin reading the source: %w", err)
	}
	defer func() { _ = stx.Rollback() }()
	rep := &CopyReport{}
	for _, t := range migrations.Tables {
		n, err := countRows(ctx, stx, t.Name)
		if err != nil {
			return nil, fmt.Errorf("copy: source: %w", err)
		}
		rep.Tables = append(rep.Tables, TableCount{t.Name, n})
		rep.Rows += n
	}
	srcCheck, err := Check(ctx, stx)
	if err != nil {
		return nil, fmt.Errorf("copy: check the source: %w", err)
	}
	if !srcCheck.OK() {
		return nil, fmt.Errorf("copy: the source fails check (%d mismatches; see smartinventory check): not copied", srcCheck.Total)
	}

	dtx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: begin writing the target: %w", err)
	}
	defer func() { _ = dtx.Rollback() }()
	for _, t := range migrations.Tables {
		n, err := countRows(ctx, dtx, t.Name)
		if err != nil {
			return nil, fmt.Errorf("copy: target: %w", err)
		}
		rep.Replaced += n
	}
	if rep.Replaced > 0 && !opt.Force {
		return nil, fmt.Errorf("%w (%d rows); use --force to replace them", ErrTargetNotEmpty, rep.Replaced)
	}
	if rep.Replaced > 0 {
		for i := len(migrations.Tables) - 1; i >= 0; i-- {
			name := migrations.Tables[i].Name
			if _, err := dtx.ExecContext(ctx, "DELETE FROM "+quoteIdent(dst, name)); err != nil {
				return nil, fmt.Errorf("copy: empty target table %s: %w", name, err)
			}
		}
	}
	var done int64
	progress := func(n int64) {
		done += n
		if opt.Progress != nil {
			opt.Progress(done, rep.Rows)
		}
	}
	progress(0)
	for _, t := range migrations.Tables {
		if err := copyTable(ctx, stx, dtx, src, dst, t, opt.BatchRows, progress); err != nil {
			return nil, err
		}
	}
	if IsPostgres(dst) {
		for _, t := range migrations.Tables {
			if len(t.Key) != 1 || t.Key[0] != "id" {
				continue
			}
			_, err := dtx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM "+
				quoteIdent(dst, t.Name)+"), 0) + 1, false)", t.Name)
			if err != nil {
				return nil, fmt.Errorf("copy: reset the id sequence of %s: %w", t.Name, err)
			}
		}
	}
	for _, tc := range rep.Tables {
		n, err := countRows(ctx, dtx, tc.Table)
		if err != nil {
			return nil, fmt.Errorf("copy: verify: %w", err)
		}
		if n != tc.Rows {
			return nil, fmt.Errorf("copy: verify: table %s has %d rows in the target, %d in the source: not copied", tc.Table, n, tc.Rows)
		}
	}
	if rep.Check, err = Check(ctx, dtx); err != nil {
		return nil, fmt.Errorf("copy: check the target: %w", err)
	}
	if !rep.Check.OK() {
		return nil, fmt.Errorf("copy: the target fails check (%d mismatches): not copied", rep.Check.Total)
	}
	if err := dtx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	rep.Seconds = time.Since(began).Seconds()
	return rep, nil
}

// sameMigrations refuses databases at different schema versions.
func sameMigrations(ctx context.Context, src, dst *bun.DB) error {
	applied := func(bdb *bun.DB) ([]string, error) {
		st, err := MigrationStatus(ctx, bdb)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, m := range st {
			if m.Applied {
				names = append(names, m.Name)
			}
		}
		return names, nil
	}
	a, err := applied(src)
	if err != nil {
		return fmt.Errorf("copy: source: %w", err)
	}
	b, err := applied(dst)
	if err != nil {
		return fmt.Errorf("copy: target: %w", err)
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		return fmt.Errorf("copy: the source has %d migrations applied and the target %d: migrate both first", len(a), len(b))
	}
	return nil
}

func countRows(ctx context.Context, idb bun.IDB, table string) (int64, error) {
	var n int64
	if err := idb.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(idb, table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// quoteIdent quotes a table or column name for idb's dialect.
func quoteIdent(idb bun.IDB, name string) string {
	q := string(idb.Dialect().IdentQuote())
	return q + strings.ReplaceAll(name, q, q+q) + q
}

// columnKind is how copyTable carries a column's values.
type columnKind int

const (
	kindText columnKind = iota
	kindInt
	kindFloat
	kindBool
	kindTime
)

// kindOf maps a driver's type name to a column kind: SQLite's declared
// types (BIGINT, TIMESTAMP, BOOLEAN…), PostgreSQL's (INT8, TIMESTAMPTZ,
// BOOL…) and MySQL's (BIGINT, DATETIME, TINYINT, which the migrations use
// only for BOOLEAN).
func kindOf(typeName string) columnKind {
	t := strings.ToUpper(typeName)
	switch {
	case strings.Contains(t, "BOOL"), t == "TINYINT":
		return kindBool
	case strings.Contains(t, "INT"), strings.Contains(t, "SERIAL"):
		return kindInt
	case strings.Contains(t, "DOUBLE"), strings.Contains(t, "FLOAT"), strings.Contains(t, "REAL"),
		strings.Contains(t, "NUMERIC"), strings.Contains(t, "DECIMAL"):
		return kindFloat
	case strings.Contains(t, "TIME"), strings.Contains(t, "DATE"):
		return kindTime
	}
	return kindText
}

// copyTable streams one table from the source, in key order, into
// multi-row INSERTs on the target.
func copyTable(ctx context.Context, stx, dtx bun.Tx, src, dst *bun.DB, t migrations.Table, batchRows int, progress func(int64)) error {
	var (
		head, tuple string
		args        []any
		n           int
		bytes       int
		query       strings.Builder
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		query.Reset()
		query.WriteString(head)
		for i := 0; i < n; i++ {
			if i > 0 {
				query.WriteString(", ")
			}
			query.WriteString(tuple)
		}
		if _, err := dtx.ExecContext(ctx, query.String(), args...); err != nil {
			return fmt.Errorf("copy: write %s: %w", t.Name, err)
		}
		progress(int64(n))
		args, n, bytes = args[:0], 0, 0
		return nil
	}
	err := scanTable(ctx, stx, t, func(cols []string) {
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = quoteIdent(dst, c)
		}
		head = "INSERT INTO " + quoteIdent(dst, t.Name) + " (" + strings.Join(quoted, ", ") + ") VALUES "
		tuple = "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	}, func(row []any) error {
		for _, v := range row {
			if s, ok := v.(string); ok {
				bytes += len(s)
			}
		}
		bytes += 8 * len(row)
		args = append(args, row...)
		n++
		if n >= batchRows || bytes >= copyBatchBytes {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// scanTable reads table t of idb in key order: columns gets the column
// names, then row each row's values as Go values of their kind (int64,
// float64, bool, string, UTC time.Time or nil), whatever the database.
func scanTable(ctx context.Context, idb bun.IDB, t migrations.Table, columns func([]string), row func([]any) error) error {
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(idb, k)
	}
	rows, err := idb.QueryContext(ctx, "SELECT * FROM "+quoteIdent(idb, t.Name)+" ORDER BY "+strings.Join(keys, ", "))
	if err != nil {
		return fmt.Errorf("copy: read %s: %w", t.Name, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("copy: read %s: %w", t.Name, err)
	}
	kinds := make([]columnKind, len(types))
	cols := make([]string, len(types))
	for i, ct := range types {
		kinds[i] = kindOf(ct.DatabaseTypeName())
		cols[i] = ct.Name()
	}
	columns(cols)
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	out := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("copy: read %s: %w", t.Name, err)
		}
		for i, v := range raw {
			if out[i], err = convertValue(v, kinds[i]); err != nil {
				return fmt.Errorf("copy: %s.%s: %w", t.Name, cols[i], err)
			}
		}
		if err := row(out); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy: read %s: %w", t.Name, err)
	}
	return nil
}

// DumpTable returns table's rows, in key order, as text that is the same
// for the same data on every database (for comparing copies).
func DumpTable(ctx context.Context, idb bun.IDB, table string) ([]string, error) {
	var t migrations.Table
	for _, x := range migrations.Tables {
		if x.Name == table {
			t = x
		}
	}
	if t.Name == "" {
		return nil, fmt.Errorf("dump: unknown table %q", table)
	}
	var cols []string
	var out []string
	err := scanTable(ctx, idb, t, func(c []string) { cols = c }, func(row []any) error {
		var b strings.Builder
		for i, v := range row {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(cols[i])
			b.WriteByte('=')
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case time.Time:
				b.WriteString(x.Format(time.RFC3339Nano))
			case string:
				b.WriteString(strconv.Quote(x))
			default:
				fmt.Fprint(&b, x)
			}
		}
		out = append(out, b.String())
		return nil
	})
	return out, err
}

// sqliteTimeLayouts are the ways a time may be written in SQLite's text.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02",
}

// convertValue turns a value as the source's driver returned it into the
// Go value of its kind (nil stays NULL), which bun writes in the target's
// dialect.
func convertValue(v any, kind columnKind) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch kind {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		case float64:
			return int64(x), nil
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case string:
			return strconv.ParseFloat(x, 64)
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(x)
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			for _, l := range sqliteTimeLayouts {
				if tm, err := time.Parse(l, x); err == nil {
					return tm.UTC(), nil
				}
			}
			return nil, fmt.Errorf("unreadable time %q", x)
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
	}
	return nil, fmt.Errorf("unexpected value %T for its column", v)
}

// TableNames lists the tables of bdb's database (or PostgreSQL schema).
func TableNames(ctx context.Context, bdb *bun.DB) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	switch {
	case IsPostgres(bdb):
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
	case IsMySQL(bdb):
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1"
	}
	var names []string
	if err := bdb.NewRaw(q).Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return names, nil
}

// PrimaryKey lists the columns of table's primary key, in order.
func PrimaryKey(ctx context.Context, bdb *bun.DB, table string) ([]string, error) {
	q := "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk"
	switch {
	case IsPostgres(bdb):
		q = `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`
	case IsMySQL(bdb):
		q = `SELECT column_name FROM information_schema.key_column_usage
			WHERE table_schema = DATABASE() AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position`
	}
	var cols []string
	if err := bdb.NewRaw(q, table).Scan(ctx, &cols); err != nil {
		return nil, fmt.Errorf("primary key of %s: %w", table, err)
	}
	return cols, nil
}
