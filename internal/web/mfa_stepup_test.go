package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
)

// TestSwitchingOnTheRequirementSendsRunningSessionsToTheSecondFactor: the
// account admin switches on Futurehausen's requirement; the signatory,
// logged in without second factor, is sent from her next page to set one
// up and then goes on where she was; the participant and the account admin
// (not covered) go on. The funder, covered by the programme's requirement
// he switches on, finds it saved and is sent to set up his own.
func TestSwitchingOnTheRequirementSendsRunningSessionsToTheSecondFactor(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		lilly := e.sessionFor("lilly@futurehausen.example")
		niklas := e.sessionFor("niklas@futurehausen.example")
		thomas := e.sessionFor("thomas@futurehausen.example")
		fh, err := e.db.OrganisationByAGS(context.Background(), demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		settings := "/organisationen/" + itoa(fh.ID) + "/zweiter-faktor"
		if _, body := thomas.get(settings); !strings.Contains(body, "Die Vorgabe gilt sofort") {
			t.Error("the settings page does not say that the requirement applies at once")
		}
		res := thomas.postForm(settings, url.Values{"required": {"1"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != settings+"?hinweis=gespeichert" {
			t.Fatalf("switching on: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// Lilly's next page: the second step, which sets the factor up.
		res, _ = lilly.get("/antraege")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != mfaLoginPath+"?weiter=%2Fantraege" {
			t.Fatalf("Lilly's next page: %d %s", res.StatusCode, loc)
		}
		res, body := lilly.get(mfaLoginPath + "?weiter=%2Fantraege")
		m := secretRE.FindStringSubmatch(body)
		if res.StatusCode != 200 || m == nil || !strings.Contains(body, "Zweiten Faktor einrichten") {
			t.Fatalf("set-up page: %d", res.StatusCode)
		}
		lilly.csrf = csrfRE.FindStringSubmatch(body)[1]
		res, body = lilly.postFormBody("/anmelden/zweiter-faktor/einrichten", url.Values{"code": {e.totpNow(m[1])}, "weiter": {"/antraege"}})
		if res.StatusCode != 200 || len(recoveryRE.FindAllString(body, -1)) != 10 || !strings.Contains(body, `href="/antraege"`) {
			t.Fatalf("set-up: %d", res.StatusCode)
		}
		for who, c := range map[string]*client{"Lilly after the set-up": lilly, "Niklas": niklas, "Thomas": thomas} {
			if res, _ := c.get("/konto"); res.StatusCode != 200 {
				t.Errorf("%s: %d", who, res.StatusCode)
			}
		}
		// The funder is covered by the programme's requirement: saved, and
		// sent to set up his own factor, then back to the settings.
		franz := e.sessionFor("foerderung@im-bw.example")
		res = franz.postForm("/programme/digitallotsen-bw/zweiter-faktor", url.Values{"required": {"1"}})
		want := mfaLoginPath + "?weiter=" + url.QueryEscape("/programme/digitallotsen-bw/zweiter-faktor?hinweis=gespeichert")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("the funder switching on: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if on, err := e.db.ProgrammeRequiresMFA(context.Background(), demo.BWID); err != nil || !on {
			t.Errorf("the programme's requirement: %v, %v", on, err)
		}
		if res, body := franz.get(want); res.StatusCode != 200 || !strings.Contains(body, "Zweiten Faktor einrichten") {
			t.Errorf("the funder's set-up: %d", res.StatusCode)
		}
		// Lilly gave her second factor in this session: she goes on.
		if res, _ := lilly.get("/antraege"); res.StatusCode != 200 {
			t.Errorf("Lilly after the programme's requirement: %d", res.StatusCode)
		}
	})
}
