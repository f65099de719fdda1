package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newExportCmd) }

func newExportCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export products|suppliers|categories|sales [FILE|-]",
		Short: "Export products, suppliers, categories or sales as CSV",
		Long: `export writes every record of a kind as CSV with a header line to FILE, or to
standard output when FILE is - or absent. The columns are the ones import
accepts, so an export imports back unchanged: amounts with a decimal point,
times in RFC 3339 UTC, categories and suppliers of products by name. Sales
exports hold the non-voided sales with their id (ignored by import).

A FILE is written to a temporary file next to it and renamed when complete,
so it never holds a partial export. Exporting needs a local database; over
the API use GET /api/v1/export/{kind}.csv.`,
		Example: `  smartinventory export products > products.csv
  smartinventory export sales sales-2026.csv
  smartinventory --db postgres://user@localhost/shop export suppliers -`,
		ValidArgs: app.ImportKinds(),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef("%s takes a kind (products, suppliers, categories or sales) and an optional FILE; see %s --help",
					cmd.CommandPath(), cmd.CommandPath())
			}
			if !isImportKind(args[0]) {
				return usagef("unknown kind %q: use %s", args[0], strings.Join(app.ImportKinds(), ", "))
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return app.ImportKinds(), cobra.ShellCompDirectiveNoFileComp
			}
			if len(args) == 1 {
				return []string{"csv"}, cobra.ShellCompDirectiveFilterFileExt
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "export"); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, closeApp, err := openServices(ctx, env)
			if err != nil {
				return err
			}
			defer closeApp()
			if len(args) < 2 || args[1] == "-" {
				return cliError(a.Export(ctx, app.System, env.Stdout, args[0]))
			}
			return writeFileAtomic(args[1], 0o644, func(w io.Writer) error {
				return cliError(a.Export(ctx, app.System, w, args[0]))
			})
		},
	}
	return cmd
}

// writeFileAtomic writes path (with permissions mode) through a temporary
// file in the same directory, renamed over path only when write succeeded
// and the data is on disk.
func writeFileAtomic(path string, mode os.FileMode, write func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
