package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
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
	weightWhole   = 0.5 // bonus for the compound as typed, besides its parts
	// minTypo2Runes is the least length of a word in which two typos are
	// corrected (shorter ones: one), so that "Anfänger" does not become
	// "Anhänge".
	minTypo2Runes = 10
)

// Partial matches.
const (
	// weakShare: a concept found in more than this share of the offers
	// (e.g. "Verwaltung" in a catalog for administrations) is not
	// required for a full match, unless all concepts are that common.
	weakShare = 0.25
	// weakMinDocs: in smaller catalogs no concept is weak.
	weakMinDocs = 40
	// minCoverage is the least IDF-weighted share of the query's concepts
	// found in the catalog that a partial match must cover; it must also
	// match a concept that is not weak. (Concepts found nowhere make
	// every match partial but do not count here: else one unknown word
	// would hide everything, which is what partial matches are for.)
	minCoverage = 0.5
	// minCoverageLong is minCoverage for queries of three words or more,
	// where an offer about the most specific of them is worth showing.
	minCoverageLong = 0.34
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
	show string // as understood, for related words
	// folded are the words typed, for related terms.
	folded []string
	// optional concepts add to the score but are not asked for: words
	// every offer of a training catalog is about ("Schulung", "Kurs",
	// "training"), and the whole of a compound whose parts are asked for.
	optional bool
	// token is the number of the word typed the concept comes from;
	// share is its part of that word's weight (1/parts of a compound).
	token int
	share float64
	// wholeDF is the number of offers with the whole compound a part
	// concept comes from: a compound weighs as specific as it is, not
	// as its (often common) parts.
	wholeDF int
}

type qtoken struct {
	lower, folded, stem string
	trailing            bool
	// also are further corrections of a misspelt word.
	also []int32
}

// genericWords are what every offer of the catalog is: a query word among
// them asks for nothing in particular (unless it is all the query asks).
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`Schulung Schulungen Seminar Seminare Kurs Kurse Fortbildung Fortbildungen
		Weiterbildung Weiterbildungen Training Trainings Workshop Workshops Lehrgang Lehrgänge Qualifizierung
		Webinar Webinare Veranstaltung Veranstaltungen Angebot Angebote Kursangebot
		course courses class classes`) {
		t := tokenizer{s: w}
		t.next()
		m[stem(string(t.folded))] = true
	}
	return m
}()

// fold returns the folded spelling of the first word of s.
func fold(s string) string {
	t := tokenizer{s: s}
	t.next()
	return string(t.folded)
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
		toks = append(toks, qtoken{lower: string(t.lower), folded: f, stem: s, trailing: t.trailing})
	}
	th := q.Thesaurus
	if th == nil {
		th = DefaultThesaurus()
	}
	// A word that neither the catalog, the thesaurus nor the decompounder
	// knows is read as its closest spelling, which is then analysed like
	// a word typed: "Bürgerbeteilgung" splits and expands like
	// "Bürgerbeteiligung".
	for k := range toks {
		tok := &toks[k]
		typing := q.Prefix && k == len(toks)-1 && tok.trailing
		if ix.knows(tok, th) || (typing && ix.hasPrefix(tok.folded)) {
			continue
		}
		if w, also, ok := ix.correct(tok.folded); ok {
			tok.lower, tok.folded, tok.also = w, fold(w), also
			tok.stem = stem(tok.folded)
			res.Corrected = true
		}
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
				n, expansions = l, th.closure(stems, exp)
				break
			}
		}
		if n >= 3 {
			// A long phrase the thesaurus knows is the name of one
			// thing ("Neues Kommunales Haushalts- und
			// Rechnungswesen"): all its words, or an expansion.
			var literal []*expr
			var shows []string
			for k := i; k < i+n; k++ {
				literal = append(literal, ix.tokenExpr(toks[k], th))
				shows = append(shows, toks[k].lower)
				res.Terms = append(res.Terms, toks[k].lower)
			}
			alts := []*expr{}
			if e := andExpr(literal, 1); e != nil {
				alts = append(alts, e)
			}
			for _, x := range expansions {
				if e := ix.phraseExpr(x, th); e != nil {
					alts = append(alts, e)
				}
			}
			out = append(out, concept{e: orExpr(alts, 1), show: strings.Join(shows, " "), folded: []string{toks[i].folded}, token: i, share: 1})
			i += n
			continue
		}
		for k := i; k < i+n; k++ {
			prefix := q.Prefix && k == len(toks)-1
			cs := ix.tokenConcepts(toks[k], prefix, expansions, th)
			for j := range cs {
				cs[j].token = k
			}
			out = append(out, cs...)
			res.Terms = append(res.Terms, toks[k].lower)
		}
		i += n
	}
	// Generic words are optional unless the query has nothing else.
	specific := slices.ContainsFunc(out, func(c concept) bool { return !c.optional && !c.generic() })
	for i := range out {
		if specific && out[i].generic() {
			out[i].optional = true
		}
	}
	return out
}

