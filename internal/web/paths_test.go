package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// matching: paths

// pathsFixture publishes a basis offer of the VWA with a session a month
// ahead and returns the offer's session and a context of the VWA's staff.
func pathsFixture(t *testing.T, e *testEnv) (*domain.Session, context.Context) {
	t.Helper()
	vera := e.person("kurse@vwa-bw.example")
	ms, _ := e.db.Memberships(context.Background(), vera.ID)
	staff := domain.WithActor(context.Background(), &domain.Actor{Person: vera, Memberships: ms})
	o := &domain.Offer{ProviderID: ms[0].OrgID, Code: "PFAD-BASIS", Title: "Basisqualifizierung für den Lernpfad",
		Summary: "Drei Tage Grundlagen für Digitallotsen im Test.", Description: strings.Repeat("Grundlagen der Digitalisierung. ", 4),
		Outcomes: []string{"Grundlagen"}, Competences: []domain.OfferCompetence{{Code: "STRAT.1", Level: 1}}, Level: domain.LevelBasic,
		Format: domain.FormatSelfPaced, Language: "de", Hours: 24, Days: 3, Certificate: domain.CertParticipation, PriceCents: 30000,
		FundingTracks: []string{programmes.BWID + "/" + domain.TrackBasis}}
	if err := catalog.CreateOffer(staff, e.db, o); err != nil {
		t.Fatal(err)
	}
	if err := catalog.ReviewOffer(staff, e.db, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := e.db.Now().AddDate(0, 1, 0)
	s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 10, Online: true}
	if err := catalog.AddSession(staff, e.db, s); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.app.Catalog.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, staff
}

type pathsAPIList struct {
	Items []pathJSON `json:"items"`
	Total int        `json:"total"`
}

