package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Bulk writing of sales
//
// A sales import writes millions of sales with their stock movements. Row
// by row through bun that is far too slow, so SalesWriter writes them with
// hand-built multi-row INSERTs: on SQLite through statements prepared once
// for SalesStmtRows rows (no SQL parsed per row) and a literal INSERT for
// the rest, on PostgreSQL and MySQL as one literal multi-row INSERT each.
// The values are written by the dialect's own quoting (numbers as
// numbers, strings and times by schema.Dialect), never by hand.

// SalesStmtRows is the number of rows of the prepared SQLite INSERTs.
const SalesStmtRows = 200

// SQLiteTime is how bun stores times on SQLite; BulkSale.SoldText holds
// SoldAt in this layout.
const SQLiteTime = "2006-01-02 15:04:05.999999-07:00"

// BulkSale is a sale SalesWriter inserts.
type BulkSale struct {
	// ID is the sale's id on PostgreSQL (reserved from the sequence by the
	// caller); SQLite assigns the next AUTOINCREMENT ids and MySQL its
	// auto-increment ids, which Write gives the movements.
	ID        int64
	ProductID int64
	Quantity  int64
	UnitPrice int64 // minor units
	SoldAt    time.Time
	SoldText  string // SoldAt in SQLiteTime (SQLite only)
	Channel   string
	Note      string
	// ExternalID is stored when HasExternalID, else NULL.
	ExternalID    string
	HasExternalID bool
}

// BulkMove is the stock movement (kind and reason "sale") of a sale.
type BulkMove struct {
	ProductID, Delta, Balance int64
	SaleID                    int64 // set by Write on MySQL
}

// StockTake takes Sold units off product ID's stock.
type StockTake struct{ ID, Sold int64 }

// SalesWriter writes sales, their movements and their stock decrements in
// bulk inside one transaction, as one user at one time.
type SalesWriter struct {
	tx                 bun.Tx
	dialect            schema.Dialect
	pg, mysql, sqlite  bool
	userSQL            string // recorded_by / user_id literal
	created            string // created_at literal
	saleStmt, moveStmt *sql.Stmt
	buf                []byte
	args               []any
}

// NewSalesWriter returns a writer into tx of sales recorded by userID (nil:
// none) at now. Close releases its prepared statements.
func NewSalesWriter(tx bun.Tx, userID *int64, now time.Time) *SalesWriter {
	w := &SalesWriter{tx: tx, dialect: tx.Dialect(), pg: IsPostgres(tx), mysql: IsMySQL(tx), sqlite: IsSQLite(tx), userSQL: "NULL"}
	w.created = string(w.dialect.AppendTime(nil, now))
	if userID != nil {
		w.userSQL = strconv.FormatInt(*userID, 10)
	}
	return w
}

// Close releases the prepared statements.
func (w *SalesWriter) Close() {
	for _, st := range []*sql.Stmt{w.saleStmt, w.moveStmt} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// salesHead is the start of a multi-row INSERT of sales, up to VALUES.
func (w *SalesWriter) salesHead() string {
	if w.pg {
		return "INSERT INTO sales (id, product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
	}
	if w.mysql {
		return "INSERT INTO sales (product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
	}
	// OR FAIL instead of the default ABORT: a failure fails the import
	// anyway, and without ABORT SQLite needs no statement journal.
	return "INSERT OR FAIL INTO sales (product_id, quantity, unit_price, sold_at, channel, note, external_id, recorded_by, created_at) VALUES "
}

// movesHead is the start of a multi-row INSERT of sale movements.
func (w *SalesWriter) movesHead() string {
	or := ""
	if w.sqlite {
		or = "OR FAIL "
	}
	return "INSERT " + or + "INTO stock_movements (product_id, kind, delta, balance, reason, sale_id, user_id, created_at) VALUES "
}

// prepare prepares the SQLite INSERTs of SalesStmtRows rows.
func (w *SalesWriter) prepare(ctx context.Context) error {
	var b strings.Builder
	b.WriteString(w.salesHead())
	for i := range SalesStmtRows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?," + w.userSQL + "," + w.created + ")")
	}
	var err error
	if w.saleStmt, err = w.tx.Tx.PrepareContext(ctx, b.String()); err != nil {
		return fmt.Errorf("prepare sales insert: %w", err)
	}
	b.Reset()
	b.WriteString(w.movesHead())
	for i := range SalesStmtRows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,'sale',?,?,'sale',?," + w.userSQL + "," + w.created + ")")
	}
	if w.moveStmt, err = w.tx.Tx.PrepareContext(ctx, b.String()); err != nil {
		return fmt.Errorf("prepare movements insert: %w", err)
	}
	return nil
}

