package app

import (
	"fmt"

	"smartinventory/db"
)

// The bounds on money and quantity inputs are db.MaxUnitAmount,
// db.MaxQuantity and db.MaxTotal; the helpers below are the one place that
// turns them into field errors, for the API, the web forms and CSV import
// alike (they all reach the services).

// failFunc reports a problem of a field: validation.add, or the CSV
// import's cells.fail, which names the column and line instead.
type failFunc func(field, format string, args ...any)

// amount checks a unit price or cost: 0 ≤ m ≤ db.MaxUnitAmount.
func (v *validation) amount(field string, m db.Money) { checkAmount(v.add, field, m) }

// checkAmount is amount reporting to fail; it returns whether m is within
// the bounds.
func checkAmount(fail failFunc, field string, m db.Money) bool {
	switch {
	case m < 0:
		fail(field, "must not be negative")
	case m > db.MaxUnitAmount:
		fail(field, "must be at most %s", db.MaxUnitAmount)
	default:
		return true
	}
	return false
}

// quantity checks a count: min ≤ q ≤ db.MaxQuantity (min is 0 or 1).
func (v *validation) quantity(field string, q int64, min int64) { checkQuantity(v.add, field, q, min) }

// checkQuantity is quantity reporting to fail; it returns whether q is
// within the bounds.
func checkQuantity(fail failFunc, field string, q int64, min int64) bool {
	switch {
	case q < min && min > 0:
		fail(field, "must be greater than 0")
	case q < min:
		fail(field, "must not be negative")
	case q > db.MaxQuantity:
		fail(field, "must be at most %d", db.MaxQuantity)
	default:
		return true
	}
	return false
}

// total checks qty × unit (a line's revenue or cost) against db.MaxTotal,
// naming field when it is above; it returns the product when it is not.
func (v *validation) total(field string, qty int64, unit db.Money) (db.Money, bool) {
	t, ok := db.MulMoney(qty, unit)
	if !ok {
		v.add(field, "makes the line total exceed %s", db.MaxTotal)
	}
	return t, ok
}

// totalError is the EINVALID error for an amount that would leave the
// bounds, naming field.
func totalError(field, what string, index *int) error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf("%s would exceed %s.", what, db.MaxTotal),
		Fields: []FieldError{{Field: field, Message: fmt.Sprintf("makes %s exceed %s", what, db.MaxTotal), Index: index}}}
}
