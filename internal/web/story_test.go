package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// nextFundedSession finds the next session of an offer of the provider that
// the track funds.
func nextFundedSession(t *testing.T, e *testEnv, provider int64, track string) (offerID, sessionID int64) {
	t.Helper()
	_, body := e.client().json("GET", fmt.Sprintf("/api/v1/offers?funding=digitallotsen-bw/%s&provider=%d&sort=date", track, provider), "")
	r := decode[searchResponse](t, body)
	for _, it := range r.Items {
		if it.NextSession != nil {
			return it.ID, it.NextSession.ID
		}
	}
	t.Fatalf("no %s session of provider %d", track, provider)
	return 0, 0
}

// TestTheWholeStory plays the seed text through the API: Lilly's
// application, the Städtetag's approval, Niklas books the base qualification
// with his code, attends, gets a verifiable certificate, and with it an
// advanced application is approved and he books an advanced module.
func TestTheWholeStory(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		p, _ := e.db.Programme(t.Context(), programmes.BWID)
		provider := p.ProviderIDs[0]
		staff, _ := e.db.Members(t.Context(), provider)
		prov := e.apiAs(staff[0].Person.Email)
		lilly := e.apiAs("lilly@futurehausen.example")
		reviewer := e.apiAs("pruefung@staedtetag-bw.example")
		niklas := e.apiAs("niklas@futurehausen.example")

		apply := func(body string) domain.Application {
			res, out := lilly.json("POST", "/api/v1/applications", body)
			expect(t, res, out, 201)
			a := decode[domain.Application](t, out)
			res, out = lilly.json("POST", fmt.Sprintf("/api/v1/applications/%d/submit", a.ID), "")
			expect(t, res, out, 200)
			res, out = reviewer.json("POST", fmt.Sprintf("/api/v1/applications/%d/approve", a.ID), "")
			expect(t, res, out, 200)
			return decode[domain.Application](t, out)
		}
		basis := apply(fmt.Sprintf(`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 2, "declarations": true}`, provider))
		if len(basis.Vouchers) != 2 {
			t.Fatalf("basis vouchers: %+v", basis.Vouchers)
		}

		_, session := nextFundedSession(t, e, provider, "basis")
		handTo(t, e, basis.Vouchers[0].Code, "niklas@futurehausen.example")
		res, out := niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", session), fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, basis.Vouchers[0].Code))
		expect(t, res, out, 201)
		booking := decode[domain.Booking](t, out)
		back := e.travel(400 * 24 * time.Hour) // after the session
		res, out = prov.json("POST", fmt.Sprintf("/api/v1/bookings/%d/attendance", booking.ID), `{"status": "present"}`)
		expect(t, res, out, 200)
		back()
		_, out = niklas.json("GET", fmt.Sprintf("/api/v1/bookings/%d", booking.ID), "")
		certs := decode[struct {
			Certificates []certificateView `json:"certificates"`
		}](t, out).Certificates
		if len(certs) != 1 {
			t.Fatalf("certificates after attendance: %s", out)
		}
		cert := certs[0]
		_, jwt := e.client().get("/api/v1/certificates/" + cert.ID + "/credential")
		_, jwks := e.client().get("/.well-known/jwks.json")
		if _, err := credentials.Verify(jwt, []byte(jwks)); err != nil {
			t.Fatalf("credential: %v", err)
		}
		if _, page := e.client().get("/verify/" + cert.ID); !strings.Contains(page, "ist gültig") {
			t.Fatal("verification page")
		}
		_, out = prov.json("GET", "/api/v1/vouchers/"+basis.Vouchers[0].Code, "")
		if decode[domain.Voucher](t, out).State != "redeemed" {
			t.Fatalf("voucher after completion: %s", out)
		}

		advanced := apply(fmt.Sprintf(`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "advanced", "provider": %d, "people": 1, "declarations": true,
			"certificates": [{"person_name": "Niklas Neumann", "certificate": %q}]}`, provider, cert.ID))
		if len(advanced.Vouchers) != 1 || advanced.Certificates[0].Check != "verified" {
			t.Fatalf("advanced application: %+v", advanced)
		}
		offerID, session2 := nextFundedSession(t, e, provider, "advanced")
		handTo(t, e, advanced.Vouchers[0].Code, "niklas@futurehausen.example")
		res, out = niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", session2), fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, advanced.Vouchers[0].Code))
		expect(t, res, out, 201)
		// The advanced voucher is worth the module's days at 50 € a day.
		o, _ := e.db.Offer(t.Context(), offerID)
		idx := slices.IndexFunc(o.Sessions, func(s domain.Session) bool { return s.ID == session2 })
		_, out = prov.json("GET", "/api/v1/vouchers/"+advanced.Vouchers[0].Code, "")
		v := decode[domain.Voucher](t, out)
		if want := int64(min(o.Sessions[idx].Days, 3)) * 5000; v.State != "reserved" || v.ValueCents != want {
			t.Fatalf("advanced voucher %+v, want value %d", v, want)
		}
	})
}
