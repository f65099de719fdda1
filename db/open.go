package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/migrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"smartinventory/db/migrations"
)

// sqlitePragmas apply to every pooled SQLite connection: WAL for concurrent
// readers, NORMAL sync (durable in WAL at commit), a busy timeout so writers
// queue instead of failing, foreign keys, and BEGIN IMMEDIATE so
// read-then-write transactions cannot fail with SQLITE_BUSY_SNAPSHOT.
// cache_spill lets a write transaction keep up to 32 MB of changed pages
// in memory before it spills any to the WAL (the 2 MB page cache would
// otherwise spill mid-transaction, writing pages twice, on every batch of
// sales); the memory is given back as the pages are committed.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(ON)&_pragma=cache_spill(8192)&_pragma=temp_store(MEMORY)&_txlock=immediate"

// SQLiteMaxConns bounds the SQLite connection pool. SQLite works in this
// process's memory: each connection keeps its own page cache (2 MB), so
// more connections than cores only cost memory; requests beyond them wait
// their turn in database/sql's queue.
const SQLiteMaxConns = 8

// Kind is the database engine behind a DSN.
type Kind string

// Database kinds.
const (
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
	MySQL    Kind = "mysql" // MySQL 8 or MariaDB 10.11+
)

// ParseDSN splits a DSN into its kind and the driver-level data source:
// "sqlite:PATH" (or "sqlite://PATH", or a bare path ending in .db) and
// "postgres://…" / "postgresql://…" and "mysql://USER:PASS@HOST:PORT/DB"
// (or "mariadb://…"; see parseMySQL).
func ParseDSN(dsn string) (Kind, string, error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", fmt.Errorf("invalid postgres DSN: %w", err)
		}
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "mysql://"), strings.HasPrefix(dsn, "mariadb://"):
		cfg, err := parseMySQL(dsn)
		if err != nil {
			return "", "", err
		}
		return MySQL, cfg.FormatDSN(), nil
	case strings.HasPrefix(dsn, "sqlite://"):
		return sqlitePath(strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqlitePath(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasSuffix(dsn, ".db") && !strings.Contains(dsn, "://"):
		return sqlitePath(dsn)
	}
	return "", "", fmt.Errorf("unsupported database %q: use sqlite:FILE, postgres://… or mysql://…", redactDSN(dsn))
}

func sqlitePath(path string) (Kind, string, error) {
	if path == "" {
		return "", "", fmt.Errorf("sqlite DSN needs a file path, e.g. sqlite:smartinventory.db")
	}
	if strings.ContainsAny(path, "?#") {
		return "", "", fmt.Errorf("sqlite DSN %q: query parameters are not supported", path)
	}
	return SQLite, "file:" + path + "?" + sqlitePragmas, nil
}

// OpenOptions tune Open.
type OpenOptions struct {
	// SyncFull makes SQLite fsync the write-ahead log at every commit
	// (synchronous=FULL), so that a committed transaction survives a power
	// loss or an OS crash, not only a crash of the process (which NORMAL
	// survives too). It costs write throughput (see the README). No effect
	// on PostgreSQL, which flushes its WAL at commit by default.
	SyncFull bool
}

