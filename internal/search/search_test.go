package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var now0 = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)

func days(n int) time.Time { return now0.Add(time.Duration(n) * 24 * time.Hour) }

// corpus is a small hand-made catalog.
var corpus = []Doc{
	{ID: 1, Title: "Projektmanagement für Einsteiger", Summary: "Projekte planen und steuern.",
		Description: "Grundlagen des Projektmanagements in der Kommune.", Provider: "Akademie Nord",
		Outcomes: []string{"Projektpläne erstellen"}, Competences: []string{"Projektplanung"},
		Format: "in_person", Level: "basic", Certificate: "participation", Language: "de",
		CompetenceAreas: []string{"PM"}, ProviderID: 10, Regions: []string{"08111"},
		Sessions: []time.Time{days(10)}, PriceCents: 0, FundingTracks: []string{"digitallotsen-bw/basis"}},
	{ID: 2, Title: "Digitale Verwaltung gestalten", Summary: "Wie Kommunen Leistungen online anbieten.",
		Description: "Portale und Servicekonten.", Provider: "Campus Süd",
		Format: "live_online", Level: "intermediate", Certificate: "participation", Language: "de",
		CompetenceAreas: []string{"DIGI"}, ProviderID: 11, Regions: []string{"online"},
		Sessions: []time.Time{days(60)}, PriceCents: 9900},
	{ID: 3, Title: "Datenschutz und Informationssicherheit", Summary: "DSGVO im Alltag der Verwaltungen.",
		Description: "Datenpannen vermeiden.", Provider: "Akademie Nord",
		Format: "blended", Level: "advanced", Certificate: "exam", Language: "de",
		CompetenceAreas: []string{"DS", "RECHT"}, ProviderID: 10, Regions: []string{"08212", "online"},
		Sessions: []time.Time{days(200), days(-3)}, PriceCents: 25000},
	{ID: 4, Title: "Künstliche Intelligenz in der Verwaltung", Summary: "Sprachmodelle sicher nutzen.",
		Provider: "Institut West", Format: "self_paced", Level: "basic", Certificate: "ects", Language: "en",
		CompetenceAreas: []string{"DATEN"}, ProviderID: 12, PriceCents: 150000},
	{ID: 5, Title: "Agiles Projektmanagement mit Scrum", Summary: "Scrum und Kanban im Team.",
		Provider: "Campus Süd", Format: "in_person", Level: "intermediate", Certificate: "participation", Language: "de",
		CompetenceAreas: []string{"PM", "FUE"}, ProviderID: 11, Regions: []string{"08111", "08212"},
		Sessions: []time.Time{days(100), days(5)}, PriceCents: 50000, FundingTracks: []string{"digitallotsen-bw/advanced"}},
	{ID: 6, Title: "Modernisierung der Kommunalverwaltung", Summary: "Moderne Arbeitsweisen einführen.",
		Provider: "Institut West", Format: "in_person", Level: "advanced", Certificate: "participation", Language: "de",
		CompetenceAreas: []string{"FUE"}, ProviderID: 12, Regions: []string{"08111"},
		Sessions: []time.Time{days(400)}, PriceCents: 10000},
}

var corpusIndex = sync.OnceValue(func() *Index { return New(corpus) })

