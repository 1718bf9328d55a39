package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// kleinbachHR makes an HR person of Kleinbach, another municipality.
func kleinbachHR(t *testing.T, e *testEnv) string {
	t.Helper()
	kb := e.orgByName("Gemeinde Kleinbach")
	p := &domain.Person{Email: "personal@kleinbach.example", Name: "Karla Personal"}
	if err := e.db.CreatePerson(context.Background(), p, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetRoles(context.Background(), kb.ID, p.ID, []domain.Role{domain.RoleHR}); err != nil {
		t.Fatal(err)
	}
	return p.Email
}

// employerBooking books the session for email, billed to the employer; a
// member who is not HR waits for approval.
func employerBooking(t *testing.T, e *testEnv, email string, session int64) domain.Booking {
	t.Helper()
	res, body := e.apiAs(email).json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", session), `{"payment": "employer"}`)
	expect(t, res, body, 201)
	b := decode[domain.Booking](t, body)
	if b.Status != domain.BookingAwaitingApproval {
		t.Fatalf("employer booking of %s: %s", email, b.Status)
	}
	return b
}

func TestHRDecidesBookingsThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "HRDESK-API", 5)
		nik := employerBooking(t, e, "niklas@futurehausen.example", ses.ID)
		lil := employerBooking(t, e, "lilly@futurehausen.example", ses.ID)
		anna, kb := e.apiAs("anna@futurehausen.example"), e.apiAs(kleinbachHR(t, e))
		niklas := e.apiAs("niklas@futurehausen.example")

		list := func(c *client, query string) []int64 {
			t.Helper()
			res, body := c.json("GET", "/api/v1/bookings"+query, "")
			expect(t, res, body, 200)
			var ids []int64
			for _, b := range decode[httpx.List[domain.BookingDetail]](t, body).Items {
				ids = append(ids, b.ID)
			}
			return ids
		}
		if got := list(anna, "?status=awaiting_approval"); len(got) != 2 {
			t.Fatalf("Futurehausen's HR sees %v waiting, want both", got)
		}
		if got := list(kb, "?status=awaiting_approval"); len(got) != 0 {
			t.Fatalf("Kleinbach's HR sees Futurehausen's bookings: %v", got)
		}
		if got := list(niklas, "?status=awaiting_approval"); len(got) != 1 || got[0] != nik.ID {
			t.Fatalf("Niklas sees %v, want only his own", got)
		}
		if got := list(niklas, ""); len(got) != 1 {
			t.Fatalf("without a status Niklas sees %v", got)
		}
		res, body := anna.json("GET", "/api/v1/bookings?status=irgendwas", "")
		expect(t, res, body, 422)

		declinePath := fmt.Sprintf("/api/v1/bookings/%d/decline", lil.ID)
		res, body = kb.json("POST", declinePath, `{"reason": "fremd"}`)
		expect(t, res, body, 404)
		res, body = niklas.json("POST", declinePath, `{"reason": "nicht meins"}`)
		expect(t, res, body, 404)
		res, body = e.apiAs("lilly@futurehausen.example").json("POST", declinePath, `{"reason": "selbst"}`)
		expect(t, res, body, 403)
		res, body = anna.json("POST", declinePath, `{}`)
		expect(t, res, body, 422)
		if decode[apiError](t, body).Error.Fields["reason"] != "Bitte geben Sie einen Grund für die Ablehnung an." {
			t.Fatalf("missing reason: %s", body)
		}
		res, body = anna.json("POST", declinePath, `{"reason": "Kein Budget mehr in diesem Jahr."}`)
		expect(t, res, body, 200)
		if b := decode[domain.Booking](t, body); b.Status != domain.BookingCancelled || b.DeclineReason != "Kein Budget mehr in diesem Jahr." {
			t.Fatalf("declined: %+v", b)
		}
		res, body = anna.json("POST", declinePath, `{"reason": "noch mal"}`)
		expect(t, res, body, 409)
		res, body = anna.json("POST", "/api/v1/bookings/999999/decline", `{"reason": "gibt es nicht"}`)
		expect(t, res, body, 404)

		approvePath := fmt.Sprintf("/api/v1/bookings/%d/approve", nik.ID)
		res, body = anna.json("POST", approvePath, `{"note": "Viel Erfolg!", "extra": 1}`)
		expect(t, res, body, 400)
		res, body = anna.json("POST", approvePath, `{"note": "Viel Erfolg!"}`)
		expect(t, res, body, 200)
		if b := decode[domain.Booking](t, body); b.Status != domain.BookingConfirmed || b.ApprovalNote != "Viel Erfolg!" {
			t.Fatalf("approved: %+v", b)
		}
		if got := list(anna, "?status=awaiting_approval"); len(got) != 0 {
			t.Fatalf("after the decisions %v still wait", got)
		}

		// The team overview: Lilly's declined booking with its reason.
		fh := e.orgByName("Stadt Futurehausen")
		teamPath := fmt.Sprintf("/api/v1/organisations/%d/team", fh.ID)
		res, body = anna.json("GET", teamPath+"?status=cancelled&name=lilly", "")
		expect(t, res, body, 200)
		rows := decode[httpx.List[domain.TeamRow]](t, body).Items
		if len(rows) != 1 || rows[0].BookingID != lil.ID || rows[0].DeclineReason != "Kein Budget mehr in diesem Jahr." {
			t.Fatalf("team rows: %s", body)
		}
		res, body = anna.json("GET", teamPath+"?certificate=vielleicht", "")
		expect(t, res, body, 422)
		if !strings.Contains(body, `"certificate"`) {
			t.Fatalf("bad certificate filter: %s", body)
		}
		res, body = kb.json("GET", teamPath, "")
		expect(t, res, body, 404)
		res, body = niklas.json("GET", teamPath, "")
		expect(t, res, body, 404)
		res, body = e.client().json("GET", teamPath, "")
		expect(t, res, body, 401)
	})
}

func TestHRDeskPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "HRDESK-UI", 5)
		nik := employerBooking(t, e, "niklas@futurehausen.example", ses.ID)
		lil := employerBooking(t, e, "lilly@futurehausen.example", ses.ID)
		anna := e.sessionFor("anna@futurehausen.example")

		res, body := anna.get("/freigaben")
		if res.StatusCode != 200 || !strings.Contains(body, "Niklas Neumann") || !strings.Contains(body, "2 Buchungen warten") ||
			!strings.Contains(body, `href="/freigaben"`) {
			t.Fatalf("approvals page: %d\n%s", res.StatusCode, body)
		}
		if res, _ := e.sessionFor("niklas@futurehausen.example").get("/freigaben"); res.StatusCode != 403 {
			t.Fatalf("approvals page for a participant: %d", res.StatusCode)
		}

		// Declining without a reason: the German message next to the
		// field, the input kept.
		long := strings.Repeat("zu lang ", 130)
		res, body = anna.postFormBody(fmt.Sprintf("/freigaben/%d/ablehnen", lil.ID), url.Values{"reason": {long}})
		if res.StatusCode != 422 || !strings.Contains(body, fmt.Sprintf(`id="reason-%d-error"`, lil.ID)) ||
			!strings.Contains(body, "höchstens 1000 Zeichen") || !strings.Contains(body, strings.TrimSpace(long)) {
			t.Fatalf("too long a reason: %d\n%s", res.StatusCode, body)
		}
		res, body = anna.postFormBody(fmt.Sprintf("/freigaben/%d/ablehnen", lil.ID), url.Values{"reason": {""}})
		if res.StatusCode != 422 || !strings.Contains(body, "Bitte geben Sie einen Grund für die Ablehnung an.") {
			t.Fatalf("no reason: %d\n%s", res.StatusCode, body)
		}
		res = anna.postForm(fmt.Sprintf("/freigaben/%d/ablehnen", lil.ID), url.Values{"reason": {"Kein Budget."}})
		if res.StatusCode != 303 || res.Header.Get("Location") != "/freigaben?hinweis=buchung-abgelehnt" {
			t.Fatalf("decline: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = e.sessionFor("lilly@futurehausen.example").get("/buchungen")
		if !strings.Contains(body, "von der Personalabteilung abgelehnt") || !strings.Contains(body, "Grund: Kein Budget.") {
			t.Fatalf("the participant's bookings do not show the decline:\n%s", body)
		}

		// Approving asks first: billed to whom, how much.
		res, body = anna.get(fmt.Sprintf("/freigaben/%d/genehmigen", nik.ID))
		if res.StatusCode != 200 || !strings.Contains(body, "Mit der Genehmigung wird die Buchung der Stadt Futurehausen mit 0,00 € in Rechnung gestellt.") {
			t.Fatalf("confirmation: %d\n%s", res.StatusCode, body)
		}
		res = anna.postForm(fmt.Sprintf("/freigaben/%d/genehmigen", nik.ID), url.Values{"note": {"Gern!"}})
		if res.StatusCode != 303 || res.Header.Get("Location") != "/freigaben?hinweis=buchung-genehmigt" {
			t.Fatalf("approve: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = anna.get("/freigaben?hinweis=buchung-genehmigt")
		if res.StatusCode != 200 || !strings.Contains(body, "Die Buchung ist genehmigt.") || !strings.Contains(body, "Zurzeit wartet keine Buchung") {
			t.Fatalf("after approving: %s", body)
		}
		if res, _ := anna.get(fmt.Sprintf("/freigaben/%d/genehmigen", nik.ID)); res.StatusCode != 409 {
			t.Fatalf("confirmation of a decided booking: %d", res.StatusCode)
		}

		// The team overview, its filters in the address, and the export of
		// exactly the filtered rows.
		fh := e.orgByName("Stadt Futurehausen")
		_, body = anna.get(fmt.Sprintf("/organisationen/%d", fh.ID))
		if !strings.Contains(body, fmt.Sprintf(`href="/organisationen/%d/team"`, fh.ID)) {
			t.Fatal("the org page does not link the team overview for HR")
		}
		_, body = e.sessionFor("niklas@futurehausen.example").get(fmt.Sprintf("/organisationen/%d", fh.ID))
		if strings.Contains(body, "/team\"") {
			t.Fatal("the org page links the team overview for a participant")
		}
		res, body = anna.get(fmt.Sprintf("/organisationen/%d/team?name=niklas&status=confirmed", fh.ID))
		if res.StatusCode != 200 || !strings.Contains(body, "Niklas Neumann") || strings.Contains(body, "Lilly") ||
			!strings.Contains(body, "team.csv?angebot=&amp;name=niklas&amp;status=confirmed&amp;zertifikat=") ||
			!strings.Contains(body, `<option value="confirmed" selected>`) || !strings.Contains(body, `value="niklas"`) {
			t.Fatalf("team page: %d\n%s", res.StatusCode, body)
		}
		res, body = anna.get(fmt.Sprintf("/organisationen/%d/team?zertifikat=vielleicht&name=x", fh.ID))
		if res.StatusCode != 422 || !strings.Contains(body, "mit Zertifikat") || !strings.Contains(body, `value="x"`) {
			t.Fatalf("bad filter: %d\n%s", res.StatusCode, body)
		}
		res, body = anna.get(fmt.Sprintf("/organisationen/%d/team.csv?name=niklas&status=confirmed", fh.ID))
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeff") {
			t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[1][0] != "Niklas Neumann" || recs[1][4] != "bestätigt" {
			t.Fatalf("export rows: %q", recs)
		}
		if res, _ := e.sessionFor("niklas@futurehausen.example").get(fmt.Sprintf("/organisationen/%d/team.csv", fh.ID)); res.StatusCode != 404 {
			t.Fatalf("export for a participant: %d", res.StatusCode)
		}
	})
}
