package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// events: the rows of the authorization matrix.
const (
	eventOrganisers  audience = iota + 1300 // the Städtetag's event organiser (Petra, the reviewer row)
	eventViewers                            // the audience of the Städtetag's members-only event: Futurehausen's members, the Städtetag, admins
	eventRegistrants                        // who may register for it: Futurehausen's members and the Städtetag's people, not admins
)

func init() {
	for _, r := range matrixRoles {
		r.in[eventOrganisers] = r.in[staedtetagReviewer]
		r.in[eventViewers] = r.in[fhMembers] || r.in[staedtetagReviewer]
		r.in[eventRegistrants] = r.in[fhMembersOnly] || r.in[staedtetagReviewer]
	}
	long := strings.Repeat("x", 2100)
	manyAnswers := `{"answers": ["a", "b", "c"]}`
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /veranstaltungen", path: "/veranstaltungen", who: everyone},
		matrixCase{pattern: "GET /veranstaltungen/neu", path: "/veranstaltungen/neu", who: eventOrganisers},
		matrixCase{pattern: "POST /veranstaltungen/neu", path: "/veranstaltungen/neu", form: url.Values{"title": {""}}, who: eventOrganisers},
		matrixCase{pattern: "GET /veranstaltungen/{id}", path: "/veranstaltungen/{event}", who: eventViewers, hidden: true},
		matrixCase{pattern: "GET /veranstaltungen/{id}/kalender.ics", path: "/veranstaltungen/{event}/kalender.ics", who: eventViewers, hidden: true},
		matrixCase{pattern: "GET /veranstaltungen/{id}/bearbeiten", path: "/veranstaltungen/{event}/bearbeiten", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/bearbeiten", path: "/veranstaltungen/{event}/bearbeiten", form: url.Values{"title": {""}},
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/veroeffentlichen", path: "/veranstaltungen/{event}/veroeffentlichen", form: url.Values{},
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/absagen", path: "/veranstaltungen/{event}/absagen", form: url.Values{"reason": {long}},
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/anmelden", path: "/veranstaltungen/{event}/anmelden", form: url.Values{"answer_1": {long}},
			who: eventRegistrants, hidden: true},
		matrixCase{pattern: "POST /anmeldungen/{id}/stornieren", path: "/anmeldungen/999999/stornieren", form: url.Values{}, who: loggedIn},
		matrixCase{pattern: "GET /veranstaltungen/{id}/teilnehmende", path: "/veranstaltungen/{event}/teilnehmende", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /veranstaltungen/{id}/teilnehmende.csv", path: "/veranstaltungen/{event}/teilnehmende.csv", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /veranstaltungen/{id}/teilnehmende.xlsx", path: "/veranstaltungen/{event}/teilnehmende.xlsx", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/anwesenheit", path: "/veranstaltungen/{event}/anwesenheit", form: url.Values{},
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /veranstaltungen/{id}/nachricht", path: "/veranstaltungen/{event}/nachricht", form: url.Values{"subject": {""}},
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /api/v1/events", path: "/api/v1/events", who: everyone},
		matrixCase{pattern: "POST /api/v1/events", path: "/api/v1/events", json: `{"title": ""}`, who: eventOrganisers},
		matrixCase{pattern: "GET /api/v1/events/{id}", path: "/api/v1/events/{event}", who: eventViewers, hidden: true},
		matrixCase{pattern: "PATCH /api/v1/events/{id}", path: "/api/v1/events/{event}", json: `{"capacity": 0}`, who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /api/v1/events/{id}/publish", path: "/api/v1/events/{event}/publish", json: `{}`, who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /api/v1/events/{id}/cancel", path: "/api/v1/events/{event}/cancel", json: `{"reason": "` + long + `"}`,
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /api/v1/events/{id}/registrations", path: "/api/v1/events/{event}/registrations", json: manyAnswers,
			who: eventRegistrants, hidden: true},
		matrixCase{pattern: "GET /api/v1/events/{id}/registrations", path: "/api/v1/events/{event}/registrations", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /api/v1/events/{id}/registrations.csv", path: "/api/v1/events/{event}/registrations.csv", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /api/v1/events/{id}/registrations.xlsx", path: "/api/v1/events/{event}/registrations.xlsx", who: eventOrganisers, hidden: true},
		matrixCase{pattern: "DELETE /api/v1/registrations/{id}", path: "/api/v1/registrations/999999", who: loggedIn},
		matrixCase{pattern: "GET /api/v1/events/{id}/ics", path: "/api/v1/events/{event}/ics", who: eventViewers, hidden: true},
		matrixCase{pattern: "POST /api/v1/events/{id}/attendance", path: "/api/v1/events/{event}/attendance", json: `{"present": []}`,
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "POST /api/v1/events/{id}/message", path: "/api/v1/events/{event}/message", json: `{"subject": "", "body": ""}`,
			who: eventOrganisers, hidden: true},
		matrixCase{pattern: "GET /api/v1/me/event-registrations", path: "/api/v1/me/event-registrations", who: loggedIn},
	)
}

// matrixEventFixture publishes a members-only event of the Städtetag with
// one question and returns its ID.
func matrixEventFixture(t *testing.T, e *testEnv) int64 {
	t.Helper()
	petra := e.person("pruefung@staedtetag-bw.example")
	ms, err := e.db.Memberships(context.Background(), petra.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithActor(context.Background(), &domain.Actor{Person: petra, Memberships: ms})
	start := e.db.Now().AddDate(0, 1, 0)
	ev, err := e.srv.app.Events.Create(ctx, &domain.Event{Title: "Vernetzungstreffen der Mitglieder", Description: "Austausch.",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Online: true, OnlineURL: "https://meet.example/m", Capacity: 10,
		RegistrationDeadline: start.Add(-time.Hour), Audience: domain.AudienceMembers, Questions: []string{"Themen?"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.app.Events.Publish(ctx, ev.ID); err != nil {
		t.Fatal(err)
	}
	return ev.ID
}
