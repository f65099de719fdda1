package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
)

// MySQLMaxConns bounds the MySQL/MariaDB connection pool (as for PostgreSQL).
const MySQLMaxConns = 32

// mysqlSQLMode is the sql_mode of every connection: strict (a value that
// does not fit is an error, never silently truncated), no zero dates, and
// the standard SQL that SQLite and PostgreSQL speak: "…" quotes
// identifiers (ANSI_QUOTES, so a column may be called "key") and || joins
// strings (PIPES_AS_CONCAT). Backslash escapes stay on: bun's MySQL dialect
// writes string literals with them.
const mysqlSQLMode = "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO," +
	"NO_ENGINE_SUBSTITUTION,ANSI_QUOTES,PIPES_AS_CONCAT"

// MySQLCollation is the collation of every table and connection: utf8mb4
// (all of Unicode) compared byte by byte, as SQLite and PostgreSQL (in the
// C collation) compare, so that unique keys and sort orders agree between
// the databases.
const MySQLCollation = "utf8mb4_bin"

// mysqlParams are the query parameters a mysql:// DSN may carry.
var mysqlParams = map[string]string{
	"tls":     "true, false, skip-verify or preferred",
	"socket":  "the path of the server's Unix socket (instead of HOST:PORT)",
	"timeout": "how long to wait for a connection, e.g. 5s (default 10s)",
}

// parseMySQL turns "mysql://USER:PASS@HOST:PORT/DB?tls=…&socket=…&timeout=…"
// (or mariadb://…) into the driver's configuration. The session settings
// the program relies on (utf8mb4, UTC, strict mode, parseTime) are set
// here and cannot be changed from the DSN.
func parseMySQL(dsn string) (*mysql.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid mysql DSN: %s", redactURLError(err))
	}
	cfg := mysql.NewConfig()
	if u.User == nil || u.User.Username() == "" {
		return nil, fmt.Errorf("mysql DSN needs a user: mysql://USER:PASS@HOST:PORT/DB")
	}
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" {
		return nil, fmt.Errorf("mysql DSN needs a database name: mysql://USER:PASS@HOST:PORT/DB")
	}
	if strings.Trim(cfg.DBName, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$-") != "" || len(cfg.DBName) > 64 {
		return nil, fmt.Errorf("mysql DSN: database name %q: use up to 64 letters, digits, _, $ or -", cfg.DBName)
	}
	q := u.Query()
	for k := range q {
		if _, ok := mysqlParams[k]; !ok {
			return nil, fmt.Errorf("mysql DSN: unknown parameter %q (known: tls, socket, timeout)", k)
		}
	}
	cfg.Net, cfg.Addr = "tcp", u.Host
	if sock := q.Get("socket"); sock != "" {
		cfg.Net, cfg.Addr = "unix", sock
	} else {
		if u.Hostname() == "" {
			return nil, fmt.Errorf("mysql DSN needs a host: mysql://USER:PASS@HOST:PORT/DB (or ?socket=PATH)")
		}
		if u.Port() == "" {
			cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
		} else if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("mysql DSN: invalid port %q", u.Port())
		}
	}
	switch t := q.Get("tls"); t {
	case "", "false":
	case "true", "skip-verify", "preferred":
		cfg.TLSConfig = t
	default:
		return nil, fmt.Errorf("mysql DSN: tls=%q: use %s", t, mysqlParams["tls"])
	}
	cfg.Timeout = 10 * time.Second
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("mysql DSN: timeout=%q: use a duration such as 5s", t)
		}
		cfg.Timeout = d
	}
	if err := cfg.Apply(mysql.Charset("utf8mb4", MySQLCollation)); err != nil {
		return nil, fmt.Errorf("mysql DSN: %w", err)
	}
	cfg.Loc = time.UTC
	cfg.ParseTime = true
	// Rows matched, not rows changed, as SQLite and PostgreSQL count them.
	cfg.ClientFoundRows = true
	// Arguments of plain queries are written into the SQL (one round trip);
	// explicitly prepared statements stay prepared on the server.
	cfg.InterpolateParams = true
	cfg.Params = map[string]string{
		"time_zone": "'+00:00'",
		"sql_mode":  "'" + mysqlSQLMode + "'",
	}
	cfg.Logger = mysqlLogger{}
	return cfg, nil
}

