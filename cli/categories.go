package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newCategoriesCmd) }

// newCategoriesCmd groups the category subcommands.
func newCategoriesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "categories",
		Aliases: []string{"category"},
		Short:   "List, show, create, update and delete product categories",
		Long: `categories manages the product categories, locally or with --server. A
category is named by ID or by its exact name. A category in use cannot be
deleted (exit 3).`,
		Example: `  smartinventory categories list
  smartinventory categories create --name Tools --description "Hand tools"
  smartinventory categories update Tools --version 1 --name "Hand tools"
  smartinventory categories delete 7`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	get := func(ctx context.Context, b backend, id int64) (*db.Category, error) { return b.Category(ctx, id) }
	list := func(ctx context.Context, b backend, f app.NameFilter) ([]db.Category, int, error) {
		return b.Categories(ctx, f)
	}
	name := func(c db.Category) string { return c.Name }
	find := func(ctx context.Context, b backend, arg string) (*db.Category, error) {
		return findNamed(ctx, b, arg, "category", get, list, name)
	}
	var in struct{ name, description string }
	var version int64
	input := func(cmd *cobra.Command, from string) (app.CategoryInput, error) {
		var ci app.CategoryInput
		if from != "" {
			if err := readJSONInput(env, from, &ci); err != nil {
				return ci, err
			}
		}
		ch := cmd.Flags().Changed
		if ch("name") {
			ci.Name = &in.name
		}
		if ch("description") {
			ci.Description = &in.description
		}
		if ch("version") {
			ci.Version = &version
		}
		return ci, nil
	}
	addFields := func(cmd *cobra.Command) {
		cmd.Flags().StringVar(&in.name, "name", "", "name, unique")
		cmd.Flags().StringVar(&in.description, "description", "", "description")
	}
	cmd.AddCommand(newNamedCRUD(env, namedCRUD[db.Category, app.CategoryInput]{
		noun: "category", group: "categories",
		cols: []Column[db.Category]{
			{Header: "ID", Right: true, Value: func(c db.Category) string { return intCell(c.ID) }},
			{Header: "NAME", Value: func(c db.Category) string { return c.Name }},
			{Header: "DESCRIPTION", Value: func(c db.Category) string { return c.Description }},
			{Header: "VERSION", Right: true, Value: func(c db.Category) string { return intCell(c.Version) }},
		},
		fields: func(c *db.Category) []field {
			return []field{{"id", intCell(c.ID)}, {"name", c.Name}, {"description", c.Description},
				{"version", intCell(c.Version)}, {"created_at", timeCell(c.CreatedAt)}, {"updated_at", timeCell(c.UpdatedAt)}}
		},
		list: list, find: find,
		create: func(ctx context.Context, b backend, in app.CategoryInput) (*db.Category, error) {
			return b.CreateCategory(ctx, in)
		},
		update: func(ctx context.Context, b backend, id int64, in app.CategoryInput) (*db.Category, error) {
			return b.UpdateCategory(ctx, id, in)
		},
		remove:    func(ctx context.Context, b backend, id int64) error { return b.DeleteCategory(ctx, id) },
		id:        func(c *db.Category) int64 { return c.ID },
		input:     input,
		addFields: addFields,
		version:   &version,
		hasVer:    func(in app.CategoryInput) bool { return in.Version != nil },
		examples:  []string{`--name Tools --description "Hand tools"`, `Tools --version 1 --name "Hand tools"`},
	})...)
	return cmd
}

// findNamed resolves an ID or exact name (case-insensitive when no exact
// match) to an entity.
func findNamed[T any](ctx context.Context, b backend, arg, noun string,
	get func(context.Context, backend, int64) (*T, error),
	list func(context.Context, backend, app.NameFilter) ([]T, int, error),
	name func(T) string) (*T, error) {
	if id, err := parseID(arg); err == nil {
		return get(ctx, b, id)
	}
	f := app.NameFilter{Query: arg, Limit: app.MaxPageSize}
	var fold *T
	for {
		rows, total, err := list(ctx, b, f)
		if err != nil {
			return nil, err
		}
		for i := range rows {
			if name(rows[i]) == arg {
				return &rows[i], nil
			}
			if fold == nil && strings.EqualFold(name(rows[i]), arg) {
				fold = &rows[i]
			}
		}
		f.Offset += len(rows)
		if len(rows) == 0 || f.Offset >= total {
			break
		}
	}
	if fold != nil {
		return fold, nil
	}
	return nil, app.Errorf(app.ENOTFOUND, "No %s named %q.", noun, arg)
}

