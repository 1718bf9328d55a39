package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// Who may call a route. The expectations are written out here, apart from
// the policy, so that a change to the policy shows up as a failing cell.
type audience int

const (
	everyone           audience = iota // also anonymous visitors
	loggedIn                           // any logged-in person
	fhMembers                          // members of Futurehausen, and admins
	fhManagers                         // Futurehausen's account_admin, and admins
	adminsOnly                         // platform admins
	fhPreparers                        // Futurehausen's signatory and HR
	fhSignatory                        // Futurehausen's signatory
	fhViewers                          // signatory, HR, account_admin of Futurehausen, and admins
	fhMembersOnly                      // members of Futurehausen, not admins
	staedtetagReviewer                 // the reviewer of the Städtetag
	providerStaff                      // staff of a training provider
	funders                            // the ministry's funder role, and admins
	offerOwners                        // staff of the offer's provider, and admins
	bookingViewers                     // the participant, HR of the employer, the provider's staff, admins
	fhHR                               // Futurehausen's HR
	participantOnly                    // the booking's participant
	certViewers                        // the certificate's participant, the provider's staff, admins
	voucherDeciders                    // staff of a training provider, the ministry's funder
	providerStaffOnly                  // staff of a training provider, not admins (settlement)
	funderOnly                         // the ministry's funder role, not admins (settlement)
	// mfa: routes for what the matrix's requests do not carry (a login
	// pending its second factor, the passkey script's CSRF header);
	// mfa_test.go covers them.
	mfaPendingOnly
)

// roles of the matrix: every demo role, a member of another municipality
// with the same rights as Futurehausen's account_admin, and anonymous.
var matrixRoles = []struct {
	name  string
	email string // "" for anonymous
	in    map[audience]bool
}{
	{"anonymous", "", map[audience]bool{everyone: true}},
	{"signatory", "lilly@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true,
		fhPreparers: true, fhSignatory: true, fhViewers: true, fhMembersOnly: true}},
	{"participant", "niklas@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhMembersOnly: true, bookingViewers: true,
		participantOnly: true, certViewers: true}},
	{"hr", "anna@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhPreparers: true,
		fhViewers: true, fhMembersOnly: true, bookingViewers: true, fhHR: true}},
	{"account_admin", "thomas@futurehausen.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhManagers: true,
		fhViewers: true, fhMembersOnly: true}},
	{"other_org_account_admin", "verwaltung@kleinbach.example", map[audience]bool{everyone: true, loggedIn: true}},
	{"reviewer", "pruefung@staedtetag-bw.example", map[audience]bool{everyone: true, loggedIn: true, staedtetagReviewer: true}},
	{"provider_staff", "kurse@vwa-bw.example", map[audience]bool{everyone: true, loggedIn: true, providerStaff: true, offerOwners: true, bookingViewers: true,
		certViewers: true, voucherDeciders: true, providerStaffOnly: true}},
	{"funder", "foerderung@im-bw.example", map[audience]bool{everyone: true, loggedIn: true, funders: true, voucherDeciders: true, funderOnly: true}},
	{"admin", "admin@lotse.example", map[audience]bool{everyone: true, loggedIn: true, fhMembers: true, fhManagers: true, adminsOnly: true,
		fhViewers: true, funders: true, offerOwners: true, bookingViewers: true, certViewers: true}},
}

// matrixCase is one route with a request that an allowed caller can make
// without changing anything (invalid input or unknown IDs), so that the
// answer tells allowed (anything but 401/403/redirect to login) from refused.
type matrixCase struct {
	pattern string
	method  string
	// path: {org} is Futurehausen's ID; {draft}, {sub} and {appr} are its
	// applications in draft, submitted and approved state; {doc} one of its
	// documents; {msg} and {att} a message in its mailbox and its attachment.
	path string
	form url.Values
	json string
	who  audience
	// hidden: those who may not even see the object get 404, not 403.
	hidden bool
}

