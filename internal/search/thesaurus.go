package search

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The shipped thesaurus (see lexicon/thesaurus.txt for the syntax).
//
//go:embed lexicon/thesaurus.txt
var thesaurusFile string

// Thesaurus maps terms a person may type to further terms that mean the
// same: abbreviations, synonyms, the administration's vocabulary and an
// English→German glossary. It is applied at query time, with less weight
// than the words typed. A Thesaurus is immutable and safe for concurrent
// use.
type Thesaurus struct {
	// by the analysed form of a phrase (its index terms joined by
	// spaces): the phrases it expands to, as typed.
	expand map[string][]string
	// longest is the largest number of terms of a phrase in expand.
	longest int
	// words are the terms of the phrases in expand.
	words map[string]bool
	// Version is the shipped file's version line, plus the number of
	// entries added.
	Version string
	entries int
}

// Entry is one line of a thesaurus: From expands to To; a line without
// "=>" lists terms that all mean the same (From == To).
type Entry struct {
	From, To []string
}

// maxEntryLen bounds a thesaurus line.
const maxEntryLen = 500

// ParseEntry reads one thesaurus line, "A, B, C" or "A, B => C, D". The
// error is a German sentence for the person who wrote it.
func ParseEntry(line string) (Entry, error) {
	line = strings.TrimSpace(line)
	switch {
	case line == "":
		return Entry{}, fmt.Errorf("Bitte geben Sie Begriffe ein, z. B. „GemO, Gemeindeordnung“.")
	case !utf8.ValidString(line):
		return Entry{}, fmt.Errorf("Der Eintrag enthält ungültige Zeichen.")
	case utf8.RuneCountInString(line) > maxEntryLen:
		return Entry{}, fmt.Errorf("Ein Eintrag darf höchstens %d Zeichen lang sein.", maxEntryLen)
	case strings.Count(line, "=>") > 1:
		return Entry{}, fmt.Errorf("Ein Eintrag darf „=>“ nur einmal enthalten.")
	}
	list := func(s string) ([]string, error) {
		var out []string
		for _, p := range strings.Split(s, ",") {
			p = strings.Join(strings.Fields(p), " ")
			if p == "" {
				continue
			}
			if len(Analyze(p)) == 0 {
				return nil, fmt.Errorf("„%s“ besteht nur aus Füllwörtern und kann nicht gesucht werden.", p)
			}
			out = append(out, p)
		}
		return out, nil
	}
	var e Entry
	var err error
	if from, to, ok := strings.Cut(line, "=>"); ok {
		if e.From, err = list(from); err != nil {
			return Entry{}, err
		}
		if e.To, err = list(to); err != nil {
			return Entry{}, err
		}
		if len(e.From) == 0 || len(e.To) == 0 {
			return Entry{}, fmt.Errorf("Vor und nach „=>“ muss je mindestens ein Begriff stehen.")
		}
		return e, nil
	}
	if e.From, err = list(line); err != nil {
		return Entry{}, err
	}
	if len(e.From) < 2 {
		return Entry{}, fmt.Errorf("Bitte geben Sie mindestens zwei Begriffe an, durch Komma getrennt, oder „Begriff => Bedeutung“.")
	}
	e.To = e.From
	return e, nil
}

// ParseThesaurus reads a thesaurus file: one entry per line, lines
// starting with # are comments, and "# version V" names the version.
func ParseThesaurus(text string) (*Thesaurus, error) {
	t := &Thesaurus{expand: map[string][]string{}, words: map[string]bool{}}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "# version "); ok {
			t.Version = strings.TrimSpace(v)
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := ParseEntry(line)
		if err != nil {
			return nil, fmt.Errorf("Zeile %d: %w", i+1, err)
		}
		t.add(e)
	}
	return t, nil
}

// DefaultThesaurus is the shipped thesaurus.
var DefaultThesaurus = sync.OnceValue(func() *Thesaurus {
	t, err := ParseThesaurus(thesaurusFile)
	if err != nil {
		panic("search: shipped thesaurus: " + err.Error())
	}
	return t
})

// With returns a thesaurus with the entries added to t's.
func (t *Thesaurus) With(entries []Entry) *Thesaurus {
	if t == nil {
		t = &Thesaurus{expand: map[string][]string{}, words: map[string]bool{}}
	}
	out := &Thesaurus{expand: make(map[string][]string, len(t.expand)+len(entries)), longest: t.longest, entries: t.entries,
		words: make(map[string]bool, len(t.words))}
	for k, v := range t.expand {
		out.expand[k] = v
	}
	for k := range t.words {
		out.words[k] = true
	}
	for _, e := range entries {
		out.add(e)
	}
	out.Version = t.Version
	if n := out.entries - t.entries; n > 0 || t.entries > 0 {
		out.Version = fmt.Sprintf("%s+%d", strings.SplitN(t.Version, "+", 2)[0], out.entries)
	}
	return out
}

func (t *Thesaurus) add(e Entry) {
	t.entries++
	for _, from := range e.From {
		terms := Analyze(from)
		key := strings.Join(terms, " ")
		if key == "" {
			continue
		}
		t.longest = max(t.longest, len(terms))
		for _, w := range terms {
			t.words[w] = true
		}
		have := t.expand[key]
		for _, to := range e.To {
			if strings.Join(Analyze(to), " ") == key || containsFold(have, to) {
				continue
			}
			have = append(have, to)
		}
		// copy on write: the slice may be shared with the thesaurus
		// this one was made from
		t.expand[key] = append([]string(nil), have...)
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// lookup returns the expansions of the phrase made of terms, or nil.
func (t *Thesaurus) lookup(terms []string) []string {
	if t == nil || len(terms) == 0 {
		return nil
	}
	return t.expand[strings.Join(terms, " ")]
}

// has reports whether a term is part of a phrase the thesaurus expands.
func (t *Thesaurus) has(term string) bool {
	return t != nil && t.words[term]
}

// closure returns the expansions exp of the phrase key, each followed by
// its own expansions (one step: "artificial intelligence" → "künstliche
// Intelligenz" → "KI"), without the phrase itself.
func (t *Thesaurus) closure(key []string, exp []string) []string {
	self := strings.Join(key, " ")
	out := slices.Clone(exp)
	for _, x := range exp {
		for _, y := range t.lookup(Analyze(x)) {
			if strings.Join(Analyze(y), " ") != self && !containsFold(out, y) {
				out = append(out, y)
			}
		}
	}
	return out
}
