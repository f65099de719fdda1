// Package migrations holds the schema migrations, embedded in the binary.
// SQL files are Go templates: {{.PK}} is the auto-increment primary key
// column type and {{.TS}} the timestamp type of the dialect in use.
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

// TemplateData returns the values the SQL templates use for a dialect
// ("pg" or "sqlite").
func TemplateData(dialect string) map[string]any {
	if dialect == "pg" {
		return map[string]any{"Dialect": dialect, "PK": "BIGSERIAL PRIMARY KEY", "TS": "TIMESTAMPTZ", "ChangeTables": ChangeTables}
	}
	return map[string]any{"Dialect": dialect, "PK": "INTEGER PRIMARY KEY AUTOINCREMENT", "TS": "TIMESTAMP", "ChangeTables": ChangeTables}
}
