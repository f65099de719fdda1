package db_test

import (
	"math/big"
	"regexp"
	"strings"
	"testing"

	"smartinventory/db"
)

// plainAmount matches amounts ParseMoney must accept: an optional sign, up
// to 15 digits and up to two decimals.
var plainAmount = regexp.MustCompile(`^[+-]?[0-9]{1,15}(\.[0-9]{1,2})?$`)

// FuzzParseMoney checks db.ParseMoney on arbitrary strings: it never
// panics; an accepted amount equals the exact decimal value of the input
// in cents (compared with math/big), formats with String and JSON to text
// that parses back to the same amount; plain amounts are always accepted.
func FuzzParseMoney(f *testing.F) {
	for _, seed := range []string{
		"0", "12", "12.5", "12.50", "-0.99", "+3.", ".5", "-.01", " 7.25 ", "1e3", "0x10", "1_000",
		"1.234", "92233720368547758.07", "92233720368547758", "-92233720368547758.08", "", "-", ".", "+.",
		"1.2.3", "١٢", "12,50", "NaN", "Inf", "00000000000000000000000000001",
	} {
		f.Add(seed)
	}
	hundred := big.NewRat(100, 1)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := db.ParseMoney(s)
		if err != nil {
			if plainAmount.MatchString(s) {
				t.Fatalf("ParseMoney(%q) rejected a plain amount: %v", s, err)
			}
			return
		}
		// The exact value: normalise "3." and ".5" for big.Rat.
		dec := strings.TrimSpace(s)
		sign := ""
		if dec != "" && (dec[0] == '+' || dec[0] == '-') {
			sign, dec = dec[:1], dec[1:]
		}
		if strings.HasPrefix(dec, ".") {
			dec = "0" + dec
		}
		dec = strings.TrimSuffix(dec, ".")
		r, ok := new(big.Rat).SetString(sign + dec)
		if !ok {
			t.Fatalf("ParseMoney(%q) = %d accepted what is not a decimal number", s, m)
		}
		cents := new(big.Rat).Mul(r, hundred)
		if !cents.IsInt() || !cents.Num().IsInt64() || cents.Num().Int64() != int64(m) {
			t.Fatalf("ParseMoney(%q) = %d cents, exact value is %s cents", s, m, cents.RatString())
		}
		if back, err := db.ParseMoney(m.String()); err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %d; its String %q parses to %d, %v", s, m, m.String(), back, err)
		}
		js, err := m.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%d): %v", m, err)
		}
		var back db.Money
		if err := back.UnmarshalJSON(js); err != nil || back != m {
			t.Fatalf("Money %d marshals to %s, which unmarshals to %d, %v", m, js, back, err)
		}
	})
}
