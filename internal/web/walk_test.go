package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/walktest"
)

var (
	walkHrefRE  = regexp.MustCompile(`href="(/[^"#]*)`)
	walkFormRE  = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*action="(/[^"]*)"[^>]*>(.*?)</form>`)
	walkInputRE = regexp.MustCompile(`<(?:input|select|textarea)[^>]*name="([^"]*)"`)
)

// TestEveryLinkOfEveryRoleLeadsSomewhere walks the demo's story as a
// visitor and as every demo account: from the start page it follows every
// link of every page it reaches (two variants of a path's query at most)
// and fails on a link that answers an error (a dead end: a link to a form
// that wants a parameter the link lacks, to a page the person may not
// see) or a page that shows an internal error. Downloads and the API are
// left out; their own tests cover them.
func TestEveryLinkOfEveryRoleLeadsSomewhere(t *testing.T) {
	if testing.Short() {
		t.Skip("walks a few thousand pages")
	}
	forEachDB(t, func(t *testing.T, e *testEnv) { walkEveryRole(t, e) })
}

func walkEveryRole(t *testing.T, e *testEnv) {
	e.story()
	logins := walktest.Logins()
	walk := func(who string, c *client) (int, map[string][]string) {
		forms := map[string][]string{}
		q := walktest.New("/")
		pages := 0
		for pages < 400 {
			p, from, first, ok := q.Next()
			if !ok {
				break
			}
			pages++
			if first {
				// The path once with hostile query values: a German
				// message or the page, never an internal error.
				path, _, _ := strings.Cut(p, "?")
				res, body := c.get(path + "?" + hostileQuery)
				if res.StatusCode >= 500 || strings.Contains(body, "interner Fehler") {
					t.Errorf("%s: %s with a hostile query answers %d", who, path, res.StatusCode)
				}
			}
			res, body := c.get(p)
			if res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusFound {
				loc := res.Header.Get("Location")
				res, body = c.get(strings.TrimPrefix(loc, e.ts.URL))
				p += " → " + loc
			}
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answers %d (linked from %s)", who, p, res.StatusCode, from)
				continue
			}
			if strings.Contains(body, "interner Fehler") {
				t.Errorf("%s: %s shows an internal error (linked from %s)", who, p, from)
			}
			if !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, m := range walkFormRE.FindAllStringSubmatch(body, -1) {
				action := strings.ReplaceAll(m[1], "&amp;", "&")
				for _, in := range walkInputRE.FindAllStringSubmatch(m[2], -1) {
					forms[action] = append(forms[action], in[1])
				}
			}
			for _, m := range walkHrefRE.FindAllStringSubmatch(body, -1) {
				q.Add(m[1], p)
			}
		}
		return pages, forms
	}
	if n, _ := walk("a visitor", e.client()); n < 20 {
		t.Errorf("a visitor reached %d pages", n)
	}
	// Every role walks the story first; then each posts the forms it saw
	// (which changes the story).
	clients, forms := make([]*client, len(logins)), make([]map[string][]string, len(logins))
	for i, l := range logins {
		clients[i] = e.sessionFor(l.Email)
		var n int
		n, forms[i] = walk(l.Email, clients[i])
		if n < 40 {
			t.Errorf("%s reached %d pages", l.Email, n)
		}
		t.Logf("%s: %d pages, %d forms", l.Email, n, len(forms[i]))
	}
	for i, l := range logins {
		postHostile(t, l.Email, clients[i], forms[i])
	}
}

// hostileQuery sets the list parameters the pages read to values no form
// sends.
var hostileQuery = url.Values{"seite": {"-1"}, "nach": {"%ZZ"}, "vor": {"abc"}, "q": {strings.Repeat("ö", 600)}, "status": {"unbekannt"},
	"organisation": {"99999999999999999999"}, "von": {"2026-13-45"}, "bis": {"x"}, "limit": {"-5"}, "schritt": {"9"}, "track": {"<x>"}}.Encode()

var walkDigitsRE = regexp.MustCompile(`\d+`)

// postHostile posts one form of each kind with hostile values in all its fields (the
// session's CSRF token kept) and fails on an answer of 500 or more or a
// page that shows an internal error: wrong input gets a German message.
// Forms that end the session or the account are left out.
func postHostile(t *testing.T, who string, c *client, forms map[string][]string) {
	t.Helper()
	kinds := map[string]bool{} // one form of each kind: /x/{n}/y
	for action, fields := range forms {
		kind := walkDigitsRE.ReplaceAllString(action, "n")
		if kinds[kind] || strings.Contains(action, "abmelden") || strings.Contains(action, "loeschen") || strings.Contains(action, "/konto") {
			continue
		}
		kinds[kind] = true
		for _, v := range []string{"", "'\"<script>x</script>", strings.Repeat("ä", 3000), "99999999999999999999", "2026-13-45"} {
			form := url.Values{}
			for _, f := range fields {
				if f != "csrf_token" {
					form.Add(f, v)
				}
			}
			res, body := c.postFormBody(action, form)
			if res.StatusCode >= 500 || strings.Contains(body, "interner Fehler") {
				t.Errorf("%s: POST %s with %.40q answers %d", who, action, v, res.StatusCode)
			}
			if strings.Contains(body, "<script>x</script>") {
				t.Errorf("%s: POST %s shows the script unescaped", who, action)
			}
		}
	}
}
