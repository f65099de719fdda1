package app

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Purchasing manages purchase orders: clerks and above draft and receive
// them; managers and admins approve, place and cancel them.
type Purchasing struct{ *base }

// POLineInput is one product and quantity on an order. UnitCost defaults
// to the product's unit cost.
type POLineInput struct {
	ProductID *int64    `json:"product_id"`
	Quantity  *int64    `json:"quantity"`
	UnitCost  *db.Money `json:"unit_cost"`
}

// POInput drafts an order, or replaces a draft's lines and note.
type POInput struct {
	SupplierID *int64        `json:"supplier_id"`
	Note       *string       `json:"note"`
	Lines      []POLineInput `json:"lines"`
	Version    *int64        `json:"version"` // required on update
}

// ReceiveInput receives goods against an order's lines, by product.
type ReceiveInput struct {
	Lines []ReceiveLine `json:"lines"`
}

// ReceiveLine is a quantity of one product received.
type ReceiveLine struct {
	ProductID *int64 `json:"product_id"`
	Quantity  *int64 `json:"quantity"`
}

func validatePOLines(v *validation, lines []POLineInput) {
	if len(lines) == 0 {
		v.add("lines", "must hold at least one product")
	}
	seen := map[int64]bool{}
	for i, l := range lines {
		v.index = Ptr(i)
		switch {
		case l.ProductID == nil:
			v.add("product_id", "is required")
		case seen[*l.ProductID]:
			v.add("product_id", "appears twice")
		default:
			seen[*l.ProductID] = true
		}
		if l.Quantity == nil {
			v.add("quantity", "must be greater than 0")
		} else {
			v.quantity("quantity", *l.Quantity, 1)
		}
		if l.UnitCost != nil {
			v.amount("unit_cost", *l.UnitCost)
		}
	}
	v.index = nil
}

// buildLines resolves products and default costs for order lines.
func buildLines(ctx context.Context, tx bun.IDB, orderID int64, in []POLineInput) ([]*db.PurchaseOrderLine, error) {
	ids := make([]int64, len(in))
	for i, l := range in {
		ids[i] = *l.ProductID
	}
	var products []db.Product
	if err := tx.NewSelect().Model(&products).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load order products: %w", err)
	}
	byID := map[int64]*db.Product{}
	for i := range products {
		byID[products[i].ID] = &products[i]
	}
	v := &validation{}
	lines := make([]*db.PurchaseOrderLine, 0, len(in))
	for i, l := range in {
		p := byID[*l.ProductID]
		if p == nil {
			v.index = Ptr(i)
			v.add("product_id", "no product with id %d", *l.ProductID)
			continue
		}
		cost := p.UnitCost
		if l.UnitCost != nil {
			cost = *l.UnitCost
		}
		lines = append(lines, &db.PurchaseOrderLine{OrderID: orderID, ProductID: p.ID, Quantity: *l.Quantity, UnitCost: cost})
		v.index = Ptr(i)
		v.total("quantity", *l.Quantity, cost)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	po := db.PurchaseOrder{Lines: lines}
	if _, ok := po.CheckedTotal(); !ok {
		return nil, totalError("lines", "The order's total", nil)
	}
	return lines, nil
}

// CreateOrder drafts a purchase order for one supplier.
func (p *Purchasing) CreateOrder(ctx context.Context, a Actor, in POInput) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleClerk, "draft purchase orders"); err != nil {
		return nil, err
	}
	v := &validation{}
	if in.SupplierID == nil {
		v.add("supplier_id", "is required")
	}
	v.textPtr("note", in.Note, MaxNoteLength)
	validatePOLines(v, in.Lines)
	if err := v.err(); err != nil {
		return nil, err
	}
	var po *db.PurchaseOrder
	err := p.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		po, err = p.createDraft(ctx, tx, a, *in.SupplierID, deref(in.Note), in.Lines)
		return err
	})
	return po, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (p *Purchasing) createDraft(ctx context.Context, tx bun.Tx, a Actor, supplierID int64, note string, in []POLineInput) (*db.PurchaseOrder, error) {
	ok, err := tx.NewSelect().Model((*db.Supplier)(nil)).Where("id = ?", supplierID).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("check supplier %d: %w", supplierID, err)
	}
	if !ok {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "supplier_id", Message: fmt.Sprintf("no supplier with id %d", supplierID)}}}
	}
	now := p.now()
	po := &db.PurchaseOrder{SupplierID: supplierID, Status: db.PODraft, Note: note, CreatedBy: a.userID(),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(po).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert purchase order: %w", err)
	}
	lines, err := buildLines(ctx, tx, po.ID, in)
	if err != nil {
		return nil, err
	}
	if _, err := tx.NewInsert().Model(&lines).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert order lines: %w", err)
	}
	po.Lines = lines
	return po, p.audit.record(ctx, tx, a, "create", "purchase_order", po.ID, nil, po)
}

