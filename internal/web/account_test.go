package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// resetTokens returns the tokens of every reset link mailed to addr, oldest first.
func resetTokens(t *testing.T, e *testEnv, addr string) []string {
	t.Helper()
	mails, err := e.db.Outbox(context.Background(), 0, 200, 0)
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

// TestOutboxShowsNoLiveAccountLinks: the admin's outbox page and API show the
// reset, verification and invitation mails without their token, so an admin
// cannot take over an account; the mail the sender delivers keeps the link.
func TestOutboxShowsNoLiveAccountLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		admin := e.sessionFor("admin@lotse.example")
		c := e.client()
		if res, _ := c.json("POST", "/api/v1/auth/password-reset", `{"email": "niklas@futurehausen.example"}`); res.StatusCode != 202 {
			t.Fatalf("request reset: %d", res.StatusCode)
		}
		if res, body := admin.json("POST", "/api/v1/organisations", `{"name": "Stadt Bitzingen", "kind": "municipality", "ags": "08999005", "admin_email": "it@bitzingen.example"}`); res.StatusCode != 201 {
			t.Fatalf("create organisation: %d %s", res.StatusCode, body)
		}
		lilly := e.sessionFor("lilly@futurehausen.example")
		if res, body := lilly.json("POST", "/api/v1/me/verification", ""); res.StatusCode != 202 && res.StatusCode != 409 {
			t.Fatalf("request verification: %d %s", res.StatusCode, body)
		}

		// What the sender reads: the whole mail with its live link.
		pending, err := e.db.PendingMails(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var secrets []string
		for _, m := range pending {
			link := linkRE.FindString(m.Body)
			u, err := url.Parse(link)
			if err != nil {
				continue
			}
			switch {
			case u.Path == "/passwort-zuruecksetzen" || u.Path == "/email-bestaetigen":
				secrets = append(secrets, u.Query().Get("token"))
			case strings.HasPrefix(u.Path, "/einladung/"):
				secrets = append(secrets, strings.TrimPrefix(u.Path, "/einladung/"))
			}
		}
		if len(secrets) < 2 {
			t.Fatalf("the sender's mails carry %d account links, want at least 2 (reset, invitation): %+v", len(secrets), pending)
		}

		_, page := admin.get("/admin/postausgang")
		res, api := admin.json("GET", "/api/v1/outbox", "")
		if res.StatusCode != 200 {
			t.Fatalf("outbox API: %d", res.StatusCode)
		}
		for _, secret := range secrets {
			if secret == "" {
				t.Fatal("empty token in a mail")
			}
			if strings.Contains(page, secret) {
				t.Errorf("outbox page shows the live token %s", secret)
			}
			if strings.Contains(api, secret) {
				t.Errorf("outbox API shows the live token %s", secret)
			}
		}
		for _, want := range []string{"/passwort-zuruecksetzen?token=[entfernt]", "/einladung/[entfernt]"} {
			if !strings.Contains(page, want) || !strings.Contains(api, want) {
				t.Errorf("outbox does not show the link as %q", want)
			}
		}
	})
}

// TestParallelWrongPasswordsAreCheckedAtMostTheLimit: many wrong passwords
// for one account at the same moment were all checked, because each read
// the count of failures before any was recorded. Now each attempt is counted
// before its password is hashed, so at most the limit (5) are answered as a
// wrong password and the rest are refused as too many.
func TestParallelWrongPasswordsAreCheckedAtMostTheLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		const n = 16
		codes := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, _ := e.client().json("POST", "/api/v1/auth/login", `{"email": "anna@futurehausen.example", "password": "falsch-falsch"}`)
				codes <- res.StatusCode
			}()
		}
		wg.Wait()
		close(codes)
		count := map[int]int{}
		for c := range codes {
			count[c]++
		}
		if count[http.StatusUnauthorized] > 5 || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != n {
			t.Fatalf("answers %v: want at most 5 × 401 and the rest 429", count)
		}
		// The form says so in German, also with the right password.
		res, page := e.client().postFormBody("/anmelden", url.Values{"email": {"anna@futurehausen.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "Zu viele fehlgeschlagene Anmeldeversuche") {
			t.Fatalf("login form after the burst: %d", res.StatusCode)
		}
	})
}
