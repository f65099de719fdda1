package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The checks in this file keep the layers of the program as the README's
// package map draws them:
//
//	api                        (JSON types of the REST API; standard library only)
//	forecast/...               (pure maths: no database, no HTTP, no project package outside forecast)
//	db/...                     (models, migrations, queries: may use api, not app, views, forecast or cli)
//	locale                     (message catalogs and formats: standard library and golang.org/x/text)
//	views                      (templ components: db, forecast and api types, no app or cli)
//	app                        (services: no Echo, templ, views, HTTP handlers or cli)
//	app/httpapi, app/web, …    (HTTP: no cli)
//	app/client                 (REST client: standard library and api only)
//	cli                        (the commands; no cmd/...)
//	.                          (the smartinventory binary: no load generator)
//
// and keep SQL in the services: no file of app/web, app/httpapi or cli
// imports bun.

// module is the module path.
const module = "smartinventory"

// layerRule forbids the packages matching pkg (a package path; "x/..."
// matches x and everything below it) to depend, directly or not, on the
// packages matching any of deny, except those matching allow.
type layerRule struct {
	pkg   string
	deny  []string
	allow []string // exceptions to deny
	why   string
}

// layerRules are the import rules. "std" in allow stands for every
// standard-library package.
var layerRules = []layerRule{
	{pkg: "smartinventory/api", deny: []string{"..."}, allow: []string{"std", "smartinventory/api"},
		why: "api holds the wire types that clients share: standard library only"},
	{pkg: "smartinventory/app/client", deny: []string{"..."}, allow: []string{"std", "smartinventory/api", "smartinventory/app/client"},
		why: "the REST client must not build the server: standard library and api only"},
	{pkg: "smartinventory/forecast/...", deny: []string{"smartinventory/...", "github.com/uptrace/bun/...", "github.com/labstack/echo/...", "github.com/a-h/templ/...", "net/http"},
		allow: []string{"smartinventory/forecast/..."},
		why:   "forecast is pure: series in, forecasts out; no database, no HTTP"},
	{pkg: "smartinventory/db/...", deny: []string{"smartinventory/app/...", "smartinventory/views/...", "smartinventory/cli/...", "smartinventory/forecast/...", "github.com/labstack/echo/...", "github.com/a-h/templ/..."},
		why: "db holds models and queries: it knows no services, views or forecasting"},
	{pkg: "smartinventory/locale", deny: []string{"..."}, allow: []string{"std", "smartinventory/locale", "golang.org/x/text/..."},
		why: "locale holds the catalogs and formats: standard library and golang.org/x/text only"},
	{pkg: "smartinventory/views/...", deny: []string{"smartinventory/app/...", "smartinventory/cli/..."},
		why: "views render what handlers give them: no services, no queries"},
	{pkg: "smartinventory/app", deny: []string{"smartinventory/app/...", "smartinventory/views/...", "smartinventory/cli/...", "github.com/labstack/echo/...", "github.com/a-h/templ/..."},
		allow: []string{"smartinventory/app"},
		why:   "the services are free of any transport: handlers call them, not the other way round"},
	{pkg: "smartinventory/app/...", deny: []string{"smartinventory/cli/...", "smartinventory/cmd/..."},
		why: "the server does not depend on the command line"},
	{pkg: "smartinventory/cli/...", deny: []string{"smartinventory/cmd/..."},
		why: "commands are leaves: nothing imports them"},
	{pkg: "smartinventory", deny: []string{"github.com/tsenart/vegeta/...", "smartinventory/cmd/...", "smartinventory/test/..."},
		why: "the production binary does not carry the load generator (cmd/smartinventory-bench) or test tools"},
}

// listedPackage is what go list -json says about a package.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string // direct
	Deps       []string // direct and indirect
}

