package cli

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newSuppliersCmd) }

// newSuppliersCmd groups the supplier subcommands.
func newSuppliersCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "suppliers",
		Aliases: []string{"supplier"},
		Short:   "List, show, create, update and delete suppliers",
		Long: `suppliers manages the suppliers, locally or with --server. A supplier is named
by ID or by its exact name. A supplier in use cannot be deleted (exit 3).`,
		Example: `  smartinventory suppliers list -o csv
  smartinventory suppliers create --name ACME --email orders@acme.example --lead-time-days 5
  smartinventory suppliers update ACME --version 1 --phone "+1 555 0100"`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	get := func(ctx context.Context, b backend, id int64) (*db.Supplier, error) { return b.Supplier(ctx, id) }
	list := func(ctx context.Context, b backend, f app.NameFilter) ([]db.Supplier, int, error) {
		return b.Suppliers(ctx, f)
	}
	find := func(ctx context.Context, b backend, arg string) (*db.Supplier, error) {
		return findNamed(ctx, b, arg, "supplier", get, list, func(s db.Supplier) string { return s.Name })
	}
	var fl struct {
		name, contact, email, phone, notes string
		leadTime                           int
		version                            int64
	}
	input := func(cmd *cobra.Command, from string) (app.SupplierInput, error) {
		var in app.SupplierInput
		if from != "" {
			if err := readJSONInput(env, from, &in); err != nil {
				return in, err
			}
		}
		ch := cmd.Flags().Changed
		for name, set := range map[string]struct {
			dst **string
			v   *string
		}{
			"name": {&in.Name, &fl.name}, "contact-name": {&in.ContactName, &fl.contact},
			"email": {&in.Email, &fl.email}, "phone": {&in.Phone, &fl.phone}, "notes": {&in.Notes, &fl.notes},
		} {
			if ch(name) {
				*set.dst = set.v
			}
		}
		if ch("lead-time-days") {
			in.LeadTimeDays = &fl.leadTime
		}
		if ch("version") {
			in.Version = &fl.version
		}
		return in, nil
	}
	addFields := func(cmd *cobra.Command) {
		f := cmd.Flags()
		f.StringVar(&fl.name, "name", "", "name, unique")
		f.StringVar(&fl.contact, "contact-name", "", "contact person")
		f.StringVar(&fl.email, "email", "", "e-mail address")
		f.StringVar(&fl.phone, "phone", "", "phone number")
		f.IntVar(&fl.leadTime, "lead-time-days", 0, "default lead time of its products, 0-365 days")
		f.StringVar(&fl.notes, "notes", "", "notes")
	}
	cmd.AddCommand(newNamedCRUD(env, namedCRUD[db.Supplier, app.SupplierInput]{
		noun: "supplier", group: "suppliers",
		cols: []Column[db.Supplier]{
			{Header: "ID", Right: true, Value: func(s db.Supplier) string { return intCell(s.ID) }},
			{Header: "NAME", Value: func(s db.Supplier) string { return s.Name }},
			{Header: "CONTACT", Key: "contact_name", Value: func(s db.Supplier) string { return s.ContactName }},
			{Header: "EMAIL", Value: func(s db.Supplier) string { return s.Email }},
			{Header: "PHONE", Value: func(s db.Supplier) string { return s.Phone }},
			{Header: "LEAD DAYS", Key: "lead_time_days", Right: true, Value: func(s db.Supplier) string { return strconv.Itoa(s.LeadTimeDays) }},
			{Header: "VERSION", Right: true, Value: func(s db.Supplier) string { return intCell(s.Version) }},
		},
		fields: func(s *db.Supplier) []field {
			return []field{{"id", intCell(s.ID)}, {"name", s.Name}, {"contact_name", s.ContactName}, {"email", s.Email},
				{"phone", s.Phone}, {"lead_time_days", strconv.Itoa(s.LeadTimeDays)}, {"notes", s.Notes},
				{"version", intCell(s.Version)}, {"created_at", timeCell(s.CreatedAt)}, {"updated_at", timeCell(s.UpdatedAt)}}
		},
		list: list, find: find,
		create: func(ctx context.Context, b backend, in app.SupplierInput) (*db.Supplier, error) {
			return b.CreateSupplier(ctx, in)
		},
		update: func(ctx context.Context, b backend, id int64, in app.SupplierInput) (*db.Supplier, error) {
			return b.UpdateSupplier(ctx, id, in)
		},
		remove:    func(ctx context.Context, b backend, id int64) error { return b.DeleteSupplier(ctx, id) },
		id:        func(s *db.Supplier) int64 { return s.ID },
		input:     input,
		addFields: addFields,
		version:   &fl.version,
		hasVer:    func(in app.SupplierInput) bool { return in.Version != nil },
		examples:  []string{`--name ACME --email orders@acme.example --lead-time-days 5`, `ACME --version 1 --phone "+1 555 0100"`},
	})...)
	return cmd
}