func ids(r Result) []int64 {
	out := []int64{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func sorted(s []int64) []int64 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestAnalyze(t *testing.T) {
	same := [][2]string{
		{"Verwaltungen", "Verwaltung"},
		{"Digitalisierung", "digitale"},
		{"digitalisieren", "Digitalen"},
		{"digitalisiert", "digital"},
		{"Modernisierung", "moderne"},
		{"Künstliche", "kunstliche"},
		{"Ku\u0308nstliche", "Künstliche"}, // decomposed umlaut
		{"Straße", "Strasse"},
		{"PROJEKTMANAGEMENT", "Projektmanagement"},
	}
	for _, p := range same {
		a, b := Analyze(p[0]), Analyze(p[1])
		if len(a) != 1 || !slices.Equal(a, b) {
			t.Errorf("Analyze(%q) = %q, Analyze(%q) = %q; want one equal term", p[0], a, p[1], b)
		}
	}
	if got := Analyze("der die das und in für mit zur"); len(got) != 0 {
		t.Errorf("stopwords: got %q", got)
	}
	if got := Analyze(`E-Akte: "OZG" (2027)!`); !slices.Equal(got, []string{"e", "akt", "ozg", "2027"}) {
		t.Errorf("splitting: got %q", got)
	}
	if got := Analyze("a\xffb"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("invalid UTF-8: got %q", got)
	}
}

func TestTextSearch(t *testing.T) {
	ix := corpusIndex()
	tests := []struct {
		text      string
		prefix    bool    // as the search box asks
		want      []int64 // sorted
		full      int     // full matches among want (-1: all)
		terms     []string
		corrected bool
	}{
		{"Verwaltung", false, []int64{2, 3, 4, 6}, -1, []string{"verwaltung"}, false}, // 6: Kommunalverwaltung
		{"Verwaltungen", false, []int64{2, 3, 4, 6}, -1, []string{"verwaltungen"}, false},
		{"Digitalisierung", false, []int64{2}, -1, []string{"digitalisierung"}, false},
		{"Modernisierung", false, []int64{6}, -1, []string{"modernisierung"}, false},
		{"Modern", false, []int64{6}, -1, []string{"modern"}, false},
		{"Projektmanagment", false, []int64{1, 5}, -1, []string{"projektmanagement"}, true},
		{"Informationsicherheit", false, []int64{3, 4}, 1, []string{"informationsicherheit"}, false}, // Information + Sicherheit
		{"Informationssicherhiet", false, []int64{3, 4}, 1, []string{"informationssicherheit"}, true},
		{"Künstliche Intelligenz", false, []int64{4}, -1, []string{"künstliche", "intelligenz"}, false}, // a thesaurus phrase
		{"KI", false, []int64{4}, -1, []string{"ki"}, false},                                            // its abbreviation
		{"artificial intelligence", false, []int64{4}, -1, []string{"artificial", "intelligence"}, false},
		{"kuenstliche", false, []int64{4}, -1, []string{"künstliche"}, true},
		{"Projektmanagement Scrum", false, []int64{5}, -1, []string{"projektmanagement", "scrum"}, false},
		{"Projekt Management", false, []int64{1, 5}, -1, []string{"projekt", "management"}, false}, // the parts of a compound
		{"Planung von Projekten", false, []int64{1}, -1, []string{"planung", "projekten"}, false},  // Projektplanung, "Projekte planen"
		// one word nowhere: the offers with the other, marked as partial
		{"Datenschutz Scrum", false, []int64{3, 5}, 0, []string{"datenschutz", "scrum"}, false},
		{"Datenschutz xyzzyq", false, []int64{3}, 0, []string{"datenschutz", "xyzzyq"}, false},
		{"Verwaltung xyzzyq", false, []int64{2, 3, 4, 6}, 0, []string{"verwaltung", "xyzzyq"}, false},
		// a compound's known part: partial matches, where it is not a
		// word most offers have (see TestWeakWords)
		{"Friedhofsverwaltung", false, []int64{2, 3, 4, 6}, 0, []string{"friedhofsverwaltung"}, false},
		// the provider's name is no text
		{"Akademie Nord", false, nil, 0, []string{"akademie", "nord"}, false},
		// prefixes only for the search box, and only on the last word
		{"Projektpl", true, []int64{1}, -1, []string{"projektpl"}, false},
		{"Scr", true, []int64{5}, -1, []string{"scr"}, false},
		{"Scr", false, nil, 0, []string{"scr"}, false},
		{"Scr ", true, nil, 0, []string{"scr"}, false}, // a finished word is not a prefix
		{"Scrum Proj", true, []int64{5}, -1, []string{"scrum", "proj"}, false},
		{"der die das", false, []int64{1, 2, 3, 4, 5, 6}, -1, []string{}, false},
	}
	for _, tt := range tests {
		r := ix.Search(Query{Text: tt.text, Prefix: tt.prefix, Now: now0})
		if got := sorted(ids(r)); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%q: hits %v, want %v", tt.text, got, tt.want)
		}
		if r.Total != len(tt.want) {
			t.Errorf("%q: Total %d, want %d", tt.text, r.Total, len(tt.want))
		}
		full := tt.full
		if full < 0 {
			full = len(tt.want)
		}
		if r.Full != full {
			t.Errorf("%q: Full %d, want %d", tt.text, r.Full, full)
		}
		for i, h := range r.Hits {
			if h.Partial != (i >= full) {
				t.Errorf("%q: hit %d (offer %d) partial %v, want full matches first", tt.text, i, h.ID, h.Partial)
			}
		}
		if !slices.Equal(r.Terms, tt.terms) || r.Corrected != tt.corrected {
			t.Errorf("%q: Terms %q corrected %v, want %q %v", tt.text, r.Terms, r.Corrected, tt.terms, tt.corrected)
		}
	}
}

func TestRelated(t *testing.T) {
	ix := corpusIndex()
	r := ix.Search(Query{Text: "Friedhofsverwaltung", Now: now0})
	if r.Full != 0 || !slices.Equal(r.Related, []string{"Verwaltung"}) {
		t.Errorf("Friedhofsverwaltung: full %d, related %q; want no full match and the part that has hits", r.Full, r.Related)
	}
	r = ix.Search(Query{Text: "Datenschutz Scrum", Now: now0})
	if !slices.Equal(r.Related, []string{"Datenschutz", "Scrum"}) {
		t.Errorf("Datenschutz Scrum: related %q, want each word on its own", r.Related)
	}
	if r = ix.Search(Query{Text: "Scrum", Now: now0}); r.Related != nil {
		t.Errorf("Scrum: related %q, want none when full matches exist", r.Related)
	}
}

func TestRanking(t *testing.T) {
	ix := corpusIndex()
	// A title match outranks a summary match.
	r := ix.Search(Query{Text: "Verwaltung", Now: now0})
	if got := ids(r); !slices.Contains([]int64{2, 4, 6}, got[0]) {
		t.Errorf("Verwaltung: order %v, want a title match first", got)
	}
	if last := r.Hits[len(r.Hits)-1]; last.ID != 3 {
		t.Errorf("Verwaltung: order %v, want the summary match (3) last", ids(r))
	}
	// An exact match outranks a prefix one.
	r = ix.Search(Query{Text: "Modern", Prefix: true, Now: now0})
	if got := ids(r); !slices.Equal(sorted(got), []int64{6}) {
		t.Errorf("Modern: %v", got)
	}
	// Full matches come first in every order, even when a partial one
	// is sooner or cheaper.
	docs := []Doc{
		{ID: 1, Title: "Datenschutz in der Kita", PriceCents: 50000, Sessions: []time.Time{days(90)}},
		{ID: 2, Title: "Datenschutz im Rathaus", PriceCents: 100, Sessions: []time.Time{days(3)}},
		{ID: 3, Title: "Leitung einer Kita", PriceCents: 0, Sessions: []time.Time{days(1)}},
		{ID: 4, Title: "Gebührenkalkulation"},
	}
	ix = New(docs)
	for _, sort := range []string{"relevance", "date", "price"} {
		r = ix.Search(Query{Text: "Datenschutz Kita", Sort: sort, Now: now0})
		if got := ids(r); len(got) != 3 || got[0] != 1 || r.Full != 1 || !r.Hits[1].Partial || !r.Hits[2].Partial {
			t.Errorf("%s: %v (full %d), want the full match 1 before the partial 2 and 3", sort, got, r.Full)
		}
	}
}

// TestWeakWords: in a large catalog, a word most offers contain is not
// required for a full match and alone makes no partial match.
func TestWeakWords(t *testing.T) {
	var docs []Doc
	for i := range 60 {
		docs = append(docs, Doc{ID: int64(i + 1), Title: fmt.Sprintf("Thema %d für die Verwaltung", i)})
	}
	docs[0].Title = "Datenschutz im Alltag"
	docs[1].Title = "Datenschutz für die Verwaltung"
	ix := New(docs)
	r := ix.Search(Query{Text: "Datenschutz Verwaltung", Now: now0})
	if got := ids(r); r.Full != 2 || len(got) != 2 || got[0] != 2 {
		t.Errorf("Datenschutz Verwaltung: %v full %d, want 2 then 1, both full", got, r.Full)
	}
	for _, q := range []string{"Friedhof Verwaltung", "Friedhofsverwaltung"} {
		if r = ix.Search(Query{Text: q, Now: now0}); r.Total != 0 {
			t.Errorf("%s: %d hits, want none", q, r.Total)
		}
	}
}

func TestFilters(t *testing.T) {
	ix := corpusIndex()
	tests := []struct {
		facet string
		vals  []string
		want  []int64
	}{
		{"format", []string{"in_person"}, []int64{1, 5, 6}},
		{"format", []string{"in_person", "blended"}, []int64{1, 3, 5, 6}},
		{"level", []string{"advanced"}, []int64{3, 6}},
		{"certificate", []string{"ects", "exam"}, []int64{3, 4}},
		{"language", []string{"en"}, []int64{4}},
		{"competence", []string{"PM"}, []int64{1, 5}},
		{"competence", []string{"FUE", "DS"}, []int64{3, 5, 6}},
		{"provider", []string{"11"}, []int64{2, 5}},
		{"provider", []string{"99"}, nil},
		{"region", []string{"08212"}, []int64{3, 5}},
		{"region", []string{"online"}, []int64{2, 3}},
		{"funding", []string{"digitallotsen-bw/basis"}, []int64{1}},
		{"date", []string{"30d"}, []int64{1, 5}},
		{"date", []string{"90d"}, []int64{1, 2, 5}},
		{"date", []string{"365d"}, []int64{1, 2, 3, 5}},
		{"date", []string{"none"}, []int64{4}},
		{"date", []string{"none", "30d"}, []int64{1, 4, 5}},
		{"price", []string{"free"}, []int64{1}},
		{"price", []string{"lt100"}, []int64{2, 6}},
		{"price", []string{"100-300"}, []int64{3}},
		{"price", []string{"300-1000"}, []int64{5}},
		{"price", []string{"gt1000"}, []int64{4}},
		{"price", []string{"bogus"}, nil},
		{"unknown", []string{"x"}, []int64{1, 2, 3, 4, 5, 6}},
		{"format", nil, []int64{1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		r := ix.Search(Query{Filters: map[string][]string{tt.facet: tt.vals}, Now: now0})
		if got := sorted(ids(r)); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s=%v: %v, want %v", tt.facet, tt.vals, got, tt.want)
		}
	}
	// AND across facets.
	r := ix.Search(Query{Filters: map[string][]string{"format": {"in_person"}, "region": {"08212"}}, Now: now0})
	if got := ids(r); !slices.Equal(got, []int64{5}) {
		t.Errorf("format and region: %v", got)
	}
}

func TestFacetCounts(t *testing.T) {
	ix := corpusIndex()
	r := ix.Search(Query{Filters: map[string][]string{"format": {"in_person"}, "region": {"08111"}}, Now: now0})
	if got := sorted(ids(r)); !slices.Equal(got, []int64{1, 5, 6}) {
		t.Fatalf("hits %v", got)
	}
	want := map[string][]FacetCount{
		// format counts ignore the format filter: all docs in 08111
		"format": {{"in_person", 3}},
		// region counts ignore the region filter: all in-person docs
		"region":   {{"08111", 3}, {"08212", 1}},
		"level":    {{"advanced", 1}, {"basic", 1}, {"intermediate", 1}},
		"price":    {{"300-1000", 1}, {"free", 1}, {"lt100", 1}},
		"date":     {{"30d", 2}, {"365d", 2}, {"90d", 2}},
		"funding":  {{"digitallotsen-bw/advanced", 1}, {"digitallotsen-bw/basis", 1}},
		"language": {{"de", 3}},
	}
	for f, w := range want {
		if got := r.Facets[f]; !slices.Equal(got, w) {
			t.Errorf("facet %s: %v, want %v", f, got, w)
		}
	}
	if len(r.Facets) != len(FacetNames) {
		t.Errorf("facets %v", r.Facets)
	}
	// A selected value without results is still listed.
	r = ix.Search(Query{Text: "Scrum", Filters: map[string][]string{"region": {"online", "08212"}}, Now: now0})
	if got := r.Facets["region"]; !slices.Equal(got, []FacetCount{{"08111", 1}, {"08212", 1}, {"online", 0}}) {
		t.Errorf("selected region: %v", got)
	}
}

// oracle computes a query's total and facet counts naively: text matching
// from the index without filters, filters and counts by brute force.
func oracle(t *testing.T, ix *Index, docs map[int64]*Doc, q Query) (int, map[string]map[string]int) {
	t.Helper()
	var matched []*Doc
	for p := 1; ; p++ {
		r := ix.Search(Query{Text: q.Text, Now: q.Now, Page: p, PageSize: 100})
		for _, h := range r.Hits {
			matched = append(matched, docs[h.ID])
		}
		if len(r.Hits) < 100 {
			break
		}
	}
	values := func(d *Doc, facet string) []string {
		switch facet {
		case "format":
			return []string{d.Format}
		case "level":
			return []string{d.Level}
		case "certificate":
			return []string{d.Certificate}
		case "language":
			return []string{d.Language}
		case "competence":
			return d.CompetenceAreas
		case "provider":
			return []string{strconv.FormatInt(d.ProviderID, 10)}
		case "region":
			return d.Regions
		case "funding":
			return d.FundingTracks
		case "price":
			return []string{PriceBuckets[priceBucket(d.PriceCents)].Key}
		case "date":
			var out []string
			next := time.Time{}
			for _, s := range d.Sessions {
				if !s.Before(q.Now) && (next.IsZero() || s.Before(next)) {
					next = s
				}
			}
			if next.IsZero() {
				return []string{"none"}
			}
			for _, b := range []struct {
				key string
				d   int
			}{{"30d", 30}, {"90d", 90}, {"365d", 365}} {
				if !next.After(q.Now.Add(time.Duration(b.d) * 24 * time.Hour)) {
					out = append(out, b.key)
				}
			}
			return out
		}
		return nil
	}
	passes := func(d *Doc, except string) bool {
		for f, vals := range q.Filters {
			if f == except || len(vals) == 0 {
				continue
			}
			ok := false
			for _, v := range values(d, f) {
				ok = ok || slices.Contains(vals, v)
			}
			if !ok {
				return false
			}
		}
		return true
	}
	total := 0
	counts := map[string]map[string]int{}
	for _, f := range FacetNames {
		counts[f] = map[string]int{}
	}
	for _, d := range matched {
		if passes(d, "") {
			total++
		}
		for _, f := range FacetNames {
			if passes(d, f) {
				for _, v := range values(d, f) {
					counts[f][v]++
				}
			}
		}
	}
	return total, counts
}

func randomQuery(r *rand.Rand, docs []Doc) Query {
	texts := []string{"", "", "Verwaltung", "Datenschutz", "Projektmanagment", "digitale", "Smart City", "Grundlagen Kommune", "Prozess", "künstliche Intelligenz ", "Bauantrag", "agil"}
	q := Query{Text: texts[r.IntN(len(texts))], Now: GenStart.Add(time.Duration(r.IntN(90*24)) * time.Hour), Filters: map[string][]string{}}
	for k := r.IntN(4); k > 0; k-- {
		f := FacetNames[r.IntN(len(FacetNames))]
		for j := 1 + r.IntN(2); j > 0; j-- {
			d := &docs[r.IntN(len(docs))]
			var v string
			switch f {
			case "format":
				v = d.Format
			case "level":
				v = d.Level
			case "certificate":
				v = d.Certificate
			case "language":
				v = d.Language
			case "competence":
				v = pick(r, d.CompetenceAreas)
			case "provider":
				v = strconv.FormatInt(d.ProviderID, 10)
			case "region":
				if len(d.Regions) == 0 {
					continue
				}
				v = pick(r, d.Regions)
			case "funding":
				v = GenProgramme + "/basis"
			case "date":
				v = pick(r, DateBuckets).Key
			case "price":
				v = pick(r, PriceBuckets).Key
			}
			q.Filters[f] = append(q.Filters[f], v)
		}
	}
	return q
}

func TestDisjunctiveFacets(t *testing.T) {
	docs := Generate(2000, 7)
	ix := New(docs)
	byID := map[int64]*Doc{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20; n++ {
		q := randomQuery(r, docs)
		res := ix.Search(q)
		total, counts := oracle(t, ix, byID, q)
		if res.Total != total {
			t.Errorf("query %+v: Total %d, oracle %d", q, res.Total, total)
		}
		for _, f := range FacetNames {
			got := map[string]int{}
			for _, fc := range res.Facets[f] {
				if fc.Count > 0 {
					got[fc.Value] = fc.Count
				}
			}
			delete(counts[f], "")
			if fmt.Sprint(got) != fmt.Sprint(counts[f]) {
				t.Errorf("query %+v: facet %s = %v, oracle %v", q, f, got, counts[f])
			}
			if !sort.SliceIsSorted(res.Facets[f], func(i, j int) bool {
				a, b := res.Facets[f][i], res.Facets[f][j]
				return a.Count > b.Count || a.Count == b.Count && a.Value < b.Value
			}) {
				t.Errorf("facet %s not sorted: %v", f, res.Facets[f])
			}
			// Choosing value v instead of F's selection gives count(v).
			for _, fc := range res.Facets[f] {
				q2 := q
				q2.Filters = maps(q.Filters)
				q2.Filters[f] = []string{fc.Value}
				if r2 := ix.Search(q2); r2.Total != fc.Count {
					t.Errorf("query %+v: %s=%s gives %d results, facet count %d", q, f, fc.Value, r2.Total, fc.Count)
				}
			}
		}
	}
}

func maps(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestSortAndPaging(t *testing.T) {
	docs := Generate(2000, 3)
	ix := New(docs)
	price := map[int64]int64{}
	for _, d := range docs {
		price[d.ID] = d.PriceCents
	}
	for _, mode := range []string{"", "relevance", "date", "price", "bogus"} {
		for _, text := range []string{"", "Datenschutz", "Verwaltung Kommune"} {
			q := Query{Text: text, Sort: mode, Now: GenStart.AddDate(0, 2, 0), PageSize: 7}
			first := ix.Search(q)
			if first.Total < 20 {
				t.Fatalf("%q: only %d results", text, first.Total)
			}
			var all []Hit
			for p := 1; ; p++ {
				q.Page = p
				r := ix.Search(q)
				if r.Total != first.Total {
					t.Fatalf("page %d: Total %d, first %d", p, r.Total, first.Total)
				}
				if len(r.Hits) == 0 {
					break
				}
				if len(r.Hits) > 7 {
					t.Fatalf("page size %d", len(r.Hits))
				}
				all = append(all, r.Hits...)
			}
			if len(all) != first.Total {
				t.Errorf("%s %q: paged %d hits, Total %d", mode, text, len(all), first.Total)
			}
			seen := map[int64]bool{}
			for i, h := range all {
				if seen[h.ID] {
					t.Fatalf("%s %q: %d on two pages", mode, text, h.ID)
				}
				seen[h.ID] = true
				if i == 0 {
					continue
				}
				p := all[i-1]
				next := func(h Hit) int64 {
					if h.NextSession == nil {
						return 1 << 62
					}
					if h.NextSession.Before(q.Now) {
						t.Fatalf("next session %v before now", h.NextSession)
					}
					return h.NextSession.UnixNano()
				}
				var ok bool
				switch {
				case mode == "price":
					ok = price[p.ID] <= price[h.ID]
				case mode == "date" || text == "":
					ok = next(p) <= next(h)
				default:
					ok = p.Score >= h.Score
				}
				if !ok {
					t.Fatalf("%s %q: hit %d (%+v) before %d (%+v)", mode, text, i-1, p, i, h)
				}
			}
			// stable
			q.Page = 2
			if a, b := ids(ix.Search(q)), ids(ix.Search(q)); !slices.Equal(a, b) {
				t.Errorf("unstable page: %v, %v", a, b)
			}
		}
	}
}

func TestPageSize(t *testing.T) {
	ix := New(Generate(500, 1))
	for _, tt := range []struct{ page, size, want int }{{0, 0, 20}, {1, 500, 100}, {-3, -1, 20}, {25, 20, 20}, {26, 20, 0}, {1 << 40, 100, 0}, {1 << 62, 1 << 62, 0}} {
		r := ix.Search(Query{Page: tt.page, PageSize: tt.size})
		if len(r.Hits) != tt.want {
			t.Errorf("page %d size %d: %d hits, want %d", tt.page, tt.size, len(r.Hits), tt.want)
		}
	}
}

func TestNextSession(t *testing.T) {
	ix := corpusIndex()
	r := ix.Search(Query{Text: "Scrum", Now: now0})
	if len(r.Hits) != 1 || r.Hits[0].NextSession == nil || !r.Hits[0].NextSession.Equal(days(5)) {
		t.Fatalf("hits %+v", r.Hits)
	}
	r = ix.Search(Query{Text: "Datenschutz", Now: now0}) // one session in the past
	if !r.Hits[0].NextSession.Equal(days(200)) {
		t.Errorf("next %v", r.Hits[0].NextSession)
	}
	r = ix.Search(Query{Text: "Intelligenz", Now: now0})
	if r.Hits[0].NextSession != nil {
		t.Errorf("next %v", r.Hits[0].NextSession)
	}
}

func TestOddInput(t *testing.T) {
	ix := corpusIndex()
	odd := []string{
		"", " ", "\x00\x01\x02", strings.Repeat("Verwaltung ", 500), strings.Repeat("x", 5000),
		`"a" OR b* NEAR(`, "'; DROP TABLE offers; --", "title:foo AND (bar OR", "***", "-Verwaltung",
		"\xff\xfe\xfd", "a\xc3", "der die das", "ä", "ß", "\u200b\u00a0", "🙂 Verwaltung", "%_%", "a\u0308\u0308\u0308",
		strings.Repeat("ä", 3000), strings.Repeat("ab ", 2000),
	}
	for _, text := range odd {
		for _, sort := range []string{"", "date", "price"} {
			r := ix.Search(Query{Text: text, Sort: sort, Filters: map[string][]string{"region": {text}, "date": {"30d"}, text: {text}}})
			if len(r.Facets) != len(FacetNames) || r.Total < len(r.Hits) || r.Terms == nil {
				t.Errorf("%.30q: %+v", text, r)
			}
		}
	}
	if r := ix.Search(Query{Text: "der die das"}); r.Total != len(corpus) {
		t.Errorf("only stopwords: Total %d", r.Total)
	}
	// Empty and nil indexes.
	for _, ix := range []*Index{New(nil), nil} {
		r := ix.Search(Query{Text: "Verwaltung", Filters: map[string][]string{"format": {"x"}}})
		if r.Total != 0 || len(r.Facets) != len(FacetNames) || ix.Len() != 0 {
			t.Errorf("empty index: %+v", r)
		}
	}
	// Extreme times.
	for _, now := range []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		ix.Search(Query{Now: now, Sort: "date", Filters: map[string][]string{"date": {"30d"}}})
	}
}

func TestValid(t *testing.T) {
	for _, name := range FacetNames {
		if !ValidFacet(name) {
			t.Errorf("ValidFacet(%q) = false", name)
		}
	}
	if ValidFacet("title") || ValidFacet("") {
		t.Error("ValidFacet accepts unknown names")
	}
	tests := []struct {
		facet, value string
		ok           bool
	}{
		{"format", "in_person", true}, {"format", "", false}, {"format", "a b", false}, {"format", strings.Repeat("a", 65), false},
		{"competence", "DS", true}, {"competence", "DS.2", true}, {"language", "de", true},
		{"provider", "12", true}, {"provider", "0", false}, {"provider", "-1", false}, {"provider", "012", false}, {"provider", "x", false},
		{"region", "08111", true}, {"region", "online", true}, {"region", "8111", false}, {"region", "0811a", false},
		{"funding", "digitallotsen-bw/basis", true}, {"funding", "a/b c", false},
		{"date", "30d", true}, {"date", "31d", false}, {"price", "100-300", true}, {"price", "free ", false},
		{"title", "x", false},
	}
	for _, tt := range tests {
		if got := ValidFacetValue(tt.facet, tt.value); got != tt.ok {
			t.Errorf("ValidFacetValue(%q, %q) = %v", tt.facet, tt.value, got)
		}
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(300, 5), Generate(300, 5)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("Generate is not deterministic")
	}
	funded, districts := 0, map[string]bool{}
	for _, d := range Generate(5000, 1) {
		if len(d.FundingTracks) > 0 {
			funded++
		}
		for _, r := range d.Regions {
			districts[r] = true
		}
		for _, s := range d.Sessions {
			if s.Before(GenStart) || s.After(GenStart.AddDate(1, 0, 1)) {
				t.Fatalf("session %v", s)
			}
		}
		if d.PriceCents < 0 || d.PriceCents > 200000 || d.Title == "" || d.ProviderID < 1 || d.ProviderID > 25 {
			t.Fatalf("doc %+v", d)
		}
	}
	if funded < 400 || funded > 600 || len(districts) != 45 {
		t.Errorf("funded %d, districts %d", funded, len(districts))
	}
}

func TestConcurrent(t *testing.T) {
	ix := New(Generate(1000, 2))
	want := ix.Search(Query{Text: "Verwaltung Projekt", Now: GenStart})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 50; i++ {
				got := ix.Search(Query{Text: "Verwaltung Projekt", Now: GenStart})
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Error("concurrent searches differ")
					return
				}
			}
		})
	}
	wg.Wait()
}

