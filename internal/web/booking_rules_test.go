package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

func codeOf(display string) voucher.Code { return voucher.Code(strings.ReplaceAll(display, "-", "")) }

// testSession publishes an offer of the VWA with one online session of
// capacity places a month ahead and returns the session.
func testSession(t *testing.T, e *testEnv, code string, capacity int) *domain.Session {
	t.Helper()
	ctx := context.Background()
	vwa := e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg")
	staff := e.person("kurse@vwa-bw.example")
	ms, _ := e.db.Memberships(ctx, staff.ID)
	sctx := domain.WithActor(ctx, &domain.Actor{Person: staff, Memberships: ms})
	o := &domain.Offer{ProviderID: vwa.ID, Code: code, Title: "Regeltest " + code, Summary: "Ein Termin für die Regeln rund um Buchungen.",
		Description: "Ein Angebot nur für Tests der Buchungsregeln: Stornierung, Freigabe und wer für wen buchen darf.",
		Outcomes:    []string{"Geduld"}, Competences: []domain.OfferCompetence{{Code: "NEWWORK.1", Level: 1}}, Level: domain.LevelBasic,
		Format: domain.FormatLiveOnline, Language: "de", Hours: 2, Days: 1, Certificate: domain.CertParticipation}
	if err := catalog.CreateOffer(sctx, e.db, o); err != nil {
		t.Fatal(err)
	}
	if err := catalog.ReviewOffer(ctx, e.db, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := e.db.Now().AddDate(0, 1, 0)
	ses := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Days: 1, Capacity: capacity, Online: true}
	if err := catalog.AddSession(sctx, e.db, ses); err != nil {
		t.Fatal(err)
	}
	return ses
}

// parallel sends the same request as email n times at once, each with its
// own token and connection, and returns the statuses.
func parallel(e *testEnv, email string, n int, method, url, body string) []int {
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = e.apiAs(email)
	}
	warmPool(e.db, 2*n)
	out := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = clients[i].doURL(method, url, body).status
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// warmPool opens n connections and leaves them idle, so that concurrent
// requests start their transactions together instead of one after the
// other while new connections are dialled.
func warmPool(db *store.DB, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.Read(context.Background(), func(*store.Tx) error { time.Sleep(100 * time.Millisecond); return nil })
		}()
	}
	wg.Wait()
}

func countStatus(bs []domain.Booking) map[domain.BookingStatus]int {
	n := map[domain.BookingStatus]int{}
	for _, b := range bs {
		n[b.Status]++
	}
	return n
}

// TestConcurrentCancelsFreeOnePlace: ten cancellations of one confirmed
// booking at once succeed once and move exactly one person up.
func TestConcurrentCancelsFreeOnePlace(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "CANCEL-10", 2)
		staff := e.apiAs("kurse@vwa-bw.example")
		var ids []int64
		for i := 0; i < 8; i++ {
			res, body := staff.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID),
				fmt.Sprintf(`{"participant": {"name": "Person %d", "email": "c%d@futurehausen.example"}, "payment": "private"}`, i, i))
			expect(t, res, body, 201)
			ids = append(ids, decode[domain.Booking](t, body).ID)
		}
		statuses := parallel(e, "kurse@vwa-bw.example", 10, "DELETE", e.ts.URL+fmt.Sprintf("/api/v1/bookings/%d", ids[0]), "")
		ok := 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if ok != 1 {
			t.Fatalf("%d cancellations answered 200 (%v), want 1", ok, statuses)
		}
		bs, err := e.db.SessionBookings(t.Context(), ses.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := countStatus(bs); n[domain.BookingConfirmed] != 2 || n[domain.BookingCancelled] != 1 || n[domain.BookingWaitlisted] != 5 {
			t.Fatalf("after ten cancellations of one booking: %v, want 2 confirmed, 1 cancelled, 5 waitlisted", n)
		}
	})
}

// TestConcurrentApprovalsGiveOnePlace: ten HR approvals of one booking at
// once approve it once, and it gets the free place.
func TestConcurrentApprovalsGiveOnePlace(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "APPROVE-10", 2)
		res, body := e.apiAs("niklas@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID), `{"payment": "employer"}`)
		expect(t, res, body, 201)
		b := decode[domain.Booking](t, body)
		if b.Status != domain.BookingAwaitingApproval {
			t.Fatalf("employer booking: %s", b.Status)
		}
		statuses := parallel(e, "anna@futurehausen.example", 10, "POST", e.ts.URL+fmt.Sprintf("/api/v1/bookings/%d/approve", b.ID), "")
		ok := 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if ok != 1 {
			t.Fatalf("%d approvals answered 200 (%v), want 1", ok, statuses)
		}
		got, err := e.db.Booking(t.Context(), b.ID)
		if err != nil || got.Status != domain.BookingConfirmed {
			t.Fatalf("booking after ten approvals: %+v, %v", got, err)
		}
	})
}

