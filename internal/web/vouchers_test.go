package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// matrixHolderFixture adds what the voucher holder routes of the matrix
// need: a funding request of Niklas ({request}), and it returns a voucher
// code of the approved application ({voucher}).
func matrixHolderFixture(t *testing.T, e *testEnv, ids map[string]int64) string {
	t.Helper()
	r, err := e.srv.app.Funding.RequestFunding(e.actorCtx("niklas@futurehausen.example"), funding.FundingRequestInput{Track: "basis",
		Reason: "Für die Matrix."})
	if err != nil {
		t.Fatal(err)
	}
	ids["request"] = r.ID
	a, err := e.db.Application(context.Background(), ids["appr"])
	if err != nil || len(a.Vouchers) == 0 {
		t.Fatalf("vouchers of the approved application: %v", err)
	}
	return a.Vouchers[0].Code
}

// actorCtx is a context acting as the demo person with the address.
func (e *testEnv) actorCtx(email string) context.Context {
	p := e.person(email)
	ms, _ := e.db.Memberships(context.Background(), p.ID)
	return domain.WithActor(context.Background(), &domain.Actor{Person: p, Memberships: ms})
}

// handTo hands a voucher to a person as Anna (HR of Futurehausen) through
// the API.
func handTo(t *testing.T, e *testEnv, code, email string) {
	t.Helper()
	res, body := e.apiAs("anna@futurehausen.example").json("PUT", "/api/v1/vouchers/"+code+"/holder", fmt.Sprintf(`{"email": %q}`, email))
	expect(t, res, body, 200)
}

type holderList struct {
	Items []domain.HeldVoucher `json:"items"`
}

type frList struct {
	Items []domain.FundingRequest `json:"items"`
}

func TestVoucherHolderAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 2)
		fh := e.orgByName("Stadt Futurehausen")
		put := "/api/v1/vouchers/" + vs[0].Code + "/holder"
		anna, niklas := e.apiAs("anna@futurehausen.example"), e.apiAs("niklas@futurehausen.example")
		res, body := e.client().json("PUT", put, `{"email": "niklas@futurehausen.example"}`)
		expect(t, res, body, 401)
		res, body = niklas.json("PUT", put, `{"email": "niklas@futurehausen.example"}`)
		expect(t, res, body, 403)
		if !strings.Contains(body, "Personalabteilung") {
			t.Errorf("refusal: %s", body)
		}
		res, body = e.apiAs("pruefung@staedtetag-bw.example").json("PUT", put, `{"email": "niklas@futurehausen.example"}`)
		expect(t, res, body, 404)
		res, body = anna.json("PUT", put, `{"email": "kein"}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, `"email":"Bitte geben Sie eine gültige E-Mail-Adresse an`) {
			t.Errorf("field error: %s", body)
		}
		res, body = anna.json("PUT", put, `{"email": "Niklas@Futurehausen.example"}`)
		expect(t, res, body, 200)
		if v := decode[domain.Voucher](t, body); v.HolderEmail != "niklas@futurehausen.example" || v.HolderName != "Niklas Neumann" {
			t.Fatalf("handed voucher: %s", body)
		}
		res, body = anna.json("PUT", put, `{"email": "lilly@futurehausen.example"}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, `"reason"`) {
			t.Errorf("a change without reason: %s", body)
		}
		// Niklas sees it with the sessions it books; HR sees the list.
		res, body = niklas.json("GET", "/api/v1/me/vouchers", "")
		expect(t, res, body, 200)
		mine := decode[holderList](t, body).Items
		if len(mine) != 1 || mine[0].Code != vs[0].Code || len(mine[0].Sessions) == 0 || mine[0].ProviderName == "" {
			t.Fatalf("my vouchers: %s", body)
		}
		res, body = anna.json("GET", fmt.Sprintf("/api/v1/organisations/%d/vouchers", fh.ID), "")
		expect(t, res, body, 200)
		if l := decode[holderList](t, body).Items; len(l) != 2 || l[0].HolderEmail != "niklas@futurehausen.example" || l[1].HolderEmail != "" {
			t.Fatalf("the municipality's vouchers: %s", body)
		}
		res, body = niklas.json("GET", fmt.Sprintf("/api/v1/organisations/%d/vouchers", fh.ID), "")
		expect(t, res, body, 403)
		// Niklas books; the voucher can no longer change hands.
		path := fmt.Sprintf("/api/v1/sessions/%d/bookings", mine[0].Sessions[0].SessionID)
		res, body = niklas.json("POST", path, fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[0].Code))
		expect(t, res, body, 201)
		res, body = anna.json("PUT", put, `{"email": "lilly@futurehausen.example", "reason": "Vertretung"}`)
		expect(t, res, body, 409)
		// Lena, a colleague, cannot book with a voucher handed to someone else.
		lena := storetest.MustCreatePerson(t, e.db, "lena@futurehausen.example", "Lena Lindner")
		if err := e.db.SetRoles(t.Context(), fh.ID, lena.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		handTo(t, e, vs[1].Code, "lilly@futurehausen.example")
		res, body = e.apiAs("lena@futurehausen.example").json("POST", path, fmt.Sprintf(`{"payment": "voucher", "voucher": %q}`, vs[1].Code))
		expect(t, res, body, 409)
		if !strings.Contains(body, "einer anderen Person zugeteilt") {
			t.Errorf("booking with another's voucher: %s", body)
		}
	})
}

func TestVoucherListsAreOnlyForHRAndSignatoriesInTheMailbox(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		approvedVouchers(t, e, 1)
		anna, niklas := e.apiAs("anna@futurehausen.example"), e.apiAs("niklas@futurehausen.example")
		res, body := anna.json("GET", "/api/v1/mailbox", "")
		expect(t, res, body, 200)
		box := decode[struct {
			Items []domain.Message `json:"items"`
		}](t, body).Items
		if len(box) != 1 {
			t.Fatalf("mailbox: %s", body)
		}
		msg := fmt.Sprintf("/api/v1/mailbox/%d", box[0].ID)
		res, body = anna.json("GET", msg, "")
		expect(t, res, body, 200)
		full := decode[domain.Message](t, body)
		var list int64
		for _, d := range full.Attachments {
			if d.Kind == domain.DocVoucherList {
				list = d.ID
			}
		}
		if len(full.Attachments) != 3 || list == 0 {
			t.Fatalf("HR's attachments: %s", body)
		}
		res, body = niklas.json("GET", msg, "")
		expect(t, res, body, 200)
		if m := decode[domain.Message](t, body); len(m.Attachments) != 1 || m.Attachments[0].Kind != domain.DocContract {
			t.Fatalf("the participant's attachments: %s", body)
		}
		res, body = niklas.json("GET", fmt.Sprintf("%s/attachments/%d", msg, list), "")
		expect(t, res, body, 404)
		res, body = niklas.json("GET", fmt.Sprintf("/api/v1/documents/%d", list), "")
		expect(t, res, body, 404)
		res, body = anna.json("GET", fmt.Sprintf("%s/attachments/%d", msg, list), "")
		expect(t, res, body, 200)
		// The pages: the participant sees no voucher list; HR is led to hand the vouchers.
		_, page := e.sessionFor("niklas@futurehausen.example").get(fmt.Sprintf("/postfach/%d", box[0].ID))
		if strings.Contains(page, "gutscheincodes-") || strings.Contains(page, "Gutscheine Personen zuteilen") {
			t.Errorf("the participant's message page shows the voucher list or the handing link")
		}
		// Nor a link to the application, which they may not read.
		if strings.Contains(page, "Zum Antrag") {
			t.Errorf("the participant's message page links to the application")
		}
		_, page = e.sessionFor("anna@futurehausen.example").get(fmt.Sprintf("/postfach/%d", box[0].ID))
		if !strings.Contains(page, "gutscheincodes-") || !strings.Contains(page, "Gutscheine Personen zuteilen") || !strings.Contains(page, "Zum Antrag") {
			t.Errorf("HR's message page lacks the voucher list, the handing link or the application")
		}
	})
}

func TestFundingRequestAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 1)
		anna, niklas := e.apiAs("anna@futurehausen.example"), e.apiAs("niklas@futurehausen.example")
		res, body := e.client().json("POST", "/api/v1/funding-requests", `{"track": "basis", "reason": "x"}`)
		expect(t, res, body, 401)
		res, body = niklas.json("POST", "/api/v1/funding-requests", `{"track": "", "reason": " "}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, `"track":"Bitte wählen Sie eine Qualifizierung`) || !strings.Contains(body, `"reason":"Bitte begründen Sie`) {
			t.Errorf("field errors: %s", body)
		}
		mk := func() domain.FundingRequest {
			res, body := niklas.json("POST", "/api/v1/funding-requests", `{"track": "basis", "reason": "Ich betreue das Bürgerbüro."}`)
			expect(t, res, body, 201)
			return decode[domain.FundingRequest](t, body)
		}
		r := mk()
		if r.Status != domain.RequestOpen || r.Track != "basis" || r.OrgName != "Stadt Futurehausen" {
			t.Fatalf("request: %+v", r)
		}
		res, body = anna.json("GET", "/api/v1/funding-requests?status=open", "")
		expect(t, res, body, 200)
		if l := decode[frList](t, body).Items; len(l) != 1 || l[0].ID != r.ID {
			t.Fatalf("HR's open requests: %s", body)
		}
		res, body = anna.json("GET", "/api/v1/funding-requests?status=irgendwas", "")
		expect(t, res, body, 422)
		res, body = e.apiAs("pruefung@staedtetag-bw.example").json("GET", "/api/v1/funding-requests", "")
		expect(t, res, body, 200)
		if l := decode[frList](t, body).Items; len(l) != 0 {
			t.Fatalf("a reviewer sees requests: %s", body)
		}
		accept := fmt.Sprintf("/api/v1/funding-requests/%d/accept", r.ID)
		res, body = niklas.json("POST", accept, `{"application": true}`)
		expect(t, res, body, 403)
		res, body = e.apiAs("kurse@vwa-bw.example").json("POST", accept, `{"application": true}`)
		expect(t, res, body, 404)
		res, body = anna.json("POST", accept, `{}`)
		expect(t, res, body, 422)
		res, body = anna.json("POST", accept, fmt.Sprintf(`{"voucher": %q}`, vs[0].Code))
		expect(t, res, body, 200)
		if got := decode[domain.FundingRequest](t, body); got.Status != domain.RequestVoucher {
			t.Fatalf("accepted: %s", body)
		}
		res, body = anna.json("POST", accept, `{"application": true}`)
		expect(t, res, body, 409)
		res, body = niklas.json("GET", "/api/v1/me/vouchers", "")
		if l := decode[holderList](t, body).Items; len(l) != 1 || l[0].Code != vs[0].Code {
			t.Fatalf("the voucher of the accepted request: %s", body)
		}
		decline := fmt.Sprintf("/api/v1/funding-requests/%d/decline", mk().ID)
		res, body = anna.json("POST", decline, `{"reason": ""}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, `"reason":"Bitte geben Sie einen Grund für die Ablehnung an."`) {
			t.Errorf("decline without reason: %s", body)
		}
		res, body = anna.json("POST", decline, `{"reason": "Das Kontingent ist ausgeschöpft."}`)
		expect(t, res, body, 200)
		if got := decode[domain.FundingRequest](t, body); got.Status != domain.RequestDeclined || got.Answer != "Das Kontingent ist ausgeschöpft." {
			t.Fatalf("declined: %s", body)
		}
	})
}

func TestVoucherAndFundingRequestPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vs := approvedVouchers(t, e, 1)
		fh := e.orgByName("Stadt Futurehausen")
		anna, niklas := e.sessionFor("anna@futurehausen.example"), e.sessionFor("niklas@futurehausen.example")
		_, page := anna.get(fmt.Sprintf("/organisationen/%d", fh.ID))
		if !strings.Contains(page, "Gutscheine der Kommune") {
			t.Error("the organisation page has no link to the vouchers for HR")
		}
		if _, page := niklas.get(fmt.Sprintf("/organisationen/%d", fh.ID)); strings.Contains(page, "Gutscheine der Kommune") {
			t.Error("the organisation page links the vouchers for a participant")
		}
		list := fmt.Sprintf("/organisationen/%d/gutscheine", fh.ID)
		res, page := anna.get(list)
		if res.StatusCode != 200 || !strings.Contains(page, vs[0].Code) || !strings.Contains(page, "noch niemand") {
			t.Fatalf("vouchers page: %d", res.StatusCode)
		}
		hand := fmt.Sprintf("%s/%s/inhaber", list, vs[0].Code)
		res, page = anna.postFormBody(hand, url.Values{"email": {"niklas@"}})
		if res.StatusCode != 422 || !strings.Contains(page, "Bitte geben Sie eine gültige E-Mail-Adresse an") || !strings.Contains(page, `value="niklas@"`) {
			t.Fatalf("bad address: %d %s", res.StatusCode, page)
		}
		res = anna.postForm(hand, url.Values{"email": {"niklas@futurehausen.example"}})
		if res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), "hinweis=zugeteilt") {
			t.Fatalf("handing: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, page = anna.postFormBody(hand, url.Values{"email": {"lilly@futurehausen.example"}})
		if res.StatusCode != 422 || !strings.Contains(page, "Bitte geben Sie einen Grund an") || !strings.Contains(page, `value="lilly@futurehausen.example"`) {
			t.Fatalf("change without reason: %d", res.StatusCode)
		}
		res, page = niklas.get("/meine-gutscheine")
		if res.StatusCode != 200 || !strings.Contains(page, vs[0].Code) || !strings.Contains(page, "?gutschein="+vs[0].Code) {
			t.Fatalf("Meine Gutscheine: %d", res.StatusCode)
		}
		i := strings.Index(page, "?gutschein=")
		link := page[strings.LastIndex(page[:i], `href="`)+6 : i]
		if _, offer := niklas.get(link + "?gutschein=" + vs[0].Code); !strings.Contains(offer, `value="`+vs[0].Code+`"`) ||
			!strings.Contains(offer, "Förderung anfragen") {
			t.Errorf("the offer page %s does not fill in the code or lacks Förderung anfragen", link)
		}
		// Förderung anfragen.
		res, page = niklas.get("/foerderung-anfragen")
		if res.StatusCode != 200 || !strings.Contains(page, "Anfrage senden") {
			t.Fatalf("request form: %d", res.StatusCode)
		}
		res, page = niklas.postFormBody("/foerderung-anfragen", url.Values{"track": {"digitallotsen-bw/basis"}, "reason": {""}})
		if res.StatusCode != 422 || !strings.Contains(page, "Bitte begründen Sie kurz") {
			t.Fatalf("request without reason: %d", res.StatusCode)
		}
		res = niklas.postForm("/foerderung-anfragen", url.Values{"track": {"digitallotsen-bw/basis"}, "reason": {"Für das Bürgerbüro"}})
		if res.StatusCode != 303 {
			t.Fatalf("request: %d", res.StatusCode)
		}
		if _, page := niklas.get("/foerderung-anfragen"); !strings.Contains(page, "offen") {
			t.Error("the requester does not see the open request")
		}
		// Förderanfragen for HR.
		if res, _ := niklas.get("/foerderanfragen"); res.StatusCode != 403 {
			t.Errorf("a participant opens Förderanfragen: %d", res.StatusCode)
		}
		res, page = anna.get("/foerderanfragen")
		if res.StatusCode != 200 || !strings.Contains(page, "Für das Bürgerbüro") {
			t.Fatalf("Förderanfragen: %d", res.StatusCode)
		}
		reqs, _ := e.srv.app.Funding.FundingRequests(e.actorCtx("anna@futurehausen.example"), domain.RequestOpen)
		if len(reqs) != 1 {
			t.Fatalf("open requests: %d", len(reqs))
		}
		base := fmt.Sprintf("/foerderanfragen/%d/", reqs[0].ID)
		res, page = anna.postFormBody(base+"ablehnen", url.Values{"reason": {" "}})
		if res.StatusCode != 422 || !strings.Contains(page, "Bitte geben Sie einen Grund für die Ablehnung an.") {
			t.Fatalf("decline without reason: %d", res.StatusCode)
		}
		res = anna.postForm(base+"annehmen", url.Values{"voucher": {"antrag"}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != fmt.Sprintf("/antraege/neu?organisation=%d&track=basis", fh.ID) {
			t.Fatalf("accept by application: %d %s", res.StatusCode, loc)
		}
		if _, page := anna.get(fmt.Sprintf("/antraege/neu?organisation=%d&track=basis", fh.ID)); !strings.Contains(page, `value="basis" checked`) {
			t.Error("the new application does not preselect the track")
		}
		if _, page := niklas.get("/foerderung-anfragen"); !strings.Contains(page, "angenommen: Antrag wird gestellt") {
			t.Error("the requester does not see the answer")
		}
	})
}
