package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/desk"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
)

// eventExamples is the example data of the events' templates: an online
// event with a confirmed registration, a participant list and the
// organiser's view.
func eventExamples(base Page, now time.Time) map[string]any {
	ev := domain.Event{ID: 7, OrganiserID: 2, OrganiserName: "Städtetag Baden-Württemberg", State: "08", Title: "Vernetzungstreffen Nord",
		Description: "Austausch der Digitallotsen.\nMit Kaffee.", Agenda: "14:00 Begrüßung\n14:15 E-Akte", StartsAt: now, EndsAt: now.Add(3 * time.Hour),
		Online: true, OnlineURL: "https://meet.example/nord", Capacity: 20, RegistrationDeadline: now, Audience: domain.AudienceMembers,
		Questions: []string{"Essenswünsche?"}, Status: domain.EventPublished, Confirmed: 3, Waitlisted: 1}
	place := ev
	place.ID, place.Online, place.OnlineURL, place.AGS, place.PlaceName, place.Address, place.Status = 8, false, "", "08999001", "Futurehausen", "Rathausplatz 1", domain.EventDraft
	reg := domain.EventRegistration{ID: 4, EventID: 7, PersonID: 1, Name: "Ada", Email: "a@b.example", OrgName: "Stadt Futurehausen",
		Status: domain.RegConfirmed, Answers: []string{"vegetarisch"}, ShowName: true, CreatedAt: now, AttendedAt: &now}
	wait := reg
	wait.ID, wait.Status, wait.Position, wait.AttendedAt, wait.ShowName = 5, domain.RegWaitlisted, 1, nil, false
	home := homeExample(base, now)
	home.Desk.Events = &desk.Events{Registered: []domain.EventEntry{{Registration: reg, Event: ev}, {Registration: wait, Event: ev}},
		Organised: []domain.Event{ev, place}}
	return map[string]any{
		"home": home,
		"events": &eventsPage{Page: base, Events: []domain.Event{ev, place}, CanCreate: true,
			Mine: []domain.EventEntry{{Registration: reg, Event: ev}}},
		"event": &eventPage{Page: base, V: &events.View{Event: ev, Own: &reg, CanManage: true, MayRegister: false, InAudience: true,
			Shown: []domain.EventRegistration{reg}, ShownTotal: 1}, Answers: []string{""}, Now: now, HR: true},
		"event_form": &eventFormPage{Page: base, ID: 7, Organisers: base.Actor.Memberships, In: formOf(&place), Audiences: domain.EventAudiences,
			Status: domain.EventPublished},
		"event_attendees": &eventAttendeesPage{Page: base, E: &ev, Regs: []domain.EventRegistration{reg, wait}, Total: 2,
			More: moreLink{Href: "/veranstaltungen/7/teilnehmende?nach=9#anmeldungen", Text: "Weitere Anmeldungen anzeigen", Label: "Weitere Anmeldungen"}, Subject: "Anfahrt", Body: "Parken im Hof"},
	}
}