var matrixCases = []matrixCase{
	{pattern: "GET /healthz", path: "/healthz", who: everyone},
	{pattern: "GET /readyz", path: "/readyz", who: everyone},
	{pattern: "GET /metrics", path: "/metrics", who: everyone},
	{pattern: "GET /static/", path: "/static/app.css", who: everyone},
	{pattern: "GET /.well-known/jwks.json", path: "/.well-known/jwks.json", who: everyone},

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
	{pattern: "GET /organisationen/{id}/mitglieder/{person}", path: "/organisationen/{org}/mitglieder/999999", who: fhManagers},
	{pattern: "POST /organisationen/{id}/mitglieder/{person}/rollen", path: "/organisationen/{org}/mitglieder/999999/rollen", form: url.Values{}, who: fhManagers},
	{pattern: "POST /organisationen/{id}/mitglieder/{person}/entfernen", path: "/organisationen/{org}/mitglieder/999999/entfernen", form: url.Values{}, who: fhManagers},
	{pattern: "GET /kommunen", path: "/kommunen?q=futur", who: everyone},
	{pattern: "GET /kommunen/{ags}", path: "/kommunen/08999001", who: everyone},
	{pattern: "GET /programme/{id}", path: "/programme/digitallotsen-bw", who: everyone},
	{pattern: "POST /programme/{id}", path: "/programme/digitallotsen-bw", form: url.Values{"voucher_validity_days": {"x"}}, who: funders},
	{pattern: "GET /antraege", path: "/antraege", who: loggedIn},
	{pattern: "GET /antraege/neu", path: "/antraege/neu?organisation={org}", who: fhPreparers},
	{pattern: "POST /antraege/neu", path: "/antraege/neu?organisation={org}", form: url.Values{"provider": {"999999"}}, who: fhPreparers},
	{pattern: "GET /antraege/{id}", path: "/antraege/{draft}", who: fhViewers, hidden: true},
	{pattern: "GET /antraege/{id}/bearbeiten", path: "/antraege/{draft}/bearbeiten?schritt=2", who: fhPreparers, hidden: true},
	{pattern: "POST /antraege/{id}/bearbeiten", path: "/antraege/{draft}/bearbeiten?schritt=2", form: url.Values{"people": {"x"}}, who: fhPreparers, hidden: true},
	{pattern: "POST /antraege/{id}/{action}", path: "/antraege/{sub}/ablehnen", form: url.Values{"reason": {""}}, who: staedtetagReviewer, hidden: true},
	{pattern: "GET /antraege/{id}/vertragsentwurf", path: "/antraege/{sub}/vertragsentwurf", who: staedtetagReviewer, hidden: true},
	{pattern: "GET /dokumente/{id}", path: "/dokumente/{doc}", who: fhMembers, hidden: true},
	{pattern: "GET /postfach", path: "/postfach", who: loggedIn},
	{pattern: "GET /postfach/{id}", path: "/postfach/{msg}", who: fhMembersOnly, hidden: true},
	{pattern: "POST /postfach/{id}/archiv", path: "/postfach/{msg}/archiv", form: url.Values{"archiv": {"0"}}, who: fhMembersOnly, hidden: true},
	{pattern: "GET /postfach/{id}/anhang/{doc}", path: "/postfach/{msg}/anhang/{att}", who: fhMembersOnly, hidden: true},
	{pattern: "GET /gutscheine", path: "/gutscheine?code=08999001-K7QM-4XD2-P9H1", who: providerStaff},
	{pattern: "POST /gutscheine/{code}/entscheidung", path: "/gutscheine/08999001-K7QM-4XD2-P9H1/entscheidung", form: url.Values{"decision": {"freigeben"}},
		who: voucherDeciders},
	{pattern: "GET /angebote", path: "/angebote?q=Verwaltung&format=in_person", who: everyone},
	{pattern: "GET /angebote/{id}", path: "/angebote/{offer}", who: offerOwners, hidden: true},
	{pattern: "GET /angebote/{id}/bearbeiten", path: "/angebote/{offer}/bearbeiten", who: providerStaff, hidden: true},
	{pattern: "POST /angebote/{id}/bearbeiten", path: "/angebote/{offer}/bearbeiten", form: url.Values{"title": {""}}, who: providerStaff, hidden: true},
	{pattern: "POST /angebote/{id}/termine", path: "/angebote/{offer}/termine", form: url.Values{"starts_at": {"gestern"}}, who: providerStaff, hidden: true},
	{pattern: "POST /termine/{id}/buchen", path: "/termine/{session}/buchen", form: url.Values{"payment": {"bar"}}, who: loggedIn},
	{pattern: "GET /buchungen", path: "/buchungen", who: loggedIn},
	{pattern: "POST /buchungen/kalender", path: "/buchungen/kalender", form: url.Values{}, who: loggedIn},
	{pattern: "GET /buchungen/{id}/kalender.ics", path: "/buchungen/{booking}/kalender.ics", who: bookingViewers, hidden: true},
	{pattern: "POST /buchungen/{id}/stornieren", path: "/buchungen/{booking2}/stornieren", form: url.Values{}, who: bookingViewers, hidden: true},
	{pattern: "GET /kalender/{token}", path: "/kalender/unbekannt.ics", who: everyone},
	{pattern: "GET /anbieter/termine/{id}", path: "/anbieter/termine/{session}", who: providerStaff},
	{pattern: "GET /anbieter/termine/{id}/anwesenheit.csv", path: "/anbieter/termine/{session}/anwesenheit.csv", who: providerStaff},
	{pattern: "POST /buchungen/{id}/bewertung", path: "/buchungen/{booking}/bewertung", form: url.Values{"stars": {"9"}}, who: participantOnly, hidden: true},
	{pattern: "POST /anbieter/termine/{id}/anwesenheit", path: "/anbieter/termine/{session}/anwesenheit", form: url.Values{}, who: providerStaff},
	{pattern: "POST /buchungen/{id}/anwesenheit", path: "/buchungen/{booking}/anwesenheit", form: url.Values{"status": {"vielleicht"}}, who: providerStaff, hidden: true},
	{pattern: "GET /verify/{id}", path: "/verify/{cert}", who: everyone},
	{pattern: "GET /zertifikate/{id}/pdf", path: "/zertifikate/{cert}/pdf", who: certViewers, hidden: true},
	{pattern: "GET /vergleich", path: "/vergleich", who: everyone},
	{pattern: "POST /vergleich", path: "/vergleich", form: url.Values{"aktion": {"leeren"}}, who: everyone},
	{pattern: "GET /anbieter", path: "/anbieter", who: providerStaff},
	{pattern: "GET /anbieter/angebote/neu", path: "/anbieter/angebote/neu", who: providerStaff},
	{pattern: "POST /anbieter/angebote/neu", path: "/anbieter/angebote/neu", form: url.Values{"title": {""}}, who: providerStaff},
	{pattern: "GET /anbieter/import", path: "/anbieter/import", who: providerStaff},
	{pattern: "POST /anbieter/import", path: "/anbieter/import", form: url.Values{}, who: providerStaff},
	{pattern: "GET /admin/angebote", path: "/admin/angebote", who: adminsOnly},
	{pattern: "POST /admin/angebote/{id}/pruefen", path: "/admin/angebote/{offer}/pruefen", form: url.Values{"entscheidung": {"zurueckgeben"}}, who: adminsOnly},
	{pattern: "GET /admin", path: "/admin", who: adminsOnly},
	{pattern: "POST /admin/organisationen", path: "/admin/organisationen", form: url.Values{"name": {""}}, who: adminsOnly},
	{pattern: "GET /admin/gemeindeverzeichnis", path: "/admin/gemeindeverzeichnis", who: adminsOnly},
	{pattern: "POST /admin/gemeindeverzeichnis", path: "/admin/gemeindeverzeichnis", form: url.Values{}, who: adminsOnly},
	{pattern: "GET /admin/postausgang", path: "/admin/postausgang", who: adminsOnly},
	{pattern: "GET /admin/protokoll", path: "/admin/protokoll", who: adminsOnly},
	// voucher holders
	{pattern: "GET /meine-gutscheine", path: "/meine-gutscheine", who: loggedIn},
	{pattern: "GET /organisationen/{id}/gutscheine", path: "/organisationen/{org}/gutscheine", who: fhPreparers},
	{pattern: "POST /organisationen/{id}/gutscheine/{code}/inhaber", path: "/organisationen/{org}/gutscheine/{voucher}/inhaber", form: url.Values{"email": {"kein"}},
		who: fhPreparers, hidden: true},
	{pattern: "GET /foerderung-anfragen", path: "/foerderung-anfragen", who: loggedIn},
	{pattern: "POST /foerderung-anfragen", path: "/foerderung-anfragen", form: url.Values{"reason": {""}}, who: loggedIn},
	{pattern: "GET /foerderanfragen", path: "/foerderanfragen", who: fhPreparers},
	{pattern: "POST /foerderanfragen/{id}/{action}", path: "/foerderanfragen/{request}/ablehnen", form: url.Values{"reason": {""}}, who: fhPreparers, hidden: true},
	{pattern: "/", path: "/gibt-es-nicht", who: everyone},

	{pattern: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", who: everyone},
	{pattern: "GET /api/v1/me", path: "/api/v1/me", who: loggedIn},
	// Desk and certificates of the logged-in person.
	{pattern: "GET /api/v1/me/desk", path: "/api/v1/me/desk", who: loggedIn},
	{pattern: "GET /api/v1/me/certificates", path: "/api/v1/me/certificates", who: loggedIn},
	{pattern: "GET /api/v1/me/tokens", path: "/api/v1/me/tokens", who: loggedIn},
	{pattern: "POST /api/v1/me/tokens", path: "/api/v1/me/tokens", json: `{"name": ""}`, who: loggedIn},
	{pattern: "DELETE /api/v1/me/tokens/{id}", path: "/api/v1/me/tokens/999999", who: loggedIn},
	{pattern: "POST /api/v1/me/verification", path: "/api/v1/me/verification", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/auth/login-params", path: "/api/v1/auth/login-params", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/login", path: "/api/v1/auth/login", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/logout", path: "/api/v1/auth/logout", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/password-reset", path: "/api/v1/auth/password-reset", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/password-reset/confirm", path: "/api/v1/auth/password-reset/confirm", json: `{}`, who: everyone},
	{pattern: "POST /api/v1/auth/verify-email", path: "/api/v1/auth/verify-email", json: `{}`, who: everyone},
	{pattern: "GET /api/v1/municipalities", path: "/api/v1/municipalities?q=futur", who: everyone},
	{pattern: "GET /api/v1/municipalities/{ags}", path: "/api/v1/municipalities/08999001", who: everyone},
	{pattern: "POST /api/v1/municipalities/import", path: "/api/v1/municipalities/import", json: `kaputt`, who: adminsOnly},
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
	{pattern: "GET /api/v1/programmes", path: "/api/v1/programmes", who: everyone},
	{pattern: "GET /api/v1/programmes/{id}", path: "/api/v1/programmes/digitallotsen-bw", who: everyone},
	{pattern: "PUT /api/v1/programmes/{id}", path: "/api/v1/programmes/digitallotsen-bw", json: `{}`, who: funders},
	{pattern: "GET /api/v1/municipalities/{ags}/contingent", path: "/api/v1/municipalities/08999001/contingent?programme=digitallotsen-bw", who: everyone},
	{pattern: "GET /api/v1/applications", path: "/api/v1/applications", who: loggedIn},
	{pattern: "POST /api/v1/applications", path: "/api/v1/applications", json: `{"ags": "08999001"}`, who: fhPreparers},
	{pattern: "GET /api/v1/applications/{id}", path: "/api/v1/applications/{draft}", who: fhViewers, hidden: true},
	{pattern: "PATCH /api/v1/applications/{id}", path: "/api/v1/applications/{draft}", json: `{"people": -5}`, who: fhPreparers, hidden: true},
	{pattern: "POST /api/v1/applications/{id}/submit", path: "/api/v1/applications/{draft}/submit", json: `{}`, who: fhSignatory, hidden: true},
	{pattern: "POST /api/v1/applications/{id}/withdraw", path: "/api/v1/applications/{appr}/withdraw", json: `{}`, who: fhSignatory, hidden: true},
	{pattern: "POST /api/v1/applications/{id}/approve", path: "/api/v1/applications/{appr}/approve", json: `{}`, who: staedtetagReviewer, hidden: true},
	{pattern: "POST /api/v1/applications/{id}/reject", path: "/api/v1/applications/{sub}/reject", json: `{"reason": ""}`, who: staedtetagReviewer, hidden: true},
	{pattern: "POST /api/v1/applications/{id}/return", path: "/api/v1/applications/{sub}/return", json: `{"comment": ""}`, who: staedtetagReviewer, hidden: true},
	{pattern: "POST /api/v1/organisations/{id}/documents", path: "/api/v1/organisations/{org}/documents", json: `{}`, who: fhPreparers},
	{pattern: "GET /api/v1/documents/{id}", path: "/api/v1/documents/{doc}", who: fhMembers, hidden: true},
	{pattern: "GET /api/v1/mailbox", path: "/api/v1/mailbox", who: loggedIn},
	{pattern: "GET /api/v1/mailbox/{id}", path: "/api/v1/mailbox/{msg}", who: fhMembersOnly, hidden: true},
	{pattern: "POST /api/v1/mailbox/{id}/archive", path: "/api/v1/mailbox/{msg}/archive", json: `{}`, who: fhMembersOnly, hidden: true},
	{pattern: "POST /api/v1/mailbox/{id}/unarchive", path: "/api/v1/mailbox/{msg}/unarchive", json: `{}`, who: fhMembersOnly, hidden: true},
	{pattern: "GET /api/v1/mailbox/{id}/attachments/{doc}", path: "/api/v1/mailbox/{msg}/attachments/{att}", who: fhMembersOnly, hidden: true},
	{pattern: "GET /api/v1/vouchers/{code}", path: "/api/v1/vouchers/08999001-K7QM-4XD2-P9H1", who: providerStaff},
	{pattern: "POST /api/v1/vouchers/{code}/release", path: "/api/v1/vouchers/08999001-K7QM-4XD2-P9H1/release", json: `{"reason": "Test"}`, who: voucherDeciders},
	{pattern: "POST /api/v1/vouchers/{code}/forfeit", path: "/api/v1/vouchers/08999001-K7QM-4XD2-P9H1/forfeit", json: `{"reason": "Test"}`, who: voucherDeciders},
	{pattern: "GET /api/v1/offers", path: "/api/v1/offers?q=Projektmanagment&competence=PM", who: everyone},
	{pattern: "POST /api/v1/offers", path: "/api/v1/offers", json: `{}`, who: providerStaff},
	{pattern: "GET /api/v1/offers/{id}", path: "/api/v1/offers/{offer}", who: offerOwners, hidden: true},
	{pattern: "PATCH /api/v1/offers/{id}", path: "/api/v1/offers/{offer}", json: `{"title": ""}`, who: providerStaff, hidden: true},
	{pattern: "POST /api/v1/offers/{id}/sessions", path: "/api/v1/offers/{offer}/sessions", json: `{}`, who: providerStaff, hidden: true},
	{pattern: "POST /api/v1/offers/{id}/publish", path: "/api/v1/offers/{offer}/publish", json: `{"checklist": []}`, who: adminsOnly},
	{pattern: "POST /api/v1/offers/{id}/return", path: "/api/v1/offers/{offer}/return", json: `{"comment": ""}`, who: adminsOnly},
	{pattern: "POST /api/v1/sessions/{id}/bookings", path: "/api/v1/sessions/{session}/bookings", json: `{"payment": "bar"}`, who: loggedIn},
	{pattern: "GET /api/v1/sessions/{id}/bookings", path: "/api/v1/sessions/{session}/bookings", who: providerStaff},
	{pattern: "GET /api/v1/bookings", path: "/api/v1/bookings", who: loggedIn},
	{pattern: "GET /api/v1/bookings/{id}", path: "/api/v1/bookings/{booking}", who: bookingViewers, hidden: true},
	{pattern: "DELETE /api/v1/bookings/{id}", path: "/api/v1/bookings/{booking2}", who: bookingViewers, hidden: true},
	{pattern: "POST /api/v1/bookings/{id}/approve", path: "/api/v1/bookings/{booking}/approve", json: `{}`, who: fhHR, hidden: true},
	{pattern: "POST /api/v1/sessions/{id}/attendance", path: "/api/v1/sessions/{session}/attendance", json: `x;1;vielleicht`, who: providerStaff},
	{pattern: "POST /api/v1/bookings/{id}/attendance", path: "/api/v1/bookings/{booking}/attendance", json: `{"status": "vielleicht"}`, who: providerStaff, hidden: true},
	{pattern: "POST /api/v1/bookings/{id}/rating", path: "/api/v1/bookings/{booking}/rating", json: `{"stars": 9}`, who: participantOnly, hidden: true},
	{pattern: "GET /api/v1/certificates/{id}", path: "/api/v1/certificates/{cert}", who: everyone},
	{pattern: "GET /api/v1/certificates/{id}/credential", path: "/api/v1/certificates/{cert}/credential", who: everyone},
	{pattern: "POST /api/v1/certificates/{id}/revoke", path: "/api/v1/certificates/{cert}/revoke", json: `{"reason": ""}`, who: offerOwners},
	{pattern: "GET /api/v1/competences", path: "/api/v1/competences", who: everyone},
	{pattern: "POST /api/v1/competences/import", path: "/api/v1/competences/import", json: `kaputt`, who: adminsOnly},
	{pattern: "GET /api/v1/moochub/courses", path: "/api/v1/moochub/courses", who: everyone},
	{pattern: "POST /api/v1/moochub/import", path: "/api/v1/moochub/import", json: `{`, who: providerStaff},
	{pattern: "GET /api/v1/audit", path: "/api/v1/audit", who: adminsOnly},
	{pattern: "GET /api/v1/outbox", path: "/api/v1/outbox", who: adminsOnly},
	// voucher holders
	{pattern: "PUT /api/v1/vouchers/{code}/holder", path: "/api/v1/vouchers/{voucher}/holder", json: `{"email": "kein"}`, who: fhPreparers, hidden: true},
	{pattern: "GET /api/v1/me/vouchers", path: "/api/v1/me/vouchers", who: loggedIn},
	{pattern: "GET /api/v1/organisations/{id}/vouchers", path: "/api/v1/organisations/{org}/vouchers", who: fhPreparers},
	{pattern: "POST /api/v1/funding-requests", path: "/api/v1/funding-requests", json: `{"reason": ""}`, who: loggedIn},
	{pattern: "GET /api/v1/funding-requests", path: "/api/v1/funding-requests", who: loggedIn},
	{pattern: "POST /api/v1/funding-requests/{id}/accept", path: "/api/v1/funding-requests/{request}/accept", json: `{"voucher": "kaputt"}`, who: fhPreparers, hidden: true},
	{pattern: "POST /api/v1/funding-requests/{id}/decline", path: "/api/v1/funding-requests/{request}/decline", json: `{"reason": ""}`, who: fhPreparers, hidden: true},
	{pattern: "/api/", path: "/api/v1/gibt-es-nicht", who: everyone},

	// Own account and legal pages.
	{pattern: "POST /konto/name", path: "/konto/name", form: url.Values{"person_name": {""}}, who: loggedIn},
	{pattern: "POST /konto/passwort", path: "/konto/passwort", form: url.Values{"current": {""}}, who: loggedIn},
	{pattern: "POST /konto/email", path: "/konto/email", form: url.Values{"email": {""}}, who: loggedIn},
	{pattern: "GET /email-aendern", path: "/email-aendern?token=unbekannt", who: everyone},
	{pattern: "POST /email-aendern", path: "/email-aendern", form: url.Values{"token": {"unbekannt"}}, who: everyone},
	{pattern: "GET /impressum", path: "/impressum", who: everyone},
	{pattern: "GET /datenschutz", path: "/datenschutz", who: everyone},
	{pattern: "GET /barrierefreiheit", path: "/barrierefreiheit", who: everyone},
	{pattern: "POST /barrierefreiheit", path: "/barrierefreiheit", form: url.Values{"message": {""}}, who: everyone},
	{pattern: "GET /leichte-sprache", path: "/leichte-sprache", who: everyone},
	{pattern: "GET /admin/barrieremeldungen", path: "/admin/barrieremeldungen", who: adminsOnly},
	{pattern: "GET /organisationen/{id}/protokoll", path: "/organisationen/{org}/protokoll", who: fhManagers},
	{pattern: "PATCH /api/v1/me", path: "/api/v1/me", json: `{"name": ""}`, who: loggedIn},
	{pattern: "POST /api/v1/me/password", path: "/api/v1/me/password", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/me/email", path: "/api/v1/me/email", json: `{"email": ""}`, who: loggedIn},
	{pattern: "POST /api/v1/auth/confirm-email", path: "/api/v1/auth/confirm-email", json: `{}`, who: everyone},
	// HR's desk.
	{pattern: "GET /freigaben", path: "/freigaben", who: fhHR},
	{pattern: "GET /freigaben/{id}/genehmigen", path: "/freigaben/{booking}/genehmigen", who: fhHR, hidden: true},
	{pattern: "POST /freigaben/{id}/genehmigen", path: "/freigaben/{booking}/genehmigen", form: url.Values{"note": {""}}, who: fhHR, hidden: true},
	{pattern: "POST /freigaben/{id}/ablehnen", path: "/freigaben/{booking2}/ablehnen", form: url.Values{"reason": {""}}, who: fhHR, hidden: true},
	{pattern: "GET /organisationen/{id}/team", path: "/organisationen/{org}/team?status=confirmed", who: fhViewers, hidden: true},
	{pattern: "GET /organisationen/{id}/team.csv", path: "/organisationen/{org}/team.csv", who: fhViewers, hidden: true},
	{pattern: "POST /api/v1/bookings/{id}/decline", path: "/api/v1/bookings/{booking2}/decline", json: `{"reason": ""}`, who: fhHR, hidden: true},
	{pattern: "GET /api/v1/organisations/{id}/team", path: "/api/v1/organisations/{org}/team", who: fhViewers, hidden: true},
	// reports: the programme report (reportReaders: funders, admins, association members).
	{pattern: "GET /programme/{id}/auswertung", path: "/programme/digitallotsen-bw/auswertung", who: reportReaders},
	{pattern: "GET /api/v1/programmes/{id}/report", path: "/api/v1/programmes/digitallotsen-bw/report", who: reportReaders},
	{pattern: "GET /api/v1/programmes/{id}/report.csv", path: "/api/v1/programmes/digitallotsen-bw/report.csv?table=budget", who: reportReaders},
	{pattern: "GET /api/v1/programmes/{id}/report.xlsx", path: "/api/v1/programmes/digitallotsen-bw/report.xlsx", who: reportReaders},
	// Settlement: budget, claims, billing data. Unknown claims answer 404
	// to every logged-in caller (a claim's existence is not told).
	{pattern: "POST /api/v1/claims", path: "/api/v1/claims", json: `{"programme": "unbekannt"}`, who: providerStaffOnly},
	{pattern: "GET /api/v1/claims", path: "/api/v1/claims", who: loggedIn},
	{pattern: "GET /api/v1/claims/{id}", path: "/api/v1/claims/999999", who: loggedIn},
	{pattern: "PUT /api/v1/claims/{id}/vouchers", path: "/api/v1/claims/999999/vouchers", json: `{"vouchers": ["08-ABCD"]}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/submit", path: "/api/v1/claims/999999/submit", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/withdraw", path: "/api/v1/claims/999999/withdraw", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/check", path: "/api/v1/claims/999999/check", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/approve", path: "/api/v1/claims/999999/approve", json: `{}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/return", path: "/api/v1/claims/999999/return", json: `{"comment": "x"}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/notes", path: "/api/v1/claims/999999/notes", json: `{"note": "x"}`, who: loggedIn},
	{pattern: "POST /api/v1/claims/{id}/credit-note", path: "/api/v1/claims/999999/credit-note", json: `{"vouchers": [], "reason": ""}`, who: loggedIn},
	{pattern: "GET /api/v1/claims/{id}/xrechnung", path: "/api/v1/claims/999999/xrechnung", who: loggedIn},
	{pattern: "GET /api/v1/claims/{id}/export.csv", path: "/api/v1/claims/999999/export.csv", who: loggedIn},
	{pattern: "GET /api/v1/claims/{id}/export.xlsx", path: "/api/v1/claims/999999/export.xlsx", who: loggedIn},
	{pattern: "GET /api/v1/claims/{id}/export.pdf", path: "/api/v1/claims/999999/export.pdf", who: loggedIn},
	{pattern: "GET /api/v1/claimable-vouchers", path: "/api/v1/claimable-vouchers?programme=digitallotsen-bw", who: providerStaffOnly},
	{pattern: "GET /api/v1/providers/{id}/billing", path: "/api/v1/providers/{vwa}/billing", who: providerStaffOnly},
	{pattern: "PUT /api/v1/providers/{id}/billing", path: "/api/v1/providers/{vwa}/billing", json: `{"iban": "kaputt"}`, who: providerStaffOnly},
	{pattern: "GET /api/v1/programmes/{id}/budget", path: "/api/v1/programmes/digitallotsen-bw/budget", who: funders},
	{pattern: "PUT /api/v1/programmes/{id}/budget", path: "/api/v1/programmes/digitallotsen-bw/budget", json: `{"year": 1}`, who: funderOnly},
	{pattern: "GET /api/v1/programmes/{id}/ledger", path: "/api/v1/programmes/digitallotsen-bw/ledger", who: funders},
	// Settlement pages.
	{pattern: "GET /abrechnungen", path: "/abrechnungen?status=submitted", who: loggedIn},
	{pattern: "GET /abrechnungen/neu", path: "/abrechnungen/neu", who: providerStaffOnly},
	{pattern: "POST /abrechnungen/neu", path: "/abrechnungen/neu", form: url.Values{"programm": {"digitallotsen-bw"}}, who: providerStaffOnly},
	{pattern: "GET /abrechnungen/{id}", path: "/abrechnungen/999999", who: loggedIn},
	{pattern: "POST /abrechnungen/{id}/{action}", path: "/abrechnungen/999999/pruefen", form: url.Values{"comment": {""}}, who: loggedIn},
	{pattern: "GET /abrechnungen/{id}/gutscheine", path: "/abrechnungen/999999/gutscheine", who: loggedIn},
	{pattern: "POST /abrechnungen/{id}/gutscheine", path: "/abrechnungen/999999/gutscheine", form: url.Values{"vouchers": {"x"}}, who: loggedIn},
	{pattern: "GET /rechnungsdaten", path: "/rechnungsdaten", who: providerStaffOnly},
	{pattern: "POST /rechnungsdaten", path: "/rechnungsdaten", form: url.Values{"iban": {"kaputt"}}, who: providerStaffOnly},
	{pattern: "GET /programme/{id}/budget", path: "/programme/digitallotsen-bw/budget", who: funders},
	{pattern: "POST /programme/{id}/budget", path: "/programme/digitallotsen-bw/budget", form: url.Values{"amount": {"viel"}}, who: funderOnly},
	// Search thesaurus: the entries administrators add.
	{pattern: "GET /admin/suchbegriffe", path: "/admin/suchbegriffe?probe=GemO", who: adminsOnly},
	{pattern: "POST /admin/suchbegriffe", path: "/admin/suchbegriffe", form: url.Values{"line": {""}}, who: adminsOnly},
	{pattern: "POST /admin/suchbegriffe/{id}/loeschen", path: "/admin/suchbegriffe/999999/loeschen", form: url.Values{}, who: adminsOnly},
	{pattern: "GET /api/v1/search/thesaurus", path: "/api/v1/search/thesaurus", who: adminsOnly},
	{pattern: "POST /api/v1/search/thesaurus", path: "/api/v1/search/thesaurus", json: `{"line": ""}`, who: adminsOnly},
	{pattern: "DELETE /api/v1/search/thesaurus/{id}", path: "/api/v1/search/thesaurus/999999", who: adminsOnly},
	// matching: the self-assessment
	{pattern: "GET /selbsteinschaetzung", path: "/selbsteinschaetzung", who: loggedIn},
	{pattern: "GET /selbsteinschaetzung/bearbeiten", path: "/selbsteinschaetzung/bearbeiten?bereich=PM", who: loggedIn},
	{pattern: "POST /selbsteinschaetzung/bearbeiten", path: "/selbsteinschaetzung/bearbeiten", form: url.Values{"codes": {"XX.1"}, "level_XX.1": {"1"}, "target_XX.1": {"2"}}, who: loggedIn},
	{pattern: "POST /selbsteinschaetzung/{action}", path: "/selbsteinschaetzung/teilen", form: url.Values{"organisation": {"999999"}}, who: loggedIn},
	{pattern: "GET /organisationen/{id}/selbsteinschaetzungen", path: "/organisationen/{org}/selbsteinschaetzungen", who: fhHR},
	{pattern: "GET /api/v1/me/assessment", path: "/api/v1/me/assessment", who: loggedIn},
	{pattern: "PUT /api/v1/me/assessment", path: "/api/v1/me/assessment", json: `{"items": [{"code": "XX.1", "level": 9, "target": 0}]}`, who: loggedIn},
	{pattern: "GET /api/v1/me/assessment/role-profiles", path: "/api/v1/me/assessment/role-profiles", who: loggedIn},
	{pattern: "POST /api/v1/me/assessment/share", path: "/api/v1/me/assessment/share", json: `{"organisation": 999999}`, who: loggedIn},
	{pattern: "DELETE /api/v1/me/assessment/share", path: "/api/v1/me/assessment/share", json: `{"organisation": 999999}`, who: loggedIn},
	{pattern: "GET /api/v1/organisations/{id}/assessments", path: "/api/v1/organisations/{org}/assessments", who: fhHR},
	// importer: batch review and batch competences.
	{pattern: "POST /admin/angebote/veroeffentlichen", path: "/admin/angebote/veroeffentlichen", form: url.Values{"check": {"content"}}, who: adminsOnly},
	{pattern: "POST /anbieter/angebote/kompetenzen", path: "/anbieter/angebote/kompetenzen", form: url.Values{"competence": {"PM"}}, who: providerStaff},
	{pattern: "POST /api/v1/review/offers/publish", path: "/api/v1/review/offers/publish", json: `{"ids": [], "checklist": []}`, who: adminsOnly},
	{pattern: "POST /api/v1/provider/offers/competences", path: "/api/v1/provider/offers/competences", json: `{"ids": [], "competences": []}`, who: providerStaff},
	// matching: recommendations (authz.AssessmentOwn: one's own, any logged-in person)
	{pattern: "GET /empfehlungen", path: "/empfehlungen", who: loggedIn},
	{pattern: "GET /api/v1/me/recommendations", path: "/api/v1/me/recommendations", who: loggedIn},
	// matching: roles and demand (HR of the municipality; the provider's staff and admins).
	{pattern: "GET /team/rollen", path: "/team/rollen?organisation={org}", who: fhHR},
	{pattern: "GET /team/rollen/neu", path: "/team/rollen/neu?organisation={org}", who: fhHR},
	{pattern: "POST /team/rollen/neu", path: "/team/rollen/neu?organisation={org}", form: url.Values{"name": {""}}, who: fhHR},
	{pattern: "GET /team/rollen/{id}", path: "/team/rollen/999999?organisation={org}", who: fhHR},
	{pattern: "POST /team/rollen/{id}", path: "/team/rollen/999999?organisation={org}", form: url.Values{"name": {""}}, who: fhHR},
	{pattern: "POST /team/rollen/{id}/personen", path: "/team/rollen/999999/personen?organisation={org}", form: url.Values{"person": {"x"}}, who: fhHR},
	{pattern: "POST /team/rollen/{id}/loeschen", path: "/team/rollen/999999/loeschen?organisation={org}", form: url.Values{}, who: fhHR},
	{pattern: "GET /team/luecken", path: "/team/luecken?organisation={org}", who: fhHR},
	{pattern: "GET /anbieter/nachfrage", path: "/anbieter/nachfrage?anbieter={vwa}", who: offerOwners},
	{pattern: "GET /api/v1/organisations/{id}/role-profiles", path: "/api/v1/organisations/{org}/role-profiles", who: fhHR},
	{pattern: "POST /api/v1/organisations/{id}/role-profiles", path: "/api/v1/organisations/{org}/role-profiles", json: `{"name": ""}`, who: fhHR},
	{pattern: "GET /api/v1/organisations/{id}/role-profiles/{pid}", path: "/api/v1/organisations/{org}/role-profiles/999999", who: fhHR},
	{pattern: "PUT /api/v1/organisations/{id}/role-profiles/{pid}", path: "/api/v1/organisations/{org}/role-profiles/999999", json: `{"name": ""}`, who: fhHR},
	{pattern: "DELETE /api/v1/organisations/{id}/role-profiles/{pid}", path: "/api/v1/organisations/{org}/role-profiles/999999", who: fhHR},
	{pattern: "PUT /api/v1/organisations/{id}/role-profiles/{pid}/members", path: "/api/v1/organisations/{org}/role-profiles/999999/members", json: `{"persons": []}`, who: fhHR},
	{pattern: "GET /api/v1/organisations/{id}/gaps", path: "/api/v1/organisations/{org}/gaps", who: fhHR},
	{pattern: "GET /api/v1/providers/{id}/demand", path: "/api/v1/providers/{vwa}/demand", who: offerOwners},
	// sso: single sign-on (an unknown provider, a callback without state) and the login setting
	{pattern: "GET /anmelden/sso/{provider}", path: "/anmelden/sso/unbekannt", who: everyone},
	{pattern: "GET /anmelden/sso/{provider}/zurueck", path: "/anmelden/sso/unbekannt/zurueck", who: everyone},
	{pattern: "GET /organisationen/{id}/anmeldung", path: "/organisationen/{org}/anmeldung", who: fhManagers},
	{pattern: "POST /organisationen/{id}/anmeldung", path: "/organisationen/{org}/anmeldung", form: url.Values{"password_login": {""}}, who: fhManagers},
	{pattern: "GET /api/v1/organisations/{id}/login-settings", path: "/api/v1/organisations/{org}/login-settings", who: fhManagers},
	{pattern: "PUT /api/v1/organisations/{id}/login-settings", path: "/api/v1/organisations/{org}/login-settings", json: `{}`, who: fhManagers},
	// mfa: the second factor and its requirement
	{pattern: "GET /anmelden/zweiter-faktor", path: "/anmelden/zweiter-faktor", who: loggedIn},
	{pattern: "POST /anmelden/zweiter-faktor", path: "/anmelden/zweiter-faktor", form: url.Values{"code": {""}}, who: mfaPendingOnly},
	{pattern: "POST /anmelden/zweiter-faktor/einrichten", path: "/anmelden/zweiter-faktor/einrichten", form: url.Values{"code": {""}}, who: mfaPendingOnly},
	{pattern: "POST /anmelden/zweiter-faktor/passkey/optionen", path: "/anmelden/zweiter-faktor/passkey/optionen", json: `{}`, who: mfaPendingOnly},
	{pattern: "POST /anmelden/zweiter-faktor/passkey", path: "/anmelden/zweiter-faktor/passkey", json: `{}`, who: mfaPendingOnly},
	{pattern: "GET /konto/zweiter-faktor", path: "/konto/zweiter-faktor", who: loggedIn},
	{pattern: "POST /konto/zweiter-faktor/totp", path: "/konto/zweiter-faktor/totp", form: url.Values{"code": {""}}, who: loggedIn},
	{pattern: "POST /konto/zweiter-faktor/totp/ausschalten", path: "/konto/zweiter-faktor/totp/ausschalten", form: url.Values{"code": {""}}, who: loggedIn},
	{pattern: "POST /konto/zweiter-faktor/wiederherstellungscodes", path: "/konto/zweiter-faktor/wiederherstellungscodes", form: url.Values{"code": {""}}, who: loggedIn},
	{pattern: "POST /konto/zweiter-faktor/passkeys/optionen", path: "/konto/zweiter-faktor/passkeys/optionen", json: `{"name": ""}`, who: mfaPendingOnly},
	{pattern: "POST /konto/zweiter-faktor/passkeys", path: "/konto/zweiter-faktor/passkeys", json: `{}`, who: mfaPendingOnly},
	{pattern: "POST /konto/zweiter-faktor/passkeys/{id}/entfernen", path: "/konto/zweiter-faktor/passkeys/999999/entfernen", form: url.Values{}, who: loggedIn},
	{pattern: "GET /organisationen/{id}/zweiter-faktor", path: "/organisationen/{org}/zweiter-faktor", who: fhManagers},
	{pattern: "POST /organisationen/{id}/zweiter-faktor", path: "/organisationen/{org}/zweiter-faktor", form: url.Values{"required": {"0"}}, who: fhManagers},
	{pattern: "GET /programme/{id}/zweiter-faktor", path: "/programme/digitallotsen-bw/zweiter-faktor", who: funders},
	{pattern: "POST /programme/{id}/zweiter-faktor", path: "/programme/digitallotsen-bw/zweiter-faktor", form: url.Values{"required": {"0"}}, who: funders},
	{pattern: "GET /api/v1/me/second-factor", path: "/api/v1/me/second-factor", who: loggedIn},
	{pattern: "GET /api/v1/organisations/{id}/second-factor-requirement", path: "/api/v1/organisations/{org}/second-factor-requirement", who: fhMembers},
	{pattern: "PUT /api/v1/organisations/{id}/second-factor-requirement", path: "/api/v1/organisations/{org}/second-factor-requirement", json: `{"required": false}`, who: fhManagers},
	{pattern: "GET /api/v1/programmes/{id}/second-factor-requirement", path: "/api/v1/programmes/digitallotsen-bw/second-factor-requirement", who: everyone},
	{pattern: "PUT /api/v1/programmes/{id}/second-factor-requirement", path: "/api/v1/programmes/digitallotsen-bw/second-factor-requirement", json: `{"required": false}`, who: funders},
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
		ids, certID := matrixFixture(t, e, fh)
		holderCode := matrixHolderFixture(t, e, ids)                                            // voucher holders
		ids["vwa"] = e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg").ID // settlement
		ids["event"] = matrixEventFixture(t, e)                                                 // events
		communityMatrixFixture(t, e, ids)                                                       // community
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
				path := mc.path
				for k, v := range ids {
					path = strings.ReplaceAll(path, "{"+k+"}", itoa(v))
				}
				path = strings.ReplaceAll(path, "{cert}", certID)
				path = strings.ReplaceAll(path, "{voucher}", holderCode) // voucher holders
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
				got := !refused(res) && !(mc.hidden && res.StatusCode == http.StatusNotFound)
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

// matrixFixture makes the objects the matrix needs: applications of
// Futurehausen in draft, submitted and approved state, a document and a
// message with an attachment. It returns their IDs by placeholder name.
func matrixFixture(t *testing.T, e *testEnv, fh *domain.Organisation) (map[string]int64, string) {
	t.Helper()
	lilly := e.person("lilly@futurehausen.example")
	ms, _ := e.db.Memberships(context.Background(), lilly.ID)
	ctx := domain.WithActor(context.Background(), &domain.Actor{Person: lilly, Memberships: ms})
	p, err := e.db.Programme(ctx, programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(submit bool) int64 {
		prog, track, people, yes := programmes.BWID, domain.TrackBasis, 1, true
		a, err := e.srv.app.Funding.CreateApplication(ctx, fh.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &p.ProviderIDs[0],
			People: &people, Declarations: &yes})
		if err != nil {
			t.Fatal(err)
		}
		if submit {
			if _, err := e.srv.app.Funding.SubmitApplication(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		return a.ID
	}
	ids := map[string]int64{"org": fh.ID, "draft": mk(false), "sub": mk(true), "appr": mk(true)}
	// Make the draft incomplete, so that submitting it is refused as invalid.
	no := false
	if _, err := e.srv.app.Funding.UpdateApplication(ctx, ids["draft"], domain.ApplicationInput{Declarations: &no}); err != nil {
		t.Fatal(err)
	}
	rev := e.person("pruefung@staedtetag-bw.example")
	rms, _ := e.db.Memberships(context.Background(), rev.ID)
	if _, err := e.srv.app.Funding.ApproveApplication(domain.WithActor(context.Background(), &domain.Actor{Person: rev, Memberships: rms}), ids["appr"]); err != nil {
		t.Fatal(err)
	}
	box, _, _, err := e.db.Messages(ctx, store.MailboxFilter{OrgIDs: []int64{fh.ID}, PersonID: lilly.ID})
	if err != nil || len(box) != 1 {
		t.Fatalf("mailbox after approval: %d, %v", len(box), err)
	}
	msg, err := e.db.Message(ctx, box[0].ID, lilly.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids["msg"], ids["att"] = msg.ID, msg.Attachments[0].ID
	doc, err := e.db.CreateDocument(ctx, fh.ID, "zertifikat.pdf", "application/pdf", minimalPDF)
	if err != nil {
		t.Fatal(err)
	}
	ids["doc"] = doc.ID
	// An offer of the matrix's provider (VWA), waiting for the quality review.
	vwa := e.orgByName(programmes.VWA)
	staff := e.person("kurse@vwa-bw.example")
	sms, _ := e.db.Memberships(context.Background(), staff.ID)
	offer := &domain.Offer{ProviderID: vwa.ID, Code: "MATRIX-1", Title: "Matrixkurs zur Berechtigungsprüfung",
		Summary: "Ein Angebot, das nur für den Berechtigungstest existiert.", Description: strings.Repeat("Beschreibung des Angebots. ", 4),
		Outcomes: []string{"Berechtigungen prüfen"}, Competences: []domain.OfferCompetence{{Code: "SEC.1", Level: 1}}, Level: domain.LevelBasic,
		Format: domain.FormatLiveOnline, Language: "de", Hours: 4, Days: 1, Certificate: domain.CertParticipation}
	if err := catalog.CreateOffer(domain.WithActor(context.Background(), &domain.Actor{Person: staff, Memberships: sms}), e.db, offer); err != nil {
		t.Fatal(err)
	}
	ids["offer"] = offer.ID
	// A published offer of the provider with a session, and bookings of
	// Niklas paid by Futurehausen, waiting for HR.
	sctx := domain.WithActor(context.Background(), &domain.Actor{Person: staff, Memberships: sms})
	pub := *offer
	pub.ID, pub.Code, pub.Title = 0, "MATRIX-2", "Matrixkurs mit Termin"
	pub.Competences = []domain.OfferCompetence{{Code: "SEC.1", Level: 1}}
	if err := catalog.CreateOffer(sctx, e.db, &pub); err != nil {
		t.Fatal(err)
	}
	if err := catalog.ReviewOffer(context.Background(), e.db, pub.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := e.db.Now().AddDate(0, 1, 0)
	ses := &domain.Session{OfferID: pub.ID, StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 1, Capacity: 5, Online: true}
	if err := catalog.AddSession(sctx, e.db, ses); err != nil {
		t.Fatal(err)
	}
	ids["session"] = ses.ID
	niklas := e.person("niklas@futurehausen.example")
	// One active booking per person and session: Niklas's bookings are in
	// sessions of their own.
	session := func() int64 {
		t.Helper()
		ses := &domain.Session{OfferID: pub.ID, StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 1, Capacity: 5, Online: true}
		if err := catalog.AddSession(sctx, e.db, ses); err != nil {
			t.Fatal(err)
		}
		return ses.ID
	}
	for i, k := range []string{"booking", "booking2"} {
		sid := ses.ID
		if i > 0 {
			sid = session()
		}
		b, err := e.srv.app.Booking.Place(context.Background(), domain.BookingInput{SessionID: sid, PersonID: niklas.ID, ParticipantName: niklas.Name,
			ParticipantEmail: niklas.Email, Payment: domain.PayEmployer, EmployerID: fh.ID, NeedsApproval: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[k] = b.ID
	}
	// A completed booking of Niklas with its certificate.
	done, err := e.srv.app.Booking.Place(context.Background(), domain.BookingInput{SessionID: session(), PersonID: niklas.ID, ParticipantName: niklas.Name,
		ParticipantEmail: niklas.Email, Payment: domain.PayPrivate})
	if err != nil {
		t.Fatal(err)
	}
	back := e.travel(60 * 24 * time.Hour)
	if _, err := e.srv.app.Booking.RecordAttendance(sctx, done.ID, nil, domain.AttendPresent); err != nil {
		t.Fatal(err)
	}
	back()
	certs, err := e.db.BookingCertificates(context.Background(), done.ID)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificate of the fixture: %v", err)
	}
	return ids, certs[0].ID
}

// Review with four eyes and a conversation.
const (
	threadReaders audience = iota + 1000 // signatory, HR, account_admin of Futurehausen, the Städtetag's reviewer, admins
	threadWriters                        // signatory, HR, account_admin of Futurehausen, the Städtetag's reviewer
)

func init() {
	for _, r := range matrixRoles {
		r.in[threadReaders] = r.in[fhViewers] || r.in[staedtetagReviewer]
		r.in[threadWriters] = (r.in[fhViewers] && !r.in[adminsOnly]) || r.in[staedtetagReviewer]
	}
	matrixCases = append(matrixCases,
		matrixCase{pattern: "POST /antraege/{id}/gespraech", path: "/antraege/{sub}/gespraech", form: url.Values{"body": {""}}, who: threadWriters, hidden: true},
		matrixCase{pattern: "POST /api/v1/applications/{id}/decision/confirm", path: "/api/v1/applications/{sub}/decision/confirm", json: `{}`,
			who: staedtetagReviewer, hidden: true},
		matrixCase{pattern: "POST /api/v1/applications/{id}/decision/discard", path: "/api/v1/applications/{sub}/decision/discard", json: `{"comment": ""}`,
			who: staedtetagReviewer, hidden: true},
		matrixCase{pattern: "GET /api/v1/applications/{id}/comments", path: "/api/v1/applications/{sub}/comments", who: threadReaders, hidden: true},
		matrixCase{pattern: "POST /api/v1/applications/{id}/comments", path: "/api/v1/applications/{sub}/comments", json: `{"body": ""}`,
			who: threadWriters, hidden: true},
	)
}

// matching: paths
const (
	pathEditors audience = iota + 1100 // admins and the Städtetag's reviewer (and event organiser), who own the shipped path
)

func init() {
	for _, r := range matrixRoles {
		r.in[pathEditors] = r.in[adminsOnly] || r.in[staedtetagReviewer]
	}
	// Path 1 is the shipped Digitallotse path of the Städtetag; 999999
	// does not exist, so that joining and leaving change nothing.
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /lernpfade", path: "/lernpfade", who: everyone},
		matrixCase{pattern: "GET /lernpfade/neu", path: "/lernpfade/neu", who: pathEditors},
		matrixCase{pattern: "POST /lernpfade/neu", path: "/lernpfade/neu", form: url.Values{"title": {""}, "rows": {"0"}}, who: pathEditors},
		matrixCase{pattern: "GET /lernpfade/{id}", path: "/lernpfade/1", who: everyone},
		matrixCase{pattern: "GET /lernpfade/{id}/bearbeiten", path: "/lernpfade/1/bearbeiten", who: pathEditors},
		matrixCase{pattern: "POST /lernpfade/{id}/bearbeiten", path: "/lernpfade/1/bearbeiten", form: url.Values{"title": {""}, "rows": {"0"}}, who: pathEditors},
		matrixCase{pattern: "POST /lernpfade/{id}/folgen", path: "/lernpfade/999999/folgen", form: url.Values{}, who: loggedIn},
		matrixCase{pattern: "POST /lernpfade/{id}/verlassen", path: "/lernpfade/999999/verlassen", form: url.Values{}, who: loggedIn},
		matrixCase{pattern: "GET /lernpfade/{id}/teilnehmende", path: "/lernpfade/1/teilnehmende", who: pathEditors},
		matrixCase{pattern: "POST /lernpfade/{id}/teilnehmende/{person}/treffen", path: "/lernpfade/1/teilnehmende/999999/treffen",
			form: url.Values{"step": {"3"}}, who: pathEditors},
		matrixCase{pattern: "GET /lernpfade/zertifikate/{id}/pdf", path: "/lernpfade/zertifikate/00000000-0000-4000-8000-000000000000/pdf", who: loggedIn},
		matrixCase{pattern: "GET /verify/lernpfad/{id}", path: "/verify/lernpfad/00000000-0000-4000-8000-000000000000", who: everyone},
		matrixCase{pattern: "GET /api/v1/paths", path: "/api/v1/paths", who: everyone},
		// A platform path: only admins may create one, or hand a path to the platform.
		matrixCase{pattern: "POST /api/v1/paths", path: "/api/v1/paths", json: `{"title": "", "owner_org_id": 0}`, who: adminsOnly},
		matrixCase{pattern: "GET /api/v1/paths/{id}", path: "/api/v1/paths/1", who: everyone},
		matrixCase{pattern: "PUT /api/v1/paths/{id}", path: "/api/v1/paths/1", json: `{"title": "", "owner_org_id": 0}`, who: adminsOnly},
		matrixCase{pattern: "POST /api/v1/paths/{id}/join", path: "/api/v1/paths/999999/join", json: `{}`, who: loggedIn},
		matrixCase{pattern: "DELETE /api/v1/paths/{id}/join", path: "/api/v1/paths/999999/join", who: loggedIn},
		matrixCase{pattern: "GET /api/v1/paths/{id}/members", path: "/api/v1/paths/1/members", who: pathEditors},
		matrixCase{pattern: "POST /api/v1/paths/{id}/members/{person}/event", path: "/api/v1/paths/1/members/999999/event", json: `{"step": 3}`,
			who: pathEditors},
		matrixCase{pattern: "GET /api/v1/me/paths", path: "/api/v1/me/paths", who: loggedIn},
		matrixCase{pattern: "GET /api/v1/path-certificates/{id}", path: "/api/v1/path-certificates/00000000-0000-4000-8000-000000000000", who: everyone},
		matrixCase{pattern: "GET /api/v1/path-certificates/{id}/credential", path: "/api/v1/path-certificates/00000000-0000-4000-8000-000000000000/credential",
			who: everyone},
		matrixCase{pattern: "POST /api/v1/path-certificates/{id}/revoke", path: "/api/v1/path-certificates/00000000-0000-4000-8000-000000000000/revoke",
			json: `{"reason": ""}`, who: loggedIn},
	)
}

// pilots: the directory of digital pilots and the project briefs.
const (
	pilotsViewers audience = iota + 1200 // members of a municipality or an association; not providers, the funder or admins alone
)

func init() {
	for _, r := range matrixRoles {
		r.in[pilotsViewers] = r.in[fhMembersOnly] || r.name == "other_org_account_admin" || r.in[staedtetagReviewer]
	}
	// Nobody in the matrix has an entry or a brief: unknown IDs answer 404
	// and empty input 422 to those who see the directory.
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /lotsen", path: "/lotsen?thema=EGOV&kreis=08999", who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/mein-eintrag", path: "/lotsen/mein-eintrag", who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/mein-eintrag", path: "/lotsen/mein-eintrag", form: url.Values{"help": {""}}, who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/mein-eintrag/loeschen", path: "/lotsen/mein-eintrag/loeschen", form: url.Values{}, who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/{id}", path: "/lotsen/999999", who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/{id}/kontakt", path: "/lotsen/999999/kontakt", form: url.Values{"message": {""}}, who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/projekte", path: "/lotsen/projekte?thema=EGOV", who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/projekte/neu", path: "/lotsen/projekte/neu", who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/projekte/neu", path: "/lotsen/projekte/neu", form: url.Values{"title": {""}}, who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/projekte/{id}", path: "/lotsen/projekte/999999", who: pilotsViewers},
		matrixCase{pattern: "GET /lotsen/projekte/{id}/bearbeiten", path: "/lotsen/projekte/999999/bearbeiten", who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/projekte/{id}/bearbeiten", path: "/lotsen/projekte/999999/bearbeiten", form: url.Values{"title": {""}}, who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/projekte/{id}/loeschen", path: "/lotsen/projekte/999999/loeschen", form: url.Values{}, who: pilotsViewers},
		matrixCase{pattern: "POST /lotsen/projekte/{id}/austausch", path: "/lotsen/projekte/999999/austausch", form: url.Values{"kanal": {"1"}}, who: pilotsViewers},
		matrixCase{pattern: "GET /api/v1/pilots", path: "/api/v1/pilots?topic=EGOV", who: pilotsViewers},
		matrixCase{pattern: "GET /api/v1/pilots/{id}", path: "/api/v1/pilots/999999", who: pilotsViewers},
		matrixCase{pattern: "POST /api/v1/pilots/{id}/contact", path: "/api/v1/pilots/999999/contact", json: `{"message": ""}`, who: pilotsViewers},
		matrixCase{pattern: "GET /api/v1/me/pilot-entry", path: "/api/v1/me/pilot-entry", who: pilotsViewers},
		matrixCase{pattern: "PUT /api/v1/me/pilot-entry", path: "/api/v1/me/pilot-entry", json: `{"consent": false}`, who: pilotsViewers},
		matrixCase{pattern: "DELETE /api/v1/me/pilot-entry", path: "/api/v1/me/pilot-entry", who: pilotsViewers},
		matrixCase{pattern: "GET /api/v1/project-briefs", path: "/api/v1/project-briefs?mine=true", who: pilotsViewers},
		matrixCase{pattern: "POST /api/v1/project-briefs", path: "/api/v1/project-briefs", json: `{"title": ""}`, who: pilotsViewers},
		matrixCase{pattern: "GET /api/v1/project-briefs/{id}", path: "/api/v1/project-briefs/999999", who: pilotsViewers},
		matrixCase{pattern: "PATCH /api/v1/project-briefs/{id}", path: "/api/v1/project-briefs/999999", json: `{"title": ""}`, who: pilotsViewers},
		matrixCase{pattern: "DELETE /api/v1/project-briefs/{id}", path: "/api/v1/project-briefs/999999", who: pilotsViewers},
		matrixCase{pattern: "POST /api/v1/project-briefs/{id}/discussion", path: "/api/v1/project-briefs/999999/discussion", json: `{"channel": 1}`, who: pilotsViewers},
	)
	// branding: the operator's style sheet and logo are public.
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /branding.css", path: "/branding.css", who: everyone},
		matrixCase{pattern: "GET /branding/logo", path: "/branding/logo", who: everyone},
	)
}

// privacy: the data download and the deletion of an account. The deletions
// are asked without a password (422 to those allowed) or for an unknown
// person (404 to admins), so the matrix deletes nobody.
func init() {
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /konto/daten", path: "/konto/daten", who: loggedIn},
		matrixCase{pattern: "GET /konto/daten.json", path: "/konto/daten.json", who: loggedIn},
		matrixCase{pattern: "GET /konto/daten.pdf", path: "/konto/daten.pdf", who: loggedIn},
		matrixCase{pattern: "GET /konto/loeschen", path: "/konto/loeschen", who: loggedIn},
		matrixCase{pattern: "POST /konto/loeschen", path: "/konto/loeschen", form: url.Values{"password": {""}}, who: loggedIn},
		matrixCase{pattern: "GET /admin/personen/{id}/daten", path: "/admin/personen/999999/daten", who: adminsOnly},
		matrixCase{pattern: "GET /admin/personen/{id}/daten.json", path: "/admin/personen/999999/daten.json", who: adminsOnly},
		matrixCase{pattern: "GET /admin/personen/{id}/daten.pdf", path: "/admin/personen/999999/daten.pdf", who: adminsOnly},
		matrixCase{pattern: "POST /admin/personen/{id}/loeschen", path: "/admin/personen/999999/loeschen", form: url.Values{}, who: adminsOnly},
		matrixCase{pattern: "GET /api/v1/me/export", path: "/api/v1/me/export", who: loggedIn},
		matrixCase{pattern: "DELETE /api/v1/me", path: "/api/v1/me", json: `{"password": ""}`, who: loggedIn},
		matrixCase{pattern: "GET /api/v1/persons/{id}/export", path: "/api/v1/persons/999999/export", who: adminsOnly},
		matrixCase{pattern: "DELETE /api/v1/persons/{id}", path: "/api/v1/persons/999999", who: adminsOnly},
	)
}

// privacy: the admin's person search (issue 14).
func init() {
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /admin/personen", path: "/admin/personen?q=Lilly", who: adminsOnly},
		matrixCase{pattern: "GET /api/v1/persons", path: "/api/v1/persons?q=Lilly", who: adminsOnly},
	)
}