func decodePath[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

// TestPathsAPIAndPages: Niklas lists and joins the shipped path, sees the
// basis offer recommended, books it (booked), attends (done, 25 %),
// leaves and rejoins on the pages; an association's reviewer defines a
// path (with German messages by field when it is wrong) that completes
// at once, whose composite certificate verifies and is revoked on its
// verification page.
func TestPathsAPIAndPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses, staff := pathsFixture(t, e)
		niklas, petra, anna := e.sessionFor("niklas@futurehausen.example"), e.sessionFor("pruefung@staedtetag-bw.example"),
			e.sessionFor("anna@futurehausen.example")
		res, body := e.client().json("GET", "/api/v1/paths", "")
		list := decodePath[pathsAPIList](t, body)
		if res.StatusCode != 200 || list.Total != 1 || list.Items[0].Title != "Kommunale/r Digitallotse/in" || len(list.Items[0].Steps) != 3 {
			t.Fatalf("GET /api/v1/paths: %d %s", res.StatusCode, body)
		}
		id := list.Items[0].ID
		path := fmt.Sprintf("/api/v1/paths/%d", id)

		res, body = niklas.json("POST", path+"/join", "")
		v := decodePath[pathJSON](t, body)
		if res.StatusCode != 200 || !v.Joined || v.Steps[0].State != "next" || v.Percent != 0 {
			t.Fatalf("join: %d %s", res.StatusCode, body)
		}
		if rec := v.Steps[0].Recommended; len(rec) == 0 || rec[0].ID != ses.OfferID || rec[0].NextSession == nil || rec[0].NextSession.ID != ses.ID {
			t.Errorf("the basis offer is not recommended first with its session: %+v", rec)
		}
		niklasP := e.person("niklas@futurehausen.example")
		b, err := e.srv.app.Booking.Place(context.Background(), domain.BookingInput{SessionID: ses.ID, PersonID: niklasP.ID,
			ParticipantName: niklasP.Name, ParticipantEmail: niklasP.Email, Payment: domain.PayPrivate})
		if err != nil {
			t.Fatal(err)
		}
		_, body = niklas.json("GET", "/api/v1/me/paths", "")
		mine := decodePath[pathsAPIList](t, body)
		if mine.Total != 1 || mine.Items[0].Steps[0].State != "booked" || len(mine.Items[0].Steps[0].Bookings) != 1 {
			t.Fatalf("after booking: %s", body)
		}
		back := e.travel(40 * 24 * time.Hour)
		if _, err := e.srv.app.Booking.RecordAttendance(staff, b.ID, nil, domain.AttendPresent); err != nil {
			t.Fatal(err)
		}
		back()
		_, body = niklas.json("GET", "/api/v1/me/paths", "")
		mine = decodePath[pathsAPIList](t, body)
		if st := mine.Items[0].Steps; st[0].State != "done" || st[1].State != "next" || mine.Items[0].Percent != 25 || st[0].Bookings[0].CertificateID == "" {
			t.Fatalf("after attendance: %s", body)
		}

		// The page: steps with their states, the progress as a bar and in words.
		res, page := niklas.get(fmt.Sprintf("/lernpfade/%d", id))
		for _, want := range []string{"25 % abgeschlossen", "<progress", "abgeschlossen</span>", "als Nächstes", "Lernpfad verlassen"} {
			if !strings.Contains(page, want) {
				t.Errorf("path page lacks %q", want)
			}
		}
		if res.StatusCode != 200 {
			t.Fatalf("path page: %d", res.StatusCode)
		}
		if res := niklas.postForm(fmt.Sprintf("/lernpfade/%d/verlassen", id), url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("leave: %d", res.StatusCode)
		}
		if _, body = niklas.json("GET", "/api/v1/me/paths", ""); decodePath[pathsAPIList](t, body).Total != 0 {
			t.Fatalf("after leaving: %s", body)
		}
		if res := niklas.postForm(fmt.Sprintf("/lernpfade/%d/folgen", id), url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rejoin: %d", res.StatusCode)
		}
		if _, body = niklas.json("GET", "/api/v1/me/paths", ""); decodePath[pathsAPIList](t, body).Items[0].Percent != 25 {
			t.Fatalf("after rejoining: %s", body)
		}
		_, page = e.client().get("/lernpfade")
		if !strings.Contains(page, "Kommunale/r Digitallotse/in") || !strings.Contains(page, "Melden Sie sich an") {
			t.Errorf("the list for visitors: %.400s", pageText(page))
		}

		// Defining a path: HR may not; the Städtetag's reviewer may.
		staedtetag := e.orgByName(programmes.Staedtetag).ID
		one := fmt.Sprintf(`{"title": "Nur die Basis", "owner_org_id": %d, "status": "published", "steps": [{"title": "Basis", "kind": "offer", "offer_ids": [%d]}]}`,
			staedtetag, ses.OfferID)
		if res, _ := anna.json("POST", "/api/v1/paths", one); res.StatusCode != http.StatusForbidden {
			t.Errorf("Anna creates a path: %d", res.StatusCode)
		}
		res, body = petra.json("POST", "/api/v1/paths", fmt.Sprintf(`{"title": "", "owner_org_id": %d, "steps": [{"title": "", "kind": "offer"}]}`, staedtetag))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"steps.1.title":"Bitte geben Sie dem 1. Schritt einen Titel."`) {
			t.Fatalf("invalid path: %d %s", res.StatusCode, body)
		}
		res, page = petra.postFormBody("/lernpfade/neu", url.Values{"title": {"Mein Pfad"}, "rows": {"1"}, "steps.1.title": {""},
			"steps.1.kind": {"offer"}, "steps.1.offer_ids": {"zwölf"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Bitte geben Sie Angebotsnummern an") ||
			!strings.Contains(page, `value="Mein Pfad"`) {
			t.Fatalf("invalid form: %d %.600s", res.StatusCode, pageText(page))
		}
		res, body = petra.json("POST", "/api/v1/paths", one)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		created := decodePath[domain.Path](t, body)
		// Niklas has done its step already: joining completes it.
		res, body = niklas.json("POST", fmt.Sprintf("/api/v1/paths/%d/join", created.ID), "")
		v = decodePath[pathJSON](t, body)
		if res.StatusCode != 200 || v.Percent != 100 || v.Certificate == nil || v.CompletedAt == nil {
			t.Fatalf("joining a path already done: %d %s", res.StatusCode, body)
		}
		cert := v.Certificate.ID
		_, page = e.client().get("/verify/lernpfad/" + cert)
		if !strings.Contains(page, "Dieses Zertifikat ist gültig") || !strings.Contains(page, "/verify/"+mine.Items[0].Steps[0].Bookings[0].CertificateID) {
			t.Errorf("verification page: %.600s", pageText(page))
		}
		res, body = e.client().json("GET", "/api/v1/path-certificates/"+cert+"/credential", "")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vc+jwt" || strings.Count(body, ".") != 2 {
			t.Errorf("credential: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		res, _ = niklas.get("/lernpfade/zertifikate/" + cert + "/pdf")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("pdf: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, _ := anna.json("POST", "/api/v1/path-certificates/"+cert+"/revoke", `{"reason": "Irrtum"}`); res.StatusCode != http.StatusForbidden {
			t.Errorf("Anna revokes: %d", res.StatusCode)
		}
		if res, body := petra.json("POST", "/api/v1/path-certificates/"+cert+"/revoke", `{"reason": "Irrtum"}`); res.StatusCode != 200 ||
			!strings.Contains(body, `"revoked":true`) {
			t.Fatalf("revoke: %d %s", res.StatusCode, body)
		}
		_, page = e.client().get("/verify/lernpfad/" + cert)
		if !strings.Contains(page, "widerrufen") || !strings.Contains(page, "Grund: Irrtum") || strings.Contains(page, "ist gültig") {
			t.Errorf("verification page after revocation: %.600s", pageText(page))
		}

		// The event of the shipped path: Petra confirms it on the members' page.
		res, page = petra.get(fmt.Sprintf("/lernpfade/%d/teilnehmende", id))
		if res.StatusCode != 200 || !strings.Contains(page, "Niklas Neumann") || !strings.Contains(page, "Teilnahme bestätigen") {
			t.Fatalf("members page: %d %.500s", res.StatusCode, pageText(page))
		}
		if res, body := petra.json("POST", fmt.Sprintf("%s/members/%d/event", path, niklasP.ID), `{"step": 3}`); res.StatusCode != http.StatusNoContent {
			t.Fatalf("confirm event: %d %s", res.StatusCode, body)
		}
		_, body = niklas.json("GET", path, "")
		if v := decodePath[pathJSON](t, body); v.Steps[2].State != "done" || v.Steps[2].EventConfirmedAt == nil {
			t.Errorf("after the event: %s", body)
		}
	})
}
