// Package views holds the templ components of the web UI and the view
// models they render. Components get everything as props (no queries, no
// business rules, nothing read from the context): handlers in app/web call
// the services, fill a view model and render a component.
//
// Conventions for new pages:
//   - A page component takes a Page (layout data) plus its own model and
//     wraps its content in @Layout(p).
//   - A part of a page that htmx replaces is its own exported component
//     (e.g. ProductResults), rendered alone when the request is an htmx
//     request and inside the page otherwise.
//   - Every component's root element has a data-testid.
//   - Class names are literal strings (Tailwind only sees literals).
package views

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"smartinventory/db"
)

// Page is what the layout needs on every page.
type Page struct {
	// Title is the page title (also the <h1> of most pages).
	Title string
	// Nav is the key of the active navigation item (see NavItems).
	Nav string
	// User is the signed-in user; nil on the login and some error pages.
	User *User
	// CSRF is the token forms put in the _csrf field and htmx sends in the
	// X-CSRF-Token header (read from <meta name="csrf-token">).
	CSRF string
	// Flash is a one-time message from the previous request, if any.
	Flash *Flash
	// AssetVersion is appended to asset URLs for cache busting.
	AssetVersion string
}

// User is the signed-in user as the layout shows it.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Role        db.Role
}

// Can reports whether the user's role is at least min. Templates use it to
// hide what the role may not do; handlers and services refuse it anyway.
func (u *User) Can(min db.Role) bool { return u != nil && u.Role.Rank() >= min.Rank() }

