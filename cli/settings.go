package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newSettingsCmd) }

// newSettingsCmd groups `settings list` and `settings set KEY VALUE`.
func newSettingsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "settings",
		Aliases: []string{"setting"},
		Short:   "List and change the shop-wide settings",
		Long: `settings shows and changes the shop-wide settings, locally or with --server
(changing needs a manager's token). The shop's settings are
shop.name, shop.currency (ISO 4217, e.g. EUR), shop.time_zone (IANA, e.g.
Europe/Madrid: the shop's days follow it, and changing it rebuilds the daily
sales rollup), shop.language (es or en) and shop.first_weekday (monday …
sunday); the others tune purchasing and restock.`,
		Example: `  smartinventory settings list
  smartinventory settings set shop.time_zone America/Mexico_City
  smartinventory settings set shop.currency MXN`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cols := []Column[db.Setting]{
		{Header: "KEY", Value: func(s db.Setting) string { return s.Key }},
		{Header: "VALUE", Value: func(s db.Setting) string { return s.Value }},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List every setting with its value (the default when unset)",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				items, err := b.Settings(cmd.Context())
				if err != nil {
					return err
				}
				return render(env, map[string]any{"items": items}, items, cols)
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting (" + strings.Join(app.SettingKeys, ", ") + ")",
		Args:  exactArgs(2, "a key and a value"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				items, err := b.SetSetting(cmd.Context(), args[0], args[1])
				if err != nil {
					return err
				}
				return render(env, map[string]any{"items": items}, items, cols)
			})
		},
	})
	return cmd
}

func (l *localBackend) Settings(ctx context.Context) ([]db.Setting, error) {
	return l.a.Settings.List(ctx, app.System)
}

func (l *localBackend) SetSetting(ctx context.Context, key, value string) ([]db.Setting, error) {
	if err := l.a.Settings.Set(ctx, app.System, key, value); err != nil {
		return nil, err
	}
	return l.a.Settings.List(ctx, app.System)
}

func (r remoteBackend) Settings(ctx context.Context) ([]db.Setting, error) {
	return fromAPI[[]db.Setting](r.c.Settings(ctx))
}

func (r remoteBackend) SetSetting(ctx context.Context, key, value string) ([]db.Setting, error) {
	return fromAPI[[]db.Setting](r.c.SetSetting(ctx, key, value))
}
