package demo

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// paulaEmail is Paula Pionier of Gemeinde Kleinbach, the story's second
// digital pilot.
const paulaEmail = "pilot@kleinbach.example"

// pilotDirectory plays the directory part of the story: Paula completed
// the base qualification in Kleinbach a month ago (paying herself, the
// certificate issued by the Verwaltungsschule); she and Lilly, who
// completed it with the story's voucher, entered themselves in the
// directory with their consent and published a project brief each. at
// sets the database's clock; now is the story's present.
func pilotDirectory(ctx context.Context, a *app.App, db *store.DB, as func(string) (context.Context, error), at func(time.Time), now time.Time) error {
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		return err
	}
	karlCtx, err := as(karlEmail)
	if err != nil {
		return err
	}
	paulaCtx, err := as(paulaEmail)
	if err != nil {
		return err
	}
	base, err := offerByCode(ctx, db, ids[programmes.Verwaltungsschule], "VS-DL-BASIS")
	if err != nil {
		return err
	}
	at(now.AddDate(0, 0, -50))
	start := day(workday(now.AddDate(0, 0, -33)), 9)
	course := &domain.Session{OfferID: base, StartsAt: start, EndsAt: start.AddDate(0, 0, 2).Add(7 * time.Hour), Days: 3, Capacity: 12,
		AGS: "08999002", Address: "Bürgerhaus Kleinbach, Schulstraße 3", RegistrationDeadline: start.AddDate(0, 0, -7)}
	if err := a.Catalog.AddSession(karlCtx, course); err != nil {
		return err
	}
	at(now.AddDate(0, 0, -45))
	pb, err := a.Booking.Book(paulaCtx, booking.Request{SessionID: course.ID, Payment: domain.PayPrivate})
	if err != nil {
		return err
	}
	at(course.EndsAt.Add(24 * time.Hour))
	if _, err := a.Booking.RecordAttendance(karlCtx, pb.ID, []int{1, 2, 3}, "present"); err != nil {
		return err
	}

	at(now.AddDate(0, 0, -3))
	lillyCtx, err := as(lillyEmail)
	if err != nil {
		return err
	}
	for _, p := range []struct {
		ctx   context.Context
		ags   string
		entry domain.PilotEntryInput
		brief domain.ProjectBrief
	}{
		{lillyCtx, FuturehausenAGS, domain.PilotEntryInput{Topics: []string{"EGOV.1", "PROZ.2", "CHANGE.1"}, Tags: []string{"E-Akte", "Bauverwaltung"},
			Help: "Ich habe in Futurehausen die digitale Bauakte eingeführt und begleite gerade den Umstieg auf die E-Akte in der ganzen Verwaltung. " +
				"Gern erzähle ich, wie wir Fachverfahren angebunden und die Kolleginnen und Kollegen mitgenommen haben.",
			Contact: domain.ContactForm, Consent: true},
			domain.ProjectBrief{Title: "Digitale Bauakte", Topics: []string{"PROZ.2", "EGOV.1"},
				What: "Bauanträge kommen bei uns seit diesem Frühjahr digital über das Landesportal an und werden vollständig in der E-Akte bearbeitet: " +
					"vom Eingang über die Beteiligung der Fachbehörden bis zum Bescheid.",
				How: "Wir haben zuerst den Ablauf mit dem Bauamt auf Papier aufgezeichnet und Medienbrüche gesucht. Danach haben wir das Fachverfahren " +
					"an die E-Akte angebunden, mit zwei Pilotakten getestet und das Team in drei halben Tagen geschult. Alte Akten scannen wir nur, wenn sie wieder gebraucht werden.",
				Effort:  "Etwa sechs Monate; zwei Personen aus dem Bauamt mit je einem Tag pro Woche, dazu die IT. Rund 18.000 Euro für die Schnittstelle und Scanner.",
				Contact: "Lilly Lotse, Stadt Futurehausen, über das Verzeichnis der Digitallotsen"}},
		{paulaCtx, "08999002", domain.PilotEntryInput{Topics: []string{"EGOV.1", "PM.2"}, Tags: []string{"Online-Terminvergabe", "Bürgerbüro"},
			Help:    "Kleine Gemeinde, wenig Personal: Ich zeige gern, wie wir mit einfachen Mitteln Termine online vergeben und Anträge vorab digital prüfen.",
			Contact: domain.ContactEmail, Consent: true},
			domain.ProjectBrief{Title: "Online-Terminvergabe im Bürgerbüro", Topics: []string{"EGOV.1"},
				What: "Bürgerinnen und Bürger buchen Termine im Bürgerbüro online und bekommen vorab eine Liste der Unterlagen, die sie mitbringen müssen.",
				How: "Wir haben ein Terminmodul des kommunalen Rechenzentrums gewählt, die Öffnungszeiten in Terminarten aufgeteilt und zwei Wochen lang " +
					"parallel telefonisch und online vergeben. Die Wartezeit im Bürgerbüro ist seitdem deutlich kürzer.",
				Effort:  "Drei Monate Vorbereitung neben dem Tagesgeschäft, eine Person im Bürgerbüro und die Hauptamtsleitung; etwa 1.200 Euro im Jahr für das Modul.",
				Contact: "Paula Pionier, Bürgerbüro der Gemeinde Kleinbach"}},
	} {
		org, err := db.OrganisationByAGS(ctx, p.ags)
		if err != nil {
			return err
		}
		p.entry.OrgID = org.ID
		if _, err := a.Pilots.SaveMyEntry(p.ctx, p.entry); err != nil {
			return err
		}
		b := p.brief
		published := domain.BriefPublished
		in := domain.ProjectBriefInput{Title: &b.Title, What: &b.What, How: &b.How, Effort: &b.Effort, Contact: &b.Contact, Topics: &b.Topics, Status: &published}
		if _, err := a.Pilots.CreateBrief(p.ctx, in); err != nil {
			return err
		}
	}
	at(now)
	return nil
}
