package privacy

import (
	"strconv"

	"github.com/lotse-oss/lotse/internal/pdf"
)

// columnLabels are German names of the columns of the download, for the
// readable summary; a column without one shows its JSON name.
var columnLabels = map[string]string{
	"id": "Nummer", "email": "E-Mail-Adresse", "name": "Name", "email_verified_at": "E-Mail bestätigt am",
	"created_at": "Angelegt am", "updated_at": "Geändert am", "deleted_at": "Gelöscht am",
	"org_id": "Organisation (Nummer)", "organisation": "Organisation", "kind": "Art", "role": "Rolle",
	"session_id": "Termin (Nummer)", "offer": "Angebot", "offer_id": "Angebot (Nummer)", "starts_at": "Beginn", "ends_at": "Ende",
	"participant_name": "Name der teilnehmenden Person", "participant_email": "E-Mail der teilnehmenden Person",
	"payment": "Bezahlung", "voucher_code": "Gutschein", "status": "Status", "cancelled_at": "Storniert am",
	"booking_id": "Buchung (Nummer)", "day": "Tag", "recorded_at": "Erfasst am", "stars": "Sterne", "comment": "Kommentar",
	"issued_at": "Ausgestellt am", "revoked_at": "Widerrufen am", "revoke_reason": "Grund des Widerrufs",
	"path_title": "Lernpfad", "title": "Titel", "goals": "Ziele", "preferences": "Vorlieben",
	"code": "Kompetenz", "level": "Stand", "target": "Ziel", "shared_at": "Freigegeben am",
	"path_id": "Lernpfad (Nummer)", "joined_at": "Beigetreten am", "completed_at": "Abgeschlossen am",
	"event_id": "Veranstaltung (Nummer)", "event": "Veranstaltung / Ereignis", "answers": "Antworten",
	"show_name": "Auf der Teilnehmendenliste", "attended_at": "Teilgenommen am", "registration_id": "Anmeldung (Nummer)",
	"at": "Zeitpunkt", "text_version": "Fassung des Einwilligungstexts", "track": "Qualifizierung", "reason": "Begründung",
	"answer": "Antwort", "decided_at": "Entschieden am", "channel_id": "Kanal (Nummer)", "thread_id": "Thema (Nummer)",
	"body": "Text", "hidden_at": "Ausgeblendet am", "hidden_reason": "Grund des Ausblendens", "target_id": "Ziel (Nummer)",
	"space_id": "Bereich (Nummer)", "digest": "Zusammenfassung per E-Mail", "mention_mail": "E-Mail bei Erwähnung",
	"post_id": "Beitrag (Nummer)", "resolved_at": "Erledigt am", "ags": "Gemeindeschlüssel", "district": "Kreis",
	"help": "Wobei Sie helfen", "topics": "Themen", "tags": "Stichwörter", "contact": "Kontakt", "phone": "Telefon",
	"hidden": "Verborgen", "consent_at": "Einwilligung am", "what": "Was", "how": "Wie", "effort": "Aufwand",
	"published_at": "Veröffentlicht am", "prefix": "Beginn des Schlüssels", "last_used_at": "Zuletzt benutzt am",
	"expires_at": "Gültig bis", "addr": "Netzadresse", "success": "Erfolgreich", "roles": "Rollen",
	"accepted_at": "Angenommen am", "subject": "Betreff", "sent_at": "Versandt am", "action": "Aktion",
	"object_type": "Art des Eintrags", "object_id": "Eintrag (Nummer)", "detail": "Einzelheiten", "by_you": "Von Ihnen",
}

// ColumnLabel is the German name of a column of the download.
func ColumnLabel(name string) string {
	if l, ok := columnLabels[name]; ok {
		return l
	}
	return name
}

// PDF lays out the summary as a PDF document.
func (sum *Summary) PDF() ([]byte, error) {
	d := pdf.DataSummary{Name: sum.Name, Email: sum.Email, GeneratedAt: sum.GeneratedAt}
	for _, sec := range sum.Sections {
		ds := pdf.DataSection{Title: sec.Title, Total: sec.Total}
		for _, row := range sec.Rows {
			r := make([][2]string, 0, len(row))
			for i, c := range row {
				if c == "" {
					continue
				}
				r = append(r, [2]string{ColumnLabel(sec.Columns[i]), c})
			}
			ds.Rows = append(ds.Rows, r)
		}
		if m := sec.More(); m > 0 {
			ds.Note = "Weitere " + strconv.Itoa(m) + " Einträge stehen in der JSON-Datei."
			if m == 1 {
				ds.Note = "Ein weiterer Eintrag steht in der JSON-Datei."
			}
		}
		d.Sections = append(d.Sections, ds)
	}
	return pdf.DataSummaryPDF(d)
}
