package web

import (
	"net/http"
	"net/url"
	"strings"
)

// mfaRoutes registers the second factor's pages and API: the second step
// of a login, the account's second factor, passkeys, and the requirement
// of an organisation or programme.
func (s *Server) mfaRoutes(mux *routeTable) {
	mux.HandleFunc("GET /anmelden/zweiter-faktor", s.page(s.handleMFALogin))
	mux.HandleFunc("POST /anmelden/zweiter-faktor", s.page(s.handleMFAVerify))
	mux.HandleFunc("POST /anmelden/zweiter-faktor/einrichten", s.page(s.handleMFAEnrolPending))
	mux.HandleFunc("POST /anmelden/zweiter-faktor/passkey/optionen", s.api(s.handlePasskeyLoginOptions))
	mux.HandleFunc("POST /anmelden/zweiter-faktor/passkey", s.api(s.handlePasskeyLogin))

	mux.HandleFunc("GET /konto/zweiter-faktor", s.page(s.handleMFAAccount))
	mux.HandleFunc("POST /konto/zweiter-faktor/totp", s.page(s.handleTOTPConfirm))
	mux.HandleFunc("POST /konto/zweiter-faktor/totp/ausschalten", s.page(s.handleTOTPDisable))
	mux.HandleFunc("POST /konto/zweiter-faktor/wiederherstellungscodes", s.page(s.handleRecoveryCodesNew))
	mux.HandleFunc("POST /konto/zweiter-faktor/passkeys/optionen", s.api(s.handlePasskeyRegisterOptions))
	mux.HandleFunc("POST /konto/zweiter-faktor/passkeys", s.api(s.handlePasskeyRegister))
	mux.HandleFunc("POST /konto/zweiter-faktor/passkeys/{id}/entfernen", s.page(s.handlePasskeyRemove))

	mux.HandleFunc("GET /organisationen/{id}/zweiter-faktor", s.page(s.handleOrgMFA))
	mux.HandleFunc("POST /organisationen/{id}/zweiter-faktor", s.page(s.handleOrgMFASave))
	mux.HandleFunc("GET /programme/{id}/zweiter-faktor", s.page(s.handleProgrammeMFA))
	mux.HandleFunc("POST /programme/{id}/zweiter-faktor", s.page(s.handleProgrammeMFASave))

	mux.HandleFunc("GET /api/v1/me/second-factor", s.api(s.apiSecondFactor))
	mux.HandleFunc("GET /api/v1/organisations/{id}/second-factor-requirement", s.api(s.apiOrgMFA))
	mux.HandleFunc("PUT /api/v1/organisations/{id}/second-factor-requirement", s.api(s.apiOrgMFASet))
	mux.HandleFunc("GET /api/v1/programmes/{id}/second-factor-requirement", s.api(s.apiProgrammeMFA))
	mux.HandleFunc("PUT /api/v1/programmes/{id}/second-factor-requirement", s.api(s.apiProgrammeMFASet))
}

// mfaLoginPath is the second step of a login.
const mfaLoginPath = "/anmelden/zweiter-faktor"

// pendingRedirect says where a browser whose session waits for the second
// factor goes instead of the page it asked for: the second step of the
// login, and from there back. The login page itself, the second step,
// static files and the API (which sees nobody) stay reachable.
func pendingRedirect(r *http.Request) (string, bool) {
	p := r.URL.Path
	if r.Method != http.MethodGet || p == "/anmelden" || strings.HasPrefix(p, mfaLoginPath) ||
		strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" {
		return "", false
	}
	return mfaLoginPath + "?weiter=" + url.QueryEscape(safeNext(r.URL.RequestURI())), true
}
