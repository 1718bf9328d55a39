package browsertest

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/walktest"
)

// EnvWalk switches on TestAxeOnEveryPageOfEveryRole: it takes about 18
// minutes on two cores, too long for every run of the suite.
const EnvWalk = "LOTSE_BROWSER_WALK"

// TestAxeOnEveryPageOfEveryRole logs in as every demo account in Chromium
// and opens every page it can reach from the start page by links (two
// variants of a path's query at most, 250 pages a person), at 1280 and at
// 320 px. It fails on an axe violation, on a page wider than the window
// and on an error page. The dedicated browser tests check chosen pages in
// their stories; this one checks the pages nobody chose.
//
//	LOTSE_BROWSER_WALK=1 go test ./internal/browsertest -run AxeOnEveryPage -timeout 30m
func TestAxeOnEveryPageOfEveryRole(t *testing.T) {
	if os.Getenv(EnvWalk) == "" {
		t.Skip("set " + EnvWalk + "=1 to walk every page of every role in the browser (about 18 minutes)")
	}
	logins := walktest.Logins()
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		srv, _ := storyServer(t, true, width, 30*time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		found := map[string][]string{}
		note := func(what, where string) { found[what] = append(found[what], where) }
		for _, l := range logins {
			b := newBrowser(t, ctx)
			if width == reflowWidth {
				narrow(t, b)
			}
			login(t, b, srv.url, l.Email, l.Name)
			n := walkBrowser(t, b, srv.url, axeJS, func(what, path string) { note(what, l.Email+" "+path) })
			t.Logf("%s: %d pages", l.Email, n)
		}
		keys := make([]string, 0, len(found))
		for k := range found {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			where := found[k]
			if len(where) > 5 {
				where = append(where[:5], fmt.Sprintf("and %d more", len(found[k])-5))
			}
			t.Errorf("%s\n\t%s", k, strings.Join(where, "\n\t"))
		}
	})
}

// walkBrowser opens every page reachable by links from the start page in
// the tab and reports what it finds; it returns how many pages it opened.
func walkBrowser(t *testing.T, b context.Context, base, axeJS string, report func(what, path string)) int {
	t.Helper()
	q := walktest.New("/")
	n := 0
	for n < 250 {
		p, _, _, ok := q.Next()
		if !ok {
			break
		}
		n++
		if _, err := chromedp.Run(b, chromedp.Navigate(base+p)); err != nil {
			report("navigation failed: "+err.Error(), p)
			continue
		}
		if eval[string](t, b, "document.contentType") != "text/html" {
			continue
		}
		for _, v := range runAxe(t, b, axeJS).Violations {
			target := ""
			if len(v.Nodes) > 0 {
				target = string(v.Nodes[0].Target) + " " + abbrev(v.Nodes[0].HTML)
			}
			report(fmt.Sprintf("axe %s (%s): %s: %s", v.ID, v.Impact, v.Help, target), p)
		}
		if sw, w := eval[int](t, b, "document.documentElement.scrollWidth"), eval[int](t, b, "window.innerWidth"); sw > w {
			report(fmt.Sprintf("the page is %d px wide in a window of %d px", sw, w), p)
		}
		if title := eval[string](t, b, "document.title"); strings.HasPrefix(title, "Fehler") || strings.Contains(title, "nicht gefunden") {
			report("error page: "+title, p)
		}
		for _, h := range eval[[]string](t, b, `[...document.querySelectorAll('a[href^="/"]')].map(a => a.getAttribute('href'))`) {
			q.Add(h, p)
		}
	}
	return n
}
