package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Review with four eyes and a conversation.

// secondReviewer gives the Städtetag a second reviewer, Rita.
func (e *testEnv) secondReviewer() string {
	e.t.Helper()
	ctx := context.Background()
	p := &domain.Person{Email: "rita@staedtetag-bw.example", Name: "Rita Zweitprüferin"}
	if err := e.db.CreatePerson(ctx, p, testPassword); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.SetRoles(ctx, e.orgByName(programmes.Staedtetag).ID, p.ID, []domain.Role{domain.RoleReviewer}); err != nil {
		e.t.Fatal(err)
	}
	return p.Email
}

// submittedApp submits a base-track application of Futurehausen for one
// person through the API and returns its ID.
func (e *testEnv) submittedApp() int64 {
	e.t.Helper()
	p, err := e.db.Programme(context.Background(), programmes.BWID)
	if err != nil {
		e.t.Fatal(err)
	}
	lilly := e.apiAs("lilly@futurehausen.example")
	res, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(
		`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 1, "declarations": true}`, p.ProviderIDs[0]))
	expect(e.t, res, body, 201)
	a := decode[domain.Application](e.t, body)
	res, body = lilly.json("POST", fmt.Sprintf("/api/v1/applications/%d/submit", a.ID), "")
	expect(e.t, res, body, 200)
	return a.ID
}

func TestFourEyesThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		// The funder turns four eyes on; a wrong value is refused.
		funder := e.apiAs("foerderung@im-bw.example")
		res, body := funder.json("GET", "/api/v1/programmes/digitallotsen-bw", "")
		expect(t, res, body, 200)
		if !strings.Contains(body, `"four_eyes":"off"`) && !strings.Contains(body, `"four_eyes":"off"`) {
			t.Fatalf("BW programme does not ship with four eyes off: %s", body)
		}
		p, _ := e.db.Programme(context.Background(), programmes.BWID)
		p.FourEyes = "manchmal"
		res, body = funder.json("PUT", "/api/v1/programmes/digitallotsen-bw", string(mustJSON(t, p)))
		expect(t, res, body, 422)
		if !strings.Contains(body, `"four_eyes"`) {
			t.Fatalf("no field error: %s", body)
		}
		p.FourEyes = domain.FourEyesAll
		res, body = funder.json("PUT", "/api/v1/programmes/digitallotsen-bw", string(mustJSON(t, p)))
		expect(t, res, body, 200)
		res, _ = e.apiAs("pruefung@staedtetag-bw.example").json("PUT", "/api/v1/programmes/digitallotsen-bw", string(mustJSON(t, p)))
		if res.StatusCode != 403 {
			t.Fatalf("a reviewer changes the programme: %d", res.StatusCode)
		}

		id := e.submittedApp()
		path := func(step string) string { return fmt.Sprintf("/api/v1/applications/%d/%s", id, step) }
		petra, rita := e.apiAs("pruefung@staedtetag-bw.example"), e.apiAs(e.secondReviewer())
		lilly := e.apiAs("lilly@futurehausen.example")

		res, body = petra.json("POST", path("approve"), "")
		expect(t, res, body, 202)
		a := decode[domain.Application](t, body)
		if a.Status != domain.AppSubmitted || a.Pending == nil || a.Pending.Action != domain.DecisionApprove {
			t.Fatalf("prepared: %+v", a)
		}
		res, body = petra.json("POST", path("approve"), "")
		expect(t, res, body, 409)
		res, body = petra.json("POST", path("decision/confirm"), "")
		expect(t, res, body, 409)
		if !strings.Contains(body, "zweite Person") {
			t.Fatalf("self-confirmation refusal: %s", body)
		}
		res, body = lilly.json("POST", path("decision/confirm"), "")
		expect(t, res, body, 403)
		res, body = lilly.json("GET", fmt.Sprintf("/api/v1/applications/%d", id), "")
		expect(t, res, body, 200)
		if strings.Contains(body, "pending_decision") || strings.Contains(body, "prepare_") {
			t.Fatalf("the municipality sees the reviewers' work: %s", body)
		}
		// Rita discards it with a reason; Petra prepares a rejection, Rita confirms.
		res, body = rita.json("POST", path("decision/discard"), `{"comment": ""}`)
		expect(t, res, body, 422)
		res, body = rita.json("POST", path("decision/discard"), `{"comment": "Bitte erst die Zertifikate ansehen."}`)
		expect(t, res, body, 200)
		if a := decode[domain.Application](t, body); a.Pending != nil || a.Status != domain.AppSubmitted {
			t.Fatalf("after discarding: %+v", a)
		}
		res, body = rita.json("POST", path("decision/discard"), `{"comment": "Nochmal"}`)
		expect(t, res, body, 409)
		res, body = petra.json("POST", path("reject"), `{"reason": "Der Bildungsträger passt nicht."}`)
		expect(t, res, body, 202)
		res, body = rita.json("POST", path("decision/confirm"), "")
		expect(t, res, body, 200)
		if a := decode[domain.Application](t, body); a.Status != domain.AppRejected || a.Reason != "Der Bildungsträger passt nicht." {
			t.Fatalf("confirmed rejection: %+v", a)
		}
		res, body = lilly.json("GET", "/api/v1/mailbox", "")
		expect(t, res, body, 200)
		if !strings.Contains(body, "wurde abgelehnt") || !strings.Contains(body, "Der Bildungsträger passt nicht.") {
			t.Fatalf("rejection not in the municipality's mailbox: %s", body)
		}
	})
}

