// Command smartinventory manages a shop's catalogue, stock and sales and
// tells the team when and how much to reorder.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"smartinventory/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
