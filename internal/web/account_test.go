package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// resetTokens returns the tokens of every reset link mailed to addr, oldest first.
func resetTokens(t *testing.T, e *testEnv, addr string) []string {
	t.Helper()
	mails, _, err := e.db.Outbox(context.Background(), 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(mails) - 1; i >= 0; i-- {
		m := mails[i]
		if m.To != addr || !strings.Contains(m.Body, "/passwort-zuruecksetzen?token=") {
			continue
		}
		u, err := url.Parse(linkRE.FindString(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u.Query().Get("token"))
	}
	return out
}

// TestPasswordResetEndsOtherLinksTokensAndSessions: whoever resets the
// password takes the account back; an older reset link, an API token or a
// session someone else may hold ends with it.
func TestPasswordResetEndsOtherLinksTokensAndSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		const addr = "niklas@futurehausen.example"
		session := e.sessionFor(addr)
		_, body := session.json("POST", "/api/v1/me/tokens", `{"name": "Skript"}`)
		var tok struct {
			Token string `json:"token"`
		}
		if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.Token == "" {
			t.Fatalf("token: %s", body)
		}
		bearer := e.client()
		bearer.bearer = tok.Token
		if res, _ := bearer.json("GET", "/api/v1/me", ""); res.StatusCode != 200 {
			t.Fatalf("token before the reset: %d", res.StatusCode)
		}

		c := e.client()
		for range 2 {
			if res, _ := c.json("POST", "/api/v1/auth/password-reset", `{"email": "`+addr+`"}`); res.StatusCode != 202 {
				t.Fatalf("request reset: %d", res.StatusCode)
			}
		}
		tokens := resetTokens(t, e, addr)
		if len(tokens) != 2 {
			t.Fatalf("%d reset links, want 2", len(tokens))
		}
		if res, body := c.json("POST", "/api/v1/auth/password-reset/confirm", `{"token": "`+tokens[1]+`", "password": "ganz-neues-passwort"}`); res.StatusCode != 204 {
			t.Fatalf("reset: %d %s", res.StatusCode, body)
		}
		if res, _ := c.json("POST", "/api/v1/auth/password-reset/confirm", `{"token": "`+tokens[0]+`", "password": "noch-ein-passwort"}`); res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("older reset link after the reset: %d, want a refusal", res.StatusCode)
		}
		if res, _ := bearer.json("GET", "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("API token after the reset: %d, want 401", res.StatusCode)
		}
		if res, _ := session.json("GET", "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("session after the reset: %d, want 401", res.StatusCode)
		}
		if res := e.client().login(addr, "ganz-neues-passwort"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("login with the new password: %d", res.StatusCode)
		}
	})
}
