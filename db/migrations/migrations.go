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

// TemplateData returns the values the SQL templates use for a dialect
// ("pg" or "sqlite").
func TemplateData(dialect string) map[string]any {
	if dialect == "pg" {
		return map[string]any{"Dialect": dialect, "PK": "BIGSERIAL PRIMARY KEY", "TS": "TIMESTAMPTZ"}
	}
	return map[string]any{"Dialect": dialect, "PK": "INTEGER PRIMARY KEY AUTOINCREMENT", "TS": "TIMESTAMP"}
}
