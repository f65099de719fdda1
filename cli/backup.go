package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/db"
)

func init() {
	register(newBackupCmd)
	register(newRestoreCmd)
}

// pgBackupHelp explains backups of PostgreSQL databases.
const pgBackupHelp = `backup and restore copy SQLite databases only. For PostgreSQL use its own tools,
which take a consistent snapshot while the server keeps running:
  pg_dump --format=custom --file smartinventory.dump 'postgres://…'
and restore into an empty database with:
  pg_restore --clean --if-exists --no-owner --dbname 'postgres://…' smartinventory.dump
then run "smartinventory check".`

// refused is a refusal to overwrite something (exit code 3, a conflict).
type refused struct{ msg string }

func (e refused) Error() string { return e.msg }
func (e refused) ExitCode() int { return ExitConflict }

// sqliteFile returns the file of the SQLite database named by --db, or a
// usage error (exit 2) with the pg_dump advice for PostgreSQL. For MySQL
// it returns "" (backup and restore copy it with db.Copy).
func sqliteFile(env *Env) (string, error) {
	kind, source, err := db.ParseDSN(env.DB)
	if err != nil {
		return "", usagef("--db: %v", err)
	}
	if kind == db.Postgres {
		return "", usageError{errors.New(pgBackupHelp)}
	}
	if kind == db.MySQL {
		return "", nil
	}
	path := strings.TrimPrefix(source, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path, nil
}

func newBackupCmd(env *Env) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the SQLite database to FILE while the server keeps running",
		Long: `backup writes a consistent copy of the SQLite database (--db) to FILE with
SQLite's VACUUM INTO: it reads one snapshot, so it may run while the server
is serving and recording sales; every sale committed before the backup
starts is in the copy, later ones are not. The copy is compacted, checked
with PRAGMA quick_check, synced to disk and only then moved to FILE, so FILE
is never a partial backup. An existing FILE is refused unless --force.

On MySQL/MariaDB, backup writes the same kind of FILE, an SQLite database,
as a logical copy of every table read in one REPEATABLE READ snapshot (see
"smartinventory copy"), verified (row counts, check) before FILE appears;
the server keeps serving meanwhile.

Restore it with "smartinventory restore FILE". For PostgreSQL, backup
explains how to use pg_dump and exits with status 2.`,
		Example: `  smartinventory backup backups/shop-$(date +%F).db
  smartinventory --db sqlite:/var/lib/smartinventory/shop.db backup /mnt/backup/shop.db --force`,
		Args: exactArgs(1, "the backup FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "backup"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			src, err := sqliteFile(env)
			if err != nil {
				return err
			}
			dst := args[0]
			if _, err := os.Stat(dst); err == nil && !force {
				return refused{fmt.Sprintf("%s exists; use --force to replace it", dst)}
			}
			ctx := cmd.Context()
			var info *backupInfo
			if src == "" {
				src = db.RedactDSN(env.DB)
				info, err = backupByCopy(ctx, env.DB, dst, force)
			} else {
				if _, err := os.Stat(src); err != nil {
					return fmt.Errorf("database %s: %w", src, err)
				}
				info, err = backupSQLite(ctx, env.DB, dst, force)
			}
			if err != nil {
				return err
			}
			if env.Output != OutputTable {
				cols := []Column[backupInfo]{
					{Header: "FILE", Value: func(b backupInfo) string { return b.File }},
					{Header: "BYTES", Value: func(b backupInfo) string { return intCell(b.Bytes) }},
					{Header: "PRODUCTS", Value: func(b backupInfo) string { return intCell(b.Products) }},
					{Header: "SALES", Value: func(b backupInfo) string { return intCell(b.Sales) }},
				}
				return render(env, info, []backupInfo{*info}, cols)
			}
			_, err = fmt.Fprintf(env.Stdout, "backed up %s to %s: %d bytes, %d products, %d sales\n",
				src, dst, info.Bytes, info.Products, info.Sales)
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}

// backupInfo describes a backup file.
type backupInfo struct {
	File     string `json:"file"`
	Bytes    int64  `json:"bytes"`
	Products int64  `json:"products"`
	Sales    int64  `json:"sales"`
}

// backupSQLite copies the database at dsn to dst through a temporary file
// next to dst.
func backupSQLite(ctx context.Context, dsn, dst string, force bool) (*backupInfo, error) {
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer bdb.Close()
	tmp, err := tempPath(dst)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	// VACUUM INTO takes the file name as an expression: a bound parameter.
	if _, err := bdb.DB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return nil, fmt.Errorf("backup: vacuum into %s: %w", tmp, err)
	}
	return finishBackup(ctx, tmp, dst, force)
}

// backupByCopy copies the server database at dsn (MySQL) into a new
// SQLite file with db.Copy, through a temporary file next to dst.
func backupByCopy(ctx context.Context, dsn, dst string, force bool) (*backupInfo, error) {
	src, err := openMigrated(ctx, dsn, "--db")
	if err != nil {
		return nil, err
	}
	defer src.Close()
	tmp, err := tempPath(dst)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	for _, suffix := range []string{"-wal", "-shm"} {
		defer os.Remove(tmp + suffix)
	}
	out, err := openMigrated(ctx, "sqlite:"+tmp, "backup")
	if err != nil {
		return nil, err
	}
	if _, err := db.Copy(ctx, src, out, db.CopyOptions{}); err != nil {
		_ = out.Close()
		return nil, fmt.Errorf("backup: %w", err)
	}
	// One file: fold the write-ahead log into it before it moves.
	if _, err := out.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		_ = out.Close()
		return nil, fmt.Errorf("backup: checkpoint: %w", err)
	}
	if _, err := out.ExecContext(ctx, "PRAGMA journal_mode = DELETE"); err != nil {
		_ = out.Close()
		return nil, fmt.Errorf("backup: journal mode: %w", err)
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("backup: close %s: %w", tmp, err)
	}
	return finishBackup(ctx, tmp, dst, force)
}