var fuzzIndex = sync.OnceValue(func() *Index { return New(Generate(300, 1)) })

func FuzzSearch(f *testing.F) {
	for _, s := range [][2]string{{"Verwaltung", "online"}, {"Projektmanagment", "30d"}, {`"a" OR b* NEAR(`, "08111"}, {"\xff", ""}, {"der", "free"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, value string) {
		ix := fuzzIndex()
		q := Query{Text: text, Sort: value, Now: GenStart, Filters: map[string][]string{"region": {value}, "date": {value}, "provider": {value}}}
		r := ix.Search(q)
		if len(r.Facets) != len(FacetNames) || r.Total < len(r.Hits) || len(r.Hits) > DefaultPageSize {
			t.Fatalf("%+v", r)
		}
		q.Filters = nil
		r = ix.Search(q)
		if r.Total < len(r.Hits) {
			t.Fatalf("%+v", r)
		}
		ValidFacetValue(text, value)
	})
}

// benchIndex is built once for all benchmarks.
var benchIndex = sync.OnceValues(func() (*Index, [2]float64) {
	docs := Generate(100000, 1)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix := New(docs)
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(docs)
	return ix, [2]float64{float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20), float64(build.Microseconds()) / 1000}
})

func BenchmarkSearch(b *testing.B) {
	ix, stats := benchIndex()
	cases := []struct {
		name string
		q    Query
	}{
		{"common", Query{Text: "Verwaltung"}},
		{"rare", Query{Text: "Schankerlaubnisverlängerung"}},
		{"typo", Query{Text: "Projektmanagment"}},
		{"facets", Query{Text: "Informationssicherheit", Filters: map[string][]string{
			"format": {"in_person", "blended"}, "region": {"08111", "08212", "online"}, "date": {"90d"}}}},
		{"all", Query{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.Now = GenStart
			if r := ix.Search(q); r.Total == 0 {
				b.Fatalf("%q: no results", q.Text)
			}
			lat := make([]time.Duration, 1000)
			for i := range lat {
				start := time.Now()
				ix.Search(q)
				lat[i] = time.Since(start)
			}
			slices.Sort(lat)
			for b.Loop() {
				ix.Search(q)
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
			b.ReportMetric(stats[0], "index-MB")
			b.ReportMetric(stats[1], "build-ms")
		})
	}
}
