// Package namekey gives the keys under which SKUs and usernames are
// unique: two names are the same name when their keys are equal. It is
// shared by the services (which store and look names up by key) and the
// migration that backfilled the key columns.
package namekey

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Clean returns s as it is stored: without invisible format characters
// (Unicode category Cf: zero-width spaces and joiners, byte-order marks,
// soft hyphens, direction marks), in Unicode normal form NFKC (full-width
// letters become ASCII ones, ligatures their letters) and trimmed of white
// space. It keeps the case.
func Clean(s string) string {
	if isASCII(s) {
		return strings.TrimSpace(s)
	}
	s = strings.Map(dropFormat, s)
	s = norm.NFKC.String(s)
	return strings.TrimSpace(s)
}

// Key returns the key of a name: Clean, then Unicode case folding and
// lower case (so
// "DUP-A", "dup-a", "ＤＵＰ－Ａ" and "DUP\u200b-A" share the key "dup-a"),
// normalised again so the key is stable.
func Key(s string) string {
	if isASCII(s) {
		return strings.ToLower(strings.TrimSpace(s))
	}
	s = Clean(s)
	// Fold, then lower: x/text's folding maps lower-case Cherokee to upper
	// case and back on a second pass; lowering after it makes the key a
	// fixed point (Key(Key(s)) == Key(s)).
	s = strings.ToLower(cases.Fold().String(s))
	return strings.TrimSpace(norm.NFKC.String(s))
}

func dropFormat(r rune) rune {
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
