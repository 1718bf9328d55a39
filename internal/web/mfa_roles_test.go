package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
)

// TestGivingTheSignatoryRoleThroughTheFormSendsTheSessionToTheSecondFactor:
// Futurehausen requires a second factor; its account admin makes Niklas,
// logged in without one, signatory through the member form: Niklas's next
// page (the new application, a signatory's) is the second factor's
// set-up, and a change from the waiting session is refused. Anna, made
// participant besides HR (not covered), goes on.
func TestGivingTheSignatoryRoleThroughTheFormSendsTheSessionToTheSecondFactor(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh, err := e.db.OrganisationByAGS(context.Background(), demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		thomas := e.sessionFor("thomas@futurehausen.example")
		settings := "/organisationen/" + itoa(fh.ID) + "/zweiter-faktor"
		if res := thomas.postForm(settings, url.Values{"required": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("switching on: %d", res.StatusCode)
		}
		niklas := e.sessionFor("niklas@futurehausen.example")
		anna := e.sessionFor("anna@futurehausen.example")
		for who, c := range map[string]*client{"Niklas": niklas, "Anna": anna} {
			if res, _ := c.get("/konto"); res.StatusCode != http.StatusOK {
				t.Fatalf("%s before: %d", who, res.StatusCode)
			}
		}
		member := func(email string) string {
			return "/organisationen/" + itoa(fh.ID) + "/mitglieder/" + itoa(e.person(email).ID)
		}
		res := thomas.postForm(member("niklas@futurehausen.example")+"/rollen", url.Values{"roles": {"participant", "signatory"}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != member("niklas@futurehausen.example")+"?hinweis=rollen" {
			t.Fatalf("giving Niklas the signatory role: %d %s", res.StatusCode, loc)
		}
		res = thomas.postForm(member("anna@futurehausen.example")+"/rollen", url.Values{"roles": {"hr", "participant"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("giving Anna the participant role: %d", res.StatusCode)
		}
		res, _ = niklas.get("/antraege/neu")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != mfaLoginPath+"?weiter=%2Fantraege%2Fneu" {
			t.Fatalf("Niklas's next page: %d %s", res.StatusCode, loc)
		}
		if res, body := niklas.get(mfaLoginPath + "?weiter=%2Fantraege%2Fneu"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Zweiten Faktor einrichten") {
			t.Errorf("Niklas's set-up page: %d", res.StatusCode)
		}
		// A change from the waiting session is not his.
		if res := niklas.postForm("/antraege/neu", url.Values{"programme": {demo.BWID}}); res.StatusCode == http.StatusOK ||
			strings.HasPrefix(res.Header.Get("Location"), "/antraege/") {
			t.Errorf("Niklas's application from the waiting session: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := anna.get("/konto"); res.StatusCode != http.StatusOK {
			t.Errorf("Anna after her new role: %d", res.StatusCode)
		}
		if res, _ := thomas.get("/konto"); res.StatusCode != http.StatusOK {
			t.Errorf("Thomas (account admin, not covered): %d", res.StatusCode)
		}
	})
}
