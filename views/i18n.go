package views

import (
	"context"
	"time"

	"smartinventory/locale"
)

// Brand is the product's name, the same in every language.
const Brand = "Smart Inventory"

// T is the message key in the reader's language (see package locale: the
// key is the English text).
func T(ctx context.Context, key string, args ...any) string { return locale.T(ctx, key, args...) }

// Tr translates msg when it is a catalog key (a message built elsewhere,
// such as a validation message), else returns it as it is.
func Tr(ctx context.Context, msg string) string {
	if locale.Has(msg) {
		return T(ctx, msg)
	}
	return msg
}

// L is the reader's locale, for numbers, money and dates.
func L(ctx context.Context) *locale.Locale { return locale.From(ctx) }

// DateTimePtr is an optional instant in the shop's zone, "—" when nil.
func DateTimePtr(ctx context.Context, t *time.Time) string {
	if t == nil {
		return locale.Dash
	}
	return L(ctx).DateTime(*t)
}

// LanguageChoice is a button of the header's language switch.
type LanguageChoice struct {
	Code  string // es, en
	Short string // ES, EN
	Name  string // the language's own name
}

// LanguageChoices are the UI's languages, each named in itself.
var LanguageChoices = []LanguageChoice{{"es", "ES", "Español"}, {"en", "EN", "English"}}
