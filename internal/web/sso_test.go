package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/sso/ssotest"
	"github.com/lotse-oss/lotse/internal/store"
)

const ssoLabel = "Mit Test-OP anmelden"

// withOP starts a real OpenID Provider and configures it as provider "op",
// plus provider "weg" whose issuer nobody answers.
func (e *testEnv) withOP() *ssotest.OP {
	e.t.Helper()
	op := ssotest.Start(e.t, nil, e.ts.URL+"/anmelden/sso/op/zurueck")
	down := sso.Provider{ID: "weg", Issuer: "http://localhost:" + strconv.Itoa(ssotest.FreePort(e.t)) + "/", ClientID: "web", Label: "Mit abgeschaltetem Dienst anmelden"}
	e.srv.app.Account.WithSSO(sso.New(e.ts.URL, []sso.Provider{op.Provider("op", ssoLabel), down}))
	return op
}

// ssoLogin logs the client in through the OP as user and returns the
// answer of the platform's callback.
func (c *client) ssoLogin(op *ssotest.OP, user, next string) (*http.Response, string) {
	c.e.t.Helper()
	res, _ := c.get("/anmelden/sso/op?weiter=" + url.QueryEscape(next))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), op.Issuer) {
		c.e.t.Fatalf("start: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	back := op.Login(c.e.t, res.Header.Get("Location"), user, ssotest.Password)
	if !strings.HasPrefix(back.String(), c.e.ts.URL+"/anmelden/sso/op/zurueck?") {
		c.e.t.Fatalf("the OP sent the browser to %s", back)
	}
	return c.get(back.RequestURI())
}

func TestSSOLoginThroughTheRealProviderAndLogoutThere(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		op := e.withOP()
		c := e.client()
		_, body := c.get("/anmelden?weiter=/konto")
		if !strings.Contains(body, `href="/anmelden/sso/op?weiter=%2fkonto"`) && !strings.Contains(body, `href="/anmelden/sso/op?weiter=%2Fkonto"`) || !strings.Contains(body, ssoLabel) {
			t.Fatalf("login page lacks the provider's button:\n%s", body)
		}
		// Thomas (Futurehausen's account admin in the demo) is linked by his
		// verified address.
		res, _ := c.ssoLogin(op, "thomas", "/konto")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto?hinweis=angemeldet" {
			t.Fatalf("callback: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = c.get("/konto")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "thomas@futurehausen.example") {
			t.Fatalf("account page after the sign-on: %d", res.StatusCode)
		}
		c.csrf = c.scrapeCSRF("/konto")
		// The logout page moves on to the provider by a Refresh header (a
		// redirect of the form's POST would break form-action 'self').
		res, body = c.postFormBody("/abmelden", url.Values{})
		to, _ := strings.CutPrefix(res.Header.Get("Refresh"), "0; url=")
		lu, _ := url.Parse(to)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Beim Anmeldedienst abmelden") ||
			!strings.HasPrefix(to, op.Issuer) || lu.Query().Get("id_token_hint") == "" ||
			lu.Query().Get("post_logout_redirect_uri") != e.ts.URL+"/?hinweis=abgemeldet" {
			t.Fatalf("logout: %d to %q", res.StatusCode, to)
		}
		if res, _ := c.get("/konto"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("account page after logout: %d", res.StatusCode)
		}
		// The provider accepts the hint and ends its session too. (The
		// example OP registers no address to come back to, so it refuses
		// the post_logout_redirect_uri a real provider would have listed.)
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		hint := url.Values{"id_token_hint": {lu.Query().Get("id_token_hint")}}
		r2, err := noFollow.Get(op.Issuer + "end_session?" + hint.Encode())
		if err != nil || r2.StatusCode != http.StatusFound || !strings.Contains(r2.Header.Get("Location"), "logged-out") {
			t.Errorf("the provider's logout with the hint: %v %v", r2, err)
		}
	})
}