// Name is the display name, or the username when there is none.
func (u *User) Name() string {
	if u == nil {
		return ""
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// Can reports whether the page's user has at least role min.
func (p Page) Can(min db.Role) bool { return p.User.Can(min) }

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashError   = "error"
	FlashInfo    = "info"
)

// Flash is a message shown once at the top of the next page.
type Flash struct {
	Kind    string
	Message string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key   string
	Label string
	Href  string
	Min   db.Role // lowest role that sees the item
}

// NavItems is the main navigation, in order.
var NavItems = []NavItem{
	{"dashboard", "Dashboard", "/", db.RoleViewer},
	{"products", "Products", "/products", db.RoleViewer},
	{"suppliers", "Suppliers", "/suppliers", db.RoleViewer},
	{"categories", "Categories", "/categories", db.RoleViewer},
	{"sales", "Sales", "/sales", db.RoleViewer},
	{"stock", "Stock", "/stock", db.RoleViewer},
	{"restock", "Restock", "/restock", db.RoleViewer},
	{"purchase-orders", "Purchase orders", "/purchase-orders", db.RoleViewer},
	{"trends", "Trends", "/trends", db.RoleViewer},
	{"users", "Users", "/users", db.RoleAdmin},
}

// Form holds what a form shows: the values (as typed, so nothing is lost
// when it comes back with errors), the per-field errors and, after a stale
// edit, the conflict.
type Form struct {
	Values map[string]string
	Errors map[string]string
	// Message is a form-level error (e.g. "Please fix the fields below").
	Message string
	// Conflict is set when the record changed since the form was loaded.
	Conflict *Conflict
	// Prefix makes the element ids unique when a page has several forms.
	Prefix string
}

// NewForm returns an empty form.
func NewForm() Form { return Form{Values: map[string]string{}, Errors: map[string]string{}} }

// Value returns the value of field name.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the error of field name, "" when there is none.
func (f Form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether any field has an error.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }

// Checked reports whether a checkbox field is on.
func (f Form) Checked(name string) bool {
	switch f.Values[name] {
	case "on", "true", "1":
		return true
	}
	return false
}

// Theirs returns the other person's value of name and whether it differs
// from the value in the form (only during a conflict).
func (f Form) Theirs(name string) (string, bool) {
	if f.Conflict == nil {
		return "", false
	}
	v, ok := f.Conflict.Theirs[name]
	if !ok {
		return "", false
	}
	return v, v != f.Values[name]
}

// Conflict describes a stale edit: someone saved the record after the form
// was loaded. Version is the current version: submitting the form again
// with it keeps the user's values ("keep mine").
type Conflict struct {
	By      string
	At      time.Time
	Version int64
	Theirs  map[string]string
	// ReloadHref loads the current record ("take theirs").
	ReloadHref string
}

// Option is one <option> of a select.
type Option struct {
	Value string
	Label string
}

// List is the state of a list page: its path, its query (filters, sort,
// page) and the paging figures. It builds the URLs of sort headers, pager
// links and filters, so that every link keeps the other parameters.
type List struct {
	Path     string
	Query    url.Values
	Total    int
	Page     int
	PageSize int
	// Target is the CSS selector of the element htmx replaces with the
	// results fragment (e.g. "#product-results").
	Target string
	// DefaultSort is the sort used when the query has none.
	DefaultSort string
}

// URL returns the list's URL with the given key/value pairs replaced (an
// empty value removes the key). The page goes back to 1 unless "page" is
// one of the pairs.
func (l List) URL(pairs ...string) string {
	q := url.Values{}
	for k, v := range l.Query {
		q[k] = append([]string(nil), v...)
	}
	q.Del("page")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			q.Del(pairs[i])
		} else {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if q.Get("page") == "1" {
		q.Del("page")
	}
	if len(q) == 0 {
		return l.Path
	}
	return l.Path + "?" + q.Encode()
}

// Sort returns the current sort key ("-" prefix = descending).
func (l List) Sort() string {
	if s := l.Query.Get("sort"); s != "" {
		return s
	}
	return l.DefaultSort
}

// SortURL returns the URL sorting by key: ascending, or descending when
// the list is already sorted ascending by key.
func (l List) SortURL(key string) string {
	if l.Sort() == key {
		return l.URL("sort", "-"+key)
	}
	return l.URL("sort", key)
}

// SortState returns "ascending", "descending" or "none" for aria-sort.
func (l List) SortState(key string) string {
	switch l.Sort() {
	case key:
		return "ascending"
	case "-" + key:
		return "descending"
	}
	return "none"
}

// Pages returns the number of pages (at least 1).
func (l List) Pages() int {
	if l.PageSize <= 0 || l.Total <= 0 {
		return 1
	}
	return (l.Total + l.PageSize - 1) / l.PageSize
}

// PageURL returns the URL of page n.
func (l List) PageURL(n int) string { return l.URL("page", strconv.Itoa(n)) }

// Range describes the rows shown, e.g. "51–100 of 312".
func (l List) Range() string { return l.RangeIn(context.Background()) }

// RangeIn is Range in the reader's language and number format.
func (l List) RangeIn(ctx context.Context) string {
	loc := L(ctx)
	if l.Total == 0 {
		return loc.T("0 results")
	}
	from := (l.Page-1)*l.PageSize + 1
	to := min(l.Page*l.PageSize, l.Total)
	return loc.T("%s–%s of %s", loc.Int(int64(from)), loc.Int(int64(to)), loc.Int(int64(l.Total)))
}

// Filtered reports whether any filter other than sort and page is set.
func (l List) Filtered() bool {
	for k, v := range l.Query {
		if k != "sort" && k != "page" && strings.Join(v, "") != "" {
			return true
		}
	}
	return false
}

// FormatTime formats t for tables and messages in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }

// FormatTimePtr formats an optional time, "—" when nil.
func FormatTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return FormatTime(*t)
}

// Itoa formats an integer.
func Itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }

// ConfirmModel is a confirmation page for a destructive action.
type ConfirmModel struct {
	Title   string
	Message string
	// Action is the URL the confirmation form posts to.
	Action string
	// Button is the label of the confirming button.
	Button     string
	CancelHref string
}

// ErrorModel is an error page.
type ErrorModel struct {
	Status  int
	Title   string
	Message string
}

// clerkRole is the lowest role that records sales (used by the header).
const clerkRole = db.RoleClerk

func flashRole(kind string) string {
	if kind == FlashError {
		return "alert"
	}
	return "status"
}

func displayOrEmpty(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

// signed formats n with an explicit sign: "+3", "-2".
func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// ID returns the element id of field name (Prefix keeps ids unique when a
// page has several forms).
func (f Form) ID(name string) string { return f.Prefix + "f-" + name }

// ErrID returns the element id of field name's error message.
func (f Form) ErrID(name string) string { return f.Prefix + "e-" + name }
