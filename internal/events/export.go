package events

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sheet"
	"github.com/lotse-oss/lotse/internal/store"
)

// Attendees is the attendee list of an event as a table for its
// organisers: every active registration with name, municipality, status,
// consent, attendance and the answers, one column per question. The web
// layer writes it as CSV (formula-safe, through csvx) or XLSX.
func (s *Service) Attendees(ctx context.Context, id int64) (t sheet.Table, err error) {
	defer domain.Wrap(&err, "events.Attendees(%d)", id)
	e, err := s.managed(ctx, id)
	if err != nil {
		return t, err
	}
	regs, _, err := s.db.Registrations(ctx, store.RegistrationFilter{EventID: id})
	if err != nil {
		return t, err
	}
	t = sheet.Table{Name: "Teilnehmende", Title: e.Title, Columns: []sheet.Column{
		{Title: "Name", Kind: sheet.Text, Width: 28}, {Title: "E-Mail", Kind: sheet.Text, Width: 30}, {Title: "Kommune", Kind: sheet.Text, Width: 28},
		{Title: "Status", Kind: sheet.Text, Width: 18}, {Title: "Angemeldet am", Kind: sheet.DateTime, Width: 18},
		{Title: "Auf der Teilnehmendenliste", Kind: sheet.Text, Width: 14}, {Title: "Teilgenommen", Kind: sheet.Text, Width: 14},
	}}
	for _, q := range e.Questions {
		t.Columns = append(t.Columns, sheet.Column{Title: q, Kind: sheet.Text, Width: 30})
	}
	yes := func(b bool) string {
		if b {
			return "ja"
		}
		return "nein"
	}
	t.Rows = make([][]any, 0, len(regs))
	for _, r := range regs {
		row := []any{r.Name, r.Email, r.OrgName, r.Status.Label(), r.CreatedAt, yes(r.ShowName), yes(r.AttendedAt != nil)}
		for i := range e.Questions {
			a := ""
			if i < len(r.Answers) {
				a = r.Answers[i]
			}
			row = append(row, a)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}
