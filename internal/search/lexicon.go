package search

import (
	_ "embed"
	"strings"
	"sync"
)

// The shipped word list of the decompounder (see lexicon/words.txt).
//
//go:embed lexicon/words.txt
var wordsFile string

// lexWord is a word of the shipped list: its folded form and its spelling.
type lexWord struct{ folded, show string }

// lexicon returns the shipped words by folded form, stopwords and words
// shorter than three letters left out.
var lexicon = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(wordsFile, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			t := tokenizer{s: w}
			if !t.next() {
				continue
			}
			f := string(t.folded)
			if len(f) < minPartLen || stopwords[f] {
				continue
			}
			if _, ok := m[f]; !ok {
				m[f] = w
			}
		}
	}
	return m
})

// Compound splitting. A folded word of at least minCompoundLen bytes is
// split into parts that are known words (of the catalog or the shipped
// list), each at least minPartLen long, joined directly or by a linking
// element (Fugenelement). The split with the fewest parts wins, then the
// one whose shortest part is longest; each part may be split again.
const (
	minCompoundLen = 7
	minPartLen     = 3
	// minCorpusPartLen is the least length of a part that only the
	// catalog knows: short words of the catalog are often names or
	// abbreviations, which make poor parts.
	minCorpusPartLen = 4
	maxSplitParts    = 4
)

// linking are the linking elements tried between two parts.
var linking = []string{"", "s", "es", "n", "en"}

// splitter decides which strings are words.
type splitter struct {
	// known reports whether w is a word that may be a part; last tells
	// that w ends the compound (where inflected forms are welcome).
	known func(w string, last bool) bool
}

type splitState struct {
	parts int
	short int // length of the shortest part
	next  int // end of the first part (start of the linking element)
	rest  int // start of the second part
}

// split returns the top-level parts of w, or nil if w is no compound.
func (s splitter) split(w string) []string {
	n := len(w)
	if n < minCompoundLen {
		return nil
	}
	// best[i] describes the best split of w[i:] into parts (parts == 0:
	// none).
	best := make([]splitState, n+1)
	for i := n - minPartLen; i >= 0; i-- {
		var b splitState
		// the whole rest as one (last) part
		if i > 0 && s.known(w[i:], true) {
			b = splitState{parts: 1, short: n - i, next: n, rest: n}
		}
		for j := i + minPartLen; j <= n-minPartLen; j++ {
			if !s.known(w[i:j], false) {
				continue
			}
			for _, l := range linking {
				k := j + len(l)
				if k > n-minPartLen || w[j:k] != l {
					continue
				}
				r := best[k]
				if r.parts == 0 || r.parts+1 > maxSplitParts {
					continue
				}
				c := splitState{parts: r.parts + 1, short: min(r.short, j-i), next: j, rest: k}
				if b.parts == 0 || c.parts < b.parts || (c.parts == b.parts && c.short > b.short) {
					b = c
				}
			}
		}
		best[i] = b
	}
	if best[0].parts < 2 {
		return nil
	}
	var parts []string
	for i := 0; i < n; {
		st := best[i]
		parts = append(parts, w[i:st.next])
		i = st.rest
	}
	return topLevel(s, w, parts)
}

// topLevel groups a flat split into two parts where the left or right
// side is itself a known word ("datenschutz|schulung" rather than
// "daten|schutz|schulung"), so that the whole modifier can be matched; it
// returns the flat parts otherwise.
func topLevel(s splitter, w string, parts []string) []string {
	if len(parts) <= 2 {
		return parts
	}
	// Try the modifier made of all but the last part, as written in w.
	last := parts[len(parts)-1]
	head := w[:len(w)-len(last)]
	for _, l := range linking[1:] {
		if strings.HasSuffix(head, l) && s.known(head[:len(head)-len(l)], false) {
			return []string{head[:len(head)-len(l)], last}
		}
	}
	if s.known(head, false) {
		return []string{head, last}
	}
	return parts
}
