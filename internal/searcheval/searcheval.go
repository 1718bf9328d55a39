// Package searcheval measures the catalog search on an evaluation set of
// its own: offers written for it in MOOChub form (testdata/offers.json) and
// queries with graded relevance judgments made by reading those offers
// (testdata/queries.json). It computes nDCG@10 and recall@20 per kind of
// query and overall, the share of honest answers to queries that nothing
// answers, and how alike the answers to surface variants of one need are.
// See docs/search-evaluation.md for how the set was made and how to print
// its figures.
package searcheval

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/moochub"
	"github.com/lotse-oss/lotse/internal/search"
)

// Grades of relevance in a judgment; an offer without a judgment is not
// relevant.
const (
	Partly  = 1 // partly relevant
	Clearly = 2 // clearly relevant
	Exactly = 3 // exactly what was asked
)

// Kinds of queries, in the order the report lists them.
var Kinds = []string{"compound", "synonym", "abbreviation", "english", "wordform", "typo", "multiword", "noanswer"}

// NoAnswer is the kind of queries that no offer answers: the right answer
// is nothing relevant.
const NoAnswer = "noanswer"

// Cut-offs of the metrics.
const (
	NDCGAt   = 10
	RecallAt = 20
	GroupAt  = 10 // top-k compared between variants of a group
)