func (c concept) generic() bool {
	return len(c.folded) == 1 && genericWords[stem(c.folded[0])]
}

// knows reports whether the catalog, the thesaurus or the decompounder
// knows the word.
func (ix *Index) knows(tok *qtoken, th *Thesaurus) bool {
	if _, ok := ix.terms[tok.stem]; ok {
		return true
	}
	if th.has(tok.stem) {
		return true
	}
	return ix.split(tok.folded) != nil
}

// hasPrefix reports whether a word of the catalog begins with p.
func (ix *Index) hasPrefix(p string) bool {
	if utf8.RuneCountInString(p) < minPrefixRunes {
		return false
	}
	i, _ := slices.BinarySearch(ix.words, p)
	return i < len(ix.words) && strings.HasPrefix(ix.words[i], p)
}

// correct returns the closest spelling of a misspelt word (a word of the
// catalog, or a compound whose last part was misspelt) and the terms of
// the next closest.
func (ix *Index) correct(w string) (string, []int32, bool) {
	n := utf8.RuneCountInString(w)
	if n >= minTypoRunes && !isNumber(w) {
		maxDist := 1
		if n >= minTypo2Runes {
			maxDist = 2
		}
		if cs := ix.corrections(w, maxDist); len(cs) > 0 {
			var also []int32
			for _, c := range cs[1:] {
				also = append(also, c.term)
			}
			return cs[0].show, also, true
		}
	}
	if word, ok := ix.typoCompound(w); ok {
		return word, nil, true
	}
	return "", nil, false
}

// tokenConcepts returns the concepts of one word: one, or one per part of
// a compound (so that an offer with some of the parts is a partial
// match) plus the whole compound as an optional concept. expansions are
// the thesaurus' for the phrase the word belongs to; they satisfy every
// concept of the phrase.
func (ix *Index) tokenConcepts(tok qtoken, prefix bool, expansions []string, th *Thesaurus) []concept {
	withExpansions := func(alts []*expr) []*expr {
		for _, x := range expansions {
			if e := ix.phraseExpr(x, th); e != nil {
				alts = append(alts, e)
			}
		}
		return alts
	}
	whole, hasWhole := ix.terms[tok.stem]
	if parts := ix.split(tok.folded); parts != nil {
		var out []concept
		for _, p := range parts {
			var alts []*expr
			if e := ix.partExpr(p, 0, th); e != nil {
				alts = append(alts, e)
			}
			if hasWhole {
				alts = append(alts, termExpr(whole, 1))
			}
			share := 1 / float64(len(parts))
			// the parts' scores add up to about the word's
			c := concept{e: orExpr(withExpansions(alts), float32(share)), show: ix.display(p), folded: []string{p}, share: share}
			if hasWhole {
				c.wholeDF = ix.df(whole)
			}
			out = append(out, c)
		}
		if hasWhole {
			out = append(out, concept{e: termExpr(whole, weightWhole), show: tok.lower, folded: []string{tok.folded}, optional: true, share: 1})
		}
		return out
	}
	var alts []*expr
	if hasWhole {
		alts = append(alts, termExpr(whole, 1))
	}
	for _, t := range tok.also {
		alts = append(alts, termExpr(t, weightTypo))
	}
	if prefix && tok.trailing && utf8.RuneCountInString(tok.folded) >= minPrefixRunes {
		if ps := ix.prefix(tok.folded, whole, hasWhole); len(ps) > 0 {
			alts = append(alts, &expr{term: -1, or: ps, w: 1, norm: true})
		}
	}
	return []concept{{e: orExpr(withExpansions(alts), 1), show: tok.lower, folded: []string{tok.folded}, share: 1}}
}

