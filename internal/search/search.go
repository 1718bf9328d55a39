// Package search is a per-process, in-memory full-text and facet index over
// the catalog's published offers. The database stays the only source of
// truth: the caller builds an Index from its rows with New and swaps it in
// atomically whenever the catalog changes. It lives in memory rather than
// in the database because that gives identical results on SQLite and
// PostgreSQL, German stemming with typo tolerance, and disjunctive facet
// counts over 100,000 offers within a few milliseconds, none of which FTS5
// or tsvector provide; and since every instance rebuilds its index from
// the database, instances stay stateless.
//
// Text analysis: lower-casing, umlaut folding, splitting on everything but
// letters and digits, German stopwords, the snowball German stemmer and a
// derivational step (-isier-, see stem). Ranking is BM25F over weighted
// fields; all query terms must match (AND). A term not in the dictionary is
// replaced by up to three close dictionary terms (typo correction), and the
// last term also matches as a prefix while the user is typing it (the text
// does not end in a space).
package search

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"
)

// Doc is one published offer as the index sees it.
type Doc struct {
	ID                                    int64
	Title, Summary, Description, Provider string
	Outcomes, Competences                 []string // competence names, for text search
	Keywords                              []string // the provider's keywords (MOOChub "keywords")
	// Facet values:
	Format, Level, Certificate, Language string
	CompetenceAreas                      []string // area codes, e.g. "DS", "RECHT"
	ProviderID                           int64
	Regions                              []string    // district keys (5-digit AGS) of the offer's sessions, plus "online" for online sessions
	Sessions                             []time.Time // start times of sessions that are still open for registration
	PriceCents                           int64
	FundingTracks                        []string // "programme/track", e.g. "foerderprogramm/basis"
}

// Query is a search request. The zero Query lists all offers, next date
// first.
type Query struct {
	Text string
	// Filters maps a facet name (see FacetNames) to the accepted values:
	// OR within a facet, AND across facets. Unknown facet names and
	// values are not errors (check them with ValidFacet and
	// ValidFacetValue first); an unknown value matches nothing.
	Filters map[string][]string
	// Sort is "relevance" (default; with empty Text: next date), "date"
	// (next session first; offers without one last) or "price"
	// (ascending). Ties fall back to relevance, next date and ID.
	Sort           string
	Page, PageSize int       // 1-based; PageSize default 20, max 100
	Now            time.Time // for date buckets and next sessions; zero: time.Now()
	// Prefix lets the last word match the words it begins while the
	// person is still typing it (the text does not end in a space): a
	// typing aid of the search box, not for API queries.
	Prefix bool
	// Thesaurus expands abbreviations, synonyms and English terms; nil
	// is DefaultThesaurus.
	Thesaurus *Thesaurus

	// For searching a catalog kept in several indexes (see Segments):
	// Exclude hides documents of this index from the hits and the facet
	// counts, bit i standing for the i-th document in ID order (see
	// Index.Position); TopN > 0 asks for the first TopN hits instead of a
	// page (Page and PageSize are then ignored).
	Exclude []uint64
	TopN    int
}

// Default and maximum page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// FacetCount is one facet value with the number of results it would give.
type FacetCount struct {
	Value string
	Count int
}

// Result is the answer to a Query.
type Result struct {
	Total int
	// Facets has every facet of FacetNames. Values are sorted by count
	// descending, then value; values without results are left out
	// unless they are selected in the query's filter. Counts are
	// disjunctive: those of facet F apply every filter but F's own, so
	// that choosing value v instead of F's current selection gives
	// exactly Count results.
	Facets map[string][]FacetCount
	Hits   []Hit // the page
	// Terms are the query terms as understood, after typo correction
	// (e.g. "projektmanagement" for "Projektmanagment"), for "Meinten
	// Sie …"; Corrected tells whether any was corrected.
	Terms     []string
	Corrected bool
	// Full is the number of full matches among Total: offers that match
	// every concept of the query. They come first in every sort order;
	// the others match only part of the query (Hit.Partial).
	Full int
	// Related are words near a query without full matches that do have
	// hits on their own ("Verwandte Begriffe"), in the catalog's spelling.
	Related []string
}

// Hit is one offer of the page.
type Hit struct {
	ID          int64
	Score       float64
	NextSession *time.Time // the first session at or after Query.Now
	// Partial: the offer matches only part of the query.
	Partial bool
}

