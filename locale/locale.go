// Package locale is the one place of the user interface's languages and
// formats: the message catalogs (es, en, with plurals, on
// golang.org/x/text/message) and the formatting of numbers, money, dates
// and percentages in the reader's language, the shop's currency and the
// shop's time zone. Views, charts and handlers format through it; nothing
// else formats a number or a date for people.
package locale

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages are the supported languages, the default first.
var Languages = []string{"es", "en"}

// Plural is a message that depends on a count (its first argument): Zero
// (optional), One and Other are fmt formats.
type Plural struct{ Zero, One, Other string }

// Message keys are the English text (gettext style), so that a view says
// { T(ctx, "Sign in") } and reads as it renders in English. messages
// (messages.go) holds every key with its English and Spanish text.

// entry is one message: the key, its English (nil: the key itself) and its
// Spanish text, each a string (a fmt format) or a Plural.
type entry struct {
	key    string
	en, es any
}

// E is a plain message: its English text is the key.
func E(key, es string) entry { return entry{key: key, es: es} }

// P is a message with plural forms, chosen by its first argument.
func P(key string, en, es Plural) entry { return entry{key: key, en: en, es: es} }

var tags = map[string]language.Tag{"es": language.MustParse("es-ES"), "en": language.MustParse("en-US")}

var byKey = func() map[string]entry {
	m := make(map[string]entry, len(messages))
	for _, e := range messages {
		if _, dup := m[e.key]; dup {
			panic("locale: duplicate message key " + e.key)
		}
		m[e.key] = e
	}
	return m
}()

var cat = build()

func build() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(tags["en"]))
	for _, e := range messages {
		en := e.en
		if en == nil {
			en = e.key
		}
		for lang, m := range map[string]any{"en": en, "es": e.es} {
			if err := set(b, tags[lang], e.key, m); err != nil {
				panic(fmt.Sprintf("locale: %s %q: %v", lang, e.key, err))
			}
		}
	}
	return b
}

func set(b *catalog.Builder, tag language.Tag, key string, m any) error {
	switch m := m.(type) {
	case string:
		return b.SetString(tag, key, m)
	case Plural:
		cases := []any{}
		if m.Zero != "" {
			cases = append(cases, "=0", m.Zero)
		}
		cases = append(cases, plural.One, m.One, plural.Other, m.Other)
		return b.Set(tag, key, plural.Selectf(1, "%d", cases...))
	}
	return fmt.Errorf("message of type %T", m)
}

// Locale formats for one reader: a language, the shop's currency and the
// shop's time zone.
type Locale struct {
	Lang     string // "es" or "en"
	Currency string // ISO 4217
	Zone     *time.Location
	tag      language.Tag
	p        *message.Printer
	cur      currency.Unit
	symbol   string
}

// New returns the locale of lang (an unsupported one is English) with the
// currency code cur (unknown: no symbol) in zone (nil: UTC).
func New(lang, cur string, zone *time.Location) *Locale {
	tag, ok := tags[lang]
	if !ok {
		lang, tag = "en", tags["en"]
	}
	if zone == nil {
		zone = time.UTC
	}
	l := &Locale{Lang: lang, Currency: cur, Zone: zone, tag: tag, p: message.NewPrinter(tag, message.Catalog(cat))}
	if u, err := currency.ParseISO(cur); err == nil {
		l.cur = u
		l.symbol = l.p.Sprint(currency.Symbol(u))
	} else {
		l.symbol = cur
	}
	return l
}

// English is the locale used where none was chosen (tests, errors before
// the shop is known): English, no currency, UTC.
var English = New("en", "", time.UTC)

// Match picks the supported language for an Accept-Language header; ok is
// false when the header names none of them.
func Match(acceptLanguage string) (lang string, ok bool) {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	for _, t := range tags {
		base, _ := t.Base()
		for _, l := range Languages {
			if base.String() == l {
				return l, true
			}
		}
	}
	return "", false
}

// T is the message key in the locale's language, with args as its fmt
// arguments (a Plural's count first). A key missing from the catalogs is
// shown as itself (TestCatalogsComplete keeps that from happening).
func (l *Locale) T(key string, args ...any) string {
	return l.p.Sprintf(key, args...)
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Locale) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the locale ctx carries (English when none).
func From(ctx context.Context) *Locale {
	if ctx != nil {
		if l, ok := ctx.Value(ctxKey{}).(*Locale); ok && l != nil {
			return l
		}
	}
	return English
}

// T is From(ctx).T(key, args...): the views' way to say something.
func T(ctx context.Context, key string, args ...any) string { return From(ctx).T(key, args...) }

// Has reports whether key is in the catalogs.
func Has(key string) bool {
	_, ok := byKey[key]
	return ok
}

// verbs returns the fmt verbs of a message (for comparing translations).
func verbs(m any) string {
	var s string
	switch m := m.(type) {
	case string:
		s = m
	case Plural:
		s = m.Other
	}
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			continue
		}
		i++
		if s[i] == '%' {
			continue
		}
		j := i
		for j < len(s) && strings.ContainsRune("+-# 0123456789.[]", rune(s[j])) {
			j++
		}
		if j < len(s) {
			out = append(out, string(s[j]))
		}
		i = j
	}
	return strings.Join(out, "")
}
