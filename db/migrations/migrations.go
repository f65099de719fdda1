// Package migrations holds the schema migrations, embedded in the binary.
// SQL files are Go templates: {{.PK}} is the auto-increment primary key
// column type, {{.TS}} the timestamp type and {{.Table}} the table options
// (after a CREATE TABLE's closing parenthesis) of the dialect in use;
// {{.Dialect}} is bun's name for it ("sqlite", "pg" or "mysql").
//
// The same SQL serves the three databases where it can. Rules that keep it
// so: one statement between "--bun:split" lines (MySQL runs one statement
// per call); foreign keys as table constraints (MySQL 8 ignores a
// REFERENCES written on a column); TEXT defaults in parentheses (DEFAULT
// (”); MySQL refuses a bare literal); reserved words of any of the three
// quoted with "…" (the MySQL sessions run with ANSI_QUOTES); DROP INDEX
// names its table on MySQL.
package migrations

import (
	"embed"
	"fmt"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFiles embed.FS

// Migrations is the registry of every migration, in order.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFiles); err != nil {
		// The files are embedded at build time: a failure is a programming error.
		panic(fmt.Sprintf("migrations: discover: %v", err))
	}
}

// ChangeTables are the tables whose writes notify the change channel on
// PostgreSQL (every table but the audit log and the web UI's secrets).
var ChangeTables = []string{"categories", "suppliers", "products", "users", "api_tokens", "sales",
	"stock_movements", "daily_sales", "purchase_orders", "purchase_order_lines", "forecasts", "settings", "comments"}

// PromoTables are the change tables of the promotions migration (created
// after the change triggers of the older ones, so that it adds their
// triggers itself).
var PromoTables = []string{"promotions", "planned_prices"}

// AuthTables are the change tables whose writes may change who is logged in.
var AuthTables = []string{"users", "api_tokens"}

// TemplateData returns the values the SQL templates use for a dialect
// ("pg", "mysql" or "sqlite").
func TemplateData(dialect string) map[string]any {
	d := map[string]any{"Dialect": dialect, "ChangeTables": ChangeTables, "AuthTables": AuthTables, "PromoTables": PromoTables, "Table": ""}
	switch dialect {
	case "pg":
		d["PK"], d["TS"] = "BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ"
	case "mysql":
		// DATETIME(6) holds UTC (every session runs at time_zone +00:00) to
		// the microsecond, with none of TIMESTAMP's 2038 limit or implicit
		// defaults.
		d["PK"], d["TS"] = "BIGINT AUTO_INCREMENT PRIMARY KEY", "DATETIME(6)"
		d["Table"] = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
	default:
		d["PK"], d["TS"] = "INTEGER PRIMARY KEY AUTOINCREMENT", "TIMESTAMP"
	}
	return d
}

// Table is a table of the shop's data and the columns of its primary key.
type Table struct {
	Name string
	Key  []string
}

// Tables lists every table the migrations create that holds the shop's
// data, parents before children (the order in which a copy inserts them;
// it deletes in the reverse order). A migration that adds a table adds it
// here: TestTablesCoverTheSchema fails until it does. Left out: bun's
// migration bookkeeping and MySQL's change counters (smartinv_changes),
// which belong to a database, not to the shop.
var Tables = []Table{
	{"categories", []string{"id"}},
	{"suppliers", []string{"id"}},
	{"users", []string{"id"}},
	{"products", []string{"id"}},
	{"api_tokens", []string{"id"}},
	{"web_sessions", []string{"token_hash"}},
	{"sales", []string{"id"}},
	{"stock_movements", []string{"id"}},
	{"daily_sales", []string{"product_id", "day"}},
	{"audit_events", []string{"id"}},
	{"purchase_orders", []string{"id"}},
	{"purchase_order_lines", []string{"id"}},
	{"forecasts", []string{"product_id"}},
	{"settings", []string{"key"}},
	{"comments", []string{"id"}},
	{"web_secrets", []string{"name"}},
	{"promotions", []string{"id"}},
	{"planned_prices", []string{"id"}},
}

// Bookkeeping are the tables the migrations create that Tables leaves out.
var Bookkeeping = []string{"bun_migrations", "bun_migration_locks", "smartinv_changes", "sqlite_sequence"}
