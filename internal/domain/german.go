package domain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plural says a count with its noun in the right number: Plural(1,
// "Person", "Personen") is "1 Person", Plural(2, …) "2 Personen".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// orgHeads are the head nouns that begin organisation names, by the
// article they take in the nominative. A name whose head is not known
// ("Futurehausen", "Lotse Plattformbetrieb") is said without an article.
var orgHeads = []struct{ article, suffix string }{
	{"die", "akademien"}, // plural: Verwaltungs- und Wirtschafts-Akademien
	{"das", "ministerium"}, {"das", "amt"}, {"das", "institut"}, {"das", "zentrum"}, {"das", "kolleg"},
	{"der", "tag"}, {"der", "kreis"}, {"der", "verband"}, {"der", "verein"}, {"der", "bund"}, {"der", "zweckverband"},
	{"die", "stadt"}, {"die", "gemeinde"}, {"die", "schule"}, {"die", "akademie"}, {"die", "hochschule"}, {"die", "universität"},
	{"die", "verwaltung"}, {"die", "kammer"}, {"die", "agentur"}, {"die", "behörde"}, {"die", "stelle"}, {"die", "ung"},
	{"die", "gesellschaft"}, {"die", "genossenschaft"},
}

// OrgNominative names an organisation with its article, as the subject of
// a sentence: "der Städtetag Baden-Württemberg", "die Stadt Futurehausen",
// "das Ministerium des Inneren". The article follows the head noun of the
// name; an unknown one gets none.
func OrgNominative(name string) string {
	if article, _ := orgArticle(name); article != "" {
		return article + " " + name
	}
	return name
}

// OrgDative names an organisation with its article in the dative, after
// "von", "bei", "mit": "der Stadt Futurehausen", "dem Städtetag
// Baden-Württemberg". An unknown head gets no article.
func OrgDative(name string) string {
	article, plural := orgArticle(name)
	switch {
	case article == "":
		return name
	case plural:
		return "den " + name
	case article == "die":
		return "der " + name
	}
	return "dem " + name
}

// OrgAccusative names an organisation with its article in the
// accusative, as the object: "den Städtetag Baden-Württemberg", "die Stadt
// Futurehausen". An unknown head gets no article.
func OrgAccusative(name string) string {
	article, plural := orgArticle(name)
	switch {
	case article == "":
		return name
	case article == "der" && !plural:
		return "den " + name
	}
	return article + " " + name
}

// orgArticle is the nominative article of the name's head noun, and
// whether the head is a plural; "" if the head is unknown.
func orgArticle(name string) (article string, plural bool) {
	// The head is the first word, after a suspended compound such as
	// "Verwaltungs- und Wirtschafts-Akademien".
	head := ""
	for _, w := range strings.Fields(name) {
		if strings.HasSuffix(w, "-") || w == "und" || w == "oder" || w == "&" {
			continue
		}
		head = w
		break
	}
	if i := strings.LastIndex(head, "-"); i >= 0 && i < len(head)-1 {
		head = head[i+1:]
	}
	head = strings.ToLower(head)
	for _, h := range orgHeads {
		if strings.HasSuffix(head, h.suffix) {
			return h.article, h.suffix == "akademien"
		}
	}
	return "", false
}

// Capitalize writes the first letter of s in upper case, for a phrase that
// begins a sentence.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Money formats cents the German way: 300,00 €; 123456 -> 1.234,56 €.
func Money(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u // two's complement also covers math.MinInt64
	}
	euros := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(euros) {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(euros[i])
	}
	fmt.Fprintf(&b, ",%02d €", u%100)
	return b.String()
}