// TestHRCannotBookForStrangers: HR books only for members of its own
// municipality and bills only its own; provider staff book for anyone, but
// only in their own provider's sessions.
func TestHRCannotBookForStrangers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "FOR-OTHERS", 10)
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID)
		anna := e.apiAs("anna@futurehausen.example")
		for _, body := range []string{
			// A person of another organisation, billed to Futurehausen.
			`{"participant": {"name": "Vera Weiterbildung", "email": "kurse@vwa-bw.example"}, "payment": "employer"}`,
			`{"participant": {"name": "Vera Weiterbildung", "email": "kurse@vwa-bw.example"}, "payment": "private"}`,
			// Someone without an account.
			`{"participant": {"name": "Fritz Fremd", "email": "fritz@anderswo.example"}, "payment": "employer"}`,
			// A colleague, but billed to another municipality.
			fmt.Sprintf(`{"participant": {"name": "Lilly Lotse", "email": "lilly@futurehausen.example"}, "payment": "employer", "employer": %d}`,
				e.orgByName("Gemeinde Kleinbach").ID),
		} {
			res, rbody := anna.json("POST", path, body)
			expect(t, res, rbody, 403)
		}
		// Her own colleague: allowed.
		res, body := anna.json("POST", path, `{"participant": {"name": "Lilly Lotse", "email": "lilly@futurehausen.example"}, "payment": "employer"}`)
		expect(t, res, body, 201)
		if b := decode[domain.Booking](t, body); b.EmployerID != e.orgByName("Stadt Futurehausen").ID || b.Status != domain.BookingConfirmed {
			t.Fatalf("HR booking for a colleague: %+v", b)
		}
		// Provider staff: anyone in their own sessions, nobody in others'.
		res, body = e.apiAs("kurse@vwa-bw.example").json("POST", path, `{"participant": {"name": "Fritz Fremd", "email": "fritz@anderswo.example"}, "payment": "private"}`)
		expect(t, res, body, 201)
		res, body = e.apiAs("kurse@verwaltungsschule-bw.example").json("POST", path, `{"participant": {"name": "Frieda Fremd", "email": "frieda@anderswo.example"}, "payment": "private"}`)
		expect(t, res, body, 403)
	})
}

// TestOnePlacePerPersonAndSession: a person holds at most one place (or
// waiting-list place) per session, whoever books it and however many ask at
// once; after a cancellation they may book again.
func TestOnePlacePerPersonAndSession(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "ONE-PLACE", 1)
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID)
		statuses := parallel(e, "niklas@futurehausen.example", 10, "POST", e.ts.URL+path, `{"payment": "private"}`)
		created := 0
		for _, s := range statuses {
			switch s {
			case 201:
				created++
			case 409:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if created != 1 {
			t.Fatalf("%d bookings of Niklas in one session (%v), want 1", created, statuses)
		}
		staff := e.apiAs("kurse@vwa-bw.example")
		for _, c := range []struct {
			who  *client
			body string
		}{
			{e.apiAs("niklas@futurehausen.example"), `{"payment": "employer"}`},
			{staff, `{"participant": {"name": "Niklas Neumann", "email": "Niklas@Futurehausen.example"}, "payment": "private"}`},
			{e.apiAs("anna@futurehausen.example"), `{"participant": {"name": "Niklas Neumann", "email": "niklas@futurehausen.example"}, "payment": "employer"}`},
		} {
			res, body := c.who.json("POST", path, c.body)
			expect(t, res, body, 409)
		}
		// Without an account, the address identifies the participant.
		res, body := staff.json("POST", path, `{"participant": {"name": "Fritz Fremd", "email": "fritz@anderswo.example"}, "payment": "private"}`)
		expect(t, res, body, 201)
		fritz := decode[domain.Booking](t, body)
		res, body = staff.json("POST", path, `{"participant": {"name": "Fritz F.", "email": "fritz@anderswo.example"}, "payment": "private"}`)
		expect(t, res, body, 409)
		res, body = staff.json("DELETE", fmt.Sprintf("/api/v1/bookings/%d", fritz.ID), "")
		expect(t, res, body, 200)
		res, body = staff.json("POST", path, `{"participant": {"name": "Fritz Fremd", "email": "fritz@anderswo.example"}, "payment": "private"}`)
		expect(t, res, body, 201)
		bs, _ := e.db.SessionBookings(t.Context(), ses.ID)
		if n := countStatus(bs); n[domain.BookingConfirmed] != 1 || n[domain.BookingWaitlisted] != 1 || n[domain.BookingCancelled] != 1 {
			t.Fatalf("bookings of the session: %v", n)
		}
	})
}