// display is the spelling of a part of a compound: the catalog's, else the
// shipped list's.
func (ix *Index) display(p string) string {
	if t, ok := ix.terms[stem(p)]; ok && ix.termShow[t] != "" {
		return ix.termShow[t]
	}
	if l, ok := lexicon()[p]; ok {
		return strings.ToLower(l)
	}
	return p
}

// partExpr matches one part of a compound: the word, its own parts, and
// its thesaurus expansions ("schulung": Seminar, Kurs …).
func (ix *Index) partExpr(p string, depth int, th *Thesaurus) *expr {
	var alts []*expr
	if t, ok := ix.terms[stem(p)]; ok {
		alts = append(alts, termExpr(t, 1))
	}
	if depth < 2 {
		if sub := ix.partsExpr(p, depth+1, th); sub != nil {
			alts = append(alts, sub)
		}
	}
	for _, x := range th.lookup([]string{stem(p)}) {
		if e := ix.phraseExpr(x, nil); e != nil {
			alts = append(alts, e)
		}
	}
	return orExpr(alts, 1)
}

// phraseExpr is a thesaurus expansion: all of its words, at the synonym
// weight.
func (ix *Index) phraseExpr(text string, th *Thesaurus) *expr {
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
		e := ix.tokenExpr(qtoken{folded: f, stem: s, lower: string(t.lower)}, th)
		if e == nil {
			return nil
		}
		parts = append(parts, e)
	}
	return andExpr(parts, weightSynonym)
}

// tokenExpr returns the alternatives of one word of a thesaurus
// expansion: itself and its compound parts.
func (ix *Index) tokenExpr(tok qtoken, th *Thesaurus) *expr {
	var alts []*expr
	if t, ok := ix.terms[tok.stem]; ok {
		alts = append(alts, termExpr(t, 1))
	}
	if p := ix.partsExpr(tok.folded, 0, th); p != nil {
		p.w *= weightParts
		alts = append(alts, p)
	}
	return orExpr(alts, 1)
}

// partsExpr returns all parts of the compound w (each itself a word or a
// compound), or nil if w is no compound of known words.
func (ix *Index) partsExpr(w string, depth int, th *Thesaurus) *expr {
	parts := ix.split(w)
	if parts == nil {
		return nil
	}
	var and []*expr
	for _, p := range parts {
		e := ix.partExpr(p, depth, th)
		if e == nil {
			return nil
		}
		and = append(and, e)
	}
	return andExpr(and, 1)
}

// typoCompound reads w as a known modifier followed by a misspelt last
// part ("Haushaltsplannung" → "haushaltsplanung").
func (ix *Index) typoCompound(w string) (string, bool) {
	if len(w) < minCompoundLen+2 {
		return "", false
	}
	sp := ix.splitter()
	for j := len(w) - minTypoRunes; j >= minPartLen; j-- {
		head := w[:j]
		if !sp.known(head, false) {
			continue
		}
		for _, l := range linking {
			rest := w[j:]
			if !strings.HasPrefix(rest, l) {
				continue
			}
			rest = rest[len(l):]
			if len(rest) < minTypoRunes {
				continue
			}
			maxDist := 1
			if len(rest) >= minTypo2Runes {
				maxDist = 2
			}
			cs := ix.corrections(rest, maxDist)
			if len(cs) == 0 {
				continue
			}
			return head + l + fold(cs[0].show), true
		}
	}
	return "", false
}

// split returns the parts of the compound w (see splitter), cached per
// index up to maxSplitCache words.
func (ix *Index) split(w string) []string {
	if v, ok := ix.splits.Load(w); ok {
		return v.([]string)
	}
	parts := ix.splitter().split(w)
	if ix.splitsN.Add(1) <= maxSplitCache {
		ix.splits.Store(strings.Clone(w), parts)
	}
	return parts
}

const maxSplitCache = 100_000

