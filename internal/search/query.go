package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// Query analysis. The text becomes a list of concepts, one per word typed
// or per phrase the thesaurus knows ("citizen participation"). A concept
// is a tree of alternatives over index terms: the word itself; its
// compound parts, all of which must occur ("Haushaltsplanung" → Haushalt
// + Planung); its typo corrections; its prefix expansions while typing;
// and the thesaurus' expansions. Alternatives other than the literal word
// weigh less (the weight* constants). An offer matches a concept if one
// alternative matches; its score for the concept is the best weighted
// BM25F score among them.
//
// Concepts are not all required. An offer that matches every concept is a
// full match; one that matches the concepts that carry most of the query's
// weight (by IDF) is a partial match, listed after all full matches and
// marked as such; any other offer is left out, so that a query with a word
// nothing contains does not drown in offers matching only a common word.

// Weights of the alternatives.
const (
	weightParts   = 0.9 // the compound's parts instead of the compound
	weightTypo    = 0.8
	weightSynonym = 0.7 // thesaurus expansions
	weightPrefix  = 0.5
)

// Partial matches.
const (
	// weakShare: a concept found in more than this share of the offers
	// (e.g. "Verwaltung" in a catalog for administrations) is not
	// required for a full match, unless all concepts are that common.
	weakShare = 0.25
	// weakMinDocs: in smaller catalogs no concept is weak.
	weakMinDocs = 40
	// minCoverage is the least IDF-weighted share of the query a partial
	// match must cover; it must also match a concept that is not weak.
	minCoverage = 0.3
)

// expr is a node of a concept's tree: a term, or all of and, or the best
// of or. w multiplies the node's scores.
type expr struct {
	term int32
	and  []*expr
	or   []*expr
	w    float32
	// norm: the or-node's alternatives count as one term whose IDF is
	// that of their union (prefix expansions, so that a rare expansion
	// cannot outrank exact matches of a common word).
	norm bool
}

func termExpr(t int32, w float32) *expr { return &expr{term: t, w: w} }

func orExpr(alts []*expr, w float32) *expr {
	switch len(alts) {
	case 0:
		return nil
	case 1:
		alts[0].w *= w
		return alts[0]
	}
	return &expr{term: -1, or: alts, w: w}
}

func andExpr(parts []*expr, w float32) *expr {
	if len(parts) == 0 || slices.Contains(parts, nil) {
		return nil
	}
	if len(parts) == 1 {
		parts[0].w *= w
		return parts[0]
	}
	return &expr{term: -1, and: parts, w: w}
}

// concept is one thing the query asks for.
type concept struct {
	e    *expr  // nil: nothing in the catalog matches
	show string // as understood, for Result.Terms
	// folded are the words typed, for related terms.
	folded []string
}

type qtoken struct {
	lower, folded, stem string
	trailing            bool
}

// parse analyses the query text into concepts and fills res.Terms and
// res.Corrected.
func (ix *Index) parse(q *Query, res *Result) []concept {
	text := q.Text
	if len(text) > maxQueryScanned {
		text = text[:maxQueryScanned]
	}
	var toks []qtoken
	t := tokenizer{s: text}
	for len(toks) < maxQueryTerms && t.next() {
		f := string(t.folded)
		if stopwords[f] {
			continue
		}
		s := stem(f)
		if slices.ContainsFunc(toks, func(x qtoken) bool { return x.stem == s }) {
			continue
		}
		toks = append(toks, qtoken{string(t.lower), f, s, t.trailing})
	}
	th := q.Thesaurus
	if th == nil {
		th = DefaultThesaurus()
	}
	var out []concept
	for i := 0; i < len(toks); {
		n := 1
		var expansions []string
		for l := min(th.longest, len(toks)-i); l >= 1; l-- {
			stems := make([]string, l)
			for k := range stems {
				stems[k] = toks[i+k].stem
			}
			if exp := th.lookup(stems); exp != nil {
				n, expansions = l, exp
				break
			}
		}
		var c concept
		var literal []*expr
		var shows []string
		for k := i; k < i+n; k++ {
			last := k == len(toks)-1 && q.Prefix
			// words of a phrase the thesaurus knows are no typos
			e, show, corrected := ix.tokenExpr(toks[k], last, expansions == nil)
			literal = append(literal, e)
			shows = append(shows, show)
			c.folded = append(c.folded, toks[k].folded)
			res.Corrected = res.Corrected || corrected
		}
		c.show = strings.Join(shows, " ")
		alts := []*expr{}
		if e := andExpr(literal, 1); e != nil {
			alts = append(alts, e)
		}
		for _, x := range expansions {
			if e := ix.phraseExpr(x); e != nil {
				alts = append(alts, e)
			}
		}
		c.e = orExpr(alts, 1)
		out = append(out, c)
		res.Terms = append(res.Terms, c.show)
		i += n
	}
	return out
}

