package search

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// segmented is a base index, a delta of changed documents and the base
// documents it hides, as the catalog keeps them between rebuilds.
type segmented struct {
	base, delta *Index
	exclude     []uint64
	price       map[int64]int64
}

func (s *segmented) search(q Query) Result {
	size := q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	bq, dq := q, q
	bq.TopN, dq.TopN = max(q.Page, 1)*min(size, MaxPageSize), max(q.Page, 1)*min(size, MaxPageSize)
	bq.Exclude = s.exclude
	return Merge(q, func(id int64) int64 { return s.price[id] }, s.base.Search(bq), s.delta.Search(dq))
}

// TestSegmentsEqualRebuild: a base plus a delta of changed, added and
// withdrawn documents finds what an index rebuilt from the final documents
// finds: the same totals and facet counts for every query, and the same
// hits in the same order where the order does not depend on scores.
func TestSegmentsEqualRebuild(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	docs := GenerateAt(3000, 5, GenStart)
	base := New(docs)
	final := map[int64]Doc{}
	for _, d := range docs {
		final[d.ID] = d
	}
	changed := map[int64]bool{}
	extra := GenerateAt(400, 9, GenStart)
	for i := 0; i < 150; i++ {
		d := docs[r.IntN(len(docs))]
		switch r.IntN(3) {
		case 0: // withdrawn
			delete(final, d.ID)
		case 1: // another text and facets
			o := extra[r.IntN(len(extra))]
			o.ID, o.ProviderID = d.ID, d.ProviderID
			final[d.ID] = o
		default: // a new session, another price
			d.Sessions = append(slices.Clone(d.Sessions), GenStart.AddDate(0, 0, r.IntN(200)))
			slices.SortFunc(d.Sessions, func(a, b time.Time) int { return a.Compare(b) })
			d.PriceCents += 1000
			final[d.ID] = d
		}
		changed[d.ID] = true
	}
	for i := 0; i < 60; i++ { // new offers
		o := extra[r.IntN(len(extra))]
		o.ID = int64(100000 + i)
		final[o.ID] = o
		changed[o.ID] = true
	}
	var all, delta []Doc
	seg := &segmented{base: base, exclude: make([]uint64, (base.Len()+63)/64), price: map[int64]int64{}}
	for id, d := range final {
		all = append(all, d)
		seg.price[id] = d.PriceCents
		if changed[id] {
			delta = append(delta, d)
		}
	}
	for id := range changed {
		if p, ok := base.Position(id); ok {
			seg.exclude[p>>6] |= 1 << (uint(p) & 63)
		}
	}
	seg.delta = NewDelta(delta, base)
	full := New(all)

	for i := 0; i < 400; i++ {
		q := randomQuery(r, all)
		q.Sort = []string{"", "date", "price"}[r.IntN(3)]
		q.Page = 1 + r.IntN(3)
		want, got := full.Search(q), seg.search(q)
		if got.Total != want.Total {
			t.Fatalf("%+v: total %d, rebuilt %d", q, got.Total, want.Total)
		}
		for _, f := range FacetNames {
			if !slices.Equal(got.Facets[f], want.Facets[f]) {
				t.Fatalf("%+v: facet %s %v, rebuilt %v", q, f, got.Facets[f], want.Facets[f])
			}
		}
		if q.Text == "" && !slices.Equal(hitIDs(got), hitIDs(want)) {
			t.Fatalf("%+v: hits %v, rebuilt %v", q, hitIDs(got), hitIDs(want))
		}
		if q.Text != "" && len(got.Hits) != len(want.Hits) {
			t.Fatalf("%+v: %d hits, rebuilt %d", q, len(got.Hits), len(want.Hits))
		}
	}
}

func hitIDs(r Result) []int64 {
	out := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}