// basisSession returns the next basis session of the vouchers' provider
// from the catalog.
func basisSession(t *testing.T, e *testEnv) *domain.Session {
	t.Helper()
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	_, body := e.client().json("GET", fmt.Sprintf("/api/v1/offers?funding=digitallotsen-bw/basis&provider=%d&sort=date", p.ProviderIDs[0]), "")
	r := decode[searchResponse](t, body)
	if r.Total == 0 || r.Items[0].NextSession == nil {
		t.Fatalf("no basis session of the provider: %s", body)
	}
	ns := r.Items[0].NextSession
	return &domain.Session{ID: ns.ID, OfferID: ns.OfferID, StartsAt: ns.StartsAt, EndsAt: ns.EndsAt, Days: ns.Days, Capacity: ns.Capacity,
		Online: ns.Online, AGS: ns.AGS, Place: ns.Place, Address: ns.Address, RegistrationDeadline: ns.RegistrationDeadline}
}

// TestVoucherOnlyForMembersOfItsMunicipality: until vouchers are handed to
// named persons, only members of the voucher's municipality book with it.
func TestVoucherOnlyForMembersOfItsMunicipality(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 1)
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", basisSession(t, e).ID)
		voucher := fmt.Sprintf(`"payment": "voucher", "voucher": %q`, vs[0].Code)
		// The provider's staff for someone without an account, and a
		// person of another organisation for themself.
		res, body := e.apiAs("kurse@verwaltungsschule-bw.example").json("POST", path,
			`{"participant": {"name": "Fritz Fremd", "email": "fritz@anderswo.example"}, `+voucher+`}`)
		expect(t, res, body, 409)
		if !strings.Contains(body, "Futurehausen") {
			t.Fatalf("refusal does not say whose voucher it is: %s", body)
		}
		res, body = e.apiAs("kurse@vwa-bw.example").json("POST", path, `{`+voucher+`}`)
		expect(t, res, body, 409)
		if v, _ := e.db.Voucher(t.Context(), codeOf(vs[0].Code)); v.State != domain.VoucherIssued {
			t.Fatalf("voucher after refused bookings: %s", v.State)
		}
		// A member of Futurehausen books with it once it is handed to him.
		res, body = e.apiAs("niklas@futurehausen.example").json("POST", path, `{`+voucher+`}`)
		expect(t, res, body, 409)
		handTo(t, e, vs[0].Code, "niklas@futurehausen.example")
		res, body = e.apiAs("niklas@futurehausen.example").json("POST", path, `{`+voucher+`}`)
		expect(t, res, body, 201)
	})
}

