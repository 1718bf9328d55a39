package browsertest

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// rawKeyRE matches a key of the data such as digitallotsen-bw/advanced,
// which a page must show by its label.
var rawKeyRE = regexp.MustCompile(`(^|[ ,])[a-z0-9-]+/[a-z_]+($|[ ,])`)

// catalogStatus is the status line of the search page: the number of results
// and the terms as the search understood them.
type catalogStatus struct {
	Text  string
	Total int
}

func searchStatus(t *testing.T, ctx context.Context) catalogStatus {
	t.Helper()
	st := eval[struct{ Text, Total string }](t, ctx, `(() => {
		const p = document.querySelector('main p[role="status"]');
		return p ? {Text: p.innerText.trim(), Total: (p.querySelector('strong') || {innerText: ''}).innerText} : {Text: '', Total: ''};
	})()`)
	n, err := strconv.Atoi(strings.NewReplacer(".", "", "\u00a0", "", " ", "").Replace(st.Total))
	if err != nil {
		t.Fatalf("the status line %q shows no number of results", st.Text)
	}
	return catalogStatus{Text: st.Text, Total: n}
}

// checkAligned reports an error unless the heading of the page starts where
// the header's content starts: the content keeps the margin of the layout.
func checkAligned(t *testing.T, ctx context.Context) {
	t.Helper()
	a := eval[struct {
		Path          string
		Brand, H1, Pd float64
	}](t, ctx, `(() => { const h = document.querySelector('main h1'), br = document.querySelector('header .brand'), m = document.querySelector('main');
		return {Path: location.pathname, Brand: br ? br.getBoundingClientRect().left : -1, H1: h ? h.getBoundingClientRect().left : -1,
			Pd: parseFloat(getComputedStyle(m).paddingTop)}; })()`)
	if a.H1 < 0 || a.Brand < 0 || a.H1 < a.Brand-1 || a.H1 > a.Brand+1 || a.Pd < 8 {
		t.Errorf("%s: the heading starts at x=%.0f, the header at x=%.0f, main has %.0fpx padding at the top: the content has lost the margins of the layout",
			a.Path, a.H1, a.Brand, a.Pd)
	}
}

// resultLink is the title link of a result card.
type resultLink struct{ Title, Path string }

func resultLinks(t *testing.T, ctx context.Context) []resultLink {
	t.Helper()
	return eval[[]resultLink](t, ctx, `[...document.querySelectorAll('main .results article h2 a')].map(a => ({Title: a.innerText.trim(), Path: a.pathname}))`)
}

// addToCompare clicks „Zum Vergleich hinzufügen“ on the offer page and checks
// that the page then offers to remove it and links to the comparison of n.
func addToCompare(t *testing.T, ctx context.Context, path string, n int) {
	t.Helper()
	clickButton(t, ctx, "Zum Vergleich hinzufügen")
	wantPath(t, ctx, path)
	txt := pageText(t, ctx)
	if !strings.Contains(txt, "Aus dem Vergleich entfernen") {
		t.Errorf("after adding %s to the comparison the page offers no „Aus dem Vergleich entfernen“:\n%s", path, abbrev(txt))
	}
	if want := "Vergleich ansehen (" + strconv.Itoa(n) + ")"; !strings.Contains(txt, want) {
		t.Errorf("after adding %s the page does not link %q:\n%s", path, want, abbrev(txt))
	}
}

// backToSearch goes back in the history of the tab until it shows the search
// page.
func backToSearch(t *testing.T, ctx context.Context) {
	t.Helper()
	for range 4 {
		if eval[string](t, ctx, "location.pathname") == "/angebote" {
			return
		}
		submit(t, ctx, "go back", chromedp.NavigateBack())
	}
	wantPath(t, ctx, "/angebote")
}

// compareColumns returns the addresses of the offers in the columns of the
// comparison table and the labels of the rows that are marked as different.
func compareColumns(t *testing.T, ctx context.Context) (offers, differ []string) {
	t.Helper()
	c := eval[struct{ Offers, Differ []string }](t, ctx, `(() => {
		const t = document.querySelector('main table.compare');
		if (!t) return {Offers: [], Differ: []};
		const head = [...t.tHead.rows[0].cells].slice(1);
		return {Offers: head.map(c => { const a = c.querySelector('a'); return a ? a.pathname : ''; }),
			Differ: [...t.tBodies[0].querySelectorAll('tr.differs')].map(r => r.cells[0].firstChild.textContent.trim())};
	})()`)
	return c.Offers, c.Differ
}