// UpdateOrder replaces a draft's note and lines. Only drafts may change.
func (p *Purchasing) UpdateOrder(ctx context.Context, a Actor, id int64, in POInput) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleClerk, "edit purchase orders"); err != nil {
		return nil, err
	}
	v := &validation{}
	if in.Version == nil {
		v.add("version", "is required (the version you are editing)")
	}
	if in.SupplierID != nil {
		v.add("supplier_id", "cannot be changed; draft a new order")
	}
	v.textPtr("note", in.Note, MaxNoteLength)
	if in.Lines != nil {
		validatePOLines(v, in.Lines)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var out *db.PurchaseOrder
	err := p.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := loadOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != *in.Version {
			return staleConflict("purchase order", cur.Version, cur)
		}
		if cur.Status != db.PODraft {
			return Errorf(ECONFLICT, "Purchase order %d is %s; only drafts can be edited.", id, cur.Status)
		}
		next := *cur
		setIf(&next.Note, in.Note)
		if in.Lines != nil {
			lines, err := buildLines(ctx, tx, id, in.Lines)
			if err != nil {
				return err
			}
			if _, err := tx.NewDelete().Model((*db.PurchaseOrderLine)(nil)).Where("order_id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("replace order lines: %w", err)
			}
			if _, err := tx.NewInsert().Model(&lines).Exec(ctx); err != nil {
				return fmt.Errorf("insert order lines: %w", err)
			}
			next.Lines = lines
			next.LinesEditedBy = a.userID()
		}
		next.Version, next.UpdatedAt = cur.Version+1, p.now()
		res, err := tx.NewUpdate().Model(&next).Column("note", "lines_edited_by", "version", "updated_at").
			Where("id = ? AND version = ?", id, cur.Version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update purchase order %d: %w", id, err)
		}
		if err := oneRow(res, "purchase order", cur); err != nil {
			return err
		}
		out = &next
		return p.audit.record(ctx, tx, a, "update", "purchase_order", id, cur, &next)
	})
	return out, err
}

// transition moves an order from one of the allowed states to the next,
// with a conditional update so concurrent transitions cannot both win.
func (p *Purchasing) transition(ctx context.Context, a Actor, id int64, action string, from []db.POStatus, to db.POStatus, set func(po *db.PurchaseOrder, now time.Time) ([]string, error)) (*db.PurchaseOrder, error) {
	var out *db.PurchaseOrder
	err := p.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := loadOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if !statusIn(cur.Status, from) {
			return Errorf(ECONFLICT, "Cannot %s purchase order %d: it is %s.", action, id, cur.Status)
		}
		next := *cur
		now := p.now()
		cols, err := set(&next, now)
		if err != nil {
			return err
		}
		cols = append(cols, "status", "version", "updated_at")
		next.Status, next.Version, next.UpdatedAt = to, cur.Version+1, now
		res, err := tx.NewUpdate().Model(&next).Column(cols...).
			Where("id = ? AND status = ?", id, cur.Status).Exec(ctx)
		if err != nil {
			return fmt.Errorf("%s purchase order %d: %w", action, id, err)
		}
		if err := oneRow(res, "purchase order", cur); err != nil {
			return err
		}
		out = &next
		return p.audit.record(ctx, tx, a, action, "purchase_order", id, cur, &next)
	})
	return out, err
}

func statusIn(s db.POStatus, set []db.POStatus) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// Approve approves a draft, if MayApprove says a may; its refusal is
// EFORBIDDEN with the reason. The rule is checked inside the transaction
// that approves, on the order as it is then.
func (p *Purchasing) Approve(ctx context.Context, a Actor, id int64) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleClerk, "approve purchase orders"); err != nil {
		return nil, err
	}
	return p.transition(ctx, a, id, "approve", []db.POStatus{db.PODraft}, db.POApproved, func(po *db.PurchaseOrder, now time.Time) ([]string, error) {
		reason, err := approvalRefusal(ctx, p.db, a, po)
		if err != nil {
			return nil, err
		}
		if reason != "" {
			return nil, &Error{Code: EFORBIDDEN, Message: reason}
		}
		po.ApprovedBy, po.ApprovedAt = a.userID(), &now
		return []string{"approved_by", "approved_at"}, nil
	})
}

