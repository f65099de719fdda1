package locale

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCatalogsComplete fails when a message lacks its Spanish text, when
// a translation's fmt verbs differ from the English ones, or when a key
// that the views or the web handlers use is missing from the catalog.
func TestCatalogsComplete(t *testing.T) {
	for _, e := range messages {
		if e.es == nil || e.es == "" {
			t.Errorf("%q: no Spanish text", e.key)
		}
		en := e.en
		if en == nil {
			en = e.key
		}
		if verbs(en) != verbs(e.es) {
			t.Errorf("%q: verbs %q in English, %q in Spanish", e.key, verbs(en), verbs(e.es))
		}
		if p, ok := e.es.(Plural); ok && (p.One == "" || p.Other == "") {
			t.Errorf("%q: Spanish plural lacks a form", e.key)
		}
	}
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d keys in use: is the scan broken?", len(used))
	}
	for key, where := range used {
		if !Has(key) {
			t.Errorf("%s: key %q is in neither catalog", where, key)
		}
	}
}

// keyPatterns find the message keys in source: T(ctx, "…"), .T("…"),
// flashf(c, kind, "…"), setFlash(c, kind, "…") and w.page(c, "…") (a
// literal that is only the start of a concatenation is no key).
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\bT\(ctx, ("(?:[^"\\]|\\.)*")\s*[,)]`),
	regexp.MustCompile(`\.T\(("(?:[^"\\]|\\.)*")\s*[,)]`),
	regexp.MustCompile(`\bflashf\(c, [\w.]+, ("(?:[^"\\]|\\.)*")\s*[,)]`),
	regexp.MustCompile(`\bsetFlash\(c, [\w.]+, ("(?:[^"\\]|\\.)*")\s*[,)]`),
	regexp.MustCompile(`\bw\.page\(c, ("(?:[^"\\]|\\.)*")\s*[,)]`),
}

func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	var files []string
	for _, glob := range []string{"../views/*.templ", "../views/*.go", "../app/web/*.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, re := range keyPatterns {
				for _, m := range re.FindAllStringSubmatch(line, -1) {
					key, err := strconv.Unquote(m[1])
					if err != nil {
						t.Fatalf("%s:%d: %v", f, i+1, err)
					}
					if key != "" {
						out[key] = f + ":" + strconv.Itoa(i+1)
					}
				}
			}
		}
	}
	return out
}

// translatedTempls are the templ files whose every user-visible text goes
// through the catalog; TestNoEnglishInTranslatedTempls keeps them so.
var translatedTempls = []string{"layout.templ", "login.templ", "dashboard.templ", "components.templ", "sales.templ"}

// TestNoEnglishInTranslatedTempls fails when a translated templ file has
// literal text (outside tags, expressions and statements) or a literal
// alt/aria-label/title attribute.
func TestNoEnglishInTranslatedTempls(t *testing.T) {
	attr := regexp.MustCompile(`\b(alt|aria-label|title|placeholder)="[^"]*[A-Za-z][^"]*"`)
	for _, name := range translatedTempls {
		b, err := os.ReadFile(filepath.Join("..", "views", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, txt := range templTexts(string(b)) {
			t.Errorf("%s: literal text %q: use T(ctx, …)", name, txt)
		}
		for _, m := range attr.FindAllString(string(b), -1) {
			t.Errorf("%s: literal attribute %s: use T(ctx, …)", name, m)
		}
	}
}

// templTexts returns the literal text nodes of the templ components of a
// file: what is left of a component's body once tags, { expressions },
// @calls and control statements are removed.
func templTexts(src string) []string {
	var out []string
	var st scanState
	in := false
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "templ ") {
			in, st = true, scanState{}
			continue
		}
		if line == "}" && st.tag == 0 && st.expr == 0 {
			in = false
			continue
		}
		if !in {
			continue
		}
		s := strings.TrimSpace(line)
		if st.tag == 0 && st.expr == 0 {
			for _, p := range []string{"if ", "for ", "} else", "else ", "switch ", "case ", "default:", "@", "//"} {
				if strings.HasPrefix(s, p) {
					s = ""
				}
			}
		}
		s = atCall.ReplaceAllString(st.strip(s), "")
		if strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

var atCall = regexp.MustCompile(`@[\w.]+\([^)]*\)`)

// scanState is where a scan of templ markup is, across lines.
type scanState struct {
	tag, expr int
	quote     byte
}

// strip removes tags (with their attributes) and { expressions } from
// line, keeping the text between them.
func (st *scanState) strip(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case st.quote != 0:
			if c == st.quote {
				st.quote = 0
			}
		case (st.tag > 0 || st.expr > 0) && (c == '"' || c == '\'' || c == '`'):
			st.quote = c
		case c == '{':
			st.expr++
		case c == '}' && st.expr > 0:
			st.expr--
		case st.expr > 0:
		case c == '<':
			st.tag++
		case c == '>' && st.tag > 0:
			st.tag--
		case st.tag > 0:
		default:
			b.WriteByte(c)
		}
	}
	if st.quote == '\'' { // an apostrophe in text, not a quote
		st.quote = 0
	}
	return b.String()
}

func TestFormats(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	mexico, _ := time.LoadLocation("America/Mexico_City")
	es, en := New("es", "EUR", madrid), New("en", "USD", mexico)
	at := time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ got, want string }{
		{es.Money(1234.56), "1.234,56\u00a0€"},
		{en.Money(1234.56), "$1,234.56"},
		{es.Money(-0.001), "0,00\u00a0€"},
		{en.Money(-12.5), "-$12.50"},
		{New("en", "JPY", nil).Money(1234.4), "¥1,234"},
		{New("es", "MXN", nil).Money(10), "10,00\u00a0MXN"},
		{es.Int(128488), "128.488"},
		{en.Int(128488), "128,488"},
		{es.Number(1325.6449, 2), "1.325,64"},
		{es.Percent(0.125, 1), "12,5\u00a0%"},
		{en.Percent(0.125, 1), "12.5%"},
		{en.Change(0.125), "+12.5%"},
		{es.Change(-0.5), "-50,0\u00a0%"},
		{es.DateTime(at), "8 dic 2026, 03:00 CET"},
		{en.DateTime(at), "Dec 7, 2026, 8:00 PM CST"},
		{en.Date(at), "Dec 7, 2026"},
		{es.Day(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)), "7 dic 2026"},
		{es.T("Sign in"), "Iniciar sesión"},
		{en.T("Sign in"), "Sign in"},
		{es.T("%d active products at cost", 1), "1 producto activo a coste"},
		{es.T("%d active products at cost", 1234), "1.234 productos activos a coste"},
		{en.T("%d active products at cost", 1), "1 active product at cost"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		header, want string
		ok           bool
	}{
		{"es-MX,es;q=0.9,en;q=0.8", "es", true},
		{"en-US,en;q=0.9", "en", true},
		{"fr-FR,fr;q=0.9,en;q=0.5", "en", true},
		{"de-DE", "", false},
		{"", "", false},
	} {
		if got, ok := Match(tt.header); got != tt.want || ok != tt.ok {
			t.Errorf("Match(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
