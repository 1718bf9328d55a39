package notify

import (
	"strings"
	"testing"
	"time"
)

// TestMailsNameOrganisationsWithTheirArticle: a sentence that begins with
// an organisation says its article, counts agree with their nouns, and the
// track stands in its case.
func TestMailsNameOrganisationsWithTheirArticle(t *testing.T) {
	n := MustNew("https://lotse.example")
	_, body, err := n.Render("funding-submitted", map[string]any{"ID": 7, "Applicant": "Futurehausen", "OrgName": "Stadt Futurehausen",
		"People": 1, "Track": "Basisqualifizierung"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Die Stadt Futurehausen hat einen Weitergabevertrag über 1 Person für die Basisqualifizierung eingereicht."; !strings.Contains(body, want) {
		t.Errorf("funding-submitted lacks %q:\n%s", want, body)
	}
	_, body, err = n.Render("funding-approved-message", map[string]any{"Reviewer": "Städtetag Baden-Württemberg", "Programme": "Kommunale Digitallotsen",
		"Number": "WV-2026-000001", "Track": "Aufbauprogramm", "Provider": "VWA", "People": 2, "ValidUntil": time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "Vouchers": 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Der Städtetag Baden-Württemberg hat Ihren Weitergabevertrag", "die Liste mit dem Gutscheincode."} {
		if !strings.Contains(body, want) {
			t.Errorf("funding-approved-message lacks %q:\n%s", want, body)
		}
	}
}