// splitter splits query words with the words of the catalog and the
// shipped list.
func (ix *Index) splitter() splitter {
	lex := lexicon()
	var known func(w string, last bool) bool
	known = func(w string, last bool) bool {
		if _, ok := lex[w]; ok {
			return true
		}
		if !last && len(w) >= minPartLen && wordOrLex(ix, lex, w+"en") {
			return true // a verb's stem as a modifier: Spar-beratung, Lern-plattform
		}
		if len(w) < minCorpusPartLen {
			return false
		}
		if _, ok := slices.BinarySearch(ix.words, w); ok {
			return true
		}
		if last && len(w) > minCorpusPartLen && inflected(w) {
			_, ok := ix.terms[stem(w)]
			return ok
		}
		return false
	}
	return splitter{known: func(w string, last bool) bool {
		if !last && len(w) < minPartLen {
			return false
		}
		return known(w, last)
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
		if len(l.docs) == 0 {
			continue
		}
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
		w *= idf(ix.statN, len(docs))
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
	var required, strong, asked uint32
	known := 0.0
	for i, c := range cs {
		if c.e != nil {
			lists[i] = ix.eval(c.e, sc)
		}
		df[i] = len(lists[i].docs)
		if ix.base != nil && c.e != nil {
			df[i] += ix.base.matches(c.e) // a delta weighs words as its base does
		}
		if c.optional {
			continue
		}
		asked |= 1 << i
		if df[i] > 0 {
			weights[i] = float64(idf(ix.statN, df[i])) * c.share
		}
		if ix.statN < weakMinDocs || float64(df[i]) <= weakShare*float64(ix.statN) {
			strong |= 1 << i
		}
	}
	// The parts of a compound share its weight equally (as specific as
	// the whole word is, where the catalog has it, else as its parts are
	// on average): either part alone is half a match, and the scores
	// decide which half comes first.
	for i, c := range cs {
		if c.optional || c.share == 1 || weights[i] == 0 {
			continue
		}
		sum, parts := 0.0, 0
		for j, o := range cs {
			if o.token == c.token && !o.optional {
				sum += float64(idf(ix.statN, max(df[j], 1)))
				parts++
			}
		}
		whole := sum / float64(parts)
		if c.wholeDF > 0 {
			whole = max(whole, float64(idf(ix.statN, c.wholeDF)))
		}
		weights[i] = whole * c.share
	}
	for i := range cs {
		known += weights[i]
	}
	tokens := 0
	for i, c := range cs {
		if asked&(1<<i) != 0 {
			tokens = max(tokens, c.token+1)
		}
	}
	minCov := minCoverage
	if tokens >= 3 {
		minCov = minCoverageLong
	}
	if asked == 0 { // only optional concepts: all are asked for
		asked = 1<<len(cs) - 1
		strong = asked
	}
	required = strong
	if required == 0 {
		required = asked
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
				keep = cov >= minCov*known
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
		// Most such words are nouns: written with a capital.
		if r, n := utf8.DecodeRuneInString(s); n > 0 {
			s = string(unicode.ToUpper(r)) + s[n:]
		}
		if s != "" && !slices.Contains(out, s) && len(out) < 6 {
			out = append(out, s)
		}
	}
	tokens := 0
	for _, c := range cs {
		tokens = max(tokens, c.token+1)
	}
	for tok := 0; tok < tokens; tok++ {
		// the word as a whole if all its concepts have hits (and the
		// query has other words), else the parts that have
		all, shown := true, ""
		for i, c := range cs {
			if c.token != tok || c.optional {
				continue
			}
			all = all && df[i] > 0
		}
		for i, c := range cs {
			if c.token == tok && c.optional && df[i] > 0 {
				shown = c.show
			}
		}
		if all && tokens > 1 {
			for i, c := range cs {
				if c.token == tok && !c.optional && shown == "" {
					if parts := cs[i]; parts.share == 1 {
						shown = c.show
					}
				}
			}
			if shown != "" {
				add(shown)
				continue
			}
		}
		for i, c := range cs {
			if c.token == tok && !c.optional && df[i] > 0 && (c.share < 1 || tokens > 1) {
				add(c.show)
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

// inflected reports whether w ends like an inflected form, which may be
// a word of the catalog in another form ("beteiligungen").
func inflected(w string) bool {
	switch w[len(w)-1] {
	case 'n', 's', 'e', 'r', 'm':
		return true
	}
	return false
}

// wordOrLex reports whether w is a word of the catalog or the shipped list.
func wordOrLex(ix *Index, lex map[string]string, w string) bool {
	if _, ok := lex[w]; ok {
		return true
	}
	_, ok := slices.BinarySearch(ix.words, w)
	return ok
}