// Query is one query of the set with its judgments: offer ID (the MOOChub
// resource id) → grade.
type Query struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`
	Query     string         `json:"query"`
	Group     string         `json:"group,omitempty"`
	Note      string         `json:"note,omitempty"`
	Judgments map[string]int `json:"judgments"`
}

// Set is an evaluation set: the offers as search documents and the queries.
type Set struct {
	Docs []search.Doc
	// Codes maps an offer's MOOChub id to its document ID, and IDs back.
	Codes map[string]int64
	IDs   map[int64]string
	// Publishers are the distinct publisher names, by provider ID - 1.
	Publishers []string
	Queries    []Query
}

// LoadOffers reads a MOOChub feed with moochub.Parse and maps each offer to a
// search document with catalog.Doc, as the catalog does for published
// offers: document IDs are 1, 2, … in feed order, and each publisher becomes
// a provider with its own ID (1, 2, … in order of first appearance).
func LoadOffers(r io.Reader, s *Set) error {
	offers, err := moochub.Parse(r)
	if err != nil {
		return err
	}
	s.Codes = map[string]int64{}
	s.IDs = map[int64]string{}
	providers := map[string]int64{}
	for i := range offers {
		o := &offers[i]
		o.ID = int64(i + 1)
		if o.Code == "" {
			return fmt.Errorf("offer %d (%q) has no id", i, o.Title)
		}
		if _, dup := s.Codes[o.Code]; dup {
			return fmt.Errorf("offer id %q twice", o.Code)
		}
		s.Codes[o.Code] = o.ID
		s.IDs[o.ID] = o.Code
		pid, ok := providers[o.ProviderName]
		if !ok {
			pid = int64(len(providers) + 1)
			providers[o.ProviderName] = pid
			s.Publishers = append(s.Publishers, o.ProviderName)
		}
		o.ProviderID = pid
		s.Docs = append(s.Docs, catalog.Doc(o))
	}
	return nil
}

// LoadQueries reads the queries of a set (a JSON list of Query).
func LoadQueries(r io.Reader, s *Set) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec.Decode(&s.Queries)
}

// Load reads testdata-style files: a MOOChub feed and a query list.
func Load(offersPath, queriesPath string) (*Set, error) {
	s := &Set{}
	for _, f := range []struct {
		path string
		load func(io.Reader, *Set) error
	}{{offersPath, LoadOffers}, {queriesPath, LoadQueries}} {
		fh, err := os.Open(f.path)
		if err != nil {
			return nil, err
		}
		err = f.load(fh, s)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
	}
	return s, nil
}

// Check returns the problems of the set itself: judged IDs that are no
// offer, grades out of range, unknown kinds, too few queries of a kind,
// answerable queries without a clearly relevant offer, noanswer queries
// with judgments or in a group, groups with a single query, duplicate
// query IDs.
func (s *Set) Check(minPerKind int) []string {
	var out []string
	perKind := map[string]int{}
	groups := map[string]int{}
	seen := map[string]bool{}
	for _, q := range s.Queries {
		if q.ID == "" || seen[q.ID] {
			out = append(out, fmt.Sprintf("query %q: missing or duplicate id", q.ID))
		}
		seen[q.ID] = true
		if !slices.Contains(Kinds, q.Kind) {
			out = append(out, fmt.Sprintf("%s: unknown kind %q", q.ID, q.Kind))
		}
		if strings.TrimSpace(q.Query) == "" {
			out = append(out, fmt.Sprintf("%s: empty query", q.ID))
		}
		perKind[q.Kind]++
		if q.Group != "" {
			groups[q.Group]++
		}
		best := 0
		for code, g := range q.Judgments {
			if _, ok := s.Codes[code]; !ok {
				out = append(out, fmt.Sprintf("%s: judged offer %q does not exist", q.ID, code))
			}
			if g < Partly || g > Exactly {
				out = append(out, fmt.Sprintf("%s: offer %q has grade %d (1-3 allowed)", q.ID, code, g))
			}
			best = max(best, g)
		}
		switch {
		case q.Kind == NoAnswer && len(q.Judgments) > 0:
			out = append(out, fmt.Sprintf("%s: a noanswer query has judgments", q.ID))
		case q.Kind != NoAnswer && best < Clearly:
			out = append(out, fmt.Sprintf("%s: no offer of grade 2 or 3", q.ID))
		}
		if q.Kind == NoAnswer && q.Group != "" {
			out = append(out, fmt.Sprintf("%s: a noanswer query in group %q", q.ID, q.Group))
		}
	}
	for _, k := range Kinds {
		if perKind[k] < minPerKind {
			out = append(out, fmt.Sprintf("kind %s has %d queries, want at least %d", k, perKind[k], minPerKind))
		}
	}
	for g, n := range groups {
		if n < 2 {
			out = append(out, fmt.Sprintf("group %q has only one query", g))
		}
	}
	slices.Sort(out)
	return out
}

// Honest tells whether the answer to a query that no offer answers is
// honest: nothing is presented as a full match, i.e. there are no hits or
// every hit is marked as matching only part of the query.
func Honest(r search.Result) bool {
	if r.Full > 0 {
		return false
	}
	for _, h := range r.Hits {
		if !h.Partial {
			return false
		}
	}
	return true
}

// Run is the outcome of one query.
type Run struct {
	Query   Query
	Hits    []string // offer IDs in rank order, at most RecallAt
	Partial []bool   // by hit: matches only part of the query
	Total   int
	Full    int     // hits that match the whole query (search.Result.Full)
	NDCG    float64 // at NDCGAt; 0 for noanswer queries
	Recall  float64 // at RecallAt; 0 for noanswer queries
	Honest  bool    // for noanswer queries: see Honest
}

// Row is the figures of a kind or of all answerable queries.
type Row struct {
	Kind    string
	Queries int
	NDCG    float64 // mean
	Recall  float64 // mean
	Empty   int     // answerable queries without any hit
	NoFull  int     // answerable queries without a full match (all hits partial, or none)
	Honest  int     // noanswer queries answered honestly
}

// GroupRow is the consistency of one group of surface variants.
type GroupRow struct {
	Group   string
	Queries []string
	Jaccard float64 // mean over pairs of the top GroupAt
}

// Report is the evaluation of a set on an index.
type Report struct {
	Runs    []Run
	Kinds   []Row
	Overall Row // every answerable query
	Groups  []GroupRow
	Jaccard float64 // mean over groups
}

// Evaluate runs every query of the set on ix, with a fixed clock.
func Evaluate(s *Set, ix *search.Index, now time.Time) Report {
	var rep Report
	for _, q := range s.Queries {
		res := ix.Search(search.Query{Text: q.Query, PageSize: RecallAt, Now: now})
		run := Run{Query: q, Total: res.Total, Full: res.Full}
		for _, h := range res.Hits {
			run.Hits = append(run.Hits, s.IDs[h.ID])
			run.Partial = append(run.Partial, h.Partial)
		}
		if q.Kind == NoAnswer {
			run.Honest = Honest(res)
		} else {
			run.NDCG = NDCG(run.Hits, q.Judgments, NDCGAt)
			run.Recall = Recall(run.Hits, q.Judgments, RecallAt)
		}
		rep.Runs = append(rep.Runs, run)
	}
	rows := map[string]*Row{}
	rep.Overall.Kind = "overall"
	for _, r := range rep.Runs {
		k := r.Query.Kind
		if rows[k] == nil {
			rows[k] = &Row{Kind: k}
		}
		row := rows[k]
		row.Queries++
		if k == NoAnswer {
			if r.Honest {
				row.Honest++
			}
			continue
		}
		for _, x := range []*Row{row, &rep.Overall} {
			if x != row {
				x.Queries++
			}
			x.NDCG += r.NDCG
			x.Recall += r.Recall
			if r.Total == 0 {
				x.Empty++
			}
			if r.Full == 0 {
				x.NoFull++
			}
		}
	}
	order := append(slices.Clone(Kinds), "")
	for k := range rows {
		if !slices.Contains(Kinds, k) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		if row := rows[k]; row != nil {
			row.mean()
			rep.Kinds = append(rep.Kinds, *row)
		}
	}
	rep.Overall.mean()

	byGroup := map[string][]Run{}
	for _, r := range rep.Runs {
		if g := r.Query.Group; g != "" {
			byGroup[g] = append(byGroup[g], r)
		}
	}
	for g, runs := range byGroup {
		gr := GroupRow{Group: g}
		pairs := 0
		for i := range runs {
			gr.Queries = append(gr.Queries, runs[i].Query.Query)
			for j := i + 1; j < len(runs); j++ {
				gr.Jaccard += Jaccard(top(runs[i].Hits, GroupAt), top(runs[j].Hits, GroupAt))
				pairs++
			}
		}
		if pairs > 0 {
			gr.Jaccard /= float64(pairs)
		}
		rep.Groups = append(rep.Groups, gr)
		rep.Jaccard += gr.Jaccard
	}
	slices.SortFunc(rep.Groups, func(a, b GroupRow) int { return cmp.Compare(a.Group, b.Group) })
	if len(rep.Groups) > 0 {
		rep.Jaccard /= float64(len(rep.Groups))
	}
	return rep
}

func (r *Row) mean() {
	if n := r.Queries; n > 0 && r.Kind != NoAnswer {
		r.NDCG /= float64(n)
		r.Recall /= float64(n)
	}
}

func top(hits []string, k int) []string { return hits[:min(k, len(hits))] }

// NDCG is the normalised discounted cumulative gain of a ranking at k, with
// gains 2^grade - 1 and the discount log2(rank + 1); the ideal ranking
// orders all judged offers by grade. It is 0 when nothing is relevant.
func NDCG(ranked []string, judgments map[string]int, k int) float64 {
	dcg := 0.0
	for i, id := range top(ranked, k) {
		dcg += gain(judgments[id]) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(judgments))
	for _, g := range judgments {
		grades = append(grades, g)
	}
	slices.SortFunc(grades, func(a, b int) int { return b - a })
	ideal := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		ideal += gain(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func gain(grade int) float64 {
	if grade <= 0 {
		return 0
	}
	return math.Exp2(float64(grade)) - 1
}

// Recall is the share of the offers judged relevant (grade >= 1) found in
// the first k of the ranking; 0 when nothing is relevant.
func Recall(ranked []string, judgments map[string]int, k int) float64 {
	relevant := 0
	for _, g := range judgments {
		if g >= Partly {
			relevant++
		}
	}
	if relevant == 0 {
		return 0
	}
	found := 0
	for _, id := range top(ranked, k) {
		if judgments[id] >= Partly {
			found++
		}
	}
	return float64(found) / float64(relevant)
}

// Jaccard is |a ∩ b| / |a ∪ b| of two sets of IDs. It is 0 when both are
// empty: groups hold answerable needs, and two empty answers to one are no
// consistency worth counting.
func Jaccard(a, b []string) float64 {
	union := map[string]int{}
	for _, x := range a {
		union[x] |= 1
	}
	for _, x := range b {
		union[x] |= 2
	}
	if len(union) == 0 {
		return 0
	}
	both := 0
	for _, v := range union {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(union))
}

// Table writes the figures per kind, overall and the group consistency as
// Markdown tables.
func (rep Report) Table(w io.Writer) {
	fmt.Fprintf(w, "| kind | queries | nDCG@%d | recall@%d | no hits | no full match | honest |\n", NDCGAt, RecallAt)
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rep.Kinds {
		if r.Kind == NoAnswer {
			fmt.Fprintf(w, "| %s | %d | – | – | – | – | %d/%d (%.2f) |\n", r.Kind, r.Queries, r.Honest, r.Queries, share(r.Honest, r.Queries))
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %.3f | %.3f | %d | %d | – |\n", r.Kind, r.Queries, r.NDCG, r.Recall, r.Empty, r.NoFull)
	}
	o := rep.Overall
	fmt.Fprintf(w, "| **all answerable** | %d | **%.3f** | **%.3f** | %d | %d | – |\n", o.Queries, o.NDCG, o.Recall, o.Empty, o.NoFull)
	fmt.Fprintf(w, "\nConsistency of surface variants (mean Jaccard overlap of the top %d between the queries of a group): **%.3f** over %d groups\n\n",
		GroupAt, rep.Jaccard, len(rep.Groups))
	fmt.Fprintln(w, "| group | Jaccard | queries |")
	fmt.Fprintln(w, "| --- | ---: | --- |")
	for _, g := range rep.Groups {
		fmt.Fprintf(w, "| %s | %.2f | %s |\n", g.Group, g.Jaccard, strings.Join(g.Queries, " · "))
	}
}

// Details writes one line per query: its figures and its first hits, marked
// with their grades.
func (rep Report) Details(w io.Writer) {
	fmt.Fprintln(w, "| query | kind | text | nDCG@10 | recall@20 | total | full | first hits (grade; * partial match) |")
	fmt.Fprintln(w, "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
	for _, r := range rep.Runs {
		var hits []string
		for i, h := range top(r.Hits, 5) {
			mark := ""
			if i < len(r.Partial) && r.Partial[i] {
				mark = "*"
			}
			hits = append(hits, fmt.Sprintf("%s%s(%d)", h, mark, r.Query.Judgments[h]))
		}
		figures := fmt.Sprintf("%.2f | %.2f", r.NDCG, r.Recall)
		if r.Query.Kind == NoAnswer {
			figures = "honest | yes"
			if !r.Honest {
				figures = "honest | no"
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %d | %s |\n", r.Query.ID, r.Query.Kind, r.Query.Query, figures, r.Total, r.Full, strings.Join(hits, " "))
	}
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
