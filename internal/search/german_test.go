package search

import (
	"slices"
	"testing"
)

// germanCorpus has offers worded the way providers word them, each need in
// another form than the query that should find it.
var germanCorpus = []Doc{
	{ID: 1, Title: "Beteiligung der Bürgerinnen und Bürger vor Ort", Summary: "Formate für Dialog und Mitwirkung in der Gemeinde."},
	{ID: 2, Title: "Den Haushalt planen und steuern", Summary: "Vom Entwurf bis zum Beschluss im Gemeinderat."},
	{ID: 3, Title: "Personal entwickeln", Summary: "Gespräche, Fortbildungen und Perspektiven für Beschäftigte."},
	{ID: 4, Title: "Die Gemeindeordnung für die Praxis", Summary: "Zuständigkeiten von Gemeinderat und Bürgermeister."},
	{ID: 5, Title: "Verwaltungsverfahrensgesetz kompakt", Summary: "Anhörung, Bescheid, Widerspruch."},
	{ID: 6, Title: "NKHR: Jahresabschluss sicher erstellen", Summary: "Vermögensrechnung und Ergebnisrechnung."},
	{ID: 7, Title: "Service im Bürgerbüro", Summary: "Freundlich und rechtssicher am Schalter."},
	{ID: 8, Title: "Elektronische Rechnungen empfangen und prüfen", Summary: "XRechnung im Rechnungseingang."},
	{ID: 9, Title: "Projekte koordinieren", Summary: "Zusammenarbeit über Ämter hinweg."},
	{ID: 10, Title: "Schriftgutverwaltung und Aktenplan", Summary: "Akten ordnungsgemäß führen."},
	{ID: 11, Title: "Kommunale Wärmeplanung", Summary: "Der Weg zum Wärmeplan.", Keywords: []string{"Energie", "Klimaschutz"}},
	{ID: 12, Title: "Grundlagen des Datenschutzes", Summary: "DSGVO in der Kommune.", Provider: "Akademie für Bürgerbeteiligung"},
}

func TestGermanSearch(t *testing.T) {
	ix := New(germanCorpus)
	tests := []struct {
		query string
		want  int64 // must be the first hit
	}{
		{"Bürgerbeteiligung", 1},
		{"Haushaltsplanung", 2},
		{"Personalentwicklung", 3},
		{"GemO", 4},
		{"VwVfG", 5},
		{"Neues Kommunales Haushalts- und Rechnungswesen", 6},
		{"Bürgeramt", 7},
		{"E-Rechnung", 8},
		{"Koordinierung von Projekten", 9},
		{"Projektkoordination", 9},
		{"citizen participation", 1},
		{"budgeting", 2},
		{"records management", 10},
		{"Klimaschutz", 11}, // a keyword
		{"Datenschutz", 12},
	}
	for _, tt := range tests {
		r := ix.Search(Query{Text: tt.query, Now: now0})
		if got := ids(r); len(got) == 0 || got[0] != tt.want || r.Full == 0 {
			t.Errorf("%q: %v (full %d), want %d first as a full match", tt.query, got, r.Full, tt.want)
		}
	}
	// A partial match needs the important words: "planen" alone (in
	// Wärmeplanung, Aktenplan) is no partial match for "Haushalt planen".
	if r := ix.Search(Query{Text: "Haushalt planen", Now: now0}); len(r.Hits) == 0 || r.Hits[0].ID != 2 || slices.Contains(ids(r), 10) || slices.Contains(ids(r), 11) {
		t.Errorf("Haushalt planen: %v, want 2 first and neither 10 nor 11", ids(r))
	}
	// The provider's name does not make its offers match.
	if r := ix.Search(Query{Text: "Bürgerbeteiligung", Now: now0}); slices.Contains(ids(r), 12) {
		t.Errorf("Bürgerbeteiligung finds offer 12 through its provider's name: %v", ids(r))
	}
	// Variants of one need find the same offers.
	variants := []string{"Haushaltsplanung", "Haushalt planen", "Planung des Haushalts", "Haushaltsplannung"}
	full := func(r Result) []int64 { return sorted(ids(r)[:r.Full]) }
	first := full(ix.Search(Query{Text: variants[0], Now: now0}))
	for _, v := range variants[1:] {
		if got := full(ix.Search(Query{Text: v, Now: now0})); !slices.Equal(got, first) {
			t.Errorf("%q: %v, want the same as %q: %v", v, got, variants[0], first)
		}
	}
}

