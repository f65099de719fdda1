package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// SuggestedLine chooses one product of the restock suggestions. Quantity
// overrides the suggested quantity; nil means the suggestion's quantity.
type SuggestedLine struct {
	ProductID *int64 `json:"product_id"`
	Quantity  *int64 `json:"quantity"`
}

// FromSuggestionsInput says which restock suggestions to turn into draft
// purchase orders.
type FromSuggestionsInput struct {
	// Lines are the chosen products. Empty means every current suggestion
	// with a quantity (products without a supplier are then left out).
	Lines []SuggestedLine `json:"lines"`
	// SupplierID, when set, keeps only this supplier's products; a chosen
	// product of another supplier is a field error.
	SupplierID *int64 `json:"supplier_id"`
	// Note goes on every draft (default: "Drafted from restock suggestions.").
	Note *string `json:"note"`
}

// DefaultSuggestionNote is the note of drafts made from suggestions when
// the input has none.
const DefaultSuggestionNote = "Drafted from restock suggestions."

// draftCandidate is a product about to be drafted.
type draftCandidate struct {
	line RestockLine
	qty  int64
}

// DraftOrdersFromSuggestions turns restock suggestions into draft purchase
// orders, one per supplier (clerks and above), in one transaction, and
// returns the drafts created, suppliers with the most urgent lines first.
//
// It is idempotent: a product is drafted only while its current suggestion
// asks for a quantity (suggestions count approved, ordered and partly
// received orders as on order, never drafts), and a product that is on an
// open draft is never drafted again (edit that draft instead). So a
// second call right after the first finds nothing to draft and returns an
// empty list, without error. Should an order be created between computing
// the suggestions and writing the drafts, the call fails with ECONFLICT
// and nothing is written; retrying recomputes the suggestions.
//
// Chosen products that are unknown, inactive, not yet forecast, without a
// supplier, or not of SupplierID are EINVALID field errors naming the
// input line; nothing is written then.
func (a *App) DraftOrdersFromSuggestions(ctx context.Context, actor Actor, in FromSuggestionsInput) ([]db.PurchaseOrder, error) {
	if err := actor.require(db.RoleClerk, "draft purchase orders"); err != nil {
		return nil, err
	}
	if err := validateSuggestedLines(in); err != nil {
		return nil, err
	}
	suggestions, err := a.Restock.Suggestions(ctx, actor, RestockFilter{All: true})
	if err != nil {
		return nil, err
	}
	cands, err := a.chooseSuggestions(ctx, in, suggestions)
	if err != nil {
		return nil, err
	}
	note := DefaultSuggestionNote
	if in.Note != nil {
		note = *in.Note
	}
	orders := []db.PurchaseOrder{}
	err = a.Purchasing.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		orders = orders[:0]
		keep, err := stillNeeded(ctx, tx, cands)
		if err != nil {
			return err
		}
		lines := make([]RestockLine, len(keep))
		qty := make(map[int64]int64, len(keep))
		for i, c := range keep {
			lines[i], qty[c.line.ProductID] = c.line, c.qty
		}
		for _, g := range GroupBySupplier(lines) {
			in := make([]POLineInput, len(g.Lines))
			for i, l := range g.Lines {
				in[i] = POLineInput{ProductID: Ptr(l.ProductID), Quantity: Ptr(qty[l.ProductID])}
			}
			po, err := a.Purchasing.createDraft(ctx, tx, actor, *g.SupplierID, note, in)
			if err != nil {
				return err
			}
			orders = append(orders, *po)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orders, nil
}

// validateSuggestedLines checks the input's shape before anything is read.
func validateSuggestedLines(in FromSuggestionsInput) error {
	v := &validation{}
	if in.SupplierID != nil && *in.SupplierID <= 0 {
		v.add("supplier_id", "must be a positive integer")
	}
	v.textPtr("note", in.Note, MaxNoteLength)
	seen := map[int64]bool{}
	for i, l := range in.Lines {
		v.index = Ptr(i)
		switch {
		case l.ProductID == nil:
			v.add("product_id", "is required")
		case seen[*l.ProductID]:
			v.add("product_id", "appears twice")
		default:
			seen[*l.ProductID] = true
		}
		if l.Quantity != nil {
			v.quantity("quantity", *l.Quantity, 1)
		}
	}
	return v.err()
}

// chooseSuggestions picks the suggestions the input names (or all with a
// quantity) and drops those that need nothing.
func (a *App) chooseSuggestions(ctx context.Context, in FromSuggestionsInput, suggestions []RestockLine) ([]draftCandidate, error) {
	bySupplier := func(l RestockLine) bool {
		return in.SupplierID == nil || (l.SupplierID != nil && *l.SupplierID == *in.SupplierID)
	}
	var out []draftCandidate
	if len(in.Lines) == 0 {
		for _, l := range suggestions {
			if l.Quantity > 0 && l.SupplierID != nil && bySupplier(l) {
				out = append(out, draftCandidate{line: l, qty: l.Quantity})
			}
		}
		return out, nil
	}
	byID := make(map[int64]RestockLine, len(suggestions))
	for _, l := range suggestions {
		byID[l.ProductID] = l
	}
	var missing []int64
	for _, l := range in.Lines {
		if _, ok := byID[*l.ProductID]; !ok {
			missing = append(missing, *l.ProductID)
		}
	}
	known := map[int64]bool{}
	if len(missing) > 0 {
		var ids []int64
		if err := a.db.NewSelect().Model((*db.Product)(nil)).Column("id").Where("id IN (?)", bun.In(missing)).Scan(ctx, &ids); err != nil {
			return nil, fmt.Errorf("look up chosen products: %w", err)
		}
		for _, id := range ids {
			known[id] = true
		}
	}
	v := &validation{}
	for i, l := range in.Lines {
		v.index = Ptr(i)
		id := *l.ProductID
		s, ok := byID[id]
		switch {
		case !ok && !known[id]:
			v.add("product_id", "no product with id %d", id)
		case !ok:
			v.add("product_id", "product %d has no restock suggestion (inactive, or not forecast yet)", id)
		case s.SupplierID == nil:
			v.add("product_id", "product %d has no supplier; set one before ordering", id)
		case !bySupplier(s):
			v.add("product_id", "product %d is not supplied by supplier %d", id, *in.SupplierID)
		case s.Quantity > 0:
			qty := s.Quantity
			if l.Quantity != nil {
				qty = *l.Quantity
			}
			out = append(out, draftCandidate{line: s, qty: qty})
		}
		// A suggestion of 0 means stock and open orders cover the need:
		// nothing to draft.
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// stillNeeded re-reads, inside the transaction, what is on order and on
// open drafts: products already on a draft are dropped, and if the
// quantity on order changed since the suggestions were computed the
// suggestions are stale and the call is a conflict.
func stillNeeded(ctx context.Context, tx bun.IDB, cands []draftCandidate) ([]draftCandidate, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	onOrder, err := OnOrder(ctx, tx)
	if err != nil {
		return nil, err
	}
	var drafted []int64
	if err := tx.NewSelect().TableExpr("purchase_order_lines AS l").
		Join("JOIN purchase_orders AS o ON o.id = l.order_id").
		ColumnExpr("DISTINCT l.product_id").
		Where("o.status = ?", db.PODraft).Scan(ctx, &drafted); err != nil {
		return nil, fmt.Errorf("load products on drafts: %w", err)
	}
	onDraft := make(map[int64]bool, len(drafted))
	for _, id := range drafted {
		onDraft[id] = true
	}
	out := cands[:0:0]
	for _, c := range cands {
		if onDraft[c.line.ProductID] {
			continue
		}
		if onOrder[c.line.ProductID] != c.line.OnOrder {
			return nil, Errorf(ECONFLICT, "Purchase orders for %s changed while drafting; try again.", c.line.SKU)
		}
		out = append(out, c)
	}
	return out, nil
}
