package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var oasParamRE = regexp.MustCompile(`\{[^}]+\}`)

// TestNoAPIInputAnswersAnInternalError sends every documented operation
// hostile path parameters, queries and bodies (broken JSON, wrong types,
// huge strings, IDs that do not exist or are no numbers) as three kinds of
// people, on the demo's story, and fails on an answer of 500 or more, on
// an error that is not JSON, and on an error message that leaks an
// internal one. Found: lifting a suspension that does not exist (500).
func TestNoAPIInputAnswersAnInternalError(t *testing.T) {
	if testing.Short() {
		t.Skip("sends thousands of requests")
	}
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		doc := oasLoad(t)
		schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
		ops := oasOperations(t, doc)
		huge := `"` + strings.Repeat("ü", 5000) + `"`
		sent := 0
		for _, who := range []string{"anna@futurehausen.example", "pruefung@staedtetag-bw.example", "admin@lotse.example"} {
			c := e.apiAs(who)
			for _, op := range ops {
				if strings.Contains(op.path, "/auth/") || strings.Contains(op.path, "/me/tokens") || (op.method == "DELETE" && strings.HasSuffix(op.path, "/me")) {
					continue // would end the client's own access
				}
				fields := requestFields(op.op, schemas)
				var bodies []string
				if op.method == "GET" || op.method == "DELETE" {
					bodies = []string{""}
				} else {
					bodies = []string{"", "{", "[]", "null", "{}"}
					for _, v := range []string{"null", "-1", "[1]", `{"a":1}`, huge, `"2026-13-45T99:00:00Z"`, "99999999999999999999"} {
						var parts []string
						for _, f := range fields {
							parts = append(parts, fmt.Sprintf("%q:%s", f, v))
						}
						bodies = append(bodies, "{"+strings.Join(parts, ",")+"}")
					}
				}
				for _, id := range []string{"1", "999999999", "abc", "-1"} {
					path := oasParamRE.ReplaceAllString(op.path, id)
					if op.method == "GET" {
						path += "?limit=-5&cursor=%ZZ&q=" + strings.Repeat("x", 600) + "&status=unbekannt&from=2026-99-99"
					}
					for _, body := range bodies {
						sent++
						res, out := c.json(op.method, path, body)
						switch {
						case res.StatusCode >= 500:
							t.Errorf("%s: %s %s with %.60q answers %d: %.200s", who, op.method, path, body, res.StatusCode, out)
						case res.StatusCode >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") &&
							!strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json"):
							t.Errorf("%s: %s %s answers %d as %q, not JSON", who, op.method, path, res.StatusCode, res.Header.Get("Content-Type"))
						case res.StatusCode >= 400 && leaksInternals(out):
							t.Errorf("%s: %s %s with %.60q: the error leaks an internal message: %.200s", who, op.method, path, body, out)
						}
						if res.StatusCode == http.StatusTooManyRequests {
							break
						}
					}
					if !strings.Contains(op.path, "{") {
						break
					}
				}
			}
		}
		t.Logf("%d requests", sent)
	})
}

// requestFields are the top-level properties of an operation's JSON
// request body.
func requestFields(op map[string]any, schemas map[string]any) []string {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	sc, _ := js["schema"].(map[string]any)
	if ref, ok := sc["$ref"].(string); ok {
		sc, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	props, _ := sc["properties"].(map[string]any)
	var out []string
	for f := range props {
		out = append(out, f)
	}
	return out
}

// leaksInternals reports whether an error body shows what only the log
// should: SQL, Go or driver messages.
func leaksInternals(body string) bool {
	for _, w := range []string{"sql:", "SQLSTATE", "SQLITE", "pq:", "pgx", "runtime error", "goroutine", "invalid character", "json: cannot", "strconv.", "unexpected EOF", "<nil>"} {
		if strings.Contains(body, w) {
			return true
		}
	}
	return false
}