// namedCRUD describes the list/show/create/update/delete subcommands of an
// entity named by ID or name (categories, suppliers).
type namedCRUD[T, In any] struct {
	noun, group string
	cols        []Column[T]
	fields      func(*T) []field
	list        func(context.Context, backend, app.NameFilter) ([]T, int, error)
	find        func(context.Context, backend, string) (*T, error)
	create      func(context.Context, backend, In) (*T, error)
	update      func(context.Context, backend, int64, In) (*T, error)
	remove      func(context.Context, backend, int64) error
	id          func(*T) int64
	input       func(cmd *cobra.Command, fromJSON string) (In, error)
	addFields   func(*cobra.Command)
	version     *int64
	hasVer      func(In) bool
	examples    []string // create and update flag examples
}

// newNamedCRUD builds the five subcommands.
func newNamedCRUD[T, In any](env *Env, d namedCRUD[T, In]) []*cobra.Command {
	return []*cobra.Command{d.listCmd(env), d.showCmd(env), d.createCmd(env), d.updateCmd(env), d.deleteCmd(env)}
}

// listCmd is "GROUP list": a page of the entities whose name matches.
func (d namedCRUD[T, In]) listCmd(env *Env) *cobra.Command {
	var f app.NameFilter
	list := &cobra.Command{
		Use:     "list",
		Short:   "List " + d.group + " by name",
		Example: "  smartinventory " + d.group + " list --query a -o csv",
		Args:    subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if err := checkPage(f.Limit, f.Offset); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				rows, total, err := d.list(cmd.Context(), b, f)
				if err != nil {
					return err
				}
				return renderPage(env, rows, total, d.cols)
			})
		},
	}
	list.Flags().StringVarP(&f.Query, "query", "q", "", "only names containing this text")
	list.Flags().StringVar(&f.Sort, "sort", "name", "sort key (name, created_at, …); prefix - for descending")
	addPageFlags(list, &f.Limit, &f.Offset)
	return list
}

// showCmd is "GROUP show ID|NAME".
func (d namedCRUD[T, In]) showCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID|NAME",
		Short:   "Show one " + d.noun,
		Example: "  smartinventory " + d.group + " show 3 -o json",
		Args:    exactArgs(1, "an ID or name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				v, err := d.find(cmd.Context(), b, args[0])
				if err != nil {
					return err
				}
				return renderRecord(env, v, d.fields(v))
			})
		},
	}
}

// createCmd is "GROUP create": from flags and/or a JSON file.
func (d namedCRUD[T, In]) createCmd(env *Env) *cobra.Command {
	var createJSON string
	create := &cobra.Command{
		Use:     "create --name NAME [flags]",
		Short:   "Create a " + d.noun,
		Example: "  smartinventory " + d.group + " create " + d.examples[0],
		Args:    subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			in, err := d.input(cmd, createJSON)
			if err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				v, err := d.create(cmd.Context(), b, in)
				if err != nil {
					return err
				}
				return renderRecord(env, v, d.fields(v))
			})
		},
	}
	d.addFields(create)
	create.Flags().StringVar(&createJSON, "from-json", "", "read the "+d.noun+" from a JSON file (- for standard input); flags override its fields")
	return create
}

// updateCmd is "GROUP update ID|NAME --version N": the fields given.
func (d namedCRUD[T, In]) updateCmd(env *Env) *cobra.Command {
	var updateJSON string
	update := &cobra.Command{
		Use:   "update ID|NAME --version N [flags]",
		Short: "Change the fields given of a " + d.noun,
		Long: "update changes only the fields given. --version must be the version you are\n" +
			"editing; a stale one changes nothing and exits 3 with the current version.",
		Example: "  smartinventory " + d.group + " update " + d.examples[1],
		Args:    exactArgs(1, "an ID or name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			in, err := d.input(cmd, updateJSON)
			if err != nil {
				return err
			}
			if !d.hasVer(in) {
				return usagef("%s update: --version is required (the version you are editing; see %s show)", d.group, d.group)
			}
			return env.withBackend(cmd, func(b backend) error {
				cur, err := d.find(cmd.Context(), b, args[0])
				if err != nil {
					return err
				}
				v, err := d.update(cmd.Context(), b, d.id(cur), in)
				if err != nil {
					return err
				}
				return renderRecord(env, v, d.fields(v))
			})
		},
	}
	d.addFields(update)
	update.Flags().StringVar(&updateJSON, "from-json", "", "read the changes from a JSON file (- for standard input); flags override its fields")
	update.Flags().Int64Var(d.version, "version", 0, "the version you are editing (required)")
	return update
}

// deleteCmd is "GROUP delete ID|NAME" (a conflict while in use).
func (d namedCRUD[T, In]) deleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "delete ID|NAME",
		Short:   "Delete a " + d.noun + " no product uses",
		Example: "  smartinventory " + d.group + " delete 7",
		Args:    exactArgs(1, "an ID or name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				cur, err := d.find(cmd.Context(), b, args[0])
				if err != nil {
					return err
				}
				if err := d.remove(cmd.Context(), b, d.id(cur)); err != nil {
					return fmt.Errorf("delete %s %d: %w", d.noun, d.id(cur), err)
				}
				return renderDeleted(env, true)
			})
		},
	}
}
