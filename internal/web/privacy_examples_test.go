package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/privacy"
)

// privacyExamples is the example data of the privacy pages: a summary with
// a full and an empty section and one cut short, and both forms of the
// deletion page.
func privacyExamples(base Page, now time.Time) map[string]any {
	withErr := base
	withErr.Errors = map[string]string{"password": "Das Passwort stimmt nicht."}
	return map[string]any{
		"privacy_data": &privacyDataPage{Page: base, Base: "/konto/daten", Own: true, Summary: &privacy.Summary{PersonID: 1, Name: "Ada", GeneratedAt: now,
			Sections: []privacy.SummarySection{
				{Name: "bookings", Title: "Buchungen", Columns: []string{"id", "offer", "status"}, Rows: [][]string{{"4", "Projektmanagement", "confirmed"}}, Total: 3},
				{Name: "api_tokens", Title: "API-Schlüssel"},
			}}},
		"privacy_delete": &privacyDeletePage{Page: withErr, HasPassword: true, Word: privacy.DeleteConfirmWord},
	}
}