// TestProviderReleasesOrForfeitsALateVoucher: a cancellation after the
// registration deadline keeps the voucher reserved; the provider or the
// funder then releases it or lets it lapse, and the ledger says why.
func TestProviderReleasesOrForfeitsALateVoucher(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 3)
		ses := basisSession(t, e)
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID)
		people := []string{"niklas@futurehausen.example", "lilly@futurehausen.example", "anna@futurehausen.example"}
		handTo(t, e, vs[0].Code, people[0])
		var ids []int64
		for i, who := range people {
			res, body := e.apiAs(who).json("POST", path, fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[i].Code))
			expect(t, res, body, 201)
			ids = append(ids, decode[domain.Booking](t, body).ID)
		}
		// After the registration deadline, before the start.
		back := e.travel(ses.RegistrationDeadline.Add(time.Hour).Sub(e.db.Now()))
		defer back()
		for i, who := range people {
			res, body := e.apiAs(who).json("DELETE", fmt.Sprintf("/api/v1/bookings/%d", ids[i]), "")
			expect(t, res, body, 200)
			if v, _ := e.db.Voucher(t.Context(), codeOf(vs[i].Code)); v.State != domain.VoucherReserved {
				t.Fatalf("voucher after a late cancellation: %s", v.State)
			}
		}
		_, page := e.sessionFor("niklas@futurehausen.example").get("/buchungen")
		if !strings.Contains(page, "der Bildungsträger entscheidet") {
			t.Fatal("the participant's bookings page does not say that the voucher is still reserved")
		}
		provider := e.apiAs("kurse@verwaltungsschule-bw.example")
		forfeit := "/api/v1/vouchers/" + vs[0].Code + "/forfeit"
		res, body := provider.json("POST", forfeit, `{"reason": ""}`)
		expect(t, res, body, 422)
		res, body = e.apiAs("kurse@vwa-bw.example").json("POST", forfeit, `{"reason": "Fremd"}`)
		expect(t, res, body, 404)
		res, body = e.apiAs("niklas@futurehausen.example").json("POST", forfeit, `{"reason": "Selbst"}`)
		expect(t, res, body, 403)
		res, body = provider.json("POST", forfeit, `{"reason": "Stornierung drei Tage vor Beginn, Stornoregel des Angebots"}`)
		expect(t, res, body, 200)
		if v := decode[domain.Voucher](t, body); v.State != domain.VoucherForfeited {
			t.Fatalf("forfeited voucher: %s", body)
		}
		ledger, err := e.db.VoucherEvents(t.Context(), codeOf(vs[0].Code))
		if err != nil || len(ledger) == 0 || ledger[len(ledger)-1].To != domain.VoucherForfeited ||
			!strings.Contains(ledger[len(ledger)-1].Reason, "Stornoregel") {
			t.Fatalf("ledger: %+v, %v", ledger, err)
		}
		res, body = provider.json("POST", "/api/v1/vouchers/"+vs[0].Code+"/release", `{}`)
		expect(t, res, body, 409)
		// The provider sees the other cancelled booking with its buttons;
		// the funder releases that voucher.
		c := e.sessionFor("kurse@verwaltungsschule-bw.example")
		_, page = c.get(fmt.Sprintf("/anbieter/termine/%d", ses.ID))
		if !strings.Contains(page, "Gutschein freigeben") || !strings.Contains(page, "/gutscheine/"+vs[1].Code+"/entscheidung") ||
			strings.Contains(page, "/gutscheine/"+vs[0].Code+"/entscheidung") {
			t.Fatal("participants page lacks the release button of the late cancellation")
		}
		res, body = e.apiAs("foerderung@im-bw.example").json("POST", "/api/v1/vouchers/"+vs[1].Code+"/release", `{"reason": "Krankheit"}`)
		expect(t, res, body, 200)
		if v := decode[domain.Voucher](t, body); v.State != domain.VoucherIssued {
			t.Fatalf("released voucher: %s", body)
		}
		// The provider's button releases the third one.
		res = c.postForm("/gutscheine/"+vs[2].Code+"/entscheidung", url.Values{"decision": {"freigeben"}, "session": {itoa(ses.ID)}})
		res.Body.Close()
		if res.StatusCode != 303 || res.Header.Get("Location") != fmt.Sprintf("/anbieter/termine/%d?hinweis=gutschein", ses.ID) {
			t.Fatalf("release button: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if v, _ := e.db.Voucher(t.Context(), codeOf(vs[2].Code)); v.State != domain.VoucherIssued {
			t.Fatalf("voucher after the release button: %s", v.State)
		}
	})
}

// TestBookingListFollowsTheScope: the participant sees their own bookings,
// HR those billed to its municipality, the provider those of its sessions,
// and a member of another municipality none of them.
func TestBookingListFollowsTheScope(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "SCOPE", 5)
		res, body := e.apiAs("niklas@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID), `{"payment": "employer"}`)
		expect(t, res, body, 201)
		b := decode[domain.Booking](t, body)
		for who, want := range map[string]bool{"niklas@futurehausen.example": true, "anna@futurehausen.example": true, "kurse@vwa-bw.example": true,
			"lilly@futurehausen.example": false, "kurse@verwaltungsschule-bw.example": false} {
			res, body := e.apiAs(who).json("GET", "/api/v1/bookings", "")
			expect(t, res, body, 200)
			l := decode[struct{ Items []domain.BookingDetail }](t, body)
			got := false
			for _, d := range l.Items {
				if d.ID == b.ID {
					got = d.OfferTitle == "Regeltest SCOPE"
				}
			}
			if got != want {
				t.Errorf("%s sees the booking: %v, want %v", who, got, want)
			}
		}
	})
}
