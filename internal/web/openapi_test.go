package web

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
)

// The tests in this file keep openapi.json and the API routes in step: every
// route the server registers under /api/ is documented, and every documented
// operation is a registered route.

// oasMethods are the keys of an OpenAPI path item that are operations.
var oasMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// apiCatchAll is the pattern that answers unknown API paths with a JSON 404;
// it is no operation.
const apiCatchAll = "/api/"

func oasLoad(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// oasOperation is one documented operation: "GET /api/v1/me".
type oasOperation struct {
	method, path string
	op           map[string]any
	item         map[string]any // its path item, for path-level parameters
}

func (o oasOperation) String() string { return o.method + " " + o.path }

func oasOperations(t *testing.T, doc map[string]any) []oasOperation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok || len(paths) == 0 {
		t.Fatal("openapi.json has no paths")
	}
	var ops []oasOperation
	for path, v := range paths {
		item, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("path %s is not an object", path)
		}
		for _, m := range oasMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops = append(ops, oasOperation{method: strings.ToUpper(m), path: path, op: op, item: item})
			}
		}
	}
	slices.SortFunc(ops, func(a, b oasOperation) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

// apiRoute is an API route pattern of the server, split into its parts.
type apiRoute struct {
	method, path string
}

func (r apiRoute) String() string { return r.method + " " + r.path }

// oasServer is the server as New builds it. New needs no database, and the
// only handler these tests call, handleOpenAPI, uses none.
func oasServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(app.New(nil, "http://lotse.test", nil), Config{BaseURL: "http://lotse.test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// registeredAPIRoutes returns the server's routes under /api/ from the
// patterns it registered, less the catch-all.
func registeredAPIRoutes(t *testing.T) []apiRoute {
	t.Helper()
	var routes []apiRoute
	for _, pattern := range oasServer(t).patterns {
		method, path, hasMethod := strings.Cut(pattern, " ")
		if !hasMethod {
			method, path = "", pattern
		}
		if !strings.HasPrefix(path, "/api/") || pattern == apiCatchAll {
			continue
		}
		if method == "" {
			t.Errorf("API route %q has no method; every API route must name one", pattern)
			continue
		}
		routes = append(routes, apiRoute{method: method, path: path})
	}
	if len(routes) == 0 {
		t.Fatal("the server registers no API routes")
	}
	return routes
}

var oasWildcard = regexp.MustCompile(`\{([^}]*)\}`)

func TestOpenAPIIsVersion31WithInfo(t *testing.T) {
	doc := oasLoad(t)
	v, _ := doc["openapi"].(string)
	if !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	for _, k := range []string{"title", "version", "description"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is missing", k)
		}
	}
	if lic, _ := info["license"].(map[string]any); lic["identifier"] != "EUPL-1.2" {
		t.Errorf("info.license = %v, want identifier EUPL-1.2", info["license"])
	}
	schemes, _ := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	for _, name := range []string{"bearer", "session"} {
		if schemes[name] == nil {
			t.Errorf("security scheme %q is missing", name)
		}
	}
	if c, _ := schemes["session"].(map[string]any); c["in"] != "cookie" || c["name"] != sessionCookie {
		t.Errorf("security scheme session = %v, want the cookie %s", c, sessionCookie)
	}
}

func TestOpenAPIIsFormattedWithTwoSpaceIndent(t *testing.T) {
	var want bytes.Buffer
	if err := json.Indent(&want, openapiJSON, "", "  "); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimRight(openapiJSON, "\n"), bytes.TrimRight(want.Bytes(), "\n")) {
		t.Error("openapi.json is not formatted with a 2-space indent; reformat it, e.g. with `jq --indent 2 .`")
	}
}

func TestOpenAPIOperationsHaveUniqueIDsAndResponses(t *testing.T) {
	doc := oasLoad(t)
	seen := map[string]string{}
	for _, o := range oasOperations(t, doc) {
		id, _ := o.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", o)
		} else if prev, dup := seen[id]; dup {
			t.Errorf("operationId %q is used by %s and %s", id, prev, o)
		} else {
			seen[id] = o.String()
		}
		if s, _ := o.op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", o)
		}
		if tags, _ := o.op["tags"].([]any); len(tags) == 0 {
			t.Errorf("%s has no tags", o)
		}
		resp, _ := o.op["responses"].(map[string]any)
		if len(resp) == 0 {
			t.Errorf("%s has no responses", o)
		}
		success := false
		for code := range resp {
			if strings.HasPrefix(code, "2") {
				success = true
			}
		}
		if !success {
			t.Errorf("%s documents no 2xx response", o)
		}
	}
}

