package searcheval

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/search"
)

var outFile = flag.String("searcheval.out", "", "write the evaluation figures (Markdown) to this file")

// now is the fixed clock of every query.
var now = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)

// Floors of the figures: a bit below what the search reaches today, so that
// a regression fails. Raise them when the search gets better.
const (
	floorNDCG   = 0.80 // overall nDCG@10 of the answerable queries (0.369 before issue 11, 0.826 after)
	floorRecall = 0.66 // overall recall@20 (0.189 before, 0.689 after)
)

func loadSet(t testing.TB) *Set {
	t.Helper()
	s, err := Load(filepath.Join("testdata", "offers.json"), filepath.Join("testdata", "queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSet checks the evaluation set itself.
func TestSet(t *testing.T) {
	s := loadSet(t)
	for _, p := range s.Check(6) {
		t.Error(p)
	}
	if len(s.Docs) < 160 {
		t.Errorf("%d offers, want at least 160", len(s.Docs))
	}
	if len(s.Publishers) != 12 {
		t.Errorf("%d publishers, want 12: %q", len(s.Publishers), s.Publishers)
	}
	if len(s.Queries) < 64 {
		t.Errorf("%d queries, want at least 64", len(s.Queries))
	}
	groups := map[string]bool{}
	for _, q := range s.Queries {
		if q.Group != "" {
			groups[q.Group] = true
		}
	}
	if len(groups) < 6 {
		t.Errorf("%d groups, want at least 6", len(groups))
	}
	english := 0
	for _, d := range s.Docs {
		if d.Provider == "" || d.ProviderID == 0 || d.Title == "" || d.Description == "" {
			t.Errorf("offer %s: provider %q (%d), title %q, description %d characters",
				s.IDs[d.ID], d.Provider, d.ProviderID, d.Title, len(d.Description))
		}
		if strings.ContainsAny(d.Description, "<>") {
			t.Errorf("offer %s: HTML left in the description: %q", s.IDs[d.ID], d.Description)
		}
		if d.Language == "en" {
			english++
		}
	}
	if english < 5 {
		t.Errorf("%d English offers, want a few (at least 5)", english)
	}
}

// TestSearchQuality runs every query on the search and prints the figures
// per kind (go test ./internal/searcheval/ -run SearchQuality -v, or
// -args -searcheval.out=FILE to write them to a file).
func TestSearchQuality(t *testing.T) {
	s := loadSet(t)
	ix := search.New(s.Docs)
	rep := Evaluate(s, ix, now)
	var b bytes.Buffer
	rep.Table(&b)
	withKeywords := 0
	for _, d := range s.Docs {
		if len(d.Keywords) > 0 {
			withKeywords++
		}
	}
	// Whether the MOOChub keywords reach the index (through moochub.Parse
	// and catalog.Doc) changes the figures; say so next to them.
	fmt.Fprintf(&b, "\nOffers whose MOOChub keywords reach the index: %d of %d.\n", withKeywords, len(s.Docs))
	t.Log("\n" + b.String())
	if *outFile != "" {
		b.WriteString("\n## Per query\n\n")
		rep.Details(&b)
		if err := os.WriteFile(*outFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(rep.Runs) != len(s.Queries) {
		t.Fatalf("%d runs for %d queries", len(rep.Runs), len(s.Queries))
	}
	for _, r := range rep.Runs {
		if math.IsNaN(r.NDCG) || r.NDCG < 0 || r.NDCG > 1+1e-9 || r.Recall < 0 || r.Recall > 1+1e-9 {
			t.Errorf("%s: nDCG %v recall %v out of range", r.Query.ID, r.NDCG, r.Recall)
		}
		if len(r.Hits) > RecallAt || r.Total < len(r.Hits) {
			t.Errorf("%s: %d hits of %d", r.Query.ID, len(r.Hits), r.Total)
		}
	}
	o := rep.Overall
	if o.NDCG < floorNDCG {
		t.Errorf("overall nDCG@%d %.3f below the floor %.2f", NDCGAt, o.NDCG, floorNDCG)
	}
	if o.Recall < floorRecall {
		t.Errorf("overall recall@%d %.3f below the floor %.2f", RecallAt, o.Recall, floorRecall)
	}
}

func TestMetrics(t *testing.T) {
	j := map[string]int{"a": 3, "b": 2, "c": 1}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	if got := NDCG([]string{"a", "b", "c"}, j, 10); !near(got, 1) {
		t.Errorf("ideal ranking: nDCG %v, want 1", got)
	}
	// Reversed: gains 1, 3, 7 at ranks 1-3 against 7, 3, 1.
	want := (1 + 3/math.Log2(3) + 7/2.0) / (7 + 3/math.Log2(3) + 1/2.0)
	if got := NDCG([]string{"c", "b", "a"}, j, 10); !near(got, want) {
		t.Errorf("reversed ranking: nDCG %v, want %v", got, want)
	}
	if got := NDCG([]string{"x", "y"}, j, 10); got != 0 {
		t.Errorf("nothing relevant found: nDCG %v", got)
	}
	if got := NDCG([]string{"x", "a"}, j, 1); got != 0 {
		t.Errorf("relevant offer after the cut-off: nDCG@1 %v", got)
	}
	if got := NDCG(nil, map[string]int{}, 10); got != 0 {
		t.Errorf("no judgments: nDCG %v", got)
	}
	if got := Recall([]string{"a", "x", "c"}, j, 20); !near(got, 2.0/3) {
		t.Errorf("recall %v, want 2/3", got)
	}
	if got := Recall([]string{"x", "a"}, j, 1); got != 0 {
		t.Errorf("recall@1 %v, want 0", got)
	}
	if got := Jaccard([]string{"a", "b", "c"}, []string{"b", "c", "d"}); !near(got, 0.5) {
		t.Errorf("Jaccard %v, want 0.5", got)
	}
	if got := Jaccard(nil, nil); got != 0 {
		t.Errorf("Jaccard of two empty answers %v, want 0", got)
	}
	if got := Jaccard([]string{"a", "b"}, []string{"b", "a"}); got != 1 {
		t.Errorf("Jaccard of equal answers %v, want 1", got)
	}
	if !Honest(search.Result{}) || Honest(search.Result{Total: 1, Full: 1, Hits: []search.Hit{{ID: 1}}}) {
		t.Error("Honest: an empty answer is honest, a hit presented as a match is not")
	}
	if !Honest(search.Result{Total: 2, Hits: []search.Hit{{ID: 1, Partial: true}, {ID: 2, Partial: true}}}) ||
		Honest(search.Result{Total: 2, Hits: []search.Hit{{ID: 1, Partial: true}, {ID: 2}}}) {
		t.Error("Honest: only partial hits are honest, one hit presented as a full match is not")
	}
}

// TestEvaluate checks the aggregation on a tiny set.
func TestEvaluate(t *testing.T) {
	s := &Set{}
	feed := `{"data": [
		{"type": "courses", "id": "x1", "attributes": {"name": "Vergaberecht kompakt", "description": "Vergabe öffentlicher Aufträge.", "publisher": {"name": "A"}}},
		{"type": "courses", "id": "x2", "attributes": {"name": "Datenschutz kompakt", "description": "DSGVO im Amt.", "publisher": {"name": "B"}}}]}`
	if err := LoadOffers(strings.NewReader(feed), s); err != nil {
		t.Fatal(err)
	}
	if len(s.Docs) != 2 || s.Codes["x2"] != 2 || s.Docs[1].ProviderID != 2 || s.Docs[1].Provider != "B" {
		t.Fatalf("docs %+v codes %v", s.Docs, s.Codes)
	}
	s.Queries = []Query{
		{ID: "1", Kind: "synonym", Query: "Vergaberecht", Group: "g", Judgments: map[string]int{"x1": 3}},
		{ID: "2", Kind: "synonym", Query: "Datenschutz", Group: "g", Judgments: map[string]int{"x2": 3}},
		{ID: "3", Kind: NoAnswer, Query: "Friedhofsverwaltung", Judgments: map[string]int{}},
	}
	if p := s.Check(1); len(p) != len(Kinds)-2 { // every kind but synonym and noanswer lacks queries
		t.Errorf("problems %q", p)
	}
	rep := Evaluate(s, search.New(s.Docs), now)
	if o := rep.Overall; o.Queries != 2 || o.NDCG != 1 || o.Recall != 1 || o.Empty != 0 {
		t.Errorf("overall %+v", o)
	}
	if len(rep.Kinds) != 2 || rep.Kinds[1].Kind != NoAnswer || rep.Kinds[1].Honest != 1 {
		t.Errorf("kinds %+v", rep.Kinds)
	}
	if len(rep.Groups) != 1 || rep.Groups[0].Jaccard != 0 {
		t.Errorf("groups %+v", rep.Groups)
	}
	var b bytes.Buffer
	rep.Table(&b)
	rep.Details(&b)
	for _, want := range []string{"| synonym | 2 | 1.000 | 1.000 | 0 | 0 | – |", "| noanswer | 1 |", "1/1 (1.00)", "| 3 | noanswer | Friedhofsverwaltung | honest | yes | 0 | 0 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	s.Queries[0].Judgments["nope"] = 2
	if p := strings.Join(s.Check(1), "\n"); !strings.Contains(p, `judged offer "nope" does not exist`) {
		t.Errorf("a judgment of a missing offer passes: %s", p)
	}
}