// goList runs go list -deps -json on the module's packages and returns every
// package it lists (the module's and their dependencies), by import path.
func goList(t *testing.T) map[string]listedPackage {
	t.Helper()
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skipf("the go command is not available: %v", err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(goBin, "list", "-deps", "-json", "./...")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list -deps -json ./...: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]listedPackage{}
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

// matches reports whether path matches pattern ("x/..." is x and below).
func matches(pattern, path string, std bool) bool {
	switch {
	case pattern == "std":
		return std
	case pattern == "...":
		return true
	case strings.HasSuffix(pattern, "/..."):
		base := strings.TrimSuffix(pattern, "/...")
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// layerViolations checks rules against pkgs and returns one line per
// direct import that breaks a rule: the import itself is denied, or it
// depends on a denied package (named, with how many more there are). An
// import that is itself subject to the rule is reported on its own.
func layerViolations(rules []layerRule, pkgs map[string]listedPackage) []string {
	var out []string
	names := make([]string, 0, len(pkgs))
	for name := range pkgs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, r := range rules {
		denied := func(dep string) bool {
			std := pkgs[dep].Standard
			return slices.ContainsFunc(r.deny, func(d string) bool { return matches(d, dep, std) }) &&
				!slices.ContainsFunc(r.allow, func(a string) bool { return matches(a, dep, std) })
		}
		found := false
		for _, name := range names {
			p := pkgs[name]
			if p.Standard || !matches(r.pkg, name, false) {
				continue
			}
			found = true
			for _, imp := range p.Imports {
				if denied(imp) {
					out = append(out, fmt.Sprintf("%s imports %s (%s)", name, imp, r.why))
					continue
				}
				if matches(r.pkg, imp, false) {
					continue // reported as itself
				}
				var bad []string
				for _, dep := range pkgs[imp].Deps {
					if denied(dep) {
						bad = append(bad, dep)
					}
				}
				switch len(bad) {
				case 0:
				case 1:
					out = append(out, fmt.Sprintf("%s imports %s, which depends on %s (%s)", name, imp, bad[0], r.why))
				default:
					out = append(out, fmt.Sprintf("%s imports %s, which depends on %s and %d more (%s)", name, imp, bad[0], len(bad)-1, r.why))
				}
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("rule for %s matches no package: fix or drop it", r.pkg))
		}
	}
	return out
}

// TestLayers fails when a package depends on a layer it may not (see
// layerRules), directly or through another package.
func TestLayers(t *testing.T) {
	pkgs := goList(t)
	for _, v := range layerViolations(layerRules, pkgs) {
		t.Error(v)
	}
}

// TestLayers_CatchesViolations checks the rule engine on a made-up graph
// that breaks a rule directly, through another package and through the
// standard-library exception.
func TestLayers_CatchesViolations(t *testing.T) {
	pkgs := map[string]listedPackage{
		"fmt":                       {ImportPath: "fmt", Standard: true},
		"net/http":                  {ImportPath: "net/http", Standard: true, Imports: []string{"fmt"}, Deps: []string{"fmt"}},
		"github.com/uptrace/bun":    {ImportPath: "github.com/uptrace/bun", Imports: []string{"fmt"}, Deps: []string{"fmt"}},
		"smartinventory/api":        {ImportPath: "smartinventory/api", Imports: []string{"fmt"}, Deps: []string{"fmt"}},
		"smartinventory/db":         {ImportPath: "smartinventory/db", Imports: []string{"github.com/uptrace/bun", "smartinventory/api"}, Deps: []string{"fmt", "github.com/uptrace/bun", "smartinventory/api"}},
		"smartinventory/forecast":   {ImportPath: "smartinventory/forecast", Imports: []string{"fmt", "smartinventory/db"}, Deps: []string{"fmt", "github.com/uptrace/bun", "smartinventory/api", "smartinventory/db"}},
		"smartinventory/forecast/x": {ImportPath: "smartinventory/forecast/x", Imports: []string{"smartinventory/forecast"}, Deps: []string{"fmt", "github.com/uptrace/bun", "smartinventory/api", "smartinventory/db", "smartinventory/forecast"}},
		"smartinventory/app/client": {ImportPath: "smartinventory/app/client", Imports: []string{"net/http", "smartinventory/api", "smartinventory/app/helper"}, Deps: []string{"fmt", "net/http", "smartinventory/api", "smartinventory/app/helper", "github.com/uptrace/bun"}},
		"smartinventory/app/helper": {ImportPath: "smartinventory/app/helper", Imports: []string{"github.com/uptrace/bun"}, Deps: []string{"fmt", "github.com/uptrace/bun"}},
		"smartinventory":            {ImportPath: "smartinventory", Imports: []string{"smartinventory/cli"}, Deps: []string{"github.com/tsenart/vegeta/v12/lib", "smartinventory/cli"}},
		"smartinventory/cli":        {ImportPath: "smartinventory/cli", Imports: []string{"github.com/tsenart/vegeta/v12/lib"}, Deps: []string{"github.com/tsenart/vegeta/v12/lib"}},
	}
	binary := layerRules[len(layerRules)-1]
	rules := []layerRule{layerRules[0], layerRules[1], layerRules[2], binary, {pkg: "smartinventory/views", why: "none"}}
	got := layerViolations(rules, pkgs)
	want := []string{
		"smartinventory/app/client imports smartinventory/app/helper (" + layerRules[1].why + ")",
		"smartinventory/forecast imports smartinventory/db (" + layerRules[2].why + ")",
		"smartinventory imports smartinventory/cli, which depends on github.com/tsenart/vegeta/v12/lib (" + binary.why + ")",
		"rule for smartinventory/views matches no package: fix or drop it",
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// bunFreeDirs are the directories whose non-test files may not import bun:
// the HTTP handlers and the command line go through the services, which
// own every query.
var bunFreeDirs = []string{"app/web", "app/httpapi", "cli"}

// TestNoBunInHandlers fails when a non-test file of bunFreeDirs imports bun
// (or a bun subpackage).
func TestNoBunInHandlers(t *testing.T) {
	for _, msg := range bunImports(t, ".", bunFreeDirs) {
		t.Error(msg)
	}
}

// TestNoBunInHandlers_CatchesViolations runs the check on a made-up tree:
// a file that imports bun (directly or a subpackage) fails; test files and
// other directories may.
func TestNoBunInHandlers_CatchesViolations(t *testing.T) {
	root := t.TempDir()
	write := func(path, src string) {
		t.Helper()
		p := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cli/new.go", "package cli\n\nimport \"github.com/uptrace/bun/dialect/pgdialect\"\n\nvar _ = pgdialect.New\n")
	write("cli/sub/deep.go", "package sub\n\nimport \"github.com/uptrace/bun\"\n\nvar _ bun.IDB\n")
	write("cli/plain.go", "package cli\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n")
	write("cli/new_test.go", "package cli\n\nimport \"github.com/uptrace/bun\"\n\nvar _ bun.IDB\n")
	write("db/q.go", "package db\n\nimport \"github.com/uptrace/bun\"\n\nvar _ bun.IDB\n")
	got := bunImports(t, root, []string{"cli"})
	want := []string{
		"cli/new.go imports github.com/uptrace/bun/dialect/pgdialect: move the query into a service of app (or a helper of db) and call that",
		"cli/sub/deep.go imports github.com/uptrace/bun: move the query into a service of app (or a helper of db) and call that",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// bunImports returns the problems of the bun check of dirs under root.
func bunImports(t *testing.T, root string, dirs []string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			for _, imp := range f.Imports {
				p, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					return err
				}
				if matches("github.com/uptrace/bun/...", p, false) {
					out = append(out, rel+" imports "+p+": move the query into a service of app (or a helper of db) and call that")
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", dir, err)
		}
	}
	slices.Sort(out)
	return out
}
