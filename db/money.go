package db

import "smartinventory/api"

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

// UnmarshalJSON reads a JSON number (not a string) with at most two
// decimals, as api.Money does.
func (m *Money) UnmarshalJSON(b []byte) error { return (*api.Money)(m).UnmarshalJSON(b) }

// ParseMoney parses a decimal amount such as "12", "12.5" or "-0.99" into
// minor units. More than two decimals, exponents and overflow are errors.
func ParseMoney(s string) (Money, error) {
	v, err := api.ParseMoney(s)
	return Money(v), err
}
