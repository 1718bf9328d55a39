package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/lotse-oss/lotse/internal/domain"
)

var (
	secretRE   = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
	recoveryRE = regexp.MustCompile(`<li><code>([0-9a-z-]{19})</code></li>`)
)

// totpNow is the current code of secret on the platform's clock.
func (e *testEnv) totpNow(secret string) string {
	e.t.Helper()
	c, err := totp.GenerateCode(secret, e.db.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// enrolThroughThePage sets up the authenticator app on the account page as
// a person does: reads the secret from the page and confirms with a code.
// It returns the secret and the recovery codes shown once.
func enrolThroughThePage(t *testing.T, e *testEnv, c *client) (string, []string) {
	t.Helper()
	res, body := c.get("/konto/zweiter-faktor")
	m := secretRE.FindStringSubmatch(body)
	if res.StatusCode != 200 || m == nil || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("set-up page: %d, secret %v", res.StatusCode, m)
	}
	res, body = c.postFormBody("/konto/zweiter-faktor/totp", url.Values{"code": {"123"}})
	if res.StatusCode != 422 || !strings.Contains(body, "Der Code ist nicht richtig") || !strings.Contains(body, m[1]) {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	res, body = c.postFormBody("/konto/zweiter-faktor/totp", url.Values{"code": {e.totpNow(m[1])}})
	codes := recoveryRE.FindAllStringSubmatch(body, -1)
	if res.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("confirm: %d, %d codes", res.StatusCode, len(codes))
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c[1]
	}
	return m[1], out
}

func TestLoginWithTOTPAndRecoveryCodeThroughThePages(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		real := e.db.Now
		now := real()
		e.db.Now = func() time.Time { return now }
		defer func() { e.db.Now = real }()
		const email = "niklas@futurehausen.example"
		c := e.client()
		if res := c.login(email, testPassword); res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), "hinweis=angemeldet") {
			t.Fatalf("login without second factor: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		secret, codes := enrolThroughThePage(t, e, c)
		if res := c.postForm("/abmelden", url.Values{}); res.StatusCode != 303 {
			t.Fatalf("logout: %d", res.StatusCode)
		}

		// Password first: the browser goes to the second step, and every
		// other page sends it back there.
		c = e.client()
		res := c.postForm("/anmelden", url.Values{"email": {email}, "password": {testPassword}, "weiter": {"/buchungen"}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/anmelden/zweiter-faktor?weiter=%2Fbuchungen" {
			t.Fatalf("login: %d %q", res.StatusCode, loc)
		}
		res, _ = c.get("/konto")
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || !strings.HasPrefix(loc, "/anmelden/zweiter-faktor?weiter=") {
			t.Fatalf("pending session on /konto: %d %q", res.StatusCode, loc)
		}
		if res, _ := c.json("GET", "/api/v1/me", ""); res.StatusCode != 401 {
			t.Fatalf("pending session on the API: %d", res.StatusCode)
		}
		res, body := c.get("/anmelden/zweiter-faktor?weiter=%2Fbuchungen")
		m := csrfRE.FindStringSubmatch(body)
		if res.StatusCode != 200 || m == nil || !strings.Contains(body, "Anmeldung bestätigen") {
			t.Fatalf("second step: %d", res.StatusCode)
		}
		c.csrf = m[1]
		// The code that confirmed the set-up does not work again.
		res, body = c.postFormBody("/anmelden/zweiter-faktor", url.Values{"code": {e.totpNow(secret)}, "weiter": {"/buchungen"}})
		if res.StatusCode != 422 || !strings.Contains(body, "Der Code ist nicht richtig") {
			t.Fatalf("used code: %d", res.StatusCode)
		}
		// Without the pending session's CSRF token the form is refused.
		if res := c.postForm("/anmelden/zweiter-faktor", url.Values{"code": {"1"}, "csrf_token": {"falsch"}}); res.StatusCode != 403 {
			t.Fatalf("wrong CSRF token: %d", res.StatusCode)
		}
		now = now.Add(30 * time.Second)
		res = c.postForm("/anmelden/zweiter-faktor", url.Values{"code": {e.totpNow(secret)}, "weiter": {"/buchungen"}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/buchungen?hinweis=angemeldet" {
			t.Fatalf("second step: %d %q", res.StatusCode, loc)
		}
		if res, body := c.json("GET", "/api/v1/me", ""); res.StatusCode != 200 || !strings.Contains(body, email) {
			t.Fatalf("after the second step: %d", res.StatusCode)
		}

		// A recovery code works once.
		for i, want := range []int{303, 422} {
			c = e.client()
			c.postForm("/anmelden", url.Values{"email": {email}, "password": {testPassword}})
			_, body := c.get("/anmelden/zweiter-faktor")
			c.csrf = csrfRE.FindStringSubmatch(body)[1]
			if res := c.postForm("/anmelden/zweiter-faktor", url.Values{"code": {codes[0]}}); res.StatusCode != want {
				t.Fatalf("recovery code, use %d: %d, want %d", i+1, res.StatusCode, want)
			}
		}
		// The API login of a person with a second factor is refused and
		// leaves no session behind.
		api := e.client()
		res, body = api.json("POST", "/api/v1/auth/login", `{"email": "`+email+`", "password": "`+testPassword+`"}`)
		if res.StatusCode != 401 || !strings.Contains(body, "zweiter Faktor") {
			t.Fatalf("API login: %d %s", res.StatusCode, body)
		}
		if res, _ := api.json("GET", "/api/v1/me", ""); res.StatusCode != 401 {
			t.Fatalf("after the refused API login: %d", res.StatusCode)
		}
	})
}

func TestProgrammeRequirementSendsSignatoryToEnrolment(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		funder := e.sessionFor("foerderung@im-bw.example")
		signatory := e.sessionFor("lilly@futurehausen.example")
		if res, _ := signatory.json("PUT", "/api/v1/programmes/digitallotsen-bw/second-factor-requirement", `{"required": true}`); res.StatusCode != 403 {
			t.Fatalf("signatory sets the requirement: %d", res.StatusCode)
		}
		if res, body := funder.json("PUT", "/api/v1/programmes/digitallotsen-bw/second-factor-requirement", `{"required":true}`); res.StatusCode != 200 || !strings.Contains(body, `"required":true`) {
			t.Fatalf("funder sets the requirement: %d %s", res.StatusCode, body)
		}
		if _, body := e.client().json("GET", "/api/v1/programmes/digitallotsen-bw/second-factor-requirement", ""); !strings.Contains(body, `"required":true`) {
			t.Fatalf("requirement: %s", body)
		}
		c := e.client()
		c.postForm("/anmelden", url.Values{"email": {"lilly@futurehausen.example"}, "password": {testPassword}})
		res, body := c.get("/anmelden/zweiter-faktor")
		m := secretRE.FindStringSubmatch(body)
		if res.StatusCode != 200 || m == nil || !strings.Contains(body, "Zweiten Faktor einrichten") {
			t.Fatalf("enrolment at login: %d", res.StatusCode)
		}
		c.csrf = csrfRE.FindStringSubmatch(body)[1]
		if res, _ := c.get("/antraege"); res.StatusCode != 303 {
			t.Fatalf("a page before enrolment: %d", res.StatusCode)
		}
		res, body = c.postFormBody("/anmelden/zweiter-faktor/einrichten", url.Values{"code": {e.totpNow(m[1])}, "weiter": {"/antraege"}})
		if res.StatusCode != 200 || len(recoveryRE.FindAllString(body, -1)) != 10 || !strings.Contains(body, `href="/antraege"`) {
			t.Fatalf("enrolment: %d", res.StatusCode)
		}
		if res, _ := c.get("/antraege"); res.StatusCode != 200 {
			t.Fatalf("after enrolment: %d", res.StatusCode)
		}
		// A participant stays untouched.
		p := e.client()
		if res := p.login("niklas@futurehausen.example", testPassword); !strings.Contains(res.Header.Get("Location"), "hinweis=angemeldet") {
			t.Fatalf("participant: %q", res.Header.Get("Location"))
		}
	})
}

