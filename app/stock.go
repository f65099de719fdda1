package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// Stock records stock changes other than sales: adjustments (counts,
// damage, returns) and receipts from suppliers. Clerks and above may change
// stock; anyone may read the ledger.
type Stock struct{ *base }

// AdjustmentInput changes a product's stock by Delta for a Reason. Kind is
// "adjustment" (default) or "return".
type AdjustmentInput struct {
	ProductID *int64  `json:"product_id"`
	SKU       *string `json:"sku"`
	Delta     *int64  `json:"delta"`
	Reason    string  `json:"reason"`
	Kind      string  `json:"kind"`
}

// ReceiptInput adds received goods to stock.
type ReceiptInput struct {
	ProductID *int64  `json:"product_id"`
	SKU       *string `json:"sku"`
	Quantity  *int64  `json:"quantity"`
	Reason    string  `json:"reason"` // e.g. a delivery note or order number
}

// Adjust applies a stock adjustment. Stock may not become negative (conflict).
func (s *Stock) Adjust(ctx context.Context, a Actor, in AdjustmentInput) (*db.StockMovement, error) {
	if err := a.require(db.RoleClerk, "adjust stock"); err != nil {
		return nil, err
	}
	v := &validation{}
	checkProductRef(v, in.ProductID, in.SKU)
	switch {
	case in.Delta == nil:
		v.add("delta", "is required")
	case *in.Delta == 0:
		v.add("delta", "must not be 0")
	case *in.Delta > db.MaxQuantity || *in.Delta < -db.MaxQuantity:
		v.add("delta", "must be between %d and %d", -db.MaxQuantity, db.MaxQuantity)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		v.add("reason", "is required")
	}
	v.text("reason", in.Reason, MaxNoteLength)
	kind := db.MoveAdjustment
	switch in.Kind {
	case "", string(db.MoveAdjustment):
	case string(db.MoveReturn):
		kind = db.MoveReturn
		if in.Delta != nil && *in.Delta < 0 {
			v.add("delta", "must be positive for a return")
		}
	default:
		v.add("kind", "must be adjustment or return")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.move(ctx, a, in.ProductID, in.SKU, kind, *in.Delta, in.Reason)
}

// Receive adds received goods to stock as a "receipt" movement.
func (s *Stock) Receive(ctx context.Context, a Actor, in ReceiptInput) (*db.StockMovement, error) {
	if err := a.require(db.RoleClerk, "receive stock"); err != nil {
		return nil, err
	}
	v := &validation{}
	checkProductRef(v, in.ProductID, in.SKU)
	switch {
	case in.Quantity == nil:
		v.add("quantity", "is required")
	default:
		v.quantity("quantity", *in.Quantity, 1)
	}
	reason := strings.TrimSpace(in.Reason)
	v.text("reason", reason, MaxNoteLength)
	if err := v.err(); err != nil {
		return nil, err
	}
	if reason == "" {
		reason = "receipt"
	}
	return s.move(ctx, a, in.ProductID, in.SKU, db.MoveReceipt, *in.Quantity, reason)
}

// stockTooLarge is the EINVALID error for a change that would take sku's
// stock above db.MaxQuantity, naming field.
func stockTooLarge(field, sku string, index *int) error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf("Stock of %s would exceed %d.", sku, db.MaxQuantity),
		Fields: []FieldError{{Field: field, Message: fmt.Sprintf("would make stock exceed %d", db.MaxQuantity), Index: index}}}
}

func checkProductRef(v *validation, id *int64, sku *string) {
	if id == nil && (sku == nil || *sku == "") {
		v.add("product_id", "is required (or give sku)")
	}
}

// move changes stock by delta in one statement that refuses negative
// stock, and writes the movement with the resulting balance.
func (s *Stock) move(ctx context.Context, a Actor, id *int64, sku *string, kind db.MovementKind, delta int64, reason string) (*db.StockMovement, error) {
	var m *db.StockMovement
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := productRef(ctx, tx, id, sku)
		if err != nil {
			return err
		}
		stock, ok, err := db.AddStock(ctx, tx, p.ID, delta, 0)
		if err != nil {
			return err
		}
		if !ok && delta > 0 {
			field := "delta"
			if kind == db.MoveReceipt {
				field = "quantity"
			}
			return stockTooLarge(field, p.SKU, nil)
		}
		if !ok {
			return &Error{Code: ECONFLICT,
				Message: fmt.Sprintf("Stock of %s would become negative (on hand %d, change %d).", p.SKU, p.Stock, delta),
				Fields:  []FieldError{{Field: "delta", Message: "would make stock negative"}}}
		}
		m = &db.StockMovement{ProductID: p.ID, Kind: kind, Delta: delta, Balance: stock, Reason: reason,
			UserID: a.userID(), CreatedAt: s.now()}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("insert %s movement: %w", kind, err)
		}
		return s.audit.record(ctx, tx, a, string(kind), "stock_movement", m.ID, nil, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// productRef loads the product named by id or SKU; unknown is a field error.
func productRef(ctx context.Context, idb bun.IDB, id *int64, sku *string) (*db.Product, error) {
	p := new(db.Product)
	q := idb.NewSelect().Model(p)
	field, val := "product_id", any(nil)
	if id != nil {
		q, val = q.Where("id = ?", *id), *id
	} else {
		q, field, val = q.Where("sku_norm = ?", namekey.Key(*sku)), "sku", *sku
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &Error{Code: EINVALID, Message: "Validation failed.",
				Fields: []FieldError{{Field: field, Message: fmt.Sprintf("no product %v", val)}}}
		}
		return nil, fmt.Errorf("load product: %w", err)
	}
	return p, nil
}

// MovementFilter selects stock movements.
type MovementFilter struct {
	ProductID int64
	Kind      string
	Limit     int
	Offset    int
}

// Movements returns ledger entries, newest first, and the total.
func (s *Stock) Movements(ctx context.Context, a Actor, f MovementFilter) ([]db.StockMovement, int, error) {
	if err := a.require(db.RoleViewer, "read stock movements"); err != nil {
		return nil, 0, err
	}
	items := []db.StockMovement{}
	q := s.db.NewSelect().Model(&items).OrderExpr("id DESC")
	if f.ProductID != 0 {
		q = q.Where("product_id = ?", f.ProductID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list movements: %w", err)
	}
	return items, int(n), nil
}