func TestOpenAPIPathParametersMatchWildcards(t *testing.T) {
	doc := oasLoad(t)
	for _, o := range oasOperations(t, doc) {
		declared := map[string]bool{}
		for _, list := range []any{o.item["parameters"], o.op["parameters"]} {
			params, _ := list.([]any)
			for _, p := range params {
				pm, _ := oasResolve(doc, p).(map[string]any)
				if pm["in"] != "path" {
					continue
				}
				name, _ := pm["name"].(string)
				if pm["required"] != true {
					t.Errorf("%s: path parameter %q is not required", o, name)
				}
				declared[name] = true
			}
		}
		for _, m := range oasWildcard.FindAllStringSubmatch(o.path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %q is not declared", o, m[1])
			}
			delete(declared, m[1])
		}
		for name := range declared {
			t.Errorf("%s: declares path parameter %q that is not in the path", o, name)
		}
	}
}

// oasResolve follows a local $ref; other values are returned as they are.
func oasResolve(doc map[string]any, v any) any {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		target, err := oasPointer(doc, ref)
		if err != nil {
			return nil
		}
		v = target
	}
	return nil
}

// oasPointer resolves a reference of the form "#/a/b" inside doc.
func oasPointer(doc map[string]any, ref string) (any, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, errOASNotLocal
	}
	var cur any = doc
	if frag == "" {
		return cur, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, errOASBadPointer
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, errOASMissing
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, errOASMissing
			}
			cur = c[i]
		default:
			return nil, errOASMissing
		}
	}
	return cur, nil
}

type oasRefError string

func (e oasRefError) Error() string { return string(e) }

const (
	errOASNotLocal   = oasRefError("not a reference inside the document")
	errOASBadPointer = oasRefError("not a JSON pointer")
	errOASMissing    = oasRefError("points to nothing")
)

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := oasLoad(t)
	var walk func(where string, v any)
	n := 0
	walk = func(where string, v any) {
		switch c := v.(type) {
		case map[string]any:
			if ref, ok := c["$ref"].(string); ok {
				n++
				if _, err := oasPointer(doc, ref); err != nil {
					t.Errorf("%s: $ref %q %v", where, ref, err)
				}
			}
			for k, e := range c {
				walk(where+"/"+k, e)
			}
		case []any:
			for i, e := range c {
				walk(where+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Error("found no $ref at all; the walk is broken")
	}
}

func TestOpenAPIDocumentsEveryAPIRoute(t *testing.T) {
	doc := oasLoad(t)
	documented := map[string]bool{}
	for _, o := range oasOperations(t, doc) {
		documented[o.String()] = true
	}
	for _, r := range registeredAPIRoutes(t) {
		if !documented[r.String()] {
			t.Errorf("route %s is not documented in openapi.json", r)
		}
	}
}

// TestOpenAPIHasNoUndocumentedOperations: the document describes no
// operation that the server does not have.
func TestOpenAPIHasNoUndocumentedOperations(t *testing.T) {
	doc := oasLoad(t)
	routes := map[string]bool{}
	for _, r := range registeredAPIRoutes(t) {
		routes[r.String()] = true
	}
	for _, o := range oasOperations(t, doc) {
		if !routes[o.String()] {
			t.Errorf("openapi.json documents %s, but the server has no such route", o)
		}
	}
}

func TestOpenAPIIsServedAtItsDocumentedPath(t *testing.T) {
	rec := httptest.NewRecorder()
	oasServer(t).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), openapiJSON) {
		t.Error("the served document differs from openapi.json")
	}
}