// MayApprove reports whether a may approve the draft po and, when not,
// why. It is the approval rule, in one place: Approve enforces it and the
// web shows its button by it.
//
//   - Only drafts are approved, by a clerk, manager or admin.
//   - Managers and admins may approve any draft. A clerk may approve only
//     when the setting purchasing.approval_threshold is above 0 and the
//     order's total is at most the threshold: a threshold of 0 (the
//     default) means clerks never approve, whatever the order's total
//     (a zero-cost order included).
//   - With purchasing.four_eyes on (the default), whoever drafted the order
//     or last replaced its lines may not approve it while another active
//     manager or admin exists.
func (p *Purchasing) MayApprove(ctx context.Context, a Actor, po *db.PurchaseOrder) (bool, string, error) {
	if a.require(db.RoleClerk, "approve purchase orders") != nil {
		return false, "", nil
	}
	if po.Status != db.PODraft {
		return false, fmt.Sprintf("Purchase order %d is %s; only drafts are approved.", po.ID, po.Status), nil
	}
	reason, err := approvalRefusal(ctx, p.db, a, po)
	return reason == "" && err == nil, reason, err
}

// approvalRefusal applies the rule of MayApprove to a draft: "" when a may
// approve it, else the reason.
func approvalRefusal(ctx context.Context, idb bun.IDB, a Actor, po *db.PurchaseOrder) (string, error) {
	threshold, fourEyes, err := approvalSettings(ctx, idb)
	if err != nil {
		return "", err
	}
	if a.Role.Rank() < db.RoleManager.Rank() {
		if threshold <= 0 {
			return "Purchase orders need a manager's or admin's approval.", nil
		}
		if total, ok := po.CheckedTotal(); !ok || total > threshold {
			return fmt.Sprintf("Orders over %s need a manager's or admin's approval.", threshold), nil
		}
	}
	if !fourEyes || !(sameUser(po.CreatedBy, a.UserID) || sameUser(po.LinesEditedBy, a.UserID)) {
		return "", nil
	}
	others, err := idb.NewSelect().Model((*db.User)(nil)).
		Where("active = ? AND role IN (?) AND id <> ?", true, bun.In([]db.Role{db.RoleManager, db.RoleAdmin}), a.UserID).Count(ctx)
	if err != nil {
		return "", fmt.Errorf("count approvers: %w", err)
	}
	if others == 0 {
		return "", nil
	}
	if sameUser(po.CreatedBy, a.UserID) {
		return fmt.Sprintf("You drafted purchase order %d: another manager must approve it (four-eyes rule).", po.ID), nil
	}
	return fmt.Sprintf("You changed the lines of purchase order %d: another manager must approve it (four-eyes rule).", po.ID), nil
}

func sameUser(id *int64, userID int64) bool { return id != nil && userID != 0 && *id == userID }

// approvalSettings reads the approval threshold and the four-eyes switch.
func approvalSettings(ctx context.Context, idb bun.IDB) (db.Money, bool, error) {
	t, err := getSetting(ctx, idb, SettingApprovalThreshold, "0")
	if err != nil {
		return 0, false, err
	}
	threshold, err := db.ParseMoney(t)
	if err != nil {
		threshold = 0
	}
	f, err := getSetting(ctx, idb, SettingFourEyes, "true")
	if err != nil {
		return 0, false, err
	}
	return threshold, f != "false", nil
}

// MarkOrdered records that an approved order was sent to the supplier,
// with the expected delivery date (default: now + the supplier's lead time).
func (p *Purchasing) MarkOrdered(ctx context.Context, a Actor, id int64, expected *time.Time) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleManager, "place purchase orders"); err != nil {
		return nil, err
	}
	return p.transition(ctx, a, id, "order", []db.POStatus{db.POApproved}, db.POOrdered, func(po *db.PurchaseOrder, now time.Time) ([]string, error) {
		exp := expected
		if exp == nil {
			var lt int
			if err := p.db.NewSelect().Model((*db.Supplier)(nil)).Column("lead_time_days").
				Where("id = ?", po.SupplierID).Scan(ctx, &lt); err != nil {
				return nil, fmt.Errorf("load lead time of supplier %d: %w", po.SupplierID, err)
			}
			e := now.AddDate(0, 0, lt)
			exp = &e
		}
		po.OrderedAt, po.ExpectedAt = &now, exp
		return []string{"ordered_at", "expected_at"}, nil
	})
}

