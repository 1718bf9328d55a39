package search

import (
	"slices"
	"strings"
)

// What the administration page of the thesaurus needs: the shipped lines
// to show, an entry's canonical form, and a probe that tells what a query
// expands to.

// String is the entry as a thesaurus line in canonical form: terms with
// single spaces, separated by ", ", and " => " for one direction.
func (e Entry) String() string {
	from := strings.Join(e.From, ", ")
	if slices.Equal(e.From, e.To) {
		return from
	}
	return from + " => " + strings.Join(e.To, ", ")
}

// ShippedThesaurusLines are the entries of the shipped thesaurus file, as
// written there, without comments.
func ShippedThesaurusLines() []string {
	var out []string
	for _, line := range strings.Split(thesaurusFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// Expansion is a phrase of a query and the terms the thesaurus adds to it.
type Expansion struct {
	Phrase string   // as typed, lower case
	To     []string // as written in the thesaurus
}

// Expansions tells what the thesaurus adds to a query text: for each
// phrase it knows, the terms it expands to, matched like a search does
// (longest phrase first, ignoring case, umlauts, endings and stopwords;
// an expansion's own expansions follow it, one step).
func (t *Thesaurus) Expansions(text string) []Expansion {
	if t == nil {
		return nil
	}
	if len(text) > maxQueryScanned {
		text = text[:maxQueryScanned]
	}
	var toks []qtoken
	tk := tokenizer{s: text}
	for len(toks) < maxQueryTerms && tk.next() {
		f := string(tk.folded)
		if stopwords[f] {
			continue
		}
		s := stem(f)
		if slices.ContainsFunc(toks, func(x qtoken) bool { return x.stem == s }) {
			continue
		}
		toks = append(toks, qtoken{lower: string(tk.lower), folded: f, stem: s})
	}
	var out []Expansion
	for i := 0; i < len(toks); {
		n := 1
		for l := min(t.longest, len(toks)-i); l >= 1; l-- {
			stems := make([]string, l)
			words := make([]string, l)
			for k := range stems {
				stems[k], words[k] = toks[i+k].stem, toks[i+k].lower
			}
			if exp := t.lookup(stems); exp != nil {
				out = append(out, Expansion{Phrase: strings.Join(words, " "), To: t.closure(stems, exp)})
				n = l
				break
			}
		}
		i += n
	}
	return out
}