func TestExpiredTokenIsRefusedInGermanAndNewTokensCarryExpiryAndScopes(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.sessionFor("kurse@vwa-bw.example")
		exp := e.db.Now().Add(10 * 24 * time.Hour).Format(time.RFC3339)
		res, body := c.json("POST", "/api/v1/me/tokens", `{"name": "Lesen", "expires_at": "`+exp+`", "scopes": ["read"]}`)
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var tok tokenCreated
		json.Unmarshal([]byte(body), &tok)
		if tok.ExpiresAt.Format(time.RFC3339) != exp || len(tok.Scopes) != 1 || tok.Scopes[0] != domain.ScopeRead {
			t.Fatalf("token: %s", body)
		}
		res, body = c.json("POST", "/api/v1/me/tokens", `{"name": "Ewig", "expires_at": "2099-01-01T00:00:00Z"}`)
		if res.StatusCode != 422 || !strings.Contains(body, "höchstens ein Jahr") {
			t.Fatalf("a token for ever: %d %s", res.StatusCode, body)
		}
		api := e.client()
		api.bearer = tok.Token
		if res, _ := api.json("GET", "/api/v1/me", ""); res.StatusCode != 200 {
			t.Fatalf("live token: %d", res.StatusCode)
		}
		if res, body := api.json("POST", "/api/v1/me/tokens", `{"name":"Mehr"}`); res.StatusCode != 403 || !strings.Contains(body, "darf diese Aktion nicht") {
			t.Fatalf("read-only token makes a token: %d %s", res.StatusCode, body)
		}
		defer e.travel(11 * 24 * time.Hour)()
		res, body = api.json("GET", "/api/v1/me", "")
		if res.StatusCode != 401 || !strings.Contains(body, "Der API-Schlüssel ist abgelaufen") {
			t.Fatalf("expired token: %d %s", res.StatusCode, body)
		}
		// The account page lists expiry and scope and offers both.
		c = e.sessionFor("kurse@vwa-bw.example")
		res, page := c.get("/konto")
		if res.StatusCode != 200 {
			t.Fatalf("account page: %d %s", res.StatusCode, page)
		}
		if !strings.Contains(page, "Nur lesen") || !strings.Contains(page, "abgelaufen") || !strings.Contains(page, `name="lifetime"`) {
			t.Fatal("account page misses the token's scope or expiry")
		}
		res, page = c.postFormBody("/konto/tokens", url.Values{"name": {"Gutscheine"}, "lifetime": {"400"}, "scope": {"vouchers"}})
		if res.StatusCode != 422 || !strings.Contains(page, "höchstens einem Jahr") || !strings.Contains(page, `value="vouchers" checked`) {
			t.Fatalf("form with too long a lifetime: %d", res.StatusCode)
		}
		if res := c.postForm("/konto/tokens", url.Values{"name": {"Gutscheine"}, "lifetime": {"30"}, "scope": {"vouchers"}}); res.StatusCode != 200 {
			t.Fatalf("form: %d", res.StatusCode)
		}
		ts, err := e.db.Tokens(context.Background(), e.person("kurse@vwa-bw.example").ID)
		if err != nil || ts[0].Name != "Gutscheine" || ts[0].Scopes[0] != domain.ScopeVouchers {
			t.Fatalf("tokens: %+v, %v", ts, err)
		}
	})
}