// redactURLError drops the URL (which may hold a password) from a parse error.
func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// mysqlLogger sends the driver's own messages (e.g. a dropped idle
// connection) to slog at debug level instead of printing them to stderr.
type mysqlLogger struct{}

func (mysqlLogger) Print(v ...any) { slog.Debug("mysql driver: " + fmt.Sprint(v...)) }

// mysqlSession sets what the DSN's parameters cannot on every new
// connection: the transaction isolation level (the variable is named
// differently in MySQL and MariaDB; the statement is the same).
type mysqlSession struct{ driver.Connector }

// mysqlIsolation is the isolation of every transaction. The stock rules
// need no more: the conditional UPDATE … WHERE stock >= ? reads and locks
// the latest committed row whatever the isolation (a "current read"), and
// READ COMMITTED takes no gap locks, so concurrent inserts into the same
// indexes do not deadlock each other. It is PostgreSQL's default, which
// the services were written for.
const mysqlIsolation = "READ COMMITTED"

func (c mysqlSession) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("mysql driver connection %T cannot execute statements", conn)
	}
	if _, err := ex.ExecContext(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL "+mysqlIsolation, nil); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// openMySQL opens a pool on cfg and checks that the server fits: it
// answers, and auto-increment ids of a multi-row insert are consecutive
// (bun reads them back from the first one).
func openMySQL(ctx context.Context, cfg *mysql.Config) (*bun.DB, error) {
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql DSN: %w", err)
	}
	sqldb := sql.OpenDB(mysqlSession{connector})
	sqldb.SetMaxOpenConns(MySQLMaxConns)
	sqldb.SetMaxIdleConns(MySQLMaxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	// Below the servers' default wait_timeout (8 h) and any proxy's.
	sqldb.SetConnMaxLifetime(time.Hour)
	var step int64
	if err := sqldb.QueryRowContext(ctx, "SELECT @@auto_increment_increment").Scan(&step); err != nil {
		_ = sqldb.Close()
		return nil, mysqlConnectError(cfg, err)
	}
	if step != 1 {
		_ = sqldb.Close()
		return nil, fmt.Errorf("mysql database at %s: auto_increment_increment is %d; smartinventory needs 1", mysqlWhere(cfg), step)
	}
	// bun asks the server's version here (MariaDB has INSERT … RETURNING).
	return bun.NewDB(sqldb, mysqldialect.New(mysqldialect.WithTimeLocation("UTC"))), nil
}

// mysqlWhere names the server: HOST:PORT or the socket's path.
func mysqlWhere(cfg *mysql.Config) string { return cfg.Addr }

// mysqlConnectError names the problem of a failed first connection in one line.
func mysqlConnectError(cfg *mysql.Config, err error) error {
	where := mysqlWhere(cfg)
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1049:
			return fmt.Errorf("mysql database %q does not exist on %s (create it: CREATE DATABASE %s CHARACTER SET utf8mb4)", cfg.DBName, where, cfg.DBName)
		case 1045:
			return fmt.Errorf("mysql at %s refused user %q: wrong password or no such user (%s)", where, cfg.User, me.Message)
		case 1044:
			return fmt.Errorf("mysql at %s: user %q may not use database %q (%s)", where, cfg.User, cfg.DBName, me.Message)
		}
		return fmt.Errorf("connect to mysql database at %s: %s", where, me.Message)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("connect to mysql database at %s: no answer within %s", where, cfg.Timeout)
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return fmt.Errorf("connect to mysql database at %s: %v", where, oe.Err)
	}
	return fmt.Errorf("connect to mysql database at %s: %v", where, err)
}

// IsMySQL reports whether idb talks to MySQL or MariaDB.
func IsMySQL(idb bun.IDB) bool { return idb.Dialect().Name().String() == "mysql" }

// IsSQLite reports whether idb talks to SQLite.
func IsSQLite(idb bun.IDB) bool { return idb.Dialect().Name().String() == "sqlite" }