// Cancel cancels an order that is not yet fully received (manager or admin).
func (p *Purchasing) Cancel(ctx context.Context, a Actor, id int64) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleManager, "cancel purchase orders"); err != nil {
		return nil, err
	}
	return p.transition(ctx, a, id, "cancel", []db.POStatus{db.PODraft, db.POApproved, db.POOrdered, db.POPartial}, db.POCancelled,
		func(po *db.PurchaseOrder, now time.Time) ([]string, error) {
			po.CancelledAt = &now
			return []string{"cancelled_at"}, nil
		})
}

// Receive books goods against an ordered purchase order. Each line becomes
// a receipt stock movement; receiving more than is outstanding is refused.
// When nothing is outstanding any more the order is received, else partial.
func (p *Purchasing) Receive(ctx context.Context, a Actor, id int64, in ReceiveInput) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleClerk, "receive purchase orders"); err != nil {
		return nil, err
	}
	v := &validation{}
	if len(in.Lines) == 0 {
		v.add("lines", "must hold at least one product")
	}
	for i, l := range in.Lines {
		v.index = Ptr(i)
		if l.ProductID == nil {
			v.add("product_id", "is required")
		}
		if l.Quantity == nil {
			v.add("quantity", "must be greater than 0")
		} else {
			v.quantity("quantity", *l.Quantity, 1)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var out *db.PurchaseOrder
	err := p.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := loadOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status != db.POOrdered && cur.Status != db.POPartial {
			return Errorf(ECONFLICT, "Cannot receive purchase order %d: it is %s.", id, cur.Status)
		}
		before := *cur
		now := p.now()
		byProduct := map[int64]*db.PurchaseOrderLine{}
		for _, l := range cur.Lines {
			byProduct[l.ProductID] = l
		}
		v := &validation{}
		for i, r := range in.Lines {
			v.index = Ptr(i)
			l := byProduct[*r.ProductID]
			switch {
			case l == nil:
				v.add("product_id", "product %d is not on this order", *r.ProductID)
			case *r.Quantity > l.Outstanding():
				v.add("quantity", "only %d outstanding", l.Outstanding())
			default:
				l.ReceivedQty += *r.Quantity
			}
		}
		if err := v.err(); err != nil {
			return err
		}
		for i, r := range in.Lines {
			l := byProduct[*r.ProductID]
			res, err := tx.NewUpdate().Model(l).Column("received_qty").
				Where("id = ? AND received_qty + ? <= quantity", l.ID, *r.Quantity).Exec(ctx)
			if err != nil {
				return fmt.Errorf("update order line %d: %w", l.ID, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return Errorf(ECONFLICT, "Order line %d changed meanwhile; reload and try again.", l.ID)
			}
			stock, ok, err := db.AddStock(ctx, tx, l.ProductID, *r.Quantity, -1)
			if err == nil && !ok {
				return stockTooLarge("quantity", fmt.Sprintf("product %d", l.ProductID), Ptr(i))
			}
			if err != nil {
				return fmt.Errorf("receive stock for product %d: %w", l.ProductID, err)
			}
			m := &db.StockMovement{ProductID: l.ProductID, Kind: db.MoveReceipt, Delta: *r.Quantity, Balance: stock,
				Reason: fmt.Sprintf("purchase order %d", id), UserID: a.userID(), CreatedAt: now}
			if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
				return fmt.Errorf("insert receipt movement: %w", err)
			}
		}
		next := *cur
		next.Status = db.POReceived
		for _, l := range cur.Lines {
			if l.Outstanding() > 0 {
				next.Status = db.POPartial
			}
		}
		if next.Status == db.POReceived {
			next.ReceivedAt = &now
		}
		next.Version, next.UpdatedAt = cur.Version+1, now
		if _, err := tx.NewUpdate().Model(&next).Column("status", "received_at", "version", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update purchase order %d: %w", id, err)
		}
		out = &next
		return p.audit.record(ctx, tx, a, "receive", "purchase_order", id, &before, &next)
	})
	return out, err
}

