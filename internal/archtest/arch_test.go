package archtest

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lotse-oss/lotse"

// pkg is what go list says about one package.
type pkg struct {
	ImportPath string
	Dir        string
	Imports    []string
	Deps       []string
	GoFiles    []string
}

// listPackages runs go list over the module's packages (without tests: test
// files may wire real databases).
func listPackages(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", module+"/...")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// rule forbids packages matching From to import (directly, or anywhere in
// their dependencies when Deep) any package with one of the prefixes in To.
type rule struct {
	Name string
	From func(path string) bool
	To   []string
	Deep bool
}

func under(prefix string) func(string) bool {
	return func(p string) bool { return p == module+"/"+prefix || strings.HasPrefix(p, module+"/"+prefix+"/") }
}

var rules = []rule{
	{Name: "web does not import store", From: under("internal/web"),
		To: []string{module + "/internal/store"}},
	{Name: "store does no signing, minting, rendering or deciding", From: under("internal/store"),
		To: []string{module + "/internal/credentials", module + "/internal/contracts", module + "/internal/pdf",
			module + "/internal/authz", module + "/internal/notify", "net/http"}},
	{Name: "domain does no I/O", From: under("internal/domain"), Deep: true,
		To: []string{"database/sql", "net/http", "os/exec", module + "/internal/store", "github.com/jackc", "modernc.org/sqlite"}},
	{Name: "authz is a pure policy", From: under("internal/authz"), Deep: true,
		To: []string{"database/sql", "net/http", module + "/internal/store"}},
	{Name: "services do not speak HTTP", From: func(p string) bool {
		for _, s := range services {
			if under("internal/" + s)(p) {
				return true
			}
		}
		return false
	}, To: []string{"net/http", module + "/internal/web"}},
	// settlement documents (issue 10): pure renderers of domain values
	{Name: "claim documents do no I/O", From: func(p string) bool {
		return under("internal/sheet")(p) || under("internal/einvoice")(p) && !under("internal/einvoice/einvoicetest")(p) || under("internal/claimdocs")(p)
	}, Deep: true, To: []string{"database/sql", "os/exec", module + "/internal/store", module + "/internal/web", module + "/internal/authz"}},
}

// services are the feature services.
var services = []string{"account", "funding", "catalog", "booking", "certify", "notify", "jobs", "desk", "settlement",
	"legal", // legal pages and barrier reports
	// reports: the programme report
	"reports",
}

// violations returns "from -> to" for every import that breaks r.
func violations(r rule, pkgs map[string]pkg) []string {
	var out []string
	for path, p := range pkgs {
		if !r.From(path) {
			continue
		}
		imports := p.Imports
		if r.Deep {
			imports = p.Deps
		}
		for _, imp := range imports {
			for _, bad := range r.To {
				if imp == bad || strings.HasPrefix(imp, bad+"/") {
					out = append(out, path+" -> "+imp)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	// go list -json leaves Deps of module packages to a second call; fill
	// them for the deep rules.
	deep := listDeps(t)
	for path, deps := range deep {
		p := pkgs[path]
		p.Deps = deps
		pkgs[path] = p
	}
	for _, r := range rules {
		t.Run(r.Name, func(t *testing.T) {
			for _, v := range violations(r, pkgs) {
				t.Errorf("forbidden import: %s", v)
			}
		})
	}
}

// listDeps returns each module package's transitive dependencies.
func listDeps(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, module+"/...")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list deps: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		m[f[0]] = f[1:]
	}
	return m
}

// TestRulesCatchForbiddenImports shows that the rules bite: a fixture graph
// in which web imports store, store imports credentials and domain reaches
// database/sql breaks exactly those rules.
func TestRulesCatchForbiddenImports(t *testing.T) {
	fixture := map[string]pkg{
		module + "/internal/web":     {Imports: []string{module + "/internal/store", module + "/internal/app"}},
		module + "/internal/web/api": {Imports: []string{module + "/internal/booking"}},
		module + "/internal/store":   {Imports: []string{module + "/internal/credentials", module + "/internal/domain"}},
		module + "/internal/domain":  {Deps: []string{"fmt", "database/sql"}},
		module + "/internal/booking": {Imports: []string{module + "/internal/store", "net/http"}},
		module + "/internal/authz":   {Deps: []string{module + "/internal/domain"}},
	}
	want := map[string][]string{
		"web does not import store":                             {module + "/internal/web -> " + module + "/internal/store"},
		"store does no signing, minting, rendering or deciding": {module + "/internal/store -> " + module + "/internal/credentials"},
		"domain does no I/O":                                    {module + "/internal/domain -> database/sql"},
		"authz is a pure policy":                                nil,
		"services do not speak HTTP":                            {module + "/internal/booking -> net/http"},
	}
	for _, r := range rules {
		got := violations(r, fixture)
		if !slices.Equal(got, want[r.Name]) {
			t.Errorf("%s: got %q, want %q", r.Name, got, want[r.Name])
		}
	}
}

// sourceFiles returns the non-test Go files of the packages matching from.
func sourceFiles(t *testing.T, pkgs map[string]pkg, from func(string) bool) []string {
	var out []string
	for path, p := range pkgs {
		if !from(path) {
			continue
		}
		for _, f := range p.GoFiles {
			out = append(out, filepath.Join(p.Dir, f))
		}
	}
	slices.Sort(out)
	return out
}

// roleCheck matches code that decides on roles by itself.
var roleCheck = regexp.MustCompile(`\.HasRole\(|\.MemberOf\(|authz\.IsAdmin\(|\.Has\(domain\.Role`)

// TestRoleChecksOnlyInAuthz: nothing outside authz (and the domain types it
// uses) looks at roles to decide.
func TestRoleChecksOnlyInAuthz(t *testing.T) {
	pkgs := listPackages(t)
	files := sourceFiles(t, pkgs, func(p string) bool {
		return strings.HasPrefix(p, module+"/") && !under("internal/authz")(p) && !under("internal/domain")(p) &&
			!under("internal/archtest")(p)
	})
	for _, f := range files {
		for _, hit := range grepFile(t, f, roleCheck) {
			t.Errorf("role check outside authz: %s", hit)
		}
	}
}

// germanProse matches string literals a person would read in German (a
// phrase: the literal has a space, so single letters being folded do not
// count).
var germanProse = regexp.MustCompile(`[äöüÄÖÜß]|\b(Bitte|bitte|nicht|Sie|Ihr|Ihre|gibt|Diese[rsnm]?|Guten)\b`)

// TestNoGermanProseInStore: store speaks SQL; the words people read live in
// domain (errors), notify (mails) and the templates.
func TestNoGermanProseInStore(t *testing.T) {
	pkgs := listPackages(t)
	for _, f := range sourceFiles(t, pkgs, under("internal/store")) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			if strings.Contains(s, " ") && germanProse.MatchString(s) {
				t.Errorf("German prose in store: %s: %q", fset.Position(lit.Pos()), truncate(s))
			}
			return true
		})
	}
}

