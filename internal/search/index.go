package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Text fields and their BM25F weights.
const (
	fldTitle = iota
	fldCompetences
	fldSummary
	fldOutcomes
	fldKeywords
	fldDescription
	numFields
)

// fieldWeights weigh the text fields. The provider's name is no text field:
// its words would match every offer of that provider ("Akademie für
// digitale Verwaltung"); the provider facet finds a provider's offers.
var fieldWeights = [numFields]float64{fldTitle: 3, fldCompetences: 2, fldSummary: 1.5, fldOutcomes: 1.2, fldKeywords: 2.5, fldDescription: 1}

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Index is an immutable search index over a set of offers. It is safe for
// concurrent use; build a new one with New when the catalog changes and
// swap it in (e.g. with atomic.Pointer).
type Index struct {
	n int
	// statN and avgLen are the collection statistics scores are computed
	// with: this index's own, or a base index's for a delta (NewDelta).
	statN  int
	avgLen [numFields]float64
	base   *Index  // a delta's base (NewDelta): term IDs below its count are the base's
	ids    []int64 // by doc index; docs are ordered by ID

	// Text. Term t's postings are postDoc/postScore[postOff[t]:postOff[t+1]],
	// ascending by doc index; the score is the term's precomputed BM25F
	// contribution (the index never changes, so tf, lengths and IDF are
	// fixed at build time).
	terms     map[string]int32
	postOff   []uint32
	postDoc   []int32
	postScore []float32
	termShow  []string // the term's most frequent spelling, for Result.Terms
	// partShow spells the terms that compounds were split into, for
	// terms that are no word of the catalog.
	partShow map[int32]string
	// splits caches the splits of query words (Index.split).
	splits  sync.Map
	splitsN atomic.Int64
	idf     []float32 // by term

	// Surface words (folded), sorted, for prefix matching.
	words     []string
	wordTerm  []int32
	wordsShow []string // lower-case spelling with umlauts

	// Typo correction: words and stems, grouped by first rune, then by
	// length (see fuzzy.go).
	fuzzy      []fuzzyKey
	fuzzyRange map[rune][2]int32

	// Facets. Value 0 of every facet is "no value".
	values  [numFacets][]string
	valueID [numFacets]map[string]uint32
	single  []uint32 // n*numSingle
	multiOf [numMulti][]uint32
	multi   [numMulti][]uint32
	sessOff []uint32
	sess    []int64 // UnixNano, ascending per doc
	price   []int64
}

// Len returns the number of indexed offers.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return ix.n
}

// tfBits is the width of one field's term frequency in a packed tf word.
const tfBits = 5

// partWeight weighs a term that a doc has only as part of a compound
// against the term as a word of its own: "Aktenführung" is less about
// Führung than "Führung im Amt" is.
const partWeight = 0.5

// builder holds the transient state of New.
type builder struct {
	ix       *Index
	base     *Index           // for a delta: the index whose statistics score it
	words    map[string]int32 // folded surface -> word number
	wordTerm []int32
	wordCnt  []int32
	wordShow []string
	termStr  []string

	tf      []uint64 // by term: packed per-field tf of the current doc (fields, then the same fields for compound parts)
	touched []int32

	// doc-major postings
	dTerm  []int32
	dTF    []uint64
	docOff []uint32
	lens   [][numFields]uint16
}

// New builds an index over docs. The docs are not retained.
func New(docs []Doc) *Index { return newIndex(docs, nil) }

func newIndex(docs []Doc, base *Index) *Index {
	order := make([]int32, len(docs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(docs[a].ID, docs[b].ID) })

	ix := &Index{n: len(docs), ids: make([]int64, len(docs)), terms: map[string]int32{}}
	for f := range ix.values {
		ix.values[f] = []string{""}
		ix.valueID[f] = map[string]uint32{"": 0}
	}
	for i, b := range PriceBuckets {
		ix.valueID[fcPrice][b.Key] = uint32(i + 1)
		ix.values[fcPrice] = append(ix.values[fcPrice], b.Key)
	}
	for i, b := range DateBuckets {
		ix.valueID[fcDate][b.Key] = uint32(i + 1)
		ix.values[fcDate] = append(ix.values[fcDate], b.Key)
	}
	ix.base = base
	b := &builder{ix: ix, base: base, words: map[string]int32{}, docOff: make([]uint32, 1, len(docs)+1), lens: make([][numFields]uint16, len(docs))}
	if base != nil {
		b.seed(base)
	}
	ix.single = make([]uint32, len(docs)*numSingle)
	ix.price = make([]int64, len(docs))
	ix.sessOff = make([]uint32, 1, len(docs)+1)
	for f := range ix.multiOf {
		ix.multiOf[f] = make([]uint32, 1, len(docs)+1)
	}
	for i, o := range order {
		d := &docs[o]
		ix.ids[i] = d.ID
		b.addText(i, d)
		b.addFacets(i, d)
	}
	b.finishText()
	return ix
}