// Query analysis limits.
const (
	maxQueryTerms   = 16   // further terms are ignored
	maxPrefixTerms  = 32   // most frequent expansions of a prefix
	maxPrefixWords  = 5000 // words scanned for a prefix
	minPrefixRunes  = 3
	minTypoRunes    = 5    // stem length for typo correction; 8 allows distance 2
	maxQueryScanned = 4096 // bytes of Text tokenized
)

// Date bucket bits of a document, by DateBuckets index.
const (
	date30 = 1 << iota
	date90
	date365
	dateNone
)

var day = int64(24 * time.Hour)

// plist is a sorted posting list with scores, to be multiplied by w.
type plist struct {
	docs   []int32
	scores []float32
	w      float32
}

type cand struct {
	doc     int32
	score   float32
	next    int64
	partial bool
}

type filter struct {
	f      int
	accept []bool // by value ID
	dmask  uint8  // date facet
	sel    []uint32
}

type scratch struct {
	dense []float32
	bits  []uint64
	docs  [][]int32
	score [][]float32
	used  int
	cands []cand
	// per doc: the concepts matched (match), and partial flags
	mask    []uint32
	partial []bool
}

var pool sync.Pool

func (ix *Index) getScratch() *scratch {
	sc, _ := pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.dense) < ix.n {
		sc.dense = make([]float32, ix.n)
		sc.bits = make([]uint64, (ix.n+63)/64)
	}
	sc.used = 0
	return sc
}

// buf returns a free pair of buffers of capacity n.
func (sc *scratch) buf(n int) ([]int32, []float32) {
	if sc.used == len(sc.docs) {
		sc.docs = append(sc.docs, nil)
		sc.score = append(sc.score, nil)
	}
	i := sc.used
	sc.used++
	if cap(sc.docs[i]) < n {
		sc.docs[i] = make([]int32, 0, n)
		sc.score[i] = make([]float32, 0, n)
	}
	return sc.docs[i][:0], sc.score[i][:0]
}

func (sc *scratch) release() {
	// Keep huge candidate buffers from pinning memory forever.
	if cap(sc.cands) > 1<<20 {
		sc.cands = nil
	}
	pool.Put(sc)
}

var emptyIndex = New(nil)

