package db

import (
	"math"
	"math/big"
	"testing"
)

// FuzzCheckedMoney checks MulMoney and AddMoney against exact big-integer
// arithmetic: they succeed exactly when the result lies in [0, MaxTotal],
// and then return it.
func FuzzCheckedMoney(f *testing.F) {
	for _, s := range [][2]int64{{0, 0}, {2, 9223372036854775799}, {1_000_000_000, int64(MaxUnitAmount)},
		{1000, int64(MaxUnitAmount)}, {-1, 5}, {math.MaxInt64, math.MaxInt64}, {int64(MaxTotal), 1}} {
		f.Add(s[0], s[1])
	}
	limit := big.NewInt(int64(MaxTotal))
	f.Fuzz(func(t *testing.T, a, b int64) {
		check := func(op string, exact *big.Int, got Money, ok bool) {
			want := exact.Sign() >= 0 && exact.Cmp(limit) <= 0
			if op == "add" {
				want = want && a >= 0 && b >= 0
			}
			if ok != want || (ok && exact.Cmp(big.NewInt(int64(got))) != 0) {
				t.Fatalf("%s(%d, %d) = %d, %v; exact %s", op, a, b, got, ok, exact)
			}
		}
		got, ok := MulMoney(a, Money(b))
		mulWant := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		if a < 0 || b < 0 {
			if ok {
				t.Fatalf("MulMoney(%d, %d) accepted a negative factor", a, b)
			}
		} else {
			check("mul", mulWant, got, ok)
		}
		got, ok = AddMoney(Money(a), Money(b))
		check("add", new(big.Int).Add(big.NewInt(a), big.NewInt(b)), got, ok)
	})
}