func (b *builder) addFacets(i int, d *Doc) {
	ix := b.ix
	s := ix.single[i*numSingle : (i+1)*numSingle]
	s[fcFormat] = ix.intern(fcFormat, d.Format)
	s[fcLevel] = ix.intern(fcLevel, d.Level)
	s[fcCertificate] = ix.intern(fcCertificate, d.Certificate)
	s[fcLanguage] = ix.intern(fcLanguage, d.Language)
	if d.ProviderID > 0 {
		s[fcProvider] = ix.intern(fcProvider, strconv.FormatInt(d.ProviderID, 10))
	}
	s[fcPrice] = uint32(priceBucket(d.PriceCents) + 1)
	ix.price[i] = d.PriceCents
	for m, vals := range [numMulti][]string{d.CompetenceAreas, d.Regions, d.FundingTracks} {
		f := fcCompetence + m
		start := len(ix.multi[m])
		for _, v := range vals {
			id := ix.intern(f, v)
			if id != 0 && !slices.Contains(ix.multi[m][start:], id) {
				ix.multi[m] = append(ix.multi[m], id)
			}
		}
		ix.multiOf[m] = append(ix.multiOf[m], uint32(len(ix.multi[m])))
	}
	start := len(ix.sess)
	for _, t := range d.Sessions {
		ix.sess = append(ix.sess, t.UnixNano())
	}
	slices.Sort(ix.sess[start:])
	ix.sessOff = append(ix.sessOff, uint32(len(ix.sess)))
}

func (ix *Index) intern(f int, v string) uint32 {
	if id, ok := ix.valueID[f][v]; ok {
		return id
	}
	id := uint32(len(ix.values[f]))
	ix.values[f] = append(ix.values[f], v)
	ix.valueID[f][v] = id
	return id
}

func (b *builder) addText(i int, d *Doc) {
	b.field(i, fldTitle, d.Title)
	for _, c := range d.Competences {
		b.field(i, fldCompetences, c)
	}
	b.field(i, fldSummary, d.Summary)
	for _, o := range d.Outcomes {
		b.field(i, fldOutcomes, o)
	}
	for _, k := range d.Keywords {
		b.field(i, fldKeywords, k)
	}
	b.field(i, fldDescription, d.Description)
	slices.Sort(b.touched)
	for _, t := range b.touched {
		b.dTerm = append(b.dTerm, t)
		b.dTF = append(b.dTF, b.tf[t])
		b.tf[t] = 0
	}
	b.touched = b.touched[:0]
	b.docOff = append(b.docOff, uint32(len(b.dTerm)))
}

func (b *builder) field(i int, f int, text string) {
	t := tokenizer{s: text}
	n := int(b.lens[i][f])
	for t.next() {
		w, ok := b.words[string(t.folded)]
		if !ok {
			w = b.newWord(string(t.folded), string(t.lower))
		}
		if w < 0 {
			continue // a stopword seen before
		}
		b.wordCnt[w]++
		term := b.wordTerm[w]
		shift := uint(f * tfBits)
		tf := b.tf[term]
		if tf == 0 {
			b.touched = append(b.touched, term)
		}
		if (tf>>shift)&(1<<tfBits-1) < 1<<tfBits-1 {
			b.tf[term] = tf + 1<<shift
		}
		n++
	}
	b.lens[i][f] = uint16(min(n, math.MaxUint16))
}

// newWord registers a surface word (stopwords as -1, so they are looked up
// in one map access next time).
func (b *builder) newWord(folded, lower string) int32 {
	if stopwords[folded] {
		b.words[folded] = -1
		return -1
	}
	term := b.term(stemWord(folded)) // the builder keeps its own word → term map
	w := int32(len(b.wordTerm))
	b.words[folded] = w
	b.wordTerm = append(b.wordTerm, term)
	b.wordCnt = append(b.wordCnt, 0)
	b.wordShow = append(b.wordShow, lower)
	return w
}