func TestFourEyesOnTheApplicationPage(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	p, _ := e.db.Programme(context.Background(), programmes.BWID)
	// The funder switches it on through the programme page.
	funder := e.sessionFor("foerderung@im-bw.example")
	form := url.Values{"open": {"true"}, "four_eyes": {"all"}, "voucher_validity_days": {"365"}, "amount_basis": {"300,00"},
		"amount_advanced": {"50,00"}, "max_advanced": {"150,00"}}
	for i, r := range p.Contingent {
		form.Set(fmt.Sprintf("people_%d", i), fmt.Sprint(r.People))
	}
	res := funder.postForm("/programme/digitallotsen-bw", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the programme: %d", res.StatusCode)
	}
	if _, body := funder.get("/programme/digitallotsen-bw"); !strings.Contains(body, "Vier-Augen-Prinzip bei Entscheidungen über Anträge: für alle Anträge") {
		t.Fatal("programme page does not show the setting")
	}
	id := e.submittedApp()
	page := fmt.Sprintf("/antraege/%d", id)
	petra, rita := e.sessionFor("pruefung@staedtetag-bw.example"), e.sessionFor(e.secondReviewer())
	res = petra.postForm(page+"/zurueckgeben", url.Values{"comment": {"Bitte die Personenzahl prüfen."}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "hinweis=vorbereitet") {
		t.Fatalf("preparing: %d %q", res.StatusCode, loc)
	}
	_, body := petra.get(page + "?hinweis=vorbereitet")
	if !strings.Contains(body, "wartet auf Bestätigung durch eine zweite Person") || strings.Contains(body, ">Bestätigen<") {
		t.Fatal("the preparer's page does not say it waits for a second person")
	}
	_, body = rita.get(page)
	if !strings.Contains(body, "Petra Prüfer hat eine Rückgabe zur Überarbeitung vorbereitet") || !strings.Contains(body, "Bitte die Personenzahl prüfen.") ||
		!strings.Contains(body, ">Bestätigen<") || !strings.Contains(body, ">Verwerfen<") {
		t.Fatal("the second reviewer's page lacks the prepared decision and its forms")
	}
	res, body = rita.postFormBody(page+"/verwerfen", url.Values{"comment": {""}})
	if res.StatusCode != 422 || !strings.Contains(body, "warum Sie die vorbereitete Entscheidung verwerfen") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("discarding without a reason: %d", res.StatusCode)
	}
	_, body = e.sessionFor("lilly@futurehausen.example").get(page)
	if strings.Contains(body, "vorbereitet") || strings.Contains(body, "Personenzahl prüfen") {
		t.Fatal("the municipality sees the prepared decision")
	}
	res = rita.postForm(page+"/bestaetigen", url.Values{})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "hinweis=zurueckgegeben") {
		t.Fatalf("confirming: %d %q", res.StatusCode, loc)
	}
	a, _ := e.db.Application(context.Background(), id)
	if a.Status != domain.AppReturned || a.Reason != "Bitte die Personenzahl prüfen." {
		t.Fatalf("after confirming: %s %q", a.Status, a.Reason)
	}
	_, body = e.sessionFor("lilly@futurehausen.example").get("/postfach")
	if !strings.Contains(body, "braucht Änderungen") {
		t.Fatal("return not in the municipality's mailbox")
	}
}

