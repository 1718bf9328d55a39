package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/privacy"
)

// privacyExamples is the example data of the privacy pages: an admin's view
// of a person's summary (a section cut short, an empty one, a refused
// deletion) and the deletion page with an error.
func privacyExamples(base Page, now time.Time) map[string]any {
	refused := base
	refused.Message = "Die Person hat noch eine Buchung für einen kommenden Termin (bestätigt, auf der Warteliste oder zur Freigabe). Bitte stornieren Sie sie zuerst, damit Plätze und Bildungsvoucher auf dem üblichen Weg frei werden."
	withErr := base
	withErr.Errors = map[string]string{"password": "Das Passwort stimmt nicht."}
	return map[string]any{
		"privacy_data": &privacyDataPage{Page: refused, Base: "/admin/personen/1/daten", ID: 1, Summary: &privacy.Summary{PersonID: 1, Name: "Ada", GeneratedAt: now,
			Sections: []privacy.SummarySection{
				{Name: "bookings", Title: "Buchungen", Columns: []string{"id", "offer", "status"}, Rows: [][]string{{"4", "Projektmanagement", "confirmed"}}, Total: 3},
				{Name: "api_tokens", Title: "API-Schlüssel"},
			}}},
		"privacy_delete": &privacyDeletePage{Page: withErr, HasPassword: true, Word: privacy.DeleteConfirmWord},
		"privacy_persons": &personSearchPage{Page: base, Query: "Lotse", Searched: true, More: personSearchLink("Lotse", "MTpsb3RzZQ", true),
			Hits: []domain.PersonHit{
				{ID: 4, Name: "Lilly Lotse", Email: "lilly@futurehausen.example", CreatedAt: now, EmailVerifiedAt: &now, Organisations: []string{"Futurehausen"}},
				{ID: 9, Name: "Lars Lotse", Email: "lars@beispiel.example", CreatedAt: now, Organisations: []string{}},
			}},
	}
}