// finishText computes the BM25F impacts, transposes the doc-major
// postings into term-major ones and builds the word lists.
func (b *builder) finishText() {
	ix := b.ix
	b.addParts()
	nTerms := len(b.termStr)
	n := ix.n

	var avg [numFields]float64
	for _, l := range b.lens {
		for f, v := range l {
			avg[f] += float64(v)
		}
	}
	for f := range avg {
		avg[f] /= math.Max(1, float64(n))
	}
	ix.statN, ix.avgLen = n, avg
	if b.base != nil {
		// The delta's offers join the base's (most replace one of them,
		// which the count cannot see).
		ix.statN, ix.avgLen, avg = b.base.statN+n, b.base.avgLen, b.base.avgLen
	}

	ix.postOff = make([]uint32, nTerms+1)
	for _, t := range b.dTerm {
		ix.postOff[t+1]++
	}
	for t := 0; t < nTerms; t++ {
		ix.postOff[t+1] += ix.postOff[t]
	}
	ix.idf = make([]float32, nTerms)
	for t := range ix.idf {
		ix.idf[t] = idf(ix.statN, ix.df(int32(t)))
	}
	ix.postDoc = make([]int32, len(b.dTerm))
	ix.postScore = make([]float32, len(b.dTerm))
	fill := slices.Clone(ix.postOff[:nTerms])
	for d := 0; d < n; d++ {
		var norm [numFields]float64
		for f := range norm {
			norm[f] = 0
			if avg[f] > 0 {
				norm[f] = fieldWeights[f] / (1 - bm25B + bm25B*float64(b.lens[d][f])/avg[f])
			}
		}
		for p := b.docOff[d]; p < b.docOff[d+1]; p++ {
			t, packed := b.dTerm[p], b.dTF[p]
			tf := 0.0
			for f := 0; f < 2*numFields; f++ {
				if c := (packed >> uint(f*tfBits)) & (1<<tfBits - 1); c != 0 {
					if f < numFields {
						tf += float64(c) * norm[f]
					} else {
						tf += float64(c) * norm[f-numFields] * partWeight
					}
				}
			}
			pos := fill[t]
			fill[t]++
			ix.postDoc[pos] = int32(d)
			ix.postScore[pos] = ix.idf[t] * float32(tf*(bm25K1+1)/(tf+bm25K1))
		}
	}
	b.dTerm, b.dTF, b.docOff, b.lens = nil, nil, nil, nil

	// Display spelling of each term: its most frequent word.
	ix.termShow = make([]string, nTerms)
	best := make([]int32, nTerms)
	for w, t := range b.wordTerm {
		if c := b.wordCnt[w]; c > best[t] || ix.termShow[t] == "" {
			best[t] = c
			ix.termShow[t] = b.wordShow[w]
		}
	}
	for t, show := range ix.partShow {
		if ix.termShow[t] == "" {
			ix.termShow[t] = show
		}
	}

	// Sorted words for prefix matching.
	order := make([]int32, len(b.wordTerm))
	folded := make([]string, len(b.wordTerm))
	for w, i := range b.words {
		if i >= 0 {
			folded[i] = w
		}
	}
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, c int32) int { return cmp.Compare(folded[a], folded[c]) })
	ix.words = make([]string, len(order))
	ix.wordTerm = make([]int32, len(order))
	ix.wordsShow = make([]string, len(order))
	for i, w := range order {
		ix.words[i] = folded[w]
		ix.wordTerm[i] = b.wordTerm[w]
		ix.wordsShow[i] = b.wordShow[w]
	}

	// Typo dictionary: every word, and every stem that is not a word.
	keys := make([]fuzzyKey, 0, len(folded)+nTerms/4)
	for i, w := range ix.words {
		keys = append(keys, fuzzyKey{key: w, term: ix.wordTerm[i], show: ix.wordsShow[i]})
	}
	for t, s := range b.termStr {
		if _, isWord := b.words[s]; !isWord {
			keys = append(keys, fuzzyKey{key: s, term: int32(t), show: ix.termShow[t]})
		}
	}
	// and the shipped words whose term the catalog has ("Planung" when
	// the catalog only says "planen"), so that their typos are found
	for f, show := range lexicon() {
		if _, isWord := b.words[f]; isWord {
			continue
		}
		if t, ok := ix.terms[stem(f)]; ok {
			keys = append(keys, fuzzyKey{key: f, term: t, show: strings.ToLower(show)})
		}
	}
	ix.buildFuzzy(keys)
}

