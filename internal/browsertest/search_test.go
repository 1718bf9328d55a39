package browsertest

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestGermanSearchInTheBrowser types what a municipal employee means in
// other words than the offers use: a compound whose parts the offer has, a
// synonym, an English query and a query with a word no offer has, in
// windows 1280 and 320 CSS pixels wide. Each result page passes axe-core
// and fits the window, and is saved as a screenshot.
func TestGermanSearchInTheBrowser(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	for _, width := range []int{1280, reflowWidth} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := testContext(t)
			b := newBrowser(t, ctx)
			if width == reflowWidth {
				narrow(t, b)
			}
			check, _ := pageChecks(t, string(axeJS), width)
			search := func(query string) (catalogStatus, []resultLink) {
				t.Helper()
				navigate(t, b, srv.url+"/angebote", 200)
				do(t, b, "type "+query, chromedp.SendKeys(chromedp.CSS("#f-q"), query))
				clickButton(t, b, "Suchen")
				wantPath(t, b, "/angebote")
				return searchStatus(t, b), resultLinks(t, b)
			}
			first := func(query, want string, n int) {
				t.Helper()
				st, res := search(query)
				if st.Total == 0 || !slices.ContainsFunc(res[:min(n, len(res))], func(r resultLink) bool { return strings.Contains(r.Title, want) }) {
					t.Errorf("%q: %q is not among the first %d results: %+v (%s)", query, want, n, res, st.Text)
				}
			}

			// A compound the offers do not use: its parts find the offer.
			first("Datenschutzgrundlagen", "Datenschutz im Rathaus", 2)
			check(b, "suche-kompositum")
			// A synonym: the offer says Bürgerservice.
			first("Bürgerbüro", "Bürgerservice digital", 1)
			check(b, "suche-synonym")
			// An abbreviation.
			first("ISB", "Informationssicherheitsbeauftragte", 1)
			// English.
			st, res := search("information security")
			if st.Total == 0 || !slices.ContainsFunc(res[:min(3, len(res))], func(r resultLink) bool { return strings.Contains(r.Title, "Informationssicherheit") }) {
				t.Errorf("information security: no offer on Informationssicherheit among the first three: %+v (%s)", res, st.Text)
			}
			check(b, "suche-englisch")

			// A word nowhere: the offers with the other word, marked.
			st, res = search("Datenschutz Friedhofsgärtnerei")
			if !strings.Contains(st.Text, "einen Teil der Suchbegriffe") || len(res) == 0 {
				t.Errorf("Datenschutz Friedhofsgärtnerei: the status line %q does not say that the offers match only part of the words", st.Text)
			}
			if h := eval[string](t, b, `(document.querySelector('#teiltreffer') || {innerText: ''}).innerText`); h != "Treffer mit einem Teil Ihrer Suchbegriffe" {
				t.Errorf("Datenschutz Friedhofsgärtnerei: the partial matches have no heading, got %q", h)
			}
			check(b, "suche-teiltreffer")

			// Nothing at all: said so, with the related word that has hits.
			st, _ = search("Friedhofsverwaltung")
			if st.Total != 0 {
				t.Errorf("Friedhofsverwaltung finds %d offers, want none: %s", st.Total, st.Text)
			}
			rel := eval[[]string](t, b, `[...document.querySelectorAll('main .related-terms a')].map(a => a.getAttribute('href'))`)
			if !slices.ContainsFunc(rel, func(h string) bool {
				u, err := url.Parse(h)
				return err == nil && strings.EqualFold(u.Query().Get("q"), "verwaltung")
			}) {
				t.Errorf("Friedhofsverwaltung: no link to the related word Verwaltung: %q", rel)
			}
			check(b, "suche-nichts-gefunden")
		})
	}
}
