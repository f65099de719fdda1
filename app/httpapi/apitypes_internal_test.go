package httpapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"smartinventory/api"
	"smartinventory/db"
)

// apiMirrors are the types of package api that mirror a server type (an
// entity of db, an input or result of app, an envelope of this package).
// Each is named like the OpenAPI schema of the server type it mirrors.
var apiMirrors = []reflect.Type{
	reflect.TypeFor[api.Category](),
	reflect.TypeFor[api.Setting](),
	reflect.TypeFor[api.SettingRequest](),
	reflect.TypeFor[api.SettingList](),
	reflect.TypeFor[api.Supplier](),
	reflect.TypeFor[api.Product](),
	reflect.TypeFor[api.ProductInput](),
	reflect.TypeFor[api.CategoryInput](),
	reflect.TypeFor[api.SupplierInput](),
	reflect.TypeFor[api.DeleteResult](),
	reflect.TypeFor[api.User](),
	reflect.TypeFor[api.Sale](),
	reflect.TypeFor[api.SaleInput](),
	reflect.TypeFor[api.SaleResult](),
	reflect.TypeFor[api.BatchRequest](),
	reflect.TypeFor[api.BatchResult](),
	reflect.TypeFor[api.VoidRequest](),
	reflect.TypeFor[api.StockMovement](),
	reflect.TypeFor[api.AdjustmentInput](),
	reflect.TypeFor[api.ReceiptInput](),
	reflect.TypeFor[api.PurchaseOrder](),
	reflect.TypeFor[api.PurchaseOrderLine](),
	reflect.TypeFor[api.POInput](),
	reflect.TypeFor[api.POLineInput](),
	reflect.TypeFor[api.ReceiveInput](),
	reflect.TypeFor[api.ReceiveLine](),
	reflect.TypeFor[api.OrderRequest](),
	reflect.TypeFor[api.FromSuggestionsInput](),
	reflect.TypeFor[api.SuggestedLine](),
	reflect.TypeFor[api.DraftList](),
	reflect.TypeFor[api.ForecastResponse](),
	reflect.TypeFor[api.Accuracy](),
	reflect.TypeFor[api.ForecastPoint](),
	reflect.TypeFor[api.RestockLine](),
	reflect.TypeFor[api.PendingDraft](),
	reflect.TypeFor[api.RestockList](),
	reflect.TypeFor[api.ProductTrend](),
	reflect.TypeFor[api.FieldError](),
	reflect.TypeFor[api.Problem](),
}

// apiBuildingBlocks are the types of package api that are no schema of
// their own: the server uses them as they are.
var apiBuildingBlocks = map[string]bool{"Money": true, "Nullable": true, "Page": true}

// TestAPITypesMatchServer compares every mirror in package api with the
// server type of the OpenAPI schema of its name: the same JSON fields with
// the same JSON types, nullability and omitempty/omitzero (the last only
// for responses: request bodies are only decoded by the server, and the
// client leaves absent fields out). A field added to db.Product but not to
// api.Product, a renamed tag, an int that became a string: each fails here.
func TestAPITypesMatchServer(t *testing.T) {
	server := map[string]reflect.Type{}
	for _, st := range schemaTypes {
		server[st.name] = st.typ
	}
	requests := requestSchemas()
	for _, at := range apiMirrors {
		st, ok := server[at.Name()]
		if !ok {
			t.Errorf("api.%s: no OpenAPI schema %q to mirror", at.Name(), at.Name())
			continue
		}
		decodeOnly := requests[at.Name()]
		want, got := jsonShape(st, decodeOnly), jsonShape(at, decodeOnly)
		for _, path := range unionKeys(want, got) {
			switch w, g := want[path], got[path]; {
			case g == "":
				t.Errorf("api.%s lacks %s (%s: %s)", at.Name(), path, st, w)
			case w == "":
				t.Errorf("api.%s has %s (%s), which %s lacks", at.Name(), path, g, st)
			case w != g:
				t.Errorf("api.%s: %s is %s, %s has %s", at.Name(), path, g, st, w)
			}
		}
	}
}

// TestAPITypesMatchServer_CatchesDrift checks the comparison itself on a
// mirror that drifted in every way it checks.
func TestAPITypesMatchServer_CatchesDrift(t *testing.T) {
	type server struct {
		ID    int64     `json:"id"`
		Name  string    `json:"name"`
		Price api.Money `json:"price"`
		At    time.Time `json:"at,omitzero"`
		Gone  int       `json:"gone"`
	}
	type mirror struct {
		ID    string         `json:"id"`    // type
		Name  string         `json:"title"` // name
		Price float64        `json:"price"` // money as a float
		At    time.Time      `json:"at"`    // omitzero lost
		Extra bool           `json:"extra"` // not on the server
		Skip  int            `json:"-"`     // not JSON: ignored
		Ptr   *int           `json:"ptr"`   // not on the server
		List  []int          `json:"list"`  // not on the server
		Map   map[string]int `json:"m"`     // not on the server
	}
	want, got := jsonShape(reflect.TypeFor[server](), false), jsonShape(reflect.TypeFor[mirror](), false)
	var diffs []string
	for _, p := range unionKeys(want, got) {
		if want[p] != got[p] {
			diffs = append(diffs, p)
		}
	}
	if w := []string{".at", ".extra", ".gone", ".id", ".list", ".list[]", ".m", ".m{}", ".name", ".price", ".ptr", ".title"}; !slices.Equal(diffs, w) {
		t.Errorf("differences at %v, want %v", diffs, w)
	}
	if a, b := jsonShape(reflect.TypeFor[server](), true), jsonShape(reflect.TypeFor[struct {
		ID    int64     `json:"id,omitempty"`
		Name  string    `json:"name"`
		Price api.Money `json:"price"`
		At    time.Time `json:"at"`
		Gone  int       `json:"gone"`
	}](), true); !reflect.DeepEqual(a, b) {
		t.Errorf("request shapes differ only in omitempty/omitzero, yet compare unequal:\n%v\n%v", a, b)
	}
}