// addParts splits the compounds of the vocabulary (see lexicon.go) and adds
// their parts, at every level, to each doc that contains the compound, with
// the compound's frequencies: so "Bürgerbeteiligung" is found by
// "Beteiligung" and by "Beteiligung der Bürger", and the whole word stays.
func (b *builder) addParts() {
	lex := lexicon()
	var known func(w string, last bool) bool
	known = func(w string, last bool) bool {
		if _, ok := lex[w]; ok {
			return true
		}
		if !last && len(w) >= minPartLen && known(w+"en", true) {
			return true // a verb's stem as a modifier (see Index.splitter)
		}
		if i, ok := b.words[w]; ok && i >= 0 && len(w) >= minCorpusPartLen {
			return true
		}
		if last && len(w) >= minCorpusPartLen+1 {
			_, ok := b.ix.terms[stem(w)]
			return ok
		}
		return false
	}
	sp := splitter{known: known}
	parts := map[int32][]int32{} // compound term → its part terms
	b.ix.partShow = map[int32]string{}
	var split func(w string, into []int32, depth int) []int32
	split = func(w string, into []int32, depth int) []int32 {
		if depth > 3 {
			return into
		}
		for _, p := range sp.split(w) {
			t := b.term(stem(p))
			if !slices.Contains(into, t) {
				into = append(into, t)
				if _, seen := b.ix.partShow[t]; !seen {
					show := p
					if l, ok := lex[p]; ok {
						show = strings.ToLower(l)
					}
					b.ix.partShow[t] = show
				}
			}
			into = split(p, into, depth+1)
		}
		return into
	}
	var long []string
	for w, i := range b.words {
		if i >= 0 && len(w) >= minCompoundLen {
			long = append(long, w)
		}
	}
	slices.Sort(long) // deterministic term numbers
	for _, w := range long {
		t := b.wordTerm[b.words[w]]
		for _, p := range split(w, nil, 0) {
			if p != t && !slices.Contains(parts[t], p) {
				parts[t] = append(parts[t], p)
			}
		}
	}
	if len(parts) == 0 {
		return
	}
	// Rewrite the doc-major postings with the parts added.
	dTerm := make([]int32, 0, len(b.dTerm)+len(b.dTerm)/4)
	dTF := make([]uint64, 0, cap(dTerm))
	docOff := make([]uint32, 1, len(b.docOff))
	for d := 0; d+1 < len(b.docOff); d++ {
		for p := b.docOff[d]; p < b.docOff[d+1]; p++ {
			t, tf := b.dTerm[p], b.dTF[p]
			b.addTF(t, tf)
			// the parts count in the part fields, at partWeight
			asPart := (tf & (1<<(numFields*tfBits) - 1)) << (numFields * tfBits)
			for _, pt := range parts[t] {
				b.addTF(pt, asPart)
			}
		}
		slices.Sort(b.touched)
		for _, t := range b.touched {
			dTerm = append(dTerm, t)
			dTF = append(dTF, b.tf[t])
			b.tf[t] = 0
		}
		b.touched = b.touched[:0]
		docOff = append(docOff, uint32(len(dTerm)))
	}
	b.dTerm, b.dTF, b.docOff = dTerm, dTF, docOff
}

// addTF adds packed per-field frequencies to term t of the current doc,
// each field saturating.
func (b *builder) addTF(t int32, tf uint64) {
	cur := b.tf[t]
	if cur == 0 {
		b.touched = append(b.touched, t)
	}
	const mask = 1<<tfBits - 1
	var out uint64
	for f := 0; f < 2*numFields; f++ {
		sh := uint(f * tfBits)
		out |= min((cur>>sh)&mask+(tf>>sh)&mask, mask) << sh
	}
	b.tf[t] = out
}

// term returns the number of index term s, registering it if new.
func (b *builder) term(s string) int32 {
	t, ok := b.ix.terms[s]
	if !ok {
		t = int32(len(b.termStr))
		b.ix.terms[s] = t
		b.termStr = append(b.termStr, s)
		b.tf = append(b.tf, 0)
	}
	return t
}

// idf is the BM25 inverse document frequency of a term in df of n docs.
func idf(n, df int) float32 {
	return float32(math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5)))
}

// df returns the number of docs containing term t.
func (ix *Index) df(t int32) int {
	n := int(ix.postOff[t+1] - ix.postOff[t])
	if ix.base != nil && int(t) < len(ix.base.idf) {
		n += ix.base.df(t) // a delta counts its base's documents too
	}
	return n
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// nextSession returns the first session of doc d at or after now
// (UnixNano), or math.MaxInt64.
func (ix *Index) nextSession(d int32, now int64) int64 {
	s := ix.sess[ix.sessOff[d]:ix.sessOff[d+1]]
	if len(s) > 8 {
		i, _ := slices.BinarySearch(s, now)
		if i < len(s) {
			return s[i]
		}
		return math.MaxInt64
	}
	for _, t := range s {
		if t >= now {
			return t
		}
	}
	return math.MaxInt64
}
