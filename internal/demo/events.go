package demo

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/domain"
)

// events: the Städtetag's networking events of the demo, created and
// published by Petra, its event organiser: a members-only meeting in
// Futurehausen and an online consultation hour open to everyone.
func storyEvents(ctx context.Context, a *app.App, petraCtx context.Context, now time.Time) error {
	meet := day(workday(now.AddDate(0, 0, 35)), 14)
	online := day(workday(now.AddDate(0, 0, 14)), 10)
	evs := []*domain.Event{
		{Title: "Vernetzungstreffen der Digitallotsinnen und Digitallotsen im Städtetag",
			Description: "Digitallotsinnen und Digitallotsen der Mitgliedsstädte tauschen Erfahrungen aus: Was hat in Ihrer Verwaltung funktioniert, wo hakt es, wer hat schon Lösungen für die E-Akte und das Onlinezugangsgesetz?\nDas Treffen ist offen für alle Beschäftigten der Mitgliedsstädte des Städtetags.",
			Agenda:      "14:00 Begrüßung und Vorstellungsrunde\n14:30 Praxisberichte aus drei Städten\n15:30 Kaffeepause\n15:45 Thementische: E-Akte, Bürgerportal, KI im Alltag\n17:00 Ende",
			StartsAt:    meet, EndsAt: meet.Add(3 * time.Hour), AGS: FuturehausenAGS, Address: "Rathaus Futurehausen, Großer Sitzungssaal, Marktplatz 1",
			Capacity: 40, RegistrationDeadline: meet.AddDate(0, 0, -7), Audience: domain.AudienceMembers,
			Questions: []string{"Haben Sie Essenswünsche (z. B. vegetarisch)?", "Welche Themen möchten Sie besprechen?"}},
		{Title: "Online-Sprechstunde: KI in der Kommunalverwaltung",
			Description: "Eine Stunde Fragen und Antworten zu KI-Werkzeugen in der Verwaltung: Was ist erlaubt, was ist sinnvoll, wie fangen Sie an? Offen für alle.",
			StartsAt:    online, EndsAt: online.Add(time.Hour), Online: true, OnlineURL: "https://konferenz.staedtetag-bw.example/ki-sprechstunde",
			Capacity: 100, RegistrationDeadline: online.Add(-2 * time.Hour), Audience: domain.AudiencePublic,
			Questions: []string{"Welche Frage bringen Sie mit?"}},
	}
	for _, e := range evs {
		got, err := a.Events.Create(petraCtx, e)
		if err != nil {
			return err
		}
		if _, err := a.Events.Publish(petraCtx, got.ID); err != nil {
			return err
		}
	}
	return nil
}