// Search runs a query. It never fails: odd input gives an ordinary answer.
func (ix *Index) Search(q Query) Result {
	if ix == nil {
		ix = emptyIndex
	}
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	nowNs := now.UnixNano()
	page := max(q.Page, 1)
	size := q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxPageSize)
	if q.TopN > 0 {
		page, size = 1, q.TopN
	}

	res := Result{Facets: make(map[string][]FacetCount, numFacets), Terms: []string{}, Hits: []Hit{}}
	sc := ix.getScratch()
	defer sc.release()

	concepts := ix.parse(&q, &res)
	filters := ix.filters(q.Filters)

	// Matching docs, ascending: all, or those matching enough concepts.
	all := len(concepts) == 0
	var mdocs []int32
	var mscores []float32
	var mpartial []bool
	var df []int
	if !all {
		mdocs, mscores, mpartial, df = ix.match(concepts, sc)
	}
	count := len(mdocs)
	if all {
		count = ix.n
	}

	var counts [numFacets][]int32
	for f := range counts {
		counts[f] = make([]int32, len(ix.values[f]))
	}
	in30, in90, in365 := satAdd(nowNs, 30*day), satAdd(nowNs, 90*day), satAdd(nowNs, 365*day)
	cands := sc.cands[:0]
	for k := 0; k < count; k++ {
		var d int32
		var score float32
		var partial bool
		if all {
			d = int32(k)
		} else {
			d, score, partial = mdocs[k], mscores[k], mpartial[k]
		}
		if q.Exclude != nil && q.Exclude[d>>6]&(1<<(uint(d)&63)) != 0 {
			continue
		}
		sv := ix.single[int(d)*numSingle : int(d)*numSingle+numSingle]
		next := ix.nextSession(d, nowNs)
		var dm uint8
		switch {
		case next == math.MaxInt64:
			dm = dateNone
		case next <= in30:
			dm = date30 | date90 | date365
		case next <= in90:
			dm = date90 | date365
		case next <= in365:
			dm = date365
		}
		fails, failed := 0, -1
		for i := range filters {
			fl := &filters[i]
			var ok bool
			switch {
			case fl.f < numSingle:
				ok = fl.accept[sv[fl.f]]
			case fl.f == fcDate:
				ok = dm&fl.dmask != 0
			default:
				mf := fl.f - fcCompetence
				for _, v := range ix.multi[mf][ix.multiOf[mf][d]:ix.multiOf[mf][d+1]] {
					if fl.accept[v] {
						ok = true
						break
					}
				}
			}
			if !ok {
				fails++
				failed = fl.f
				if fails > 1 {
					break
				}
			}
		}
		switch fails {
		case 0:
			for f := 0; f < numSingle; f++ {
				counts[f][sv[f]]++
			}
			for mf := 0; mf < numMulti; mf++ {
				c := counts[fcCompetence+mf]
				for _, v := range ix.multi[mf][ix.multiOf[mf][d]:ix.multiOf[mf][d+1]] {
					c[v]++
				}
			}
			countDate(counts[fcDate], dm)
			cands = append(cands, cand{d, score, next, partial})
			if !partial {
				res.Full++
			}
		case 1:
			switch {
			case failed < numSingle:
				counts[failed][sv[failed]]++
			case failed == fcDate:
				countDate(counts[fcDate], dm)
			default:
				mf := failed - fcCompetence
				c := counts[failed]
				for _, v := range ix.multi[mf][ix.multiOf[mf][d]:ix.multiOf[mf][d+1]] {
					c[v]++
				}
			}
		}
	}
	sc.cands = cands
	res.Total = len(cands)
	if !all && res.Full == 0 {
		res.Related = ix.related(concepts, df)
	}

	var selected [numFacets][]uint32
	for _, fl := range filters {
		selected[fl.f] = fl.sel
	}
	for f := range counts {
		res.Facets[facetName[f]] = ix.facetCounts(f, counts[f], selected[f])
	}

	sortMode := q.Sort
	if sortMode != "date" && sortMode != "price" {
		sortMode = "relevance"
		if all {
			sortMode = "date"
		}
	}
	loc := now.Location()
	for _, c := range ix.page(cands, sortMode, page, size) {
		h := Hit{ID: ix.ids[c.doc], Score: float64(c.score), Partial: c.partial}
		if c.next != math.MaxInt64 {
			t := time.Unix(0, c.next).In(loc)
			h.NextSession = &t
		}
		res.Hits = append(res.Hits, h)
	}
	return res
}