func TestCompoundSplit(t *testing.T) {
	ix := New(germanCorpus)
	sp := ix.splitter()
	for w, want := range map[string][]string{
		"burgerbeteiligung":   {"burger", "beteiligung"},
		"haushaltsplanung":    {"haushalt", "planung"},
		"personalentwicklung": {"personal", "entwicklung"},
		"datenschutzschulung": {"datenschutz", "schulung"},
		"verwaltung":          nil,
		"beratung":            nil,
		"vorstellung":         nil, // "vor" is a stopword
	} {
		if got := sp.split(w); !slices.Equal(got, want) {
			t.Errorf("split(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestThesaurusEntries(t *testing.T) {
	for _, bad := range []string{"", "nur ein Begriff", "a => ", "der, die", "a => b => c"} {
		if _, err := ParseEntry(bad); err == nil {
			t.Errorf("ParseEntry(%q) accepted", bad)
		}
	}
	e, err := ParseEntry(" Friedhofsamt ,  Friedhofsverwaltung ")
	if err != nil || !slices.Equal(e.From, []string{"Friedhofsamt", "Friedhofsverwaltung"}) {
		t.Fatalf("ParseEntry: %+v, %v", e, err)
	}
	docs := append(slices.Clone(germanCorpus), Doc{ID: 20, Title: "Das Friedhofsamt organisieren"})
	ix := New(docs)
	if r := ix.Search(Query{Text: "Friedhofsverwaltung", Now: now0}); r.Full != 0 {
		t.Errorf("without the entry: %v full %d, want only partial matches (Friedhof)", ids(r), r.Full)
	}
	th := DefaultThesaurus().With([]Entry{e})
	if r := ix.Search(Query{Text: "Friedhofsverwaltung", Thesaurus: th, Now: now0}); len(r.Hits) == 0 || r.Hits[0].ID != 20 || r.Full != 1 {
		t.Errorf("with the entry: %v", ids(r))
	}
	if th.Version == DefaultThesaurus().Version {
		t.Errorf("version %q did not change with an added entry", th.Version)
	}
	// A one-way entry does not go back.
	e, _ = ParseEntry("graveyard => Friedhofsamt")
	th = DefaultThesaurus().With([]Entry{e})
	if r := ix.Search(Query{Text: "graveyard", Thesaurus: th, Now: now0}); !slices.Equal(ids(r), []int64{20}) {
		t.Errorf("graveyard: %v", ids(r))
	}
	if th.lookup(Analyze("Friedhofsamt")) != nil {
		t.Errorf("a one-way entry expands backwards")
	}
}

func TestCompoundPartsUseTheThesaurus(t *testing.T) {
	ix := New([]Doc{
		{ID: 1, Title: "Datenschutz-Seminar für Beschäftigte"},
		{ID: 2, Title: "Datenschutz für Führungskräfte"},
	})
	r := ix.Search(Query{Text: "Datenschutzschulung", Now: now0})
	if got := ids(r); len(got) == 0 || got[0] != 1 {
		t.Errorf("Datenschutzschulung: %v, want the seminar (Schulung = Seminar) first", got)
	}
}

func TestWordForms(t *testing.T) {
	for _, p := range [][2]string{
		{"Vergabe", "vergeben"}, {"Übernahme", "übernehmen"}, {"Beschluss", "beschließen"},
		{"Widerspruch", "widersprechen"}, {"Koordination", "koordiniert"}, {"Entwicklung", "entwickeln"},
		{"Planung", "planen"}, {"Bürgerinnen", "Bürger"}, {"Kommunikation", "kommunizieren"},
	} {
		if a, b := Analyze(p[0]), Analyze(p[1]); !slices.Equal(a, b) {
			t.Errorf("%s → %q, %s → %q: want one term", p[0], a, p[1], b)
		}
	}
}
