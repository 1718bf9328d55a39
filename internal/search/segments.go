package search

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// A catalog that changes a few offers at a time need not rebuild its index:
// it keeps a large base index, a small delta index of the offers changed
// since (built with NewDelta, so that its scores are comparable with the
// base's), and a set of base documents that the delta replaces or that were
// withdrawn (Query.Exclude). Both are searched with the same query (TopN
// hits each) and the results merged with Merge; the caller rebuilds the
// base from time to time so that the delta stays small.

// NewDelta builds an index over docs whose BM25 scores use base's
// collection statistics (number of documents, average field lengths and
// document frequencies plus those of docs), so that its hits can be merged
// with base's. Typo correction and prefix expansion use docs' own words.
func NewDelta(docs []Doc, base *Index) *Index {
	if base == nil {
		return New(docs)
	}
	return newIndex(docs, base)
}

// Position returns the position of the document id in ID order, for
// Query.Exclude.
func (ix *Index) Position(id int64) (int, bool) {
	if ix == nil {
		return 0, false
	}
	return slices.BinarySearch(ix.ids, id)
}

// IDs calls fn with the ID of every document, in ID order.
func (ix *Index) IDs(fn func(id int64)) {
	if ix == nil {
		return
	}
	for _, id := range ix.ids {
		fn(id)
	}
}

// Merge combines the results of one query over indexes that hold disjoint
// sets of documents (each searched with TopN = page × page size) into the
// page q asks for: totals and facet counts summed, hits merged in the sort
// order Search uses. price gives an offer's price for the price sort. The
// terms as understood come from the first result that has hits.
func Merge(q Query, price func(id int64) int64, rs ...Result) Result {
	page := max(q.Page, 1)
	size := q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxPageSize)
	if len(rs) == 0 {
		return Result{Facets: map[string][]FacetCount{}, Terms: []string{}, Hits: []Hit{}}
	}
	out := Result{Facets: make(map[string][]FacetCount, numFacets), Terms: rs[0].Terms, Corrected: rs[0].Corrected}
	for _, r := range rs {
		if r.Total > 0 {
			out.Terms, out.Corrected = r.Terms, r.Corrected
			break
		}
	}
	var hits []Hit
	for _, r := range rs {
		out.Total += r.Total
		out.Full += r.Full
		hits = append(hits, r.Hits...)
	}
	if out.Full == 0 {
		for _, r := range rs {
			for _, w := range r.Related {
				if !slices.Contains(out.Related, w) {
					out.Related = append(out.Related, w)
				}
			}
		}
	}
	for _, name := range facetName {
		var sum []FacetCount
		for _, r := range rs {
			for _, fc := range r.Facets[name] {
				i := slices.IndexFunc(sum, func(s FacetCount) bool { return s.Value == fc.Value })
				if i < 0 {
					sum = append(sum, fc)
				} else {
					sum[i].Count += fc.Count
				}
			}
		}
		if sum == nil {
			sum = []FacetCount{}
		}
		slices.SortFunc(sum, func(a, b FacetCount) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Value, b.Value)
		})
		out.Facets[name] = sum
	}

	mode := q.Sort
	if mode != "date" && mode != "price" {
		mode = "relevance"
		if len(out.Terms) == 0 {
			mode = "date"
		}
	}
	next := func(h Hit) int64 {
		if h.NextSession == nil {
			return math.MaxInt64
		}
		return h.NextSession.UnixNano()
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if a.Partial != b.Partial {
			if a.Partial {
				return 1
			}
			return -1
		}
		var c int
		switch mode {
		case "date":
			c = cmp.Or(cmp.Compare(next(a), next(b)), cmp.Compare(b.Score, a.Score))
		case "price":
			c = cmp.Or(cmp.Compare(price(a.ID), price(b.ID)), cmp.Compare(b.Score, a.Score), cmp.Compare(next(a), next(b)))
		default:
			c = cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(next(a), next(b)))
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	from := min((page-1)*size, len(hits))
	to := min(page*size, len(hits))
	out.Hits = append([]Hit{}, hits[from:to]...)
	return out
}

// NextOf is the first of sessions (ascending) at or after now, as Search
// reports it in Hit.NextSession.
func NextOf(sessions []time.Time, now time.Time) *time.Time {
	for _, s := range sessions {
		if !s.Before(now) {
			t := s.In(now.Location())
			return &t
		}
	}
	return nil
}

// seed registers base's vocabulary (its words and stems, without
// postings) in a delta's builder, with the base's term IDs, so that the
// delta reads a query as the base does: a word the base knows is not
// "corrected" into another one in the delta, typo corrections are looked
// up in the same words, and a query's terms can be evaluated on the base
// for its statistics (see Index.matches).
func (b *builder) seed(base *Index) {
	stems := make([]string, len(base.idf))
	for s, t := range base.terms {
		stems[t] = s
	}
	term := func(s string) int32 {
		t, ok := b.ix.terms[s]
		if !ok {
			t = int32(len(b.termStr))
			b.ix.terms[s] = t
			b.termStr = append(b.termStr, s)
			b.tf = append(b.tf, 0)
		}
		return t
	}
	for _, s := range stems {
		term(s) // in ID order: the same IDs as in base
	}
	for i, w := range base.words {
		if _, ok := b.words[w]; ok {
			continue
		}
		b.words[w] = int32(len(b.wordTerm))
		b.wordTerm = append(b.wordTerm, term(stems[base.wordTerm[i]]))
		b.wordCnt = append(b.wordCnt, 0)
		b.wordShow = append(b.wordShow, base.wordsShow[i])
	}
}

// matches is the number of documents an expression of a delta's query
// matches in its base.
func (ix *Index) matches(e *expr) int {
	sc := ix.getScratch()
	defer sc.release()
	return len(ix.eval(e, sc).docs)
}