func TestConversationThroughTheAPIAndThePage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		id := e.submittedApp()
		comments := fmt.Sprintf("/api/v1/applications/%d/comments", id)
		petra, lilly, thomas := e.apiAs("pruefung@staedtetag-bw.example"), e.apiAs("lilly@futurehausen.example"), e.apiAs("thomas@futurehausen.example")
		const secret = "Nur für uns: Rückruf beim Landratsamt abwarten."
		res, body := petra.json("POST", comments, fmt.Sprintf(`{"body": %q, "internal": true}`, secret))
		expect(t, res, body, 201)
		res, body = petra.json("POST", comments, `{"body": "Welcher Termin ist geplant?"}`)
		expect(t, res, body, 201)
		res, body = petra.json("POST", comments, `{"body": ""}`)
		expect(t, res, body, 422)
		res, body = lilly.json("POST", comments, `{"body": "Geheim", "internal": true}`)
		expect(t, res, body, 403)
		res, body = thomas.json("POST", comments, `{"body": "Der Termin im Mai."}`)
		expect(t, res, body, 201)
		if c := decode[domain.ApplicationComment](t, body); c.Visibility != domain.CommentApplicant || c.OrgName != "Stadt Futurehausen" {
			t.Fatalf("answer %+v", c)
		}
		res, body = e.apiAs("niklas@futurehausen.example").json("GET", comments, "")
		expect(t, res, body, 404)

		res, body = lilly.json("GET", comments, "")
		expect(t, res, body, 200)
		list := decode[httpx.List[domain.ApplicationComment]](t, body)
		if list.Total != 2 || strings.Contains(body, "Landratsamt") {
			t.Fatalf("municipality reads %d comments: %s", list.Total, body)
		}
		res, body = petra.json("GET", comments, "")
		expect(t, res, body, 200)
		if list := decode[httpx.List[domain.ApplicationComment]](t, body); list.Total != 3 || !list.Items[0].Internal() {
			t.Fatalf("reviewer reads %+v", list)
		}
		// The pages: the reviewer sees the note marked internal, the
		// municipality never.
		page := fmt.Sprintf("/antraege/%d", id)
		_, body = e.sessionFor("pruefung@staedtetag-bw.example").get(page)
		if !strings.Contains(body, html.EscapeString(secret)) || !strings.Contains(body, ">intern<") || !strings.Contains(body, `id="f-internal"`) {
			t.Fatal("the reviewer's page lacks the internal note or its checkbox")
		}
		lp := e.sessionFor("lilly@futurehausen.example")
		_, body = lp.get(page)
		if strings.Contains(body, "Landratsamt") || !strings.Contains(body, "Welcher Termin ist geplant?") || !strings.Contains(body, "Der Termin im Mai.") ||
			strings.Contains(body, `id="f-internal"`) || !strings.Contains(body, `id="gespraech"`) {
			t.Fatal("the municipality's page shows the internal note or lacks the thread")
		}
		for _, path := range []string{"/postfach", "/api/v1/mailbox"} {
			_, body := lp.get(path)
			if strings.Contains(body, "Landratsamt") || !strings.Contains(body, "Rückfrage zu Ihrem Antrag") {
				t.Fatalf("%s: internal note leaked or question missing", path)
			}
		}
		_, body = e.sessionFor("pruefung@staedtetag-bw.example").get("/postfach")
		if !strings.Contains(body, "Antwort von der Stadt Futurehausen") || !strings.Contains(body, "Neuer Antrag zur Prüfung") {
			t.Fatal("the association's mailbox lacks the answer or the submission")
		}
		// The page's form: the answer arrives; refused input comes back
		// next to the field, kept.
		res = lp.postForm(page+"/gespraech", url.Values{"body": {"Noch eine Frage: reicht ein Termin?"}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "hinweis=nachricht") {
			t.Fatalf("posting: %d %q", res.StatusCode, loc)
		}
		long := strings.Repeat("Sehr lang. ", 500)
		res, body = lp.postFormBody(page+"/gespraech", url.Values{"body": {long}})
		if res.StatusCode != 422 || !strings.Contains(body, "höchstens 5.000 Zeichen") || !strings.Contains(body, strings.TrimSpace(long)) ||
			!strings.Contains(body, `id="f-body-error"`) {
			t.Fatalf("too long: %d", res.StatusCode)
		}
		rp := e.sessionFor("pruefung@staedtetag-bw.example")
		res, body = rp.postFormBody(page+"/gespraech", url.Values{"body": {""}, "internal": {"1"}})
		if res.StatusCode != 422 || !strings.Contains(body, "Bitte schreiben Sie eine Nachricht.") || !strings.Contains(body, `name="internal" value="1" checked`) {
			t.Fatalf("empty note: %d", res.StatusCode)
		}
		res, _ = e.sessionFor("admin@lotse.example").postFormBody(page+"/gespraech", url.Values{"body": {"Admin"}})
		if res.StatusCode != 403 {
			t.Fatalf("admin writes in the thread: %d", res.StatusCode)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
