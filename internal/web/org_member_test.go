package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOrgMemberPage: the member list links each member's page, where the
// account admin changes the roles (a refusal keeps the ticked boxes and
// names the field), and removes the member; others may not open it.
func TestOrgMemberPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		lilly := e.person("lilly@futurehausen.example")
		boss := e.sessionFor("thomas@futurehausen.example")
		base := "/organisationen/" + itoa(fh.ID)
		page := base + "/mitglieder/" + itoa(lilly.ID)

		res, body := boss.get(base)
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, `href="`+page+`"`) {
			t.Fatalf("the member list does not link Lilly's page: %.3000s", pageText(body))
		}
		res, body = boss.get(page)
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Rollen von ") || !strings.Contains(body, `value="participant" checked`) {
			t.Fatalf("member page: %.3000s", pageText(body))
		}

		// No role ticked: refused next to the field.
		res, body = boss.postFormBody(page+"/rollen", url.Values{})
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Bitte wählen Sie mindestens eine Rolle.") || !strings.Contains(body, "kern-fieldset--error") {
			t.Fatalf("refusal: %.3000s", pageText(body))
		}
		// Saved: back on the member page with the notice and the new roles.
		res = boss.postForm(page+"/rollen", url.Values{"roles": {"participant", "hr"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), page+"?hinweis=rollen") {
			t.Fatalf("save roles: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = boss.get(res.Header.Get("Location"))
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Die Rollen wurden gespeichert.") || !strings.Contains(body, `value="hr" checked`) {
			t.Fatalf("after saving: %.3000s", pageText(body))
		}

		// Others may not open it; an unknown member is not found.
		if res, _ := e.sessionFor("lilly@futurehausen.example").get(page); res.StatusCode != http.StatusForbidden {
			t.Errorf("Lilly opens the management page: %d", res.StatusCode)
		}
		if res, _ := boss.get(base + "/mitglieder/999999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown member: %d", res.StatusCode)
		}

		res = boss.postForm(page+"/entfernen", url.Values{})
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "hinweis=entfernt") {
			t.Fatalf("remove: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := boss.get(page); res.StatusCode != http.StatusNotFound {
			t.Errorf("removed member's page: %d", res.StatusCode)
		}
	})
}
