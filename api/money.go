package api

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in minor units (cents). It is never a float64 in
// storage or arithmetic; JSON shows it as a decimal number (12.5 for 1250).
// The server's db.Money reads and writes JSON through this type, so the
// server and the clients read and write amounts alike.
type Money int64

// String formats m with two decimals, e.g. "12.50".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalJSON writes m as a JSON number in major units, without trailing
// zeros ("12.5", "3", "-0.05").
func (m Money) MarshalJSON() ([]byte, error) {
	v := int64(m)
	b := make([]byte, 0, 24)
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = -u // two's complement: also right for math.MinInt64
	}
	b = strconv.AppendUint(b, u/100, 10)
	if cents := u % 100; cents != 0 {
		b = append(b, '.', byte('0'+cents/10))
		if cents%10 != 0 {
			b = append(b, byte('0'+cents%10))
		}
	}
	return b, nil
}

// UnmarshalJSON reads a JSON number (not a string) with at most two decimals.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == '"' || string(b) == "null" {
		return fmt.Errorf("money must be a number")
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney parses a decimal amount such as "12", "12.5" or "-0.99" into
// minor units. More than two decimals, exponents and overflow are errors.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("invalid amount")
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount has more than two decimals")
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("invalid amount %q", s)
			}
		}
	}
	w := int64(0)
	if whole != "" {
		var err error
		w, err = strconv.ParseInt(whole, 10, 64)
		if err != nil || w > math.MaxInt64/100-1 {
			return 0, fmt.Errorf("amount out of range")
		}
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Money(v), nil
}
