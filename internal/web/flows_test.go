package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func lastMailTo(t *testing.T, e *testEnv, to string) domain.Mail {
	t.Helper()
	mails, err := e.db.Outbox(context.Background(), 0, 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.To == to {
			return m
		}
	}
	t.Fatalf("no mail to %s in the outbox", to)
	return domain.Mail{}
}

var linkRE = regexp.MustCompile(`http://[^\s]+`)

func TestInvitationThroughTheUI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		thomas := e.client()
		if res := thomas.login("thomas@futurehausen.example", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: status %d", res.StatusCode)
		}
		fh := e.orgByName("Stadt Futurehausen")
		orgPath := "/organisationen/" + itoa(fh.ID)

		// Invalid input is answered next to the field, in German, and nothing is sent.
		res, body := thomas.postFormBody(orgPath+"/einladungen", url.Values{"email": {"keine-adresse"}, "roles": {"hr"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "gültige E-Mail-Adresse") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("invalid invitation: status %d, body lacks the field error", res.StatusCode)
		}
		res, body = thomas.postFormBody(orgPath+"/einladungen", url.Values{"email": {"maria@futurehausen.example"}, "roles": {"admin"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Die Rolle „admin“ gibt es für Kommune nicht") {
			t.Fatalf("role of another kind: status %d", res.StatusCode)
		}

		res = thomas.postForm(orgPath+"/einladungen", url.Values{"email": {"Maria@Futurehausen.example"}, "roles": {"hr", "participant"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("invite: status %d", res.StatusCode)
		}
		_, page := thomas.get(orgPath)
		if !strings.Contains(page, "maria@futurehausen.example") || !strings.Contains(page, "offen") {
			t.Fatal("organisation page does not list the open invitation")
		}
		mail := lastMailTo(t, e, "maria@futurehausen.example")
		link := linkRE.FindString(mail.Body)
		if !strings.Contains(link, "/einladung/") {
			t.Fatalf("invitation mail without link: %q", mail.Body)
		}
		invPath := strings.TrimPrefix(link, e.srv.cfg.BaseURL)

		// Maria follows the link, sets name and password, and is a member.
		maria := e.client()
		res, body = maria.get(invPath)
		if res.StatusCode != 200 || !strings.Contains(body, "Stadt Futurehausen") {
			t.Fatalf("invitation page: %d", res.StatusCode)
		}
		res, body = maria.postFormBody(invPath, url.Values{"name": {"Maria Muster"}, "password": {"kurz"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "mindestens 10 Zeichen") {
			t.Fatalf("short password: %d", res.StatusCode)
		}
		res = maria.postForm(invPath, url.Values{"name": {"Maria Muster"}, "password": {"ein-gutes-passwort"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: status %d", res.StatusCode)
		}
		maria.csrf = maria.scrapeCSRF("/konto")
		_, me := maria.json("GET", "/api/v1/me", "")
		var got struct {
			Email       string              `json:"email"`
			Memberships []domain.Membership `json:"memberships"`
		}
		if err := json.Unmarshal([]byte(me), &got); err != nil {
			t.Fatal(err)
		}
		if got.Email != "maria@futurehausen.example" || len(got.Memberships) != 1 || got.Memberships[0].OrgID != fh.ID ||
			!got.Memberships[0].Has(domain.RoleHR) || !got.Memberships[0].Has(domain.RoleParticipant) {
			t.Fatalf("after accepting: %s", me)
		}
		// The link works once.
		if res, _ := e.client().get(invPath); res.StatusCode != http.StatusNotFound {
			t.Fatalf("used invitation link: status %d, want 404", res.StatusCode)
		}
		// The audit log has the invitation and its acceptance.
		entries, _, err := e.db.Audit(context.Background(), domain.AuditFilter{OrgID: fh.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range entries {
			actions = append(actions, a.Action)
		}
		for _, want := range []string{"invitation.create", "invitation.accept", "membership.set_roles"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}
	})
}

func TestFormsNeedTheSessionCSRFToken(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.sessionFor("thomas@futurehausen.example")
	fh := e.orgByName("Stadt Futurehausen")
	res := c.postForm("/organisationen/"+itoa(fh.ID)+"/einladungen", url.Values{"csrf_token": {"falsch"}, "email": {"x@futurehausen.example"}, "roles": {"hr"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("wrong CSRF token: status %d, want 403", res.StatusCode)
	}
	// A cross-site request is refused even with the right token.
	req, _ := http.NewRequest("POST", e.ts.URL+"/organisationen/"+itoa(fh.ID)+"/einladungen",
		strings.NewReader(url.Values{"csrf_token": {c.csrf}, "email": {"x@futurehausen.example"}, "roles": {"hr"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site form: status %d, want 403", res.StatusCode)
	}
	if mails, _ := e.db.Outbox(context.Background(), 0, 10, 0); len(mails) != 0 {
		t.Fatalf("a refused form sent %d mails", len(mails))
	}
}

func TestLoginStartsANewSessionWithSafeCookie(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	res := c.login("lilly@futurehausen.example", testPassword)
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want HttpOnly and SameSite=Lax", cookie)
	}
	// Logging in again replaces the session ID, and the old one is dead.
	old := cookie.Value
	res = c.login("lilly@futurehausen.example", testPassword)
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie && ck.Value == old {
			t.Fatal("login kept the session ID")
		}
	}
	if _, _, err := e.db.SessionActor(context.Background(), old); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Fatalf("old session still valid: %v", err)
	}
	// Logout ends the session.
	c.postForm("/abmelden", url.Values{})
	if res, _ := c.get("/konto"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout /konto: status %d, want redirect to login", res.StatusCode)
	}
}

func TestSecureCookiesBehindTLS(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	e.srv.cfg.SecureCookies = true
	res := e.client().login("lilly@futurehausen.example", testPassword)
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie && !ck.Secure {
			t.Fatal("cookie not Secure")
		}
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	for i := 0; i < 5; i++ {
		res, body := c.json("POST", "/api/v1/auth/login", `{"email": "anna@futurehausen.example", "password": "falsch-falsch"}`)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "E-Mail-Adresse oder Passwort ist falsch") {
			t.Fatalf("attempt %d: %d %s", i, res.StatusCode, body)
		}
	}
	res, body := c.json("POST", "/api/v1/auth/login", `{"email": "anna@futurehausen.example", "password": "`+testPassword+`"}`)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `"code":"rate_limited"`) {
		t.Fatalf("after 5 failures: %d %s", res.StatusCode, body)
	}
	// The login form says the same in German.
	res, page := c.postFormBody("/anmelden", url.Values{"email": {"anna@futurehausen.example"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "Zu viele fehlgeschlagene Anmeldeversuche") {
		t.Fatalf("login form after 5 failures: %d", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	res, body := e.client().get("/")
	h := res.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("frame/nosniff headers missing: %v", h)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=\"") || strings.Contains(body, "onclick") {
		t.Error("page has inline script or style, which the CSP forbids")
	}
}

func TestPagesHaveLandmarksAndSkipLink(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.sessionFor("admin@lotse.example")
	fh := e.orgByName("Stadt Futurehausen")
	for _, p := range []string{"/", "/konto", "/organisationen/" + itoa(fh.ID), "/kommunen",
		"/kommunen/08999001", "/admin", "/admin/postausgang", "/admin/protokoll", "/gibt-es-nicht"} {
		_, body := c.get(p)
		checkPageStructure(t, p, body)
	}
	anon := e.client()
	for _, p := range []string{"/anmelden", "/passwort-vergessen", "/passwort-zuruecksetzen?token=x"} {
		_, body := anon.get(p)
		checkPageStructure(t, p, body)
	}
}

func checkPageStructure(t *testing.T, p, body string) {
	t.Helper()
	{
		for _, want := range []string{`<html lang="de"`, `href="#inhalt"`, `<main id="inhalt"`, `<nav aria-label="Hauptnavigation">`, "<header", "<footer", "<h1"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", p, want)
			}
		}
		// Every input has a label.
		for _, m := range regexp.MustCompile(`<input[^>]*id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			if !strings.Contains(body, `for="`+m[1]+`"`) {
				t.Errorf("%s: input %s has no label", p, m[1])
			}
		}
	}
}

func TestUnknownPagesAre404InTheDesign(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	res, body := e.client().get("/gibt-es-nicht")
	if res.StatusCode != 404 || !strings.Contains(body, "Seite nicht gefunden") || !strings.Contains(body, "kern.min.css") {
		t.Fatalf("404 page: %d", res.StatusCode)
	}
	res, body = e.client().get("/api/v1/gibt-es-nicht")
	if res.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
		t.Fatalf("unknown API route: %d %s", res.StatusCode, body)
	}
}

func TestAPIErrorsAreJSONWithTheRightStatus(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	admin := e.sessionFor("admin@lotse.example")
	cases := []struct {
		name, method, path, body string
		c                        *client
		status                   int
		code                     string
	}{
		{"broken JSON", "POST", "/api/v1/organisations", `{"name": `, admin, 400, "bad_request"},
		{"unknown field", "POST", "/api/v1/organisations", `{"name": "X", "kind": "provider", "colour": "blau"}`, admin, 400, "bad_request"},
		{"trailing data", "POST", "/api/v1/organisations", `{"name": "X", "kind": "provider"} {}`, admin, 400, "bad_request"},
		{"invalid kind", "POST", "/api/v1/organisations", `{"name": "X", "kind": "verein"}`, admin, 422, "invalid"},
		{"municipality without directory entry", "POST", "/api/v1/organisations", `{"name": "X", "kind": "municipality", "ags": "01234567"}`, admin, 422, "invalid"},
		{"second account for a municipality", "POST", "/api/v1/organisations", `{"name": "X", "kind": "municipality", "ags": "08999001"}`, admin, 409, "conflict"},
		{"not logged in", "GET", "/api/v1/me", "", e.client(), 401, "unauthorized"},
		{"not allowed", "GET", "/api/v1/outbox", "", e.sessionFor("lilly@futurehausen.example"), 403, "forbidden"},
		{"no such municipality", "GET", "/api/v1/municipalities/01234567", "", e.client(), 404, "not_found"},
		{"malformed AGS", "GET", "/api/v1/municipalities/abc", "", e.client(), 400, "bad_request"},
		{"bad page", "GET", "/api/v1/municipalities?page=-1", "", e.client(), 400, "bad_request"},
		{"bad kind filter", "GET", "/api/v1/municipalities?kind=planet", "", e.client(), 400, "bad_request"},
		{"too large", "POST", "/api/v1/auth/login", `{"email": "` + strings.Repeat("a", 2<<20) + `"}`, e.client(), 413, "too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := tc.c.json(tc.method, tc.path, tc.body)
			var got apiError
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %q", body)
			}
			if res.StatusCode != tc.status || got.Error.Code != tc.code || got.Error.Message == "" {
				t.Fatalf("status %d code %q, want %d %q (%s)", res.StatusCode, got.Error.Code, tc.status, tc.code, body)
			}
		})
	}
	// Nothing was half-written by the refused calls.
	orgs, _, _ := e.db.Organisations(context.Background(), domain.OrgFilter{})
	for _, o := range orgs {
		if o.Name == "X" {
			t.Fatal("a refused call created an organisation")
		}
	}
}

func TestAPITokensAuthenticateAndCanBeRevoked(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("kurse@vwa-bw.example")
		res, body := c.json("POST", "/api/v1/me/tokens", `{"name": "Buchungssystem"}`)
		if res.StatusCode != 201 {
			t.Fatalf("create token: %d %s", res.StatusCode, body)
		}
		var tok tokenCreated
		json.Unmarshal([]byte(body), &tok)
		if !strings.HasPrefix(tok.Token, "lotse_") || len(tok.Token) < 40 {
			t.Fatalf("token %q", tok.Token)
		}
		api := e.client()
		api.bearer = tok.Token
		res, body = api.json("GET", "/api/v1/me", "")
		if res.StatusCode != 200 || !strings.Contains(body, "kurse@vwa-bw.example") {
			t.Fatalf("me with token: %d %s", res.StatusCode, body)
		}
		// The list shows the token without its value.
		_, list := c.json("GET", "/api/v1/me/tokens", "")
		if strings.Contains(list, tok.Token) || !strings.Contains(list, "Buchungssystem") || !strings.Contains(list, "last_used_at") {
			t.Fatalf("token list: %s", list)
		}
		if res, _ := c.json("DELETE", "/api/v1/me/tokens/"+itoa(tok.ID), ""); res.StatusCode != 204 {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		res, body = api.json("GET", "/api/v1/me", "")
		if res.StatusCode != 401 || !strings.Contains(body, "widerrufen") {
			t.Fatalf("revoked token: %d %s", res.StatusCode, body)
		}
		// Another person cannot revoke someone else's token.
		other := e.sessionFor("lilly@futurehausen.example")
		_, body = c.json("POST", "/api/v1/me/tokens", `{"name": "Zweites"}`)
		json.Unmarshal([]byte(body), &tok)
		if res, _ := other.json("DELETE", "/api/v1/me/tokens/"+itoa(tok.ID), ""); res.StatusCode != 404 {
			t.Fatalf("revoking another's token: %d, want 404", res.StatusCode)
		}
	})
}

func TestPasswordResetThroughTheUI(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	res, body := c.postFormBody("/passwort-vergessen", url.Values{"email": {"niklas@futurehausen.example"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Bitte sehen Sie in Ihr Postfach") {
		t.Fatalf("request reset: %d", res.StatusCode)
	}
	// An unknown address gets the same answer and no mail.
	_, body2 := c.postFormBody("/passwort-vergessen", url.Values{"email": {"niemand@futurehausen.example"}})
	if !strings.Contains(body2, "Bitte sehen Sie in Ihr Postfach") {
		t.Fatal("unknown address answered differently")
	}
	link := linkRE.FindString(lastMailTo(t, e, "niklas@futurehausen.example").Body)
	u, _ := url.Parse(link)
	token := u.Query().Get("token")
	res, body = c.postFormBody("/passwort-zuruecksetzen", url.Values{"token": {token}, "password": {"neues-passwort-1"}, "password2": {"anderes-passwort"}})
	if res.StatusCode != 422 || !strings.Contains(body, "stimmen nicht überein") {
		t.Fatalf("mismatch: %d", res.StatusCode)
	}
	res = c.postForm("/passwort-zuruecksetzen", url.Values{"token": {token}, "password": {"neues-passwort-1"}, "password2": {"neues-passwort-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if res := e.client().login("niklas@futurehausen.example", "neues-passwort-1"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with new password: %d", res.StatusCode)
	}
	res, body = c.postFormBody("/passwort-zuruecksetzen", url.Values{"token": {token}, "password": {"noch-ein-passwort"}, "password2": {"noch-ein-passwort"}})
	if res.StatusCode != 422 || !strings.Contains(body, "ungültig oder abgelaufen") {
		t.Fatalf("reused reset link: %d", res.StatusCode)
	}
}

func TestEmailVerification(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	p := &domain.Person{Email: "neu@futurehausen.example", Name: "Neu"}
	if err := e.db.CreatePerson(context.Background(), p, "ein-langes-passwort"); err != nil {
		t.Fatal(err)
	}
	c := e.sessionFor(p.Email)
	if res := c.postForm("/konto/bestaetigung", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request verification: %d", res.StatusCode)
	}
	link := linkRE.FindString(lastMailTo(t, e, p.Email).Body)
	res, body := c.get(strings.TrimPrefix(link, e.srv.cfg.BaseURL))
	if res.StatusCode != 200 || !strings.Contains(body, "ist bestätigt") {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	if got := e.person(p.Email); got.EmailVerifiedAt == nil {
		t.Fatal("address not marked verified")
	}
}

func TestDirectorySearchInUIAndAPI(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	_, body := c.get("/kommunen?q=futur")
	if !strings.Contains(body, `href="/kommunen/08999001"`) || !strings.Contains(body, "45.210") {
		t.Fatal("search page lacks Futurehausen with its population")
	}
	_, body = c.json("GET", "/api/v1/municipalities?q=08999&kind=municipality", "")
	var got httpx.List[domain.Municipality]
	json.Unmarshal([]byte(body), &got)
	if got.Total != 5 || len(got.Items) != 5 || got.Items[0].AGS != "08999001" {
		t.Fatalf("AGS search: %s", body)
	}
	_, body = c.get("/kommunen/08999001")
	for _, want := range []string{"Futurehausen", "Große Kreisstadt", "45.210", "Zukunftstal", "Baden-Württemberg", "Stadt Futurehausen"} {
		if !strings.Contains(body, want) {
			t.Errorf("municipality page lacks %q", want)
		}
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	if res, body := c.get("/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	if res, _ := c.get("/readyz"); res.StatusCode != 200 {
		t.Fatalf("readyz %d", res.StatusCode)
	}
	c.get("/kommunen")
	_, body := c.get("/metrics")
	if !strings.Contains(body, `lotse_http_requests_total{route="GET /kommunen",status="200"} 1`) {
		t.Fatalf("metrics lack the request counter:\n%.2000s", body)
	}
	e.db.Close()
	if res, _ := c.get("/readyz"); res.StatusCode != 503 {
		t.Fatalf("readyz with closed database: %d, want 503", res.StatusCode)
	}
}

func TestAdminCreatesOrganisationAndInvitesItsAdmin(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		admin := e.sessionFor("admin@lotse.example")
		res, body := admin.json("POST", "/api/v1/organisations", `{"name": "Stadt Bitzingen", "kind": "municipality", "ags": "08999005", "admin_email": "it@bitzingen.example"}`)
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var o domain.Organisation
		json.Unmarshal([]byte(body), &o)
		if o.AGS != "08999005" || o.Kind != domain.OrgMunicipality {
			t.Fatalf("created %+v", o)
		}
		m := lastMailTo(t, e, "it@bitzingen.example")
		if !strings.Contains(m.Body, "Stadt Bitzingen") || !strings.Contains(m.Body, "Kontoverwaltung") {
			t.Fatalf("invitation mail: %s", m.Body)
		}
		// The outbox page shows it.
		_, page := admin.get("/admin/postausgang")
		if !strings.Contains(page, "it@bitzingen.example") {
			t.Fatal("outbox page lacks the mail")
		}
		// The UI form refuses bad input next to the field.
		res, page = admin.postFormBody("/admin/organisationen", url.Values{"name": {""}, "kind": {"municipality"}, "ags": {"12"}})
		if res.StatusCode != 422 || !strings.Contains(page, "Bitte geben Sie einen Namen an") || !strings.Contains(page, "Gemeindeschlüssel") {
			t.Fatalf("bad org form: %d", res.StatusCode)
		}
	})
}

func TestRolesKeepOneAccountAdmin(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	thomas := e.sessionFor("thomas@futurehausen.example")
	fh := e.orgByName("Stadt Futurehausen")
	me := e.person("thomas@futurehausen.example")
	res, body := thomas.json("PUT", "/api/v1/organisations/"+itoa(fh.ID)+"/members/"+itoa(me.ID), `{"roles": ["participant"]}`)
	if res.StatusCode != 409 || !strings.Contains(body, "mindestens eine Person") {
		t.Fatalf("demoting the last account_admin: %d %s", res.StatusCode, body)
	}
	anna := e.person("anna@futurehausen.example")
	res, body = thomas.json("PUT", "/api/v1/organisations/"+itoa(fh.ID)+"/members/"+itoa(anna.ID), `{"roles": ["hr", "account_admin"]}`)
	if res.StatusCode != 200 || !strings.Contains(body, `"account_admin"`) {
		t.Fatalf("granting: %d %s", res.StatusCode, body)
	}
	// A person who is not a member cannot be added by setting roles.
	reviewer := e.person("pruefung@staedtetag-bw.example")
	if res, _ := thomas.json("PUT", "/api/v1/organisations/"+itoa(fh.ID)+"/members/"+itoa(reviewer.ID), `{"roles": ["hr"]}`); res.StatusCode != 404 {
		t.Fatalf("adding a non-member by roles: %d, want 404", res.StatusCode)
	}
}

func TestDirectoryImportThroughUIAndAPI(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	line := func(ags, name string, pop int) string {
		b := []rune(strings.Repeat(" ", 220))
		put := func(col int, s string) { copy(b[col-1:], []rune(s)) }
		put(1, "60")
		put(3, "20251130")
		put(11, ags)
		put(19, "0000")
		put(23, name)
		put(123, "64")
		put(129, fmt.Sprintf("%011d", 1000))
		put(140, fmt.Sprintf("%011d", pop))
		put(151, fmt.Sprintf("%011d", pop/2))
		put(166, "79990")
		return string(b) + "\n"
	}
	admin := e.apiAs("admin@lotse.example")
	res, body := admin.do("POST", "/api/v1/municipalities/import", "text/plain", strings.NewReader(line("08999006", "Neudorf", 1234)+"99kaputt\n")), ""
	b, _ := io.ReadAll(res.Body)
	body = string(b)
	if res.StatusCode != 422 || !strings.Contains(body, "Zeile 2") {
		t.Fatalf("broken file: %d %s", res.StatusCode, body)
	}
	if _, err := e.db.Municipality(t.Context(), "08999006"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatal("a broken file was half-imported")
	}
	res = admin.do("POST", "/api/v1/municipalities/import", "text/plain", strings.NewReader(line("08999006", "Neudorf", 1234)))
	b, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), `"inserted":1`) {
		t.Fatalf("import: %d %s", res.StatusCode, b)
	}
	// The admin page takes the file as upload.
	c := e.sessionFor("admin@lotse.example")
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf_token", c.csrf)
	fw, _ := w.CreateFormFile("file", "GV100AD.txt")
	fw.Write([]byte(line("08999006", "Neudorf", 2345)))
	w.Close()
	res = c.do("POST", "/admin/gemeindeverzeichnis", w.FormDataContentType(), &buf)
	b, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), "1 geändert") {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if m, _ := e.db.Municipality(t.Context(), "08999006"); m == nil || m.Population != 2345 {
		t.Fatalf("after upload: %+v", m)
	}
}
