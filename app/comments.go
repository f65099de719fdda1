package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Comment entity types.
const (
	CommentOnOrder   = "purchase_order" // a purchase order
	CommentOnProduct = "product"        // a product's restock suggestion
)

// Comments lets the team discuss orders and suggestions. Clerks and above
// write comments; anyone reads them. Comments are audited and never edited.
type Comments struct{ *base }

// MaxCommentLength is the longest comment accepted, in bytes.
const MaxCommentLength = 4000

// Add leaves a comment on an order or a product.
func (c *Comments) Add(ctx context.Context, a Actor, entityType string, id int64, body string) (*db.Comment, error) {
	if err := a.require(db.RoleClerk, "comment"); err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	v := &validation{}
	switch {
	case body == "":
		v.add("body", "is required")
	case tooLong(body, MaxCommentLength):
		v.add("body", "must be at most %d characters", MaxCommentLength)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	cm := &db.Comment{EntityType: entityType, EntityID: id, UserID: a.userID(), Username: a.Username, Body: body, CreatedAt: c.now()}
	err := c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := commentTarget(ctx, tx, entityType, id); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(cm).Exec(ctx); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		return c.audit.record(ctx, tx, a, "comment", entityType, id, nil, map[string]string{"comment": body})
	})
	if err != nil {
		return nil, err
	}
	return cm, nil
}

// List returns the comments on an order or a product, oldest first.
func (c *Comments) List(ctx context.Context, a Actor, entityType string, id int64) ([]db.Comment, error) {
	if err := a.require(db.RoleViewer, "read comments"); err != nil {
		return nil, err
	}
	if err := commentTarget(ctx, c.db, entityType, id); err != nil {
		return nil, err
	}
	out := []db.Comment{}
	if err := c.db.NewSelect().Model(&out).Where("entity_type = ? AND entity_id = ?", entityType, id).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	return out, nil
}

// commentTarget checks that the commented entity exists.
func commentTarget(ctx context.Context, idb bun.IDB, entityType string, id int64) error {
	switch entityType {
	case CommentOnOrder:
		return findByID(ctx, idb, new(db.PurchaseOrder), id, "Purchase order")
	case CommentOnProduct:
		_, err := findProduct(ctx, idb, id)
		return err
	}
	return Errorf(EINVALID, "Comments can be left on purchase orders and products, not %q.", entityType)
}