// TestAPITypesListed fails when package api declares a type that is
// neither in apiMirrors nor a building block, so no mirror escapes the
// comparison.
func TestAPITypesListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "api", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("api sources: %v, %v", files, err)
	}
	listed := map[string]bool{}
	for _, at := range apiMirrors {
		listed[at.Name()] = true
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				name := spec.(*ast.TypeSpec).Name.Name
				if ast.IsExported(name) && !listed[name] && !apiBuildingBlocks[name] {
					t.Errorf("%s declares api.%s, which apiMirrors does not list (so nothing compares it with the server's type)", f, name)
				}
			}
		}
	}
}

// requestSchemas returns the names of the schemas that are request
// bodies, or part of one.
func requestSchemas() map[string]bool {
	names := schemaNames()
	byName := map[string]reflect.Type{}
	for t, n := range names {
		byName[n] = t
	}
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		if n, ok := names[t]; ok {
			if out[n] {
				return
			}
			out[n] = true
		}
		for i := 0; i < t.NumField(); i++ {
			walk(t.Field(i).Type)
		}
	}
	for _, op := range operations {
		if t, ok := byName[op.body]; ok {
			walk(t)
		}
	}
	return out
}

var (
	apiMoneyType  = reflect.TypeFor[api.Money]()
	dbMoneyType   = reflect.TypeFor[db.Money]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// jsonShape describes how encoding/json writes and reads t: one entry per
// JSON path (".lines[].unit_cost"), giving its JSON type ("integer",
// "money", "time", "ptr string", "nullable integer", "any", …) and, unless
// decodeOnly, its omitempty/omitzero option. Embedded structs without a
// tag are flattened, as encoding/json does.
func jsonShape(t reflect.Type, decodeOnly bool) map[string]string {
	out := map[string]string{}
	var walk func(path string, t reflect.Type, seen map[reflect.Type]bool)
	walk = func(path string, t reflect.Type, seen map[reflect.Type]bool) {
		prefix := ""
		for t.Kind() == reflect.Pointer {
			prefix += "ptr "
			t = t.Elem()
		}
		switch {
		case t == apiMoneyType || t == dbMoneyType:
			out[path] = prefix + "money"
			return
		case t == reflect.TypeFor[time.Time]():
			out[path] = prefix + "time"
			return
		case t == rawType || t.Kind() == reflect.Interface:
			out[path] = prefix + "any"
			return
		case strings.HasPrefix(t.Name(), "Nullable["):
			v, _ := t.FieldByName("V")
			walk(path, v.Type, seen)
			out[path] = prefix + "nullable " + out[path]
			return
		case t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType):
			out[path] = prefix + "marshaler " + t.String() // only the same type matches
			return
		}
		switch t.Kind() {
		case reflect.Bool:
			out[path] = prefix + "boolean"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			out[path] = prefix + "integer"
		case reflect.Float32, reflect.Float64:
			out[path] = prefix + "number"
		case reflect.String:
			out[path] = prefix + "string"
		case reflect.Slice, reflect.Array:
			out[path] = prefix + "array"
			walk(path+"[]", t.Elem(), seen)
		case reflect.Map:
			out[path] = prefix + "object of " + t.Key().Kind().String()
			walk(path+"{}", t.Elem(), seen)
		case reflect.Struct:
			if path != "" || prefix != "" {
				out[path] = prefix + "object"
			}
			if seen[t] {
				return
			}
			seen = maps(seen, t)
			structFields(path, t, decodeOnly, func(p string, ft reflect.Type, opts string) {
				walk(p, ft, seen)
				if opts != "" {
					out[p] += " " + opts
				}
			})
		default:
			out[path] = prefix + t.Kind().String()
		}
	}
	walk("", t, map[reflect.Type]bool{})
	return out
}

// structFields calls fn for each JSON field of struct t, embedded untagged
// structs flattened, with the field's options (omitempty, omitzero).
func structFields(path string, t reflect.Type, decodeOnly bool, fn func(path string, t reflect.Type, opts string)) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, optStr, _ := strings.Cut(tag, ",")
		if name == "-" && optStr == "" {
			continue
		}
		if sf.Anonymous && tag == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				structFields(path, ft, decodeOnly, fn)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		var opts []string
		if !decodeOnly {
			for _, o := range strings.Split(optStr, ",") {
				if o == "omitempty" || o == "omitzero" {
					opts = append(opts, o)
				}
			}
		}
		fn(path+"."+name, sf.Type, strings.Join(opts, ","))
	}
}

// maps returns a copy of seen with t added.
func maps(seen map[reflect.Type]bool, t reflect.Type) map[reflect.Type]bool {
	out := make(map[reflect.Type]bool, len(seen)+1)
	for k := range seen {
		out[k] = true
	}
	out[t] = true
	return out
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys(a, b map[string]string) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
