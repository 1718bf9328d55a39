package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Who may call a route. The expectations are written out here, apart from
// the policy, so that a change to the policy shows up as a failing cell.
type audience int

const (
	everyone   audience = iota // also anonymous visitors
	loggedIn                   // any logged-in person
	fhMembers                  // members of Futurehausen, and admins
	fhManagers                 // Futurehausen's account_admin, and admins
	adminsOnly                 // platform admins
)

// roles of the matrix: every demo role, a member of another municipality
// with the same rights as Futurehausen's account_admin, and anonymous.
var matrixRoles = []struct {
	name  string
	email string // "" for anonymous
	in    map[audience]bool
}{
	{"anonymous", "", map[audience]bool{everyone: true}},
	{"signatory", "lilly@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true}},
	{"participant", "niklas@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true}},
	{"hr", "anna@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true}},
	{"account_admin", "thomas@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhManagers: true}},
	{"other_org_account_admin", "verwaltung@kleinbach.example", map[audience]bool{everyone: true, loggedIn: true}},
	{"reviewer", "pruefung@staedtetag-bw.example", map[audience]bool{everyone: true, loggedIn: true}},
	{"provider_staff", "kurse@vwa-bw.example", map[audience]bool{everyone: true, loggedIn: true}},
	{"funder", "foerderung@im-bw.example", map[audience]bool{everyone: true, loggedIn: true}},
	{"admin", "admin@lotse.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhManagers: true, adminsOnly: true}},
}

// matrixCase is one route with a request that an allowed caller can make
// without changing anything (invalid input or unknown IDs), so that the
// answer tells allowed (anything but 401/403/redirect to login) from refused.
type matrixCase struct {
	pattern string
	method  string
	path    string // {org} is replaced by Futurehausen's ID
	form    url.Values
	json    string
	who     audience
}

var matrixCases = []matrixCase{
	{pattern: "GET /healthz", path: "/healthz", who: everyone},
	{pattern: "GET /readyz", path: "/readyz", who: everyone},
	{pattern: "GET /metrics", path: "/metrics", who: everyone},
	{pattern: "GET /static/", path: "/static/app.css", who: everyone},

	{pattern: "GET /{$}", path: "/", who: everyone},
	{pattern: "GET /anmelden", path: "/anmelden", who: everyone},
	{pattern: "POST /anmelden", path: "/anmelden", form: url.Values{"email": {""}}, who: everyone},
	{pattern: "POST /abmelden", path: "/abmelden", form: url.Values{}, who: everyone},
	{pattern: "GET /passwort-vergessen", path: "/passwort-vergessen", who: everyone},
	{pattern: "POST /passwort-vergessen", path: "/passwort-vergessen", form: url.Values{"email": {"kein"}}, who: everyone},
	{pattern: "GET /passwort-zuruecksetzen", path: "/passwort-zuruecksetzen?token=x", who: everyone},
	{pattern: "POST /passwort-zuruecksetzen", path: "/passwort-zuruecksetzen", form: url.Values{"token": {"x"}}, who: everyone},
	{pattern: "GET /email-bestaetigen", path: "/email-bestaetigen?token=x", who: everyone},
	{pattern: "GET /einladung/{token}", path: "/einladung/unbekannt", who: everyone},
	{pattern: "POST /einladung/{token}", path: "/einladung/unbekannt", form: url.Values{}, who: everyone},
	{pattern: "GET /konto", path: "/konto", who: loggedIn},
	{pattern: "POST /konto/bestaetigung", path: "/konto/bestaetigung", form: url.Values{}, who: loggedIn},
	{pattern: "POST /konto/tokens", path: "/konto/tokens", form: url.Values{"name": {""}}, who: loggedIn},
	{pattern: "POST /konto/tokens/{id}/widerrufen", path: "/konto/tokens/999999/widerrufen", form: url.Values{}, who: loggedIn},
	{pattern: "GET /organisationen/{id}", path: "/organisationen/{org}", who: fhMembers},
	{pattern: "POST /organisationen/{id}/einladungen", path: "/organisationen/{org}/einladungen", form: url.Values{"email": {""}}, who: fhManagers},
	{pattern: "POST /organisationen/{id}/einladungen/{inv}/zurueckziehen", path: "/organisationen/{org}/einladungen/999999/zurueckziehen", form: url.Values{}, who: fhManagers},
	{pattern: "POST /organisationen/{id}/mitglieder/{person}/rollen", path: "/organisationen/{org}/mitglieder/999999/rollen", form: url.Values{}, who: fhManagers},
	{pattern: "POST /organisationen/{id}/mitglieder/{person}/entfernen", path: "/organisationen/{org}/mitglieder/999999/entfernen", form: url.Values{}, who: fhManagers},
	{pattern: "GET /kommunen", path: "/kommunen?q=futur", who: everyone},
	{pattern: "GET /kommunen/{ags}", path: "/kommunen/08999001", who: everyone},
	{pattern: "GET /admin", path: "/admin", who: adminsOnly},
	{pattern: "POST /admin/organisationen", path: "/admin/organisationen", form: url.Values{"name": {""}}, who: adminsOnly},
	{pattern: "GET /admin/postausgang", path: "/admin/postausgang", who: adminsOnly},
	{pattern: "GET /admin/protokoll", path: "/admin/protokoll", who: adminsOnly},
	{pattern: "/", path: "/gibt-es-nicht", who: everyone},

	{pattern: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", who: everyone},
	{pattern: "GET /api/v1/me", path: "/api/v1/me", who: loggedIn},
	{pattern: "GET /api/v1/me/tokens", path: "/api/v1/me/tokens", who: loggedIn},
	{pattern: "POST /api/v1/me/tokens", path: "/api/v1/me/tokens", json: `{"name": ""}`, who: loggedIn},
	{pattern: "DELETE /api/v1/me/tokens/{id}", path: "/api/v1/me/tokens/999999", who: loggedIn},
	{pattern: "POST /api/v1/me/verification", path: "/api/v1/me/verification", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/auth/login", path: "/api/v1/auth/login", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/logout", path: "/api/v1/auth/logout", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/password-reset", path: "/api/v1/auth/password-reset", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/password-reset/confirm", path: "/api/v1/auth/password-reset/confirm", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/verify-email", path: "/api/v1/auth/verify-email", json: `{}`, who: everyone},
	{pattern: "GET /api/v1/municipalities", path: "/api/v1/municipalities?q=futur", who: everyone},
	{pattern: "GET /api/v1/municipalities/{ags}", path: "/api/v1/municipalities/08999001", who: everyone},
	{pattern: "GET /api/v1/organisations", path: "/api/v1/organisations", who: loggedIn},
	{pattern: "POST /api/v1/organisations", path: "/api/v1/organisations", json: `{}`, who: adminsOnly},
	{pattern: "GET /api/v1/organisations/{id}", path: "/api/v1/organisations/{org}", who: fhMembers},
	{pattern: "GET /api/v1/organisations/{id}/members", path: "/api/v1/organisations/{org}/members", who: fhMembers},
	{pattern: "PUT /api/v1/organisations/{id}/members/{person}", path: "/api/v1/organisations/{org}/members/999999", json: `{"roles": []}`, who: fhManagers},
	{pattern: "DELETE /api/v1/organisations/{id}/members/{person}", path: "/api/v1/organisations/{org}/members/999999", who: fhManagers},
	{pattern: "GET /api/v1/organisations/{id}/invitations", path: "/api/v1/organisations/{org}/invitations", who: fhManagers},
	{pattern: "POST /api/v1/organisations/{id}/invitations", path: "/api/v1/organisations/{org}/invitations", json: `{}`, who: fhManagers},
	{pattern: "DELETE /api/v1/organisations/{id}/invitations/{inv}", path: "/api/v1/organisations/{org}/invitations/999999", who: fhManagers},
	{pattern: "GET /api/v1/organisations/{id}/audit", path: "/api/v1/organisations/{org}/audit", who: fhManagers},
	{pattern: "POST /api/v1/invitations/{token}/accept", path: "/api/v1/invitations/unbekannt/accept", json: `{}`, who: everyone},
	{pattern: "GET /api/v1/audit", path: "/api/v1/audit", who: adminsOnly},
	{pattern: "GET /api/v1/outbox", path: "/api/v1/outbox", who: adminsOnly},
	{pattern: "/api/", path: "/api/v1/gibt-es-nicht", who: everyone},
}

func TestAuthorizationMatrixCoversEveryRoute(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	covered := map[string]bool{}
	for _, c := range matrixCases {
		covered[c.pattern] = true
	}
	for _, p := range e.srv.patterns {
		if !covered[p] {
			t.Errorf("route %q has no row in the authorization matrix", p)
		}
	}
	if len(covered) != len(e.srv.patterns) {
		t.Errorf("matrix has %d routes, server %d: a row names a route that does not exist", len(covered), len(e.srv.patterns))
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		// A member of another municipality who administers it.
		kb := e.orgByName("Gemeinde Kleinbach")
		other := &domain.Person{Email: "verwaltung@kleinbach.example", Name: "Klara Kleinbach"}
		if err := e.db.CreatePerson(ctx, other, testPassword); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoles(ctx, kb.ID, other.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
			t.Fatal(err)
		}
		fh := e.orgByName("Stadt Futurehausen")
		for _, role := range matrixRoles {
			for _, mc := range matrixCases {
				c := e.client()
				if role.email != "" {
					c = e.sessionFor(role.email)
				}
				method := strings.Fields(mc.pattern)[0]
				if mc.pattern == "/" || mc.pattern == "/api/" {
					method = "GET"
				}
				path := strings.ReplaceAll(mc.path, "{org}", itoa(fh.ID))
				var res *http.Response
				switch {
				case mc.form != nil:
					res = c.postForm(path, cloneValues(mc.form))
				case mc.json != "":
					res, _ = c.json(method, path, mc.json)
				default:
					res, _ = c.json(method, path, "")
				}
				want := role.in[mc.who]
				got := !refused(res)
				if got != want {
					t.Errorf("%s × %s %s: allowed=%v, want %v (status %d, location %q)", role.name, method, path, got, want,
						res.StatusCode, res.Header.Get("Location"))
				}
			}
		}
	})
}

// refused reports whether the answer denies access: 401, 403, or a redirect
// to the login page.
func refused(res *http.Response) bool {
	if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden {
		return true
	}
	return res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/anmelden")
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