// TestCatalogSearchFilterCompare walks through the catalogue as an anonymous
// visitor: a search with a typo that the catalogue corrects, a facet filter,
// three offers added to the comparison, and the comparison, which the cookie
// keeps across a reload. Search results, an offer page and the comparison
// are checked with axe-core.
func TestCatalogSearchFilterCompare(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	ctx := testContext(t)
	b := newBrowser(t, ctx)

	// The visitor comes to the start page and follows the link Angebote.
	navigate(t, b, srv.url+"/", 200)
	if strings.Contains(pageText(t, b), "Angemeldet als") {
		t.Fatal("the new browser is logged in")
	}
	submit(t, b, "follow the link Angebote",
		chromedp.Click(`//header//a[normalize-space()="Angebote"]`))
	wantPath(t, b, "/angebote")
	all := searchStatus(t, b)
	if all.Total < 50 {
		t.Errorf("the catalogue shows %d offers without a search, want the demo's 65 or so: %q", all.Total, all.Text)
	}

	// A search with a typo finds the offers on Projektmanagement.
	do(t, b, "type Projektmanagment into the search field",
		chromedp.SendKeys(chromedp.CSS("#f-q"), "Projektmanagment"))
	clickButton(t, b, "Suchen")
	wantPath(t, b, "/angebote")
	if q := eval[string](t, b, "new URLSearchParams(location.search).get('q') || ''"); q != "Projektmanagment" {
		t.Errorf("after the search the address has q=%q, want the typed Projektmanagment", q)
	}
	// The search shows the terms as it understood them, in lower case, and
	// says that it corrected the typed word.
	searched := searchStatus(t, b)
	if low := strings.ToLower(searched.Text); !strings.Contains(low, "für „projektmanagement“") || !strings.Contains(low, "korrigiert aus „projektmanagment“") {
		t.Errorf("the status line %q does not show the corrected term „Projektmanagement“ and the correction", searched.Text)
	}
	results := resultLinks(t, b)
	if searched.Total == 0 || len(results) == 0 {
		t.Fatalf("the search for Projektmanagment finds nothing:\n%s", abbrev(pageText(t, b)))
	}
	if !slices.ContainsFunc(results, func(r resultLink) bool { return strings.Contains(r.Title, "Projektmanagement") }) {
		t.Errorf("no result has Projektmanagement in its title: %+v", results)
	}
	checkAligned(t, b)
	screenshot(t, b, "1-suche-tippfehler")

	// The visitor narrows the results with a facet of Format.
	type facet struct {
		Label, Href string
		Count       int
	}
	formats := eval[[]facet](t, b, `(() => {
		const d = [...document.querySelectorAll('aside.facets details')].find(d => d.querySelector('summary').innerText.trim() === 'Format');
		if (!d) return [];
		return [...d.querySelectorAll('li')].map(li => { const a = li.querySelector('a'), s = li.querySelector('span');
			return {Label: a.innerText.trim(), Href: a.getAttribute('href'), Count: parseInt((s ? s.innerText : '').replace(/\D/g, ''), 10) || 0}; });
	})()`)
	if len(formats) == 0 {
		t.Fatalf("the facets have no group Format:\n%s", abbrev(pageText(t, b)))
	}
	chosen := formats[0]
	for _, f := range formats {
		if f.Label == "Präsenz" && f.Count >= 3 {
			chosen = f
		}
	}
	if chosen.Count > searched.Total {
		t.Errorf("facet %s shows %d offers, more than the %d results", chosen.Label, chosen.Count, searched.Total)
	}
	submit(t, b, "click the facet "+chosen.Label,
		chromedp.Click(`//aside[contains(@class, "facets")]//details[summary[normalize-space()="Format"]]//a[normalize-space()="`+chosen.Label+`"]`))
	searchURL := eval[string](t, b, "location.href")
	if !strings.Contains(searchURL, "format=") || !strings.Contains(searchURL, "q=Projektmanagment") {
		t.Errorf("after the facet %s the address is %s, want q and format=", chosen.Label, searchURL)
	}
	filtered := searchStatus(t, b)
	if filtered.Total != chosen.Count {
		t.Errorf("the facet %s promised %d offers, the status line says %q", chosen.Label, chosen.Count, filtered.Text)
	}
	results = resultLinks(t, b)
	if n := min(filtered.Total, 20); len(results) < min(n, 3) {
		t.Errorf("the filtered page shows %d result cards for %d results", len(results), filtered.Total)
	}
	if active := eval[string](t, b, `(document.querySelector('main .active-filters') || {innerText: ''}).innerText`); !strings.Contains(active, "Format: "+chosen.Label) {
		t.Errorf("the active filters %q do not name Format: %s", active, chosen.Label)
	}
	screenshot(t, b, "2-facette-format")
	if len(results) < 3 {
		// Too few to compare three: take them from the search without the facet.
		t.Logf("facet %s leaves %d results; the comparison takes offers from the whole catalogue", chosen.Label, len(results))
		navigate(t, b, srv.url+"/angebote", 200)
		searchURL = eval[string](t, b, "location.href")
		results = resultLinks(t, b)
		if len(results) < 3 {
			t.Fatalf("the catalogue shows %d results, too few to compare three", len(results))
		}
	}

	// The first result: its page, its JSON-LD, into the comparison.
	submit(t, b, "open the first result", chromedp.Click(`(//main//*[contains(@class, "results")]//article//h2/a)[1]`))
	wantPath(t, b, results[0].Path)
	if h2 := eval[string](t, b, `(document.getElementById('eckdaten') || {innerText: ''}).innerText.trim()`); h2 != "Eckdaten" {
		t.Errorf("the offer page %s has no section Eckdaten:\n%s", results[0].Path, abbrev(pageText(t, b)))
	}
	type jsonLD struct {
		Type, Name, Err string
	}
	ld := eval[jsonLD](t, b, `(() => {
		const s = document.querySelector('script[type="application/ld+json"]');
		if (!s) return {Type: '', Name: '', Err: 'no script'};
		try { const d = JSON.parse(s.textContent); return {Type: String(d['@type']), Name: String(d.name), Err: ''}; }
		catch (e) { return {Type: '', Name: '', Err: String(e)}; }
	})()`)
	h1 := eval[string](t, b, "document.querySelector('h1').innerText.trim()")
	if ld.Err != "" || ld.Type != "Course" || ld.Name != h1 {
		t.Errorf("JSON-LD of %s: %+v, want @type Course named %q", results[0].Path, ld, h1)
	}
	checkAligned(t, b)
	axeCheck(t, b, string(axeJS), "angebot")
	addToCompare(t, b, results[0].Path, 1)
	screenshot(t, b, "3-angebot")

	// Two more offers from the same search.
	for i := 1; i <= 2; i++ {
		backToSearch(t, b)
		if got := eval[string](t, b, "location.href"); got != searchURL {
			t.Errorf("back on the search the address is %s, want %s", got, searchURL)
		}
		submit(t, b, "open result "+strconv.Itoa(i+1),
			chromedp.Click(`(//main//*[contains(@class, "results")]//article//h2/a)[`+strconv.Itoa(i+1)+`]`))
		wantPath(t, b, results[i].Path)
		addToCompare(t, b, results[i].Path, i+1)
	}

	// The comparison of the three.
	submit(t, b, "follow the link Vergleich ansehen (3)",
		chromedp.Click(`//main//a[normalize-space()="Vergleich ansehen (3)"]`))
	wantPath(t, b, "/vergleich")
	want := []string{results[0].Path, results[1].Path, results[2].Path}
	checkCompare := func(when string) {
		t.Helper()
		offers, differ := compareColumns(t, b)
		if len(offers) != 3 {
			t.Fatalf("%s the comparison has %d offer columns, want 3: %q\n%s", when, len(offers), offers, abbrev(pageText(t, b)))
		}
		for _, p := range want {
			if !slices.Contains(offers, p) {
				t.Errorf("%s the comparison %q lacks %s", when, offers, p)
			}
		}
		if len(differ) == 0 {
			t.Errorf("%s no row of the comparison is marked as different (tr.differs)", when)
		}
		t.Logf("%s the comparison marks as different: %s", when, strings.Join(differ, ", "))
	}
	checkCompare("")
	checkAligned(t, b)
	// The values are labels, not the keys of the data.
	for _, c := range eval[[]string](t, b, `[...document.querySelectorAll('main table.compare tbody td')].map(c => c.innerText.trim())`) {
		if rawKeyRE.MatchString(c) {
			t.Errorf("the comparison shows the key %q instead of its label", c)
		}
	}
	screenshot(t, b, "4-vergleich")
	axeCheck(t, b, string(axeJS), "vergleich")

	// The cookie keeps the list across a reload.
	submit(t, b, "reload the comparison", chromedp.Reload())
	wantPath(t, b, "/vergleich")
	checkCompare("after a reload")

	// The search results for Datenschutz pass axe as well.
	navigate(t, b, srv.url+"/angebote?q=Datenschutz", 200)
	if st := searchStatus(t, b); st.Total == 0 {
		t.Errorf("the search for Datenschutz finds nothing: %q", st.Text)
	}
	axeCheck(t, b, string(axeJS), "suche-datenschutz")
}
