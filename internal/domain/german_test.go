package domain

import "testing"

func TestOrgNominativeTakesTheArticleOfItsHead(t *testing.T) {
	tests := map[string]string{
		"Städtetag Baden-Württemberg":                                  "der Städtetag Baden-Württemberg",
		"Stadt Futurehausen":                                           "die Stadt Futurehausen",
		"Verwaltungsschule des Gemeindetags Baden-Württemberg":         "die Verwaltungsschule des Gemeindetags Baden-Württemberg",
		"Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg":     "die Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg",
		"Ministerium des Inneren, für Digitalisierung und Kommunen BW": "das Ministerium des Inneren, für Digitalisierung und Kommunen BW",
		"Landkreis Zukunftstal":                                        "der Landkreis Zukunftstal",
		"Futurehausen":                                                 "Futurehausen",
	}
	for name, want := range tests {
		if got := OrgNominative(name); got != want {
			t.Errorf("OrgNominative(%q) = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{"Stadt Futurehausen": "der Stadt Futurehausen", "Städtetag Baden-Württemberg": "dem Städtetag Baden-Württemberg",
		"Ministerium des Inneren": "dem Ministerium des Inneren", "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg": "den Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg",
		"Futurehausen": "Futurehausen"} {
		if got := OrgDative(name); got != want {
			t.Errorf("OrgDative(%q) = %q, want %q", name, got, want)
		}
	}
	if got := Capitalize(OrgNominative("Städtetag Baden-Württemberg")) + " hat"; got != "Der Städtetag Baden-Württemberg hat" {
		t.Errorf("capitalized: %q", got)
	}
	if got := Plural(1, "Person", "Personen") + ", " + Plural(2, "Person", "Personen"); got != "1 Person, 2 Personen" {
		t.Errorf("Plural: %q", got)
	}
}