// Open connects to the database named by dsn (see ParseDSN) and checks the
// connection. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*bun.DB, error) {
	return OpenWith(ctx, dsn, OpenOptions{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opt OpenOptions) (*bun.DB, error) {
	kind, source, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if kind == SQLite && opt.SyncFull {
		source = strings.Replace(source, "synchronous(NORMAL)", "synchronous(FULL)", 1)
	}
	var bdb *bun.DB
	switch kind {
	case SQLite:
		if err := PrivateSQLiteFiles(sqliteFilePath(source)); err != nil {
			return nil, sqliteOpenError(source, err)
		}
		sqldb, err := sql.Open("sqlite", source)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		sqldb.SetMaxOpenConns(SQLiteMaxConns)
		sqldb.SetMaxIdleConns(SQLiteMaxConns)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		bdb = bun.NewDB(sqldb, sqlitedialect.New())
	case Postgres:
		cfg, err := pgx.ParseConfig(source)
		if err != nil {
			return nil, fmt.Errorf("parse postgres DSN: %w", err)
		}
		sqldb := stdlib.OpenDB(*cfg)
		sqldb.SetMaxOpenConns(32)
		sqldb.SetMaxIdleConns(32)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		bdb = bun.NewDB(sqldb, pgdialect.New())
	case MySQL:
		cfg, err := parseMySQL(strings.TrimSpace(dsn))
		if err != nil {
			return nil, err
		}
		// openMySQL has connected once already and names any problem itself.
		return openMySQL(ctx, cfg)
	}
	if err := bdb.PingContext(ctx); err != nil {
		_ = bdb.Close()
		if kind == SQLite {
			return nil, sqliteOpenError(source, err)
		}
		return nil, fmt.Errorf("connect to %s database: %w", kind, err)
	}
	return bdb, nil
}

// sqliteFilePath is the file of a driver-level SQLite source.
func sqliteFilePath(source string) string {
	path, _, _ := strings.Cut(strings.TrimPrefix(source, "file:"), "?")
	return path
}

// PrivateSQLiteFiles makes the SQLite database at path readable by its
// owner only: it creates a missing file 0600 before SQLite opens it (SQLite
// gives its -wal, -shm and -journal files the mode of the database), and
// takes group and other permissions off an existing database and its
// companions. The database holds password hashes and the web UI's
// signing secret.
func PrivateSQLiteFiles(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		if err := f.Close(); err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
		return nil
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		st, err := os.Stat(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", name, err)
		}
		if st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(name, st.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("make %s private: %w", name, err)
			}
		}
	}
	return nil
}

// DB is a database handle (bun's), for packages that do not import bun.
type DB = bun.DB

// OpenMigrated opens the database named by dsn and applies its pending
// migrations.
func OpenMigrated(ctx context.Context, dsn string) (*bun.DB, error) {
	bdb, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", redactDSN(dsn), err)
	}
	return bdb, nil
}

// IsPostgres reports whether idb talks to PostgreSQL.
func IsPostgres(idb bun.IDB) bool { return idb.Dialect().Name().String() == "pg" }

func newMigrator(bdb *bun.DB) *migrate.Migrator {
	return migrate.NewMigrator(bdb, migrations.Migrations,
		migrate.WithMarkAppliedOnSuccess(true),
		migrate.WithTemplateData(migrations.TemplateData(bdb.Dialect().Name().String())))
}

// Migrate applies every pending migration and returns the names applied.
func Migrate(ctx context.Context, bdb *bun.DB) ([]string, error) {
	return runMigrator(ctx, bdb, "migrate", (*migrate.Migrator).Migrate)
}

// Rollback undoes the last group of migrations and returns their names.
func Rollback(ctx context.Context, bdb *bun.DB) ([]string, error) {
	return runMigrator(ctx, bdb, "rollback", (*migrate.Migrator).Rollback)
}

// runMigrator initialises the migration tables, takes the migration lock
// and runs one migrator operation, returning the migrations it touched.
func runMigrator(ctx context.Context, bdb *bun.DB, what string,
	op func(*migrate.Migrator, context.Context, ...migrate.MigrationOption) (*migrate.MigrationGroup, error)) ([]string, error) {
	m := newMigrator(bdb)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	unlock, err := lockMigrations(ctx, bdb)
	if err != nil {
		return nil, err
	}
	defer unlock()
	group, err := op(m, ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	names := make([]string, 0, len(group.Migrations))
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	return names, nil
}

// MigrationState is one migration and whether it has been applied.
type MigrationState struct {
	Name      string    `json:"name"`
	Applied   bool      `json:"applied"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
}

// MigrationStatus lists every known migration with its state.
func MigrationStatus(ctx context.Context, bdb *bun.DB) ([]MigrationState, error) {
	m := newMigrator(bdb)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(ms))
	for _, mg := range ms {
		out = append(out, MigrationState{Name: mg.Name, Applied: mg.IsApplied(), AppliedAt: mg.MigratedAt})
	}
	return out, nil
}

// lockMigrations serialises migrators across processes on PostgreSQL and
// MySQL with an advisory lock (see Lock). On SQLite the migrations run in
// IMMEDIATE transactions, which already serialise.
func lockMigrations(ctx context.Context, bdb *bun.DB) (func(), error) {
	if IsSQLite(bdb) {
		return func() {}, nil
	}
	unlock, _, err := Lock(ctx, bdb, migrationLockKey, true)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return unlock, nil
}

// migrationLockKey is the advisory lock id used while migrating.
const migrationLockKey = 727460001
