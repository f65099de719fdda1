package app

import "github.com/uptrace/bun"

// DBOf exposes an App's database to the external tests, which check what
// the services stored.
func DBOf(a *App) *bun.DB { return a.db }