func TestSSOErrorsShowAGermanPageAndLogNobodyIn(t *testing.T) {
	e := newTestEnv(t, store.SQLite)
	op := e.withOP()
	c := e.client()
	before, _, _ := e.db.Audit(context.Background(), domain.AuditFilter{Limit: 1})

	res, body := c.get("/anmelden/sso/op/zurueck?state=erfunden&code=x")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "abgelaufen oder wurde schon abgeschlossen") || !strings.Contains(body, "Zurück zur Anmeldung") {
		t.Errorf("wrong state: %d\n%s", res.StatusCode, body)
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("wrong state set cookies: %v", res.Cookies())
	}
	res, body = c.get("/anmelden/sso/weg")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Der Anmeldedienst ist gerade nicht erreichbar") {
		t.Errorf("provider down: %d\n%s", res.StatusCode, body)
	}
	res, body = c.get("/anmelden/sso/unbekannt")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Diese Anmeldung gibt es hier nicht") {
		t.Errorf("unknown provider: %d", res.StatusCode)
	}
	res, body = c.ssoLogin(op, "unbestaetigt", "/")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "nicht als bestätigt") {
		t.Errorf("unverified address: %d\n%s", res.StatusCode, body)
	}
	if _, err := e.db.PersonByEmail(context.Background(), "ulf@kommune.example"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("account after a refused sign-on: %v", err)
	}
	after, _, _ := e.db.Audit(context.Background(), domain.AuditFilter{Limit: 1})
	if len(after) != len(before) || (len(after) > 0 && after[0].ID != before[0].ID) {
		t.Errorf("failed sign-ons wrote to the audit log: %+v", after)
	}
	// /readyz names a provider that is down.
	res, body = c.get("/readyz")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "single sign-on") {
		t.Errorf("/readyz with a provider down: %d %q", res.StatusCode, body)
	}
}

func TestPasswordLoginSwitchedOffPerOrganisation(t *testing.T) {
	e := newTestEnv(t, store.SQLite)
	e.withOP()
	fh := e.orgByName("Futurehausen")
	admin := e.sessionFor("thomas@futurehausen.example")
	path := "/organisationen/" + strconv.FormatInt(fh.ID, 10) + "/anmeldung"
	res, body := admin.get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Wie melden sich die Mitglieder an?") || !strings.Contains(body, "„"+ssoLabel+"“") {
		t.Fatalf("settings page: %d", res.StatusCode)
	}
	res, body = admin.postFormBody(path, url.Values{"password_login": {"vielleicht"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bitte wählen Sie, wie sich die Mitglieder anmelden.") {
		t.Errorf("invalid choice: %d", res.StatusCode)
	}
	res = admin.postForm(path, url.Values{"password_login": {"aus"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch off: %d", res.StatusCode)
	}
	// Lilly (Futurehausen's signatory) can no longer use her password.
	res, body = e.client().postFormBody("/anmelden", url.Values{"email": {"lilly@futurehausen.example"}, "password": {testPassword}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Anmeldung mit Passwort abgeschaltet") || !strings.Contains(body, "„"+ssoLabel+"“") ||
		!strings.Contains(body, `value="lilly@futurehausen.example"`) {
		t.Errorf("password login switched off: %d\n%s", res.StatusCode, body)
	}
	// The API reads and changes the same setting.
	api := e.sessionFor("thomas@futurehausen.example")
	apiPath := "/api/v1/organisations/" + strconv.FormatInt(fh.ID, 10) + "/login-settings"
	res, body = api.json("GET", apiPath, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(strings.ReplaceAll(body, " ", ""), `"password_login":false`) {
		t.Errorf("API GET: %d %s", res.StatusCode, body)
	}
	res, body = api.json("PUT", apiPath, `{"password_login": true}`)
	if res.StatusCode != http.StatusOK || !strings.Contains(strings.ReplaceAll(body, " ", ""), `"password_login":true`) {
		t.Errorf("API PUT: %d %s", res.StatusCode, body)
	}
	res, _ = api.json("PUT", apiPath, `{}`)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("API PUT without a value: %d", res.StatusCode)
	}
	if res := e.client().login("lilly@futurehausen.example", testPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password login switched on again: %d", res.StatusCode)
	}
	// Lilly is no account admin: the setting is not hers.
	if res, _ := e.sessionFor("lilly@futurehausen.example").get(path); res.StatusCode != http.StatusForbidden {
		t.Errorf("signatory sees the setting: %d", res.StatusCode)
	}
}