// phraseExpr is a thesaurus expansion: all of its words, at the synonym
// weight.
func (ix *Index) phraseExpr(text string) *expr {
	var parts []*expr
	t := tokenizer{s: text}
	var seen []string
	for t.next() {
		f := string(t.folded)
		if stopwords[f] {
			continue
		}
		s := stem(f)
		if slices.Contains(seen, s) {
			continue
		}
		seen = append(seen, s)
		e, _, _ := ix.tokenExpr(qtoken{folded: f, stem: s, lower: string(t.lower)}, false, false)
		if e == nil {
			return nil
		}
		parts = append(parts, e)
	}
	return andExpr(parts, weightSynonym)
}

// tokenExpr returns the alternatives of one word: itself, its compound
// parts, and (if it is not in the catalog) close spellings; prefix adds
// the words it begins, typos allows corrections.
func (ix *Index) tokenExpr(tok qtoken, prefix, typos bool) (e *expr, show string, corrected bool) {
	show = tok.lower
	var alts []*expr
	exact, ok := ix.terms[tok.stem]
	if ok {
		alts = append(alts, termExpr(exact, 1))
	}
	if p := ix.partsExpr(tok.folded, 0); p != nil {
		p.w *= weightParts
		alts = append(alts, p)
	}
	if prefix && tok.trailing && utf8.RuneCountInString(tok.folded) >= minPrefixRunes {
		if ps := ix.prefix(tok.folded, exact, ok); len(ps) > 0 {
			alts = append(alts, &expr{term: -1, or: ps, w: 1, norm: true})
		}
	}
	if n := utf8.RuneCountInString(tok.stem); typos && len(alts) == 0 && n >= minTypoRunes && !isNumber(tok.stem) {
		maxDist := 1
		if n >= 8 {
			maxDist = 2
		}
		for i, c := range ix.corrections(tok.folded, maxDist) {
			alts = append(alts, termExpr(c.term, weightTypo))
			if i == 0 {
				show, corrected = c.show, true
			}
		}
	}
	return orExpr(alts, 1), show, corrected
}

// partsExpr returns all parts of the compound w (each itself a word or a
// compound), or nil if w is no compound of known words.
func (ix *Index) partsExpr(w string, depth int) *expr {
	if depth > 2 {
		return nil
	}
	parts := ix.splitter().split(w)
	if parts == nil {
		return nil
	}
	var and []*expr
	for _, p := range parts {
		var alts []*expr
		if t, ok := ix.terms[stem(p)]; ok {
			alts = append(alts, termExpr(t, 1))
		}
		if sub := ix.partsExpr(p, depth+1); sub != nil {
			alts = append(alts, sub)
		}
		e := orExpr(alts, 1)
		if e == nil {
			return nil
		}
		and = append(and, e)
	}
	return andExpr(and, 1)
}

// splitter splits query words with the words of the catalog and the
// shipped list.
func (ix *Index) splitter() splitter {
	lex := lexicon()
	return splitter{known: func(w string, last bool) bool {
		if _, ok := lex[w]; ok {
			return true
		}
		if len(w) < minCorpusPartLen {
			return false
		}
		if _, ok := slices.BinarySearch(ix.words, w); ok {
			return true
		}
		if last && len(w) > minCorpusPartLen {
			_, ok := ix.terms[stem(w)]
			return ok
		}
		return false
	}}
}