// Write inserts sales and their movements (moves[i] is the movement of
// sales[i]). On MySQL the sales' ids are those the INSERT reports: the
// first, then one more for each row (a multi-row INSERT of known length
// takes consecutive auto-increment values; Open checks that the increment
// is 1); Write sets them in sales and moves.
func (w *SalesWriter) Write(ctx context.Context, sales []BulkSale, moves []BulkMove) error {
	if w.sqlite {
		if w.saleStmt == nil && len(sales) >= SalesStmtRows {
			if err := w.prepare(ctx); err != nil {
				return err
			}
		}
		for len(sales) >= SalesStmtRows {
			args := w.args[:0]
			for _, r := range sales[:SalesStmtRows] {
				var ext any
				if r.HasExternalID {
					ext = r.ExternalID
				}
				args = append(args, r.ProductID, r.Quantity, r.UnitPrice, r.SoldText, r.Channel, r.Note, ext)
			}
			if _, err := w.saleStmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert sales: %w", err)
			}
			args = args[:0]
			for _, m := range moves[:SalesStmtRows] {
				args = append(args, m.ProductID, m.Delta, m.Balance, m.SaleID)
			}
			if _, err := w.moveStmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert sale movements: %w", err)
			}
			w.args = args
			sales, moves = sales[SalesStmtRows:], moves[SalesStmtRows:]
		}
		if len(sales) == 0 {
			return nil
		}
	}
	b := append(w.buf[:0], w.salesHead()...)
	for i, r := range sales {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		if w.pg {
			b = strconv.AppendInt(b, r.ID, 10)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, r.ProductID, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.Quantity, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.UnitPrice, 10)
		b = append(b, ',')
		b = w.dialect.AppendTime(b, r.SoldAt)
		b = append(b, ',')
		b = w.dialect.AppendString(b, r.Channel)
		b = append(b, ',')
		b = w.dialect.AppendString(b, r.Note)
		b = append(b, ',')
		if r.HasExternalID {
			b = w.dialect.AppendString(b, r.ExternalID)
		} else {
			b = append(b, "NULL"...)
		}
		b = w.appendWhoWhen(b)
	}
	w.buf = b
	res, err := w.tx.Tx.ExecContext(ctx, string(b))
	if err != nil {
		return fmt.Errorf("insert sales: %w", err)
	}
	if w.mysql {
		first, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("sale ids: %w", err)
		}
		for i := range moves {
			sales[i].ID = first + int64(i)
			moves[i].SaleID = sales[i].ID
		}
	}
	b = append(w.buf[:0], w.movesHead()...)
	for i, m := range moves {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		b = strconv.AppendInt(b, m.ProductID, 10)
		b = append(b, ",'sale',"...)
		b = strconv.AppendInt(b, m.Delta, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, m.Balance, 10)
		b = append(b, ",'sale',"...)
		b = strconv.AppendInt(b, m.SaleID, 10)
		b = w.appendWhoWhen(b)
	}
	w.buf = b
	if _, err := w.tx.Tx.ExecContext(ctx, string(b)); err != nil {
		return fmt.Errorf("insert sale movements: %w", err)
	}
	return nil
}

// appendWhoWhen ends a row of either INSERT: the user and the creation
// time, then the closing parenthesis.
func (w *SalesWriter) appendWhoWhen(b []byte) []byte {
	b = append(b, ',')
	b = append(b, w.userSQL...)
	b = append(b, ',')
	b = append(b, w.created...)
	return append(b, ')')
}

// TakeStock takes each product's sold units off its stock where it still
// has them, in one UPDATE (joined to a VALUES list on SQLite and
// PostgreSQL, to a UNION ALL of rows on MySQL, whose VALUES lists MySQL
// and MariaDB spell differently), and returns how many products it
// changed: fewer than len(takes) means one no longer had the units.
func (w *SalesWriter) TakeStock(ctx context.Context, takes []StockTake) (int64, error) {
	b := w.buf[:0]
	if w.mysql {
		b = append(b, "UPDATE products JOIN ("...)
		for i, t := range takes {
			if i > 0 {
				b = append(b, " UNION ALL "...)
			}
			b = append(b, "SELECT "...)
			b = strconv.AppendInt(b, t.ID, 10)
			b = append(b, " AS id, "...)
			b = strconv.AppendInt(b, t.Sold, 10)
			b = append(b, " AS sold"...)
		}
		b = append(b, ") AS v ON products.id = v.id SET products.stock = products.stock - v.sold WHERE products.stock >= v.sold"...)
	} else {
		b = append(b, "UPDATE products SET stock = products.stock - v.column2 FROM (VALUES "...)
		for i, t := range takes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '(')
			b = strconv.AppendInt(b, t.ID, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, t.Sold, 10)
			b = append(b, ')')
		}
		b = append(b, ") AS v WHERE products.id = v.column1 AND products.stock >= v.column2"...)
	}
	w.buf = b
	res, err := w.tx.ExecContext(ctx, string(b))
	if err != nil {
		return 0, fmt.Errorf("decrement stock: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("decrement stock: %w", err)
	}
	return n, nil
}