// finishBackup verifies the copy at tmp, syncs it and moves it to dst.
func finishBackup(ctx context.Context, tmp, dst string, force bool) (*backupInfo, error) {
	info, err := inspectSQLite(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("backup: the copy does not verify: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	if force {
		err = os.Rename(tmp, dst)
	} else {
		err = os.Link(tmp, dst) // fails if dst appeared meanwhile
	}
	if errors.Is(err, os.ErrExist) {
		return nil, refused{fmt.Sprintf("%s exists; use --force to replace it", dst)}
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	info.File = dst
	return info, nil
}

// tempPath creates an empty file next to path, readable by its owner only
// (0600: a backup holds password hashes and the signing secret), for
// VACUUM INTO, which fills an empty file and keeps its mode.
func tempPath(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("create a file next to %s: %w", path, err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("create a file next to %s: %w", path, err)
	}
	return name, nil
}

// syncFile flushes path to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// inspectSQLite opens path read-only, runs PRAGMA quick_check and counts
// its products and sales; a file that is not a Smart Inventory database
// is an error.
func inspectSQLite(ctx context.Context, path string) (*backupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	defer sqldb.Close()
	var check string
	if err := sqldb.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return nil, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if check != "ok" {
		return nil, fmt.Errorf("%s is damaged: %s", path, check)
	}
	info := &backupInfo{File: path, Bytes: st.Size()}
	err = sqldb.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM sales)").
		Scan(&info.Products, &info.Sales)
	if err != nil {
		return nil, fmt.Errorf("%s is not a Smart Inventory database: %w", path, err)
	}
	return info, nil
}

func newRestoreCmd(env *Env) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the SQLite database with a backup, then check it",
		Long: `restore replaces the SQLite database (--db) with the backup FILE made by
"smartinventory backup", then applies pending migrations and runs "check".

Stop the server first: restore replaces the database file underneath any
process that has it open. The backup is verified (PRAGMA quick_check) before
anything is touched; the current database's write-ahead log is checkpointed
and removed, and the backup is copied next to the database, synced and
renamed into place, so a failure leaves either the old or the new database.
A database that holds any products, sales, categories, suppliers or users is
refused unless --force. On MySQL/MariaDB restore copies the backup into the
database (see "smartinventory copy": one transaction, verified before the
commit; a database that holds any row is refused unless --force). For
PostgreSQL, restore explains how to use pg_restore and exits with status 2.`,
		Example: `  smartinventory restore backups/shop-2026-03-01.db
  smartinventory --db sqlite:shop.db restore /mnt/backup/shop.db --force`,
		Args: exactArgs(1, "the backup FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "restore"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			dst, err := sqliteFile(env)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if _, err := inspectSQLite(ctx, args[0]); err != nil {
				return fmt.Errorf("restore: %w", err)
			}
			if dst == "" {
				return restoreByCopy(ctx, env, args[0], force)
			}
			if err := prepareTarget(ctx, env.DB, dst, force); err != nil {
				return err
			}
			if err := copyInto(args[0], dst); err != nil {
				return err
			}
			bdb, err := env.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			rep, err := db.Check(ctx, bdb)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "restored %s from %s\n", dst, args[0])
			if err := printCheckReport(env, rep); err != nil {
				return err
			}
			if !rep.OK() {
				return checkFailed{total: rep.Total}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace a database that holds data")
	return cmd
}

// prepareTarget refuses a non-empty database without force, then
// checkpoints and removes its write-ahead log so no stale log is replayed
// onto the restored file.
func prepareTarget(ctx context.Context, dsn, path string, force bool) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer bdb.Close()
	var rows int64
	for _, table := range []string{"products", "sales", "categories", "suppliers", "users"} {
		var n int64
		err := bdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
		if err != nil && !strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("restore: inspect %s: %w", path, err)
		}
		rows += n
	}
	if rows > 0 && !force {
		return refused{fmt.Sprintf("%s holds data (%d rows); use --force to replace it", path, rows)}
	}
	if _, err := bdb.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("restore: checkpoint %s: %w", path, err)
	}
	if err := bdb.Close(); err != nil {
		return fmt.Errorf("restore: close %s: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	return nil
}

// copyInto copies src next to dst, syncs it and renames it over dst.
func copyInto(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	return writeFileAtomic(dst, 0o600, func(w io.Writer) error {
		if _, err := io.Copy(w, in); err != nil {
			return fmt.Errorf("restore: copy %s: %w", src, err)
		}
		return nil
	})
}

// restoreByCopy copies the backup file into the server database (MySQL)
// named by --db, which db.Copy verifies before it commits.
func restoreByCopy(ctx context.Context, env *Env, file string, force bool) error {
	src, err := openMigrated(ctx, "sqlite:"+file, "restore")
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openMigrated(ctx, env.DB, "--db")
	if err != nil {
		return err
	}
	defer dst.Close()
	rep, err := db.Copy(ctx, src, dst, db.CopyOptions{Force: force})
	if errors.Is(err, db.ErrTargetNotEmpty) {
		return refused{fmt.Sprintf("restore: %v", err)}
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(env.Stderr, "restored %s from %s\n", db.RedactDSN(env.DB), file)
	return printCheckReport(env, rep.Check)
}