// eval returns the docs matching e, ascending, with their weighted scores
// (w of the result is 1 unless it is a bare posting list).
func (ix *Index) eval(e *expr, sc *scratch) plist {
	switch {
	case e.term >= 0:
		docs, scores := ix.postings(e.term)
		return plist{docs, scores, e.w}
	case len(e.and) > 0:
		lists := make([]plist, len(e.and))
		for i, c := range e.and {
			lists[i] = ix.eval(c, sc)
		}
		m := ix.intersect(lists, sc)
		m.w *= e.w
		return m
	}
	lists := make([]plist, len(e.or))
	total := 0
	for i, c := range e.or {
		lists[i] = ix.eval(c, sc)
		total += len(lists[i].docs)
	}
	for i, l := range lists {
		f := l.w
		if e.norm && e.or[i].term >= 0 {
			f /= ix.idf[e.or[i].term]
		}
		for k, d := range l.docs {
			if v := l.scores[k] * f; v > sc.dense[d] {
				sc.dense[d] = v
			}
			sc.bits[d>>6] |= 1 << (uint(d) & 63)
		}
	}
	docs, scores := sc.buf(min(total, ix.n))
	for wi, w := range sc.bits {
		for w != 0 {
			d := int32(wi<<6 | bits.TrailingZeros64(w))
			w &= w - 1
			docs = append(docs, d)
			scores = append(scores, sc.dense[d])
			sc.dense[d] = 0
		}
		sc.bits[wi] = 0
	}
	w := e.w
	if e.norm {
		w *= idf(ix.n, len(docs))
	}
	return plist{docs, scores, w}
}

// match evaluates the concepts and returns the matching docs, ascending,
// with their scores and whether each is a partial match; full is the
// number of full matches.
func (ix *Index) match(cs []concept, sc *scratch) (docs []int32, scores []float32, partial []bool, df []int) {
	lists := make([]plist, len(cs))
	df = make([]int, len(cs))
	weights := make([]float64, len(cs))
	var required, strong uint32
	total := 0.0
	for i, c := range cs {
		if c.e != nil {
			lists[i] = ix.eval(c.e, sc)
		}
		df[i] = len(lists[i].docs)
		weights[i] = float64(idf(ix.n, df[i]))
		total += weights[i]
		if ix.n < weakMinDocs || float64(df[i]) <= weakShare*float64(ix.n) {
			strong |= 1 << i
		}
	}
	required = strong
	if required == 0 {
		required = 1<<len(cs) - 1
	}
	if total == 0 {
		total = 1
	}
	mask := sc.masks(ix.n)
	n := 0
	for i, l := range lists {
		for k, d := range l.docs {
			if mask[d] == 0 {
				n++
			}
			mask[d] |= 1 << i
			sc.dense[d] += l.scores[k] * l.w
			sc.bits[d>>6] |= 1 << (uint(d) & 63)
		}
	}
	docs, scores = sc.buf(n)
	partial = sc.partialBuf(n)
	for wi, w := range sc.bits {
		for w != 0 {
			d := int32(wi<<6 | bits.TrailingZeros64(w))
			w &= w - 1
			m := mask[d]
			full := m&required == required
			keep := full
			if !full && m&strong != 0 {
				cov := 0.0
				for i := range cs {
					if m&(1<<i) != 0 {
						cov += weights[i]
					}
				}
				keep = cov/total >= minCoverage
			}
			if keep {
				docs = append(docs, d)
				scores = append(scores, sc.dense[d])
				partial = append(partial, !full)
			}
			sc.dense[d] = 0
			mask[d] = 0
		}
		sc.bits[wi] = 0
	}
	return docs, scores, partial, df
}

// related returns words near a query that found no full match: the
// concepts that have hits on their own, and the parts of unknown compounds
// that do, in the spelling of the catalog.
func (ix *Index) related(cs []concept, df []int) []string {
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) && len(out) < 6 {
			out = append(out, s)
		}
	}
	for i, c := range cs {
		if df[i] > 0 && len(cs) > 1 {
			add(c.show)
			continue
		}
		for _, w := range c.folded {
			for _, p := range ix.splitter().split(w) {
				if t, ok := ix.terms[stem(p)]; ok && ix.df(t) > 0 {
					add(ix.termShow[t])
				}
			}
		}
	}
	return out
}

// masks returns the per-doc concept masks, all zero.
func (sc *scratch) masks(n int) []uint32 {
	if len(sc.mask) < n {
		sc.mask = make([]uint32, n)
	}
	return sc.mask
}

func (sc *scratch) partialBuf(n int) []bool {
	if cap(sc.partial) < n {
		sc.partial = make([]bool, 0, n)
	}
	return sc.partial[:0]
}
