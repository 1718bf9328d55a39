package search

import (
	"slices"
	"testing"
)

func TestEntryStringIsCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"  GemO ,Gemeindeordnung,, ":                 "GemO, Gemeindeordnung",
		"citizen   participation=>Bürgerbeteiligung": "citizen participation => Bürgerbeteiligung",
	} {
		e, err := ParseEntry(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.String(); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestShippedThesaurusLinesParse(t *testing.T) {
	lines := ShippedThesaurusLines()
	if !slices.Contains(lines, "GemO, Gemeindeordnung") {
		t.Fatalf("GemO missing from %d shipped lines", len(lines))
	}
	for _, l := range lines {
		if _, err := ParseEntry(l); err != nil {
			t.Errorf("%q: %v", l, err)
		}
	}
}

func TestExpansionsMatchLikeASearch(t *testing.T) {
	th := DefaultThesaurus().With([]Entry{{From: []string{"Wombat"}, To: []string{"Beuteltier", "Quokka"}}})
	got := th.Expansions("Fragen zur GEMO für Wombats und citizen participation")
	want := map[string][]string{"gemo": {"Gemeindeordnung"}, "wombats": {"Beuteltier", "Quokka"}, "citizen participation": {"Bürgerbeteiligung"}}
	if len(got) != len(want) {
		t.Fatalf("expansions %+v, want the phrases of %v", got, want)
	}
	for _, x := range got {
		to, ok := want[x.Phrase]
		if !ok {
			t.Errorf("unexpected phrase %q", x.Phrase)
		}
		for _, w := range to {
			if !slices.Contains(x.To, w) {
				t.Errorf("%q expands to %v, missing %q", x.Phrase, x.To, w)
			}
		}
	}
	// One step further, like a search: "künstliche Intelligenz" brings "KI".
	if ai := th.Expansions("artificial intelligence"); len(ai) != 1 || !slices.Contains(ai[0].To, "künstliche Intelligenz") || !slices.Contains(ai[0].To, "KI") {
		t.Errorf("artificial intelligence: %+v", ai)
	}
	if th.Expansions("Quokkaverwaltung") != nil {
		t.Error("a word the thesaurus does not know expands")
	}
	var none *Thesaurus
	if none.Expansions("GemO") != nil {
		t.Error("a nil thesaurus expands")
	}
}
