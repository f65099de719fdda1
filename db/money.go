package db

import (
	"database/sql/driver"

	"smartinventory/api"
)

// Money is an amount in minor units (cents). It is never a float64 in
// storage or arithmetic; JSON shows it as a decimal number (12.5 for 1250),
// the form api.Money defines for the API and its clients.
type Money int64

// String formats m with two decimals, e.g. "12.50".
func (m Money) String() string { return api.Money(m).String() }

// Float returns m in major units, for display and analytics only.
func (m Money) Float() float64 { return float64(m) / 100 }

// MarshalJSON writes m as a JSON number in major units, without trailing
// zeros ("12.5", "3", "-0.05"), as api.Money does: the API's clients read
// amounts with that type.
func (m Money) MarshalJSON() ([]byte, error) { return api.Money(m).MarshalJSON() }

// Value stores m as its integer minor units. Without it bun would store a
// *Money (a nullable amount) as JSON, since Money marshals to JSON.
func (m Money) Value() (driver.Value, error) { return int64(m), nil }

// UnmarshalJSON reads a JSON number (not a string) with at most two
// decimals, as api.Money does.
func (m *Money) UnmarshalJSON(b []byte) error { return (*api.Money)(m).UnmarshalJSON(b) }

// ParseMoney parses a decimal amount such as "12", "12.5" or "-0.99" into
// minor units. More than two decimals, exponents and overflow are errors.
func ParseMoney(s string) (Money, error) {
	v, err := api.ParseMoney(s)
	return Money(v), err
}

// Upper bounds on money and quantities: every input is checked against
// them (app validates; the README's "Input bounds" lists them), so that no
// product, sum or rollup the program stores or computes can overflow int64.
const (
	// MaxUnitAmount bounds a unit price or unit cost: 10^9 currency units.
	MaxUnitAmount Money = 1_000_000_000 * 100
	// MaxQuantity bounds a quantity (sale, receipt, order line, stock
	// adjustment), a product's on-hand stock and its reorder point: 10^9.
	MaxQuantity int64 = 1_000_000_000
	// MaxTotal bounds an amount computed from quantities and unit amounts:
	// a sale line's revenue, a purchase order's total, one day's revenue of
	// one product in the rollup, the approval threshold: 10^12 currency
	// units. Sums of up to 90,000 such amounts still fit in int64.
	MaxTotal Money = 1_000_000_000_000 * 100
)

// MulMoney returns qty × m, and false when the product is negative, above
// MaxTotal or would overflow.
func MulMoney(qty int64, m Money) (Money, bool) {
	if qty < 0 || m < 0 {
		return 0, false
	}
	if qty != 0 && int64(m) > int64(MaxTotal)/qty {
		return 0, false
	}
	return Money(qty) * m, true
}

// AddMoney returns a + b, and false when either is negative or the sum is
// above MaxTotal.
func AddMoney(a, b Money) (Money, bool) {
	if a < 0 || b < 0 || a > MaxTotal || b > MaxTotal-a {
		return 0, false
	}
	return a + b, true
}
