package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLoginNeverRedirectsToAnotherHost pins down the target after login:
// whatever "weiter" says, the browser ends up on a path of this site, also
// after http.Redirect has cleaned the path (which turned "/a/../\evil" into
// "/\evil", a path browsers read as the host "evil").
func TestLoginNeverRedirectsToAnotherHost(t *testing.T) {
	cases := []struct {
		name, next, want string
	}{
		{"empty", "", "/"},
		{"plain path", "/buchungen", "/buchungen"},
		{"path with query", "/angebote?q=excel", "/angebote?q=excel"},
		{"dot segments stay local", "/a/b/../c", "/a/c"},
		{"dot-dot to backslash host", `/a/../\evil.example`, "/"},
		{"dot-dot to doubled slash stays local", "/a/..//evil.example", "/evil.example"},
		{"dot to doubled slash stays local", "/.//evil.example", "/evil.example"},
		{"protocol-relative", "//evil.example", "/"},
		{"backslash host", `/\evil.example`, "/"},
		{"backslash later", `/ok\..\\evil.example`, "/"},
		{"absolute URL", "https://evil.example/", "/"},
		{"scheme without slashes", "javascript:alert(1)", "/"},
		{"relative path", "evil.example", "/"},
		{"tab in host position", "/\t/evil.example", "/"},
		{"newline", "/a\n/b", "/"},
		{"encoded backslash is only a path", "/%5Cevil.example", "/%5Cevil.example"},
		{"dot-dot above root", "/../../evil.example", "/evil.example"},
		{"fragment dropped", "/konto#x", "/konto"},
		{"trailing slash kept", "/admin/", "/admin/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := safeNext(c.next); got != c.want {
				t.Errorf("safeNext(%q) = %q, want %q", c.next, got, c.want)
			}
		})
	}

	// And through the real login: the Location header is local.
	e := newTestEnv(t, "sqlite")
	for _, next := range []string{`/a/../\evil.example`, "/a/..//evil.example", `/\evil.example`} {
		c := e.client()
		res := c.postForm("/anmelden", url.Values{"email": {"lilly@futurehausen.example"}, "password": {testPassword}, "weiter": {next}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with weiter=%q: status %d", next, res.StatusCode)
		}
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, `\`) {
			t.Errorf("weiter=%q: Location %q leaves the site", next, loc)
		}
	}
}