// tokenScopeClass: the API routes that change something which a token
// limited to bookings or vouchers may call (if its person may).
var tokenScopeClass = map[string]domain.TokenScope{
	"POST /api/v1/sessions/{id}/bookings":        domain.ScopeBookings,
	"DELETE /api/v1/bookings/{id}":               domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/approve":         domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/decline":         domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/attendance":      domain.ScopeBookings,
	"POST /api/v1/sessions/{id}/attendance":      domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/rating":          domain.ScopeBookings,
	"POST /api/v1/vouchers/{code}/release":       domain.ScopeVouchers,
	"POST /api/v1/vouchers/{code}/forfeit":       domain.ScopeVouchers,
	"PUT /api/v1/vouchers/{code}/holder":         domain.ScopeVouchers,
	"POST /api/v1/funding-requests":              domain.ScopeVouchers,
	"POST /api/v1/funding-requests/{id}/accept":  domain.ScopeVouchers,
	"POST /api/v1/funding-requests/{id}/decline": domain.ScopeVouchers,
}

// TestTokenScopesMatrix calls every API route of the authorization matrix
// with tokens of one person limited to each scope and compares with a token
// of full access: a reading request passes wherever full access passes; a
// changing one only with the scope its route belongs to.
func TestTokenScopesMatrix(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		fh := e.orgByName("Stadt Futurehausen")
		ids, certID := matrixFixture(t, e, fh)
		holderCode := matrixHolderFixture(t, e, ids)
		ids["vwa"] = e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg").ID
		ids["event"] = matrixEventFixture(t, e)
		communityMatrixFixture(t, e, ids)
		routes := map[string]bool{}
		for _, p := range e.srv.patterns {
			routes[p] = true
		}
		for p := range tokenRouteScopes {
			if !routes[p] {
				t.Errorf("tokenRouteScopes names %q, which is no route", p)
			}
		}
		scopes := map[string][]domain.TokenScope{"full": nil, "read": {domain.ScopeRead}, "bookings": {domain.ScopeBookings},
			"vouchers": {domain.ScopeVouchers}}
		for _, email := range []string{"anna@futurehausen.example", "kurse@vwa-bw.example", "foerderung@im-bw.example"} {
			p := e.person(email)
			pctx := domain.WithActor(ctx, &domain.Actor{Person: p})
			clients := map[string]*client{}
			for name, s := range scopes {
				_, value, err := e.db.CreateScopedToken(pctx, p.ID, domain.NewToken{Name: name, Scopes: s})
				if err != nil {
					t.Fatal(err)
				}
				clients[name] = e.client()
				clients[name].bearer = value
			}
			for _, mc := range matrixCases {
				method, pattern, _ := strings.Cut(mc.pattern, " ")
				if !strings.HasPrefix(pattern, "/api/v1/") || mc.form != nil {
					continue
				}
				path := mc.path
				for k, v := range ids {
					path = strings.ReplaceAll(path, "{"+k+"}", itoa(v))
				}
				path = strings.ReplaceAll(path, "{cert}", certID)
				path = strings.ReplaceAll(path, "{voucher}", holderCode)
				call := func(c *client) bool {
					res, _ := c.json(method, path, mc.json)
					return !refused(res)
				}
				full := call(clients["full"])
				changes := method != http.MethodGet && method != http.MethodHead
				for _, name := range []string{"read", "bookings", "vouchers"} {
					if !changes && name != "read" {
						continue // reading is the same for every scope
					}
					want := full && (!changes || (name != "read" && tokenScopeClass[mc.pattern] == domain.TokenScope(name)))
					if got := call(clients[name]); got != want {
						t.Errorf("%s × %s token × %s %s: allowed=%v, want %v (full access: %v)", email, name, method, path, got, want, full)
					}
				}
			}
		}
	})
}