func countDate(c []int32, dm uint8) {
	for i := 0; i < len(DateBuckets); i++ {
		if dm&(1<<i) != 0 {
			c[i+1]++
		}
	}
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// prefix returns the most frequent terms of the words starting with p,
// other than the exact term.
func (ix *Index) prefix(p string, exact int32, hasExact bool) []*expr {
	i, _ := slices.BinarySearch(ix.words, p)
	var terms []int32
	for n := 0; i < len(ix.words) && n < maxPrefixWords; i, n = i+1, n+1 {
		w := ix.words[i]
		if len(w) < len(p) || w[:len(p)] != p {
			break
		}
		t := ix.wordTerm[i]
		if (hasExact && t == exact) || slices.Contains(terms, t) {
			continue
		}
		terms = append(terms, t)
	}
	if len(terms) > maxPrefixTerms {
		slices.SortFunc(terms, func(a, b int32) int { return cmp.Compare(ix.df(b), ix.df(a)) })
		terms = terms[:maxPrefixTerms]
	}
	out := make([]*expr, len(terms))
	for i, t := range terms {
		out[i] = termExpr(t, weightPrefix)
	}
	return out
}

func (ix *Index) postings(t int32) ([]int32, []float32) {
	if int(t) >= len(ix.idf) {
		return nil, nil // a delta's own term, evaluated on its base
	}
	a, b := ix.postOff[t], ix.postOff[t+1]
	return ix.postDoc[a:b:b], ix.postScore[a:b:b]
}

// intersect returns the docs in all lists, with summed weighted scores.
func (ix *Index) intersect(lists []plist, sc *scratch) plist {
	slices.SortFunc(lists, func(a, b plist) int { return cmp.Compare(len(a.docs), len(b.docs)) })
	cur := lists[0]
	for _, l := range lists[1:] {
		docs, scores := sc.buf(len(cur.docs))
		j := 0
		for i, d := range cur.docs {
			// gallop to the first l.docs[j] >= d
			if j < len(l.docs) && l.docs[j] < d {
				step := 1
				for j+step < len(l.docs) && l.docs[j+step] < d {
					j += step
					step <<= 1
				}
				hi := min(j+step, len(l.docs))
				k, _ := slices.BinarySearch(l.docs[j:hi], d)
				j += k
			}
			if j >= len(l.docs) {
				break
			}
			if l.docs[j] == d {
				docs = append(docs, d)
				scores = append(scores, cur.scores[i]*cur.w+l.scores[j]*l.w)
				j++
			}
		}
		cur = plist{docs, scores, 1}
		if len(docs) == 0 {
			break
		}
	}
	return cur
}

// filters compiles the query's filters, in facet order.
func (ix *Index) filters(fs map[string][]string) []filter {
	var out []filter
	for f, name := range facetName {
		vals := fs[name]
		if len(vals) == 0 {
			continue
		}
		fl := filter{f: f, accept: make([]bool, len(ix.values[f]))}
		for _, v := range vals {
			id, ok := ix.valueID[f][v]
			if !ok || id == 0 {
				continue
			}
			if !fl.accept[id] {
				fl.sel = append(fl.sel, id)
			}
			fl.accept[id] = true
			if f == fcDate {
				fl.dmask |= 1 << (id - 1)
			}
		}
		out = append(out, fl)
	}
	return out
}

func (ix *Index) facetCounts(f int, counts []int32, selected []uint32) []FacetCount {
	n := len(selected)
	for _, c := range counts[1:] {
		if c > 0 {
			n++
		}
	}
	out := make([]FacetCount, 0, n)
	for id := 1; id < len(counts); id++ {
		if counts[id] > 0 || slices.Contains(selected, uint32(id)) {
			out = append(out, FacetCount{ix.values[f][id], int(counts[id])})
		}
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

// page returns the candidates of the requested page, in sort order.
func (ix *Index) page(cands []cand, mode string, page, size int) []cand {
	if (page - 1) >= (len(cands)+size-1)/size {
		return nil
	}
	var byMode func(a, b cand) bool
	less := func(a, b cand) bool {
		if a.partial != b.partial {
			return !a.partial
		}
		return byMode(a, b)
	}
	switch mode {
	case "date":
		byMode = func(a, b cand) bool {
			if a.next != b.next {
				return a.next < b.next
			}
			if a.score != b.score {
				return a.score > b.score
			}
			return a.doc < b.doc
		}
	case "price":
		byMode = func(a, b cand) bool {
			if pa, pb := ix.price[a.doc], ix.price[b.doc]; pa != pb {
				return pa < pb
			}
			if a.score != b.score {
				return a.score > b.score
			}
			if a.next != b.next {
				return a.next < b.next
			}
			return a.doc < b.doc
		}
	default:
		byMode = func(a, b cand) bool {
			if a.score != b.score {
				return a.score > b.score
			}
			if a.next != b.next {
				return a.next < b.next
			}
			return a.doc < b.doc
		}
	}
	k := page * size // page-1 < len/size, so no overflow
	if k > len(cands) {
		k = len(cands)
	}
	var top []cand
	if k*8 >= len(cands) {
		slices.SortFunc(cands, func(a, b cand) int {
			switch {
			case less(a, b):
				return -1
			case less(b, a):
				return 1
			}
			return 0
		})
		top = cands[:k]
	} else {
		top = topK(cands, k, less)
	}
	return top[(page-1)*size:]
}

// topK returns the k least candidates in order, using a max-heap of the
// best k seen so far.
func topK(cands []cand, k int, less func(a, b cand) bool) []cand {
	h := make([]cand, 0, k)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && less(h[l], h[r]) {
				l = r
			}
			if !less(h[i], h[l]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for _, c := range cands {
		if len(h) < k {
			h = append(h, c)
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if !less(h[p], h[j]) {
					break
				}
				h[p], h[j] = h[j], h[p]
				j = p
			}
			continue
		}
		if less(c, h[0]) {
			h[0] = c
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b cand) int {
		if less(a, b) {
			return -1
		}
		return 1
	})
	return h
}
