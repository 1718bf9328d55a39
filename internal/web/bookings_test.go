package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// approvedVouchers plays the funding story up to the codes: Lilly applies
// for people in basis with the first provider, the Städtetag approves.
func approvedVouchers(t *testing.T, e *testEnv, people int) []domain.Voucher {
	t.Helper()
	lilly := e.apiAs("lilly@futurehausen.example")
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	_, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis",
		"provider": %d, "people": %d, "declarations": true}`, p.ProviderIDs[0], people))
	app := decode[domain.Application](t, body)
	res, body := lilly.json("POST", fmt.Sprintf("/api/v1/applications/%d/submit", app.ID), "")
	expect(t, res, body, 200)
	res, body = e.apiAs("pruefung@staedtetag-bw.example").json("POST", fmt.Sprintf("/api/v1/applications/%d/approve", app.ID), "")
	expect(t, res, body, 200)
	return decode[domain.Application](t, body).Vouchers
}

func TestBookingWithAVoucherThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 2)
		p, _ := e.db.Programme(t.Context(), programmes.BWID)
		// A basis session of the voucher's provider, from the catalog.
		_, body := e.client().json("GET", fmt.Sprintf("/api/v1/offers?funding=digitallotsen-bw/basis&provider=%d&sort=date", p.ProviderIDs[0]), "")
		r := decode[searchResponse](t, body)
		if r.Total == 0 || r.Items[0].NextSession == nil {
			t.Fatalf("no basis session of the provider: %s", body)
		}
		session := r.Items[0].NextSession.ID
		niklas := e.apiAs("niklas@futurehausen.example")
		handTo(t, e, vs[0].Code, "niklas@futurehausen.example")
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", session)
		res, body := niklas.json("POST", path, `{"payment": "voucher", "voucher": "08999001-0000-0000-0000"}`)
		expect(t, res, body, 422)
		res, body = niklas.json("POST", path, fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, strings.ToLower(vs[0].Code)))
		expect(t, res, body, 201)
		b := decode[domain.Booking](t, body)
		if b.Status != "confirmed" || b.VoucherCode != vs[0].Code || b.ParticipantEmail != "niklas@futurehausen.example" {
			t.Fatalf("booking %+v", b)
		}
		// The same code again is refused with a clear message.
		res, body = e.apiAs("lilly@futurehausen.example").json("POST", path, fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[0].Code))
		expect(t, res, body, 409)
		if !strings.Contains(body, "bereits") {
			t.Fatalf("reused voucher: %s", body)
		}
		// The other provider's session does not take the code.
		_, body = e.client().json("GET", fmt.Sprintf("/api/v1/offers?funding=digitallotsen-bw/basis&provider=%d", p.ProviderIDs[1]), "")
		if other := decode[searchResponse](t, body); other.Total > 0 && other.Items[0].NextSession != nil {
			res, body = niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", other.Items[0].NextSession.ID),
				fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[1].Code))
			expect(t, res, body, 409)
			if !strings.Contains(body, "anderen Bildungsträger") {
				t.Fatalf("wrong provider: %s", body)
			}
		}
		// The provider sees the participant; another provider does not.
		res, body = e.apiAs("kurse@verwaltungsschule-bw.example").json("GET", path, "")
		expect(t, res, body, 200)
		if !strings.Contains(body, "Niklas Neumann") {
			t.Fatalf("participant list: %s", body)
		}
		res, body = e.apiAs("kurse@vwa-bw.example").json("GET", path, "")
		expect(t, res, body, 403)
		// The voucher is reserved; the provider's lookup shows it.
		_, body = e.apiAs("kurse@verwaltungsschule-bw.example").json("GET", "/api/v1/vouchers/"+vs[0].Code, "")
		if decode[domain.Voucher](t, body).State != "reserved" {
			t.Fatalf("voucher after booking: %s", body)
		}
		// A calendar file of the booking, with CRLF line ends.
		c := e.sessionFor("niklas@futurehausen.example")
		resp, ics := c.get(fmt.Sprintf("/buchungen/%d/kalender.ics", b.ID))
		if resp.StatusCode != 200 || !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || !strings.Contains(ics, "BEGIN:VEVENT") ||
			!strings.Contains(resp.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("calendar: %d %q", resp.StatusCode, ics)
		}
		_, page := c.get("/buchungen")
		if !strings.Contains(page, vs[0].Code) || !strings.Contains(page, "bestätigt") {
			t.Fatal("my bookings page lacks the booking")
		}
		// The provider's participant page lists Niklas.
		_, page = e.sessionFor("kurse@verwaltungsschule-bw.example").get(fmt.Sprintf("/anbieter/termine/%d", session))
		if !strings.Contains(page, "Niklas Neumann") || !strings.Contains(page, "alle Tage") {
			t.Fatal("participant page lacks Niklas")
		}
		// Cancelling before the start frees the voucher.
		res, body = niklas.json("DELETE", fmt.Sprintf("/api/v1/bookings/%d", b.ID), "")
		expect(t, res, body, 200)
		_, body = e.apiAs("kurse@verwaltungsschule-bw.example").json("GET", "/api/v1/vouchers/"+vs[0].Code, "")
		if decode[domain.Voucher](t, body).State != "issued" {
			t.Fatalf("voucher after cancellation: %s", body)
		}
	})
}

func TestEmployerBookingsWaitForHR(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	_, body := e.client().json("GET", "/api/v1/offers?sort=date&format=live_online", "")
	r := decode[searchResponse](t, body)
	if r.Total == 0 || r.Items[0].NextSession == nil {
		t.Fatal("no session to book")
	}
	path := fmt.Sprintf("/api/v1/sessions/%d/bookings", r.Items[0].NextSession.ID)
	res, body := e.apiAs("niklas@futurehausen.example").json("POST", path, `{"payment": "employer"}`)
	expect(t, res, body, 201)
	b := decode[domain.Booking](t, body)
	if b.Status != "awaiting_approval" {
		t.Fatalf("employer booking by staff: %s", b.Status)
	}
	res, body = e.apiAs("niklas@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/bookings/%d/approve", b.ID), "")
	expect(t, res, body, 403)
	res, body = e.apiAs("anna@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/bookings/%d/approve", b.ID), "")
	expect(t, res, body, 200)
	if decode[domain.Booking](t, body).Status != "confirmed" {
		t.Fatalf("approved: %s", body)
	}
	// HR books for a colleague; a participant cannot book for others.
	res, body = e.apiAs("anna@futurehausen.example").json("POST", path, `{"participant": {"name": "Lilly Lotse", "email": "lilly@futurehausen.example"}, "payment": "employer"}`)
	expect(t, res, body, 201)
	res, body = e.apiAs("niklas@futurehausen.example").json("POST", path, `{"participant": {"name": "Jemand", "email": "jemand@futurehausen.example"}, "payment": "private"}`)
	expect(t, res, body, 403)
}

func TestAttendanceAndRatingThroughTheAPI(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	vs := approvedVouchers(t, e, 1)
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	_, body := e.client().json("GET", fmt.Sprintf("/api/v1/offers?funding=digitallotsen-bw/basis&provider=%d&sort=date", p.ProviderIDs[0]), "")
	r := decode[searchResponse](t, body)
	ses := r.Items[0].NextSession
	niklas := e.apiAs("niklas@futurehausen.example")
	handTo(t, e, vs[0].Code, "niklas@futurehausen.example")
	res, body := niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID), fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[0].Code))
	expect(t, res, body, 201)
	b := decode[domain.Booking](t, body)
	prov := e.apiAs("kurse@verwaltungsschule-bw.example")
	path := fmt.Sprintf("/api/v1/bookings/%d", b.ID)
	// Niklas cannot confirm his own attendance.
	res, body = niklas.json("POST", path+"/attendance", `{"status": "present"}`)
	expect(t, res, body, 403)
	res, body = prov.json("POST", path+"/attendance", `{"status": "present"}`)
	expect(t, res, body, 409) // the session has not started
	back := e.travel(400 * 24 * time.Hour)
	defer back()
	res, body = prov.json("POST", path+"/attendance", `{"day": 99, "status": "present"}`)
	expect(t, res, body, 422)
	res, body = prov.json("POST", path+"/attendance", `{"status": "present"}`)
	expect(t, res, body, 200)
	if decode[domain.Booking](t, body).Status != "completed" {
		t.Fatalf("after all days: %s", body)
	}
	_, body = prov.json("GET", "/api/v1/vouchers/"+vs[0].Code, "")
	if decode[domain.Voucher](t, body).State != "redeemed" {
		t.Fatalf("voucher not redeemed: %s", body)
	}
	res, body = niklas.json("POST", path+"/rating", `{"stars": 6}`)
	expect(t, res, body, 422)
	res, body = niklas.json("POST", path+"/rating", `{"stars": 5, "comment": "Sehr gut."}`)
	expect(t, res, body, 201)
	_, page := e.client().get(fmt.Sprintf("/angebote/%d", r.Items[0].ID))
	if !strings.Contains(page, "5 von 5 (1 Bewertung)") {
		t.Fatal("offer page lacks the rating")
	}
}

func TestCertificateVerificationPageAndCredential(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	_, body := e.client().json("GET", "/api/v1/offers?sort=date&format=live_online", "")
	r := decode[searchResponse](t, body)
	niklas := e.apiAs("niklas@futurehausen.example")
	res, body := niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", r.Items[0].NextSession.ID), `{"payment": "private"}`)
	expect(t, res, body, 201)
	b := decode[domain.Booking](t, body)
	ms, _ := e.db.Members(t.Context(), r.Items[0].Provider.ID)
	if len(ms) == 0 {
		t.Fatal("provider without staff")
	}
	prov := e.apiAs(ms[0].Person.Email)
	back := e.travel(400 * 24 * time.Hour)
	res, body = prov.json("POST", fmt.Sprintf("/api/v1/bookings/%d/attendance", b.ID), `{"status": "present"}`)
	expect(t, res, body, 200)
	back()
	_, body = niklas.json("GET", fmt.Sprintf("/api/v1/bookings/%d", b.ID), "")
	withCerts := decode[struct {
		Certificates []certificateView `json:"certificates"`
	}](t, body)
	if len(withCerts.Certificates) != 1 {
		t.Fatalf("booking lists %d certificates: %s", len(withCerts.Certificates), body)
	}
	id := withCerts.Certificates[0].ID
	_, page := e.client().get("/verify/" + id)
	if !strings.Contains(page, "ist gültig") || !strings.Contains(page, "Niklas Neumann") {
		t.Fatal("verification page")
	}
	_, jwt := e.client().get("/api/v1/certificates/" + id + "/credential")
	_, jwks := e.client().get("/.well-known/jwks.json")
	claims, err := credentials.Verify(jwt, []byte(jwks))
	if err != nil || claims["validFrom"] == nil {
		t.Fatalf("credential does not verify against the published keys: %v", err)
	}
	resp, pdf := niklas.get("/zertifikate/" + id + "/pdf")
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("certificate PDF: %d", resp.StatusCode)
	}
	if resp, _ := e.apiAs("lilly@futurehausen.example").get("/zertifikate/" + id + "/pdf"); resp.StatusCode != 404 {
		t.Fatalf("someone else's certificate PDF: %d", resp.StatusCode)
	}
	res, body = prov.json("POST", "/api/v1/certificates/"+id+"/revoke", `{"reason": "Anwesenheit irrtümlich erfasst"}`)
	expect(t, res, body, 200)
	_, page = e.client().get("/verify/" + id)
	if !strings.Contains(page, "widerrufen") || !strings.Contains(page, "Anwesenheit irrtümlich erfasst") {
		t.Fatal("revoked certificate not shown as revoked")
	}
}

func TestAttendanceCSV(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	_, body := e.client().json("GET", "/api/v1/offers?sort=date&format=live_online", "")
	r := decode[searchResponse](t, body)
	ses := r.Items[0].NextSession.ID
	for _, who := range []string{"niklas@futurehausen.example", "lilly@futurehausen.example"} {
		res, out := e.apiAs(who).json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses), `{"payment": "private"}`)
		expect(t, res, out, 201)
	}
	ms, _ := e.db.Members(t.Context(), r.Items[0].Provider.ID)
	prov := e.apiAs(ms[0].Person.Email)
	path := fmt.Sprintf("/api/v1/sessions/%d/attendance", ses)
	defer e.travel(400 * 24 * time.Hour)()
	// One bad line: nothing is recorded.
	res := prov.do("POST", path, "text/csv", strings.NewReader("E-Mail;Tag;Status\nniklas@futurehausen.example;alle;anwesend\nlilly@futurehausen.example;1;vielleicht\n"))
	res.Body.Close()
	if res.StatusCode != 422 {
		t.Fatalf("bad line: %d", res.StatusCode)
	}
	bs, _ := e.db.SessionBookings(t.Context(), ses)
	for _, b := range bs {
		if marks, _ := e.db.Attendance(t.Context(), b.ID); len(marks) != 0 {
			t.Fatalf("a refused file recorded attendance for %s", b.ParticipantEmail)
		}
	}
	res = prov.do("POST", path, "text/csv", strings.NewReader("niklas@futurehausen.example;alle;anwesend\nlilly@futurehausen.example;1;entschuldigt\n"))
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("csv: %d", res.StatusCode)
	}
	bs, _ = e.db.SessionBookings(t.Context(), ses)
	got := map[string]string{}
	for _, b := range bs {
		got[b.ParticipantEmail] = string(b.Status)
	}
	if got["niklas@futurehausen.example"] != "completed" || got["lilly@futurehausen.example"] != "confirmed" {
		t.Fatalf("after the CSV: %v", got)
	}
}