func loadOrder(ctx context.Context, idb bun.IDB, id int64) (*db.PurchaseOrder, error) {
	po := new(db.PurchaseOrder)
	if err := findByID(ctx, idb, po, id, "Purchase order"); err != nil {
		return nil, err
	}
	if err := idb.NewSelect().Model(&po.Lines).Where("order_id = ?", id).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load lines of order %d: %w", id, err)
	}
	return po, nil
}

// Order returns one purchase order with its lines.
func (p *Purchasing) Order(ctx context.Context, a Actor, id int64) (*db.PurchaseOrder, error) {
	if err := a.require(db.RoleViewer, "read purchase orders"); err != nil {
		return nil, err
	}
	return loadOrder(ctx, p.db, id)
}

// OrderFilter selects purchase orders.
type OrderFilter struct {
	Status     string // a POStatus, or "open"
	SupplierID int64
	Limit      int
	Offset     int
}

// ListOrders returns purchase orders with their lines, newest first.
func (p *Purchasing) ListOrders(ctx context.Context, a Actor, f OrderFilter) ([]db.PurchaseOrder, int, error) {
	if err := a.require(db.RoleViewer, "read purchase orders"); err != nil {
		return nil, 0, err
	}
	orders := []db.PurchaseOrder{}
	q := p.db.NewSelect().Model(&orders).Relation("Lines").OrderExpr("purchase_order.id DESC")
	switch f.Status {
	case "":
	case "open":
		q = q.Where("purchase_order.status IN (?)", bun.In(openStatuses))
	default:
		q = q.Where("purchase_order.status = ?", f.Status)
	}
	if f.SupplierID != 0 {
		q = q.Where("purchase_order.supplier_id = ?", f.SupplierID)
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list purchase orders: %w", err)
	}
	return orders, int(n), nil
}

var openStatuses = []db.POStatus{db.PODraft, db.POApproved, db.POOrdered, db.POPartial}

// onOrderStatuses are the orders whose outstanding quantities count as on
// order: approved and placed ones. A draft is not an order yet, so it
// never hides a need (restock shows it as a pending draft instead).
var onOrderStatuses = []db.POStatus{db.POApproved, db.POOrdered, db.POPartial}

// OnOrder returns, per product, the quantity still to come on approved,
// ordered or partly received purchase orders (never drafts).
func OnOrder(ctx context.Context, idb bun.IDB) (map[int64]int64, error) {
	var rows []struct {
		ProductID int64 `bun:"product_id"`
		Qty       int64 `bun:"qty"`
	}
	err := idb.NewSelect().TableExpr("purchase_order_lines AS l").
		Join("JOIN purchase_orders AS o ON o.id = l.order_id").
		ColumnExpr("l.product_id, SUM(l.quantity - l.received_qty) AS qty").
		Where("o.status IN (?)", bun.In(onOrderStatuses)).
		Group("l.product_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load quantities on order: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ProductID] = r.Qty
	}
	return out, nil
}

// PendingDraft is a draft purchase order line awaiting approval.
type PendingDraft struct {
	OrderID  int64 `json:"order_id"`
	Quantity int64 `json:"quantity"`
}

// PendingDrafts returns, per product, its lines on draft purchase orders,
// oldest order first.
func PendingDrafts(ctx context.Context, idb bun.IDB) (map[int64][]PendingDraft, error) {
	var rows []struct {
		ProductID int64 `bun:"product_id"`
		OrderID   int64 `bun:"order_id"`
		Qty       int64 `bun:"qty"`
	}
	err := idb.NewSelect().TableExpr("purchase_order_lines AS l").
		Join("JOIN purchase_orders AS o ON o.id = l.order_id").
		ColumnExpr("l.product_id, l.order_id, SUM(l.quantity) AS qty").
		Where("o.status = ?", db.PODraft).
		Group("l.product_id", "l.order_id").OrderExpr("l.order_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load draft purchase order lines: %w", err)
	}
	out := make(map[int64][]PendingDraft, len(rows))
	for _, r := range rows {
		out[r.ProductID] = append(out[r.ProductID], PendingDraft{OrderID: r.OrderID, Quantity: r.Qty})
	}
	return out, nil
}
