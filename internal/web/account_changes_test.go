package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var emailChangeRE = regexp.MustCompile(`/email-aendern\?token=([A-Za-z0-9_-]+)`)

// emailChangeToken is the token of the newest confirmation link mailed to addr.
func emailChangeToken(t *testing.T, e *testEnv, addr string) string {
	t.Helper()
	m := lastMailTo(t, e, addr)
	g := emailChangeRE.FindStringSubmatch(m.Body)
	if g == nil {
		t.Fatalf("no confirmation link in the mail to %s:\n%s", addr, m.Body)
	}
	return g[1]
}

func TestAccountPageChangesNameWithMessagesNextToTheField(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("lilly@futurehausen.example")
		res, body := c.postFormBody("/konto/name", url.Values{"person_name": {"   "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bitte geben Sie Ihren Namen an.") ||
			!strings.Contains(body, `id="f-person_name-error"`) {
			t.Fatalf("empty name: %d\n%.2000s", res.StatusCode, body)
		}
		long := strings.Repeat("L", 201)
		res, body = c.postFormBody("/konto/name", url.Values{"person_name": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="`+long+`"`) {
			t.Fatalf("too long a name is not kept in the field: %d", res.StatusCode)
		}
		res = c.postForm("/konto/name", url.Values{"person_name": {"Lilly Lotse-Neu"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto?hinweis=name" {
			t.Fatalf("change: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = c.get("/konto?hinweis=name")
		if !strings.Contains(body, "Ihr Name wurde geändert.") || !strings.Contains(body, `value="Lilly Lotse-Neu"`) {
			t.Fatalf("account page after the change:\n%.3000s", body)
		}
		// Forms without the CSRF token are refused.
		res = c.postForm("/konto/name", url.Values{"person_name": {"X"}, "csrf_token": {"falsch"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("without CSRF token: %d", res.StatusCode)
		}
	})
}

func TestAccountPageChangesPasswordAndEndsOtherSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("lilly@futurehausen.example")
		other := e.sessionFor("lilly@futurehausen.example")
		res, body := c.postFormBody("/konto/passwort", url.Values{"current": {"falsches-passwort-1"}, "new": {"neues-passwort-123"}, "new2": {"neues-passwort-123"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Das bisherige Passwort ist nicht richtig.") {
			t.Fatalf("wrong current password: %d\n%.2000s", res.StatusCode, body)
		}
		if strings.Contains(body, "falsches-passwort-1") || strings.Contains(body, "neues-passwort-123") {
			t.Fatal("the page sends a password back")
		}
		res, body = c.postFormBody("/konto/passwort", url.Values{"current": {testPassword}, "new": {"neues-passwort-123"}, "new2": {"anderes-passwort"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Die beiden neuen Passwörter stimmen nicht überein.") {
			t.Fatalf("mismatch: %d", res.StatusCode)
		}
		res = c.postForm("/konto/passwort", url.Values{"current": {testPassword}, "new": {"neues-passwort-123"}, "new2": {"neues-passwort-123"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto?hinweis=passwort-geaendert" {
			t.Fatalf("change: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := c.get("/konto?hinweis=passwort-geaendert"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Ihr Passwort wurde geändert.") {
			t.Fatalf("the changing browser is logged out: %d", res.StatusCode)
		}
		if res, _ := other.get("/konto"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/anmelden") {
			t.Fatalf("the other session still works: %d", res.StatusCode)
		}
		if m := lastMailTo(t, e, "lilly@futurehausen.example"); m.Subject != "Ihr Passwort wurde geändert" {
			t.Fatalf("mail: %q", m.Subject)
		}
		if res := e.client().login("lilly@futurehausen.example", "neues-passwort-123"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with the new password: %d", res.StatusCode)
		}
	})
}

func TestAccountPageChangesEmailOnlyAfterConfirmation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("lilly@futurehausen.example")
		res, body := c.postFormBody("/konto/email", url.Values{"email": {"anna@futurehausen.example"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Diese E-Mail-Adresse gehört bereits zu einem anderen Konto.") ||
			!strings.Contains(body, `value="anna@futurehausen.example"`) {
			t.Fatalf("taken address: %d\n%.2000s", res.StatusCode, body)
		}
		res = c.postForm("/konto/email", url.Values{"email": {"lilly.lotse@futurehausen.example"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto?hinweis=email-link" {
			t.Fatalf("request: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if n := lastMailTo(t, e, "lilly@futurehausen.example"); !strings.Contains(n.Body, "lilly.lotse@futurehausen.example") || strings.Contains(n.Body, "token=") {
			t.Fatalf("notice to the old address:\n%s", n.Body)
		}
		token := emailChangeToken(t, e, "lilly.lotse@futurehausen.example")
		if p := e.person("lilly@futurehausen.example"); p == nil {
			t.Fatal("the old address is gone before confirmation")
		}
		// The link opens a page with a button; only the button changes the address.
		anon := e.client()
		res, body = anon.get("/email-aendern?token=" + token)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Adresse bestätigen") {
			t.Fatalf("confirmation page: %d", res.StatusCode)
		}
		e.person("lilly@futurehausen.example")
		res, body = anon.postFormBody("/email-aendern", url.Values{"token": {token}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Ihre neue E-Mail-Adresse ist bestätigt.") {
			t.Fatalf("confirm: %d\n%.2000s", res.StatusCode, body)
		}
		if p := e.person("lilly.lotse@futurehausen.example"); p.Name != "Lilly Lotse" || p.EmailVerifiedAt == nil {
			t.Fatalf("person after the change: %+v", p)
		}
		res, body = anon.postFormBody("/email-aendern", url.Values{"token": {token}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Der Link ist ungültig oder abgelaufen.") {
			t.Fatalf("second use: %d", res.StatusCode)
		}
	})
}

func TestAccountAPIChangesNamePasswordAndEmail(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("lilly@futurehausen.example")
		res, body := c.json("PATCH", "/api/v1/me", `{"name": ""}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"name"`) {
			t.Fatalf("empty name: %d %s", res.StatusCode, body)
		}
		res, body = c.json("PATCH", "/api/v1/me", `{"name": "Lilly L."}`)
		var me struct {
			Name        string            `json:"name"`
			Memberships []json.RawMessage `json:"memberships"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &me) != nil || me.Name != "Lilly L." || len(me.Memberships) == 0 {
			t.Fatalf("PATCH /me: %d %s", res.StatusCode, body)
		}

		res, body = c.json("POST", "/api/v1/me/password", `{"current": "falsch-falsch", "new": "neues-passwort-123"}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Das bisherige Passwort ist nicht richtig.") {
			t.Fatalf("wrong current: %d %s", res.StatusCode, body)
		}
		res, _ = c.json("POST", "/api/v1/me/password", `{"current": "`+testPassword+`", "new": "neues-passwort-123"}`)
		if res.StatusCode != http.StatusNoContent || res.Header.Get("Set-Cookie") == "" {
			t.Fatalf("change: %d, cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
		}
		if res, _ := c.json("GET", "/api/v1/me", ""); res.StatusCode != http.StatusOK {
			t.Fatalf("the browser's new session does not work: %d", res.StatusCode)
		}

		// With an API token: no cookie, the token keeps working.
		_, created := c.json("POST", "/api/v1/me/tokens", `{"name": "Test"}`)
		var tok struct {
			Token string `json:"token"`
		}
		json.Unmarshal([]byte(created), &tok)
		api := e.client()
		api.bearer = tok.Token
		res, _ = api.json("POST", "/api/v1/me/password", `{"current": "neues-passwort-123", "new": "drittes-passwort-1"}`)
		if res.StatusCode != http.StatusNoContent || res.Header.Get("Set-Cookie") != "" {
			t.Fatalf("change with a token: %d, cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
		}

		res, body = api.json("POST", "/api/v1/me/email", `{"email": "anna@futurehausen.example"}`)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "bereits") {
			t.Fatalf("taken: %d %s", res.StatusCode, body)
		}
		res, body = api.json("POST", "/api/v1/me/email", `{"email": "neu@futurehausen.example"}`)
		if res.StatusCode != http.StatusAccepted || !strings.Contains(body, `"sent"`) {
			t.Fatalf("request: %d %s", res.StatusCode, body)
		}
		token := emailChangeToken(t, e, "neu@futurehausen.example")
		anon := e.client()
		if res, body := anon.json("POST", "/api/v1/auth/confirm-email", `{"token": "falsch"}`); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong token: %d %s", res.StatusCode, body)
		}
		if res, body := anon.json("POST", "/api/v1/auth/confirm-email", `{"token": "`+token+`"}`); res.StatusCode != http.StatusNoContent {
			t.Fatalf("confirm: %d %s", res.StatusCode, body)
		}
		if res, _ := anon.json("POST", "/api/v1/auth/confirm-email", `{"token": "`+token+`"}`); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("second use: %d", res.StatusCode)
		}
		if p := e.person("neu@futurehausen.example"); p.Name != "Lilly L." {
			t.Fatalf("person: %+v", p)
		}
		if _, err := e.db.PersonByEmail(context.Background(), "lilly@futurehausen.example"); err == nil {
			t.Fatal("the old address still has the account")
		}
	})
}