// TestWebDoesNotRefreshTheCatalog: refreshing the search index is the
// catalog service's and the jobs' business.
func TestWebDoesNotRefreshTheCatalog(t *testing.T) {
	pkgs := listPackages(t)
	re := regexp.MustCompile(`refreshCatalog|\.Refresh\(`)
	for _, f := range sourceFiles(t, pkgs, under("internal/web")) {
		for _, hit := range grepFile(t, f, re) {
			t.Errorf("catalog refresh in web: %s", hit)
		}
	}
}

func grepFile(t *testing.T, path string, re *regexp.Regexp) []string {
	t.Helper()
	src, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "//") {
			continue
		}
		if re.MatchString(line) {
			out = append(out, relative(path)+":"+strconv.Itoa(i+1)+": "+trimmed)
		}
	}
	return out
}

func relative(path string) string {
	if i := strings.Index(path, "/internal/"); i >= 0 {
		return path[i+1:]
	}
	return path
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// TestEInvoiceIsALeaf keeps the e-invoice writer free of the platform and of
// third-party code: it imports the standard library only.
func TestEInvoiceIsALeaf(t *testing.T) {
	p, ok := listPackages(t)[module+"/internal/einvoice"]
	if !ok {
		t.Fatal("internal/einvoice not found")
	}
	for _, imp := range p.Imports {
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
			t.Errorf("internal/einvoice imports %s", imp)
		}
	}
}
