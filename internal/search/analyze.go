package search

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
)

// maxTokenBytes bounds a token; longer runs of letters are cut, so that a
// pathological input cannot make the stemmer or the edit distance expensive.
const maxTokenBytes = 64

// stopwords are dropped from documents and queries: German ones, and the
// English ones that would otherwise keep English queries from matching. They are given folded
// (lower case, umlauts and ß replaced), as tokens are compared folded.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		der die das dem den des ein eine einer eines einem einen kein keine
		und oder aber sowie bzw sondern
		in im ins fur mit von vom zu zum zur auf an am aus als wie auch nicht
		bei beim ist sind war waren wird werden wurde es sie er wir ihr ich du
		sich so dass da durch uber unter nach vor bis um ohne gegen ab
		sein seine seiner ihre ihren ihrer hat haben kann konnen nur noch schon
		sehr was wer wo wenn dann denn doch man hier dort alle allen alles
		dies diese dieser dieses diesem diesen jede jeder jedes jeden
		sowohl ob oft mal
		the of for to on with into about from by at is are be how what
		my our your their this that these those using via per`) {
		m[w] = true
	}
	return m
}()

// tokenizer splits text into tokens: maximal runs of letters and digits,
// lower-cased. Combining marks are dropped (so a decomposed "ü" reads as
// "u"); everything else, including invalid UTF-8, separates tokens. Each
// token comes in two spellings: lower (for display, umlauts kept) and
// folded (ä→a, ö→o, ü→u, ß→ss), which is what the index compares.
type tokenizer struct {
	s      string
	i      int
	lower  []byte
	folded []byte
	// trailing reports whether the last token returned ended the input,
	// i.e. the user may still be typing it.
	trailing bool
}

func (t *tokenizer) next() bool {
	t.lower, t.folded = t.lower[:0], t.folded[:0]
	s := t.s
	for t.i < len(s) {
		c := s[t.i]
		if c < utf8.RuneSelf {
			t.i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				if len(t.folded) > 0 {
					t.trailing = false
					return true
				}
				continue
			}
			if len(t.folded) < maxTokenBytes {
				t.lower = append(t.lower, c)
				t.folded = append(t.folded, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[t.i:])
		t.i += size
		if unicode.Is(unicode.Mn, r) {
			continue // combining mark: part of the word, dropped
		}
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if len(t.folded) > 0 {
				t.trailing = false
				return true
			}
			continue
		}
		if len(t.folded) >= maxTokenBytes {
			continue
		}
		r = unicode.ToLower(r)
		t.lower = utf8.AppendRune(t.lower, r)
		switch r {
		case 'ä':
			t.folded = append(t.folded, 'a')
		case 'ö':
			t.folded = append(t.folded, 'o')
		case 'ü':
			t.folded = append(t.folded, 'u')
		case 'ß':
			t.folded = append(t.folded, 's', 's')
		default:
			t.folded = utf8.AppendRune(t.folded, r)
		}
	}
	t.trailing = true
	return len(t.folded) > 0
}

// stem returns the index term of a folded token. Pure numbers are kept as
// they are. Before the snowball German stemmer, word formations that it
// leaves on different stems are brought to one root:
//
//   - feminine forms: "Bürgerinnen", "Bürgerin" → "burger";
//   - the -ieren family: "koordinieren", "Koordinierung", "koordiniert",
//     "Koordination", "Koordinator" → "koordin"; "kommunizieren" and
//     "Kommunikation" → "kommuniz"; with -isier- also dropped, so that
//     "Digitalisierung" meets "digitale" and "Modernisierung" "modern";
//   - verbal nouns on -ung: "Planung" meets "planen", "Führung" "führen",
//     "Entwicklung" "entwickeln" (a final -el- loses its e everywhere).
func stem(folded string) string {
	if v, ok := stemCache.Load(folded); ok {
		return v.(string)
	}
	s := stemWord(folded)
	if stemCached.Add(1) <= maxStemCache {
		stemCache.Store(strings.Clone(folded), s)
	}
	return s
}

// The stems of the words seen, for queries (their analysis stems the
// same words many times over: compound parts, thesaurus phrases). The
// cache stops growing at maxStemCache words, so odd input cannot make it
// grow without bound.
var (
	stemCache  sync.Map
	stemCached atomic.Int64
)

const maxStemCache = 200_000

func stemWord(folded string) string {
	if isNumber(folded) {
		return folded
	}
	w := folded
	if n := len(w); n >= 9 && strings.HasSuffix(w, "innen") {
		w = w[:n-5]
	} else if n >= 7 && strings.HasSuffix(w, "erin") {
		w = w[:n-2]
	}
	if n := len(w); n >= 7 && strings.HasSuffix(w, "eln") {
		w = w[:n-1] // entwickeln → entwickel, which snowball leaves alone
	}
	if root, ok := derivedRoot(w); ok {
		return root
	}
	if keepAsIs[w] {
		return w
	}
	for _, suf := range []string{"ungen", "ung"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	env := snowballstem.NewEnv(w)
	german.Stem(env)
	return ablaut(elision(env.Current()))
}

// ablauts map the noun stems of strong verbs to the verbs' stems, after a
// prefix: "Vergabe" meets "vergeben", "Übernahme" "übernehmen",
// "Beschluss" "beschließen", "Widerspruch" "widersprechen", "Angriff"
// "angreifen", "Vollzug" "vollziehen", "Vorschrift" "vorschreiben".
var ablauts = [][2]string{
	{"gab", "geb"}, {"nahm", "nehm"}, {"schluss", "schliess"}, {"spruch", "sprech"},
	{"griff", "greif"}, {"zug", "zieh"}, {"schrift", "schreib"},
}

func ablaut(s string) string {
	for _, a := range ablauts {
		if len(s) >= len(a[0])+2 && strings.HasSuffix(s, a[0]) {
			return s[:len(s)-len(a[0])] + a[1]
		}
	}
	return s
}

// keepAsIs are words the snowball stemmer cuts too short: adjectives on
// -ern, which it takes for dative plurals ("modern" would become "mod",
// while "moderne" becomes "modern").
var keepAsIs = map[string]bool{"modern": true, "intern": true, "extern": true}

// derivations are the suffixes of the -ieren family, longest first, with
// what replaces them.
var derivations = [][2]string{
	{"ikationen", "iz"}, {"ikation", "iz"},
	{"ierungen", ""}, {"ierung", ""}, {"ierten", ""}, {"ierter", ""}, {"iertes", ""}, {"ierte", ""}, {"iert", ""},
	{"ieren", ""}, {"ierst", ""}, {"iere", ""},
	{"ationen", ""}, {"ation", ""}, {"atoren", ""}, {"atorin", ""}, {"ator", ""},
}

// derivedRoot strips a suffix of the -ieren family, and then -is- (from
// -isieren, -isation), leaving a root of at least four letters.
func derivedRoot(w string) (string, bool) {
	for _, d := range derivations {
		if strings.HasSuffix(w, d[0]) && len(w)-len(d[0]) >= 4 {
			r := w[:len(w)-len(d[0])] + d[1]
			if strings.HasSuffix(r, "is") && len(r) >= 7 {
				r = r[:len(r)-2]
			}
			return r, true
		}
	}
	return "", false
}

// elision drops the e of a final -el after a consonant ("entwickel" →
// "entwickl"), as German does before -ung ("Entwicklung", "Regelung" aside).
func elision(s string) string {
	n := len(s)
	if n >= 5 && s[n-1] == 'l' && s[n-2] == 'e' && !strings.ContainsRune("aeiouy", rune(s[n-3])) {
		return s[:n-2] + "l"
	}
	return s
}

// Analyze returns the index terms of a text, in order: the German analysis
// applied to documents and queries alike (exported for diagnostics and
// tests).
func Analyze(text string) []string {
	var out []string
	t := tokenizer{s: text}
	for t.next() {
		if stopwords[string(t.folded)] {
			continue
		}
		out = append(out, stem(string(t.folded)))
	}
	return out
}

// isNumber reports whether s consists of ASCII digits only.
func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
