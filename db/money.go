package db

import "smartinventory/api"

// Money is an amount in minor units (cents), shown in JSON as a decimal
// number in major units (12.5 for 1250). It is defined in package api,
// where its JSON form is part of the API's contract, so the server and the
// Go client share one implementation.
type Money = api.Money

// ParseMoney parses a decimal amount such as "12", "12.5" or "-0.99" into
// minor units. More than two decimals, exponents and overflow are errors.
func ParseMoney(s string) (Money, error) { return api.ParseMoney(s) }
