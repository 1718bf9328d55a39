package web

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"strings"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// mfaLoginPage is the second step of a login: give the second factor, or
// (for a person who must have one and has none) set one up.
type mfaLoginPage struct {
	Page
	Next   string
	Factor *domain.SecondFactor
	Setup  *account.TOTPSetup
	// QR is Setup's QR code as a data URL the template may use (a PNG the
	// server made).
	QR template.URL
}

// mfaCodesPage shows new recovery codes, once.
type mfaCodesPage struct {
	Page
	Codes []string
	Next  string
}

// mfaAccountPage is the account's second factor.
type mfaAccountPage struct {
	Page
	Factor *domain.SecondFactor
	Setup  *account.TOTPSetup
	QR     template.URL
	// Form names the form whose errors the page shows: "setup",
	// "disable", "codes" or "passkey".
	Form string
	// Next: where a new passkey leads (the account page's is its own).
	Next string
}

// CodeErr is the message for the code field of form, if the page shows
// that form's errors.
func (p *mfaAccountPage) CodeErr(form string) string {
	if p.Form != form {
		return ""
	}
	return p.Errors["code"]
}

// mfaRequirementPage switches the requirement of an organisation or a
// programme.
type mfaRequirementPage struct {
	Page
	Kind     string // "org" or "programme"
	Name     string
	Action   string
	Back     string
	Required bool
}

// qrURL marks the set-up's QR code as a safe URL: a PNG data URL the
// server generated, which html/template would otherwise refuse.
func qrURL(s *account.TOTPSetup) template.URL {
	if s == nil || !strings.HasPrefix(s.QR, "data:image/png;base64,") {
		return ""
	}
	return template.URL(s.QR)
}

// pendingForm parses a form of the second step of a login and checks the
// pending session's CSRF token.
func pendingForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return classify(&domain.Error{Code: domain.EBadRequest, Message: "Das Formular konnte nicht gelesen werden.", Err: err})
	}
	st := state(r)
	if !st.pending {
		return form(r)
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf_token")), []byte(st.pendingCSRF)) != 1 {
		return errCSRF
	}
	return nil
}

// jsonCSRF checks the CSRF token that the passkey script sends in the
// X-CSRF-Token header, for a full or a pending session.
func jsonCSRF(r *http.Request) error {
	st := state(r)
	want := st.csrf
	if st.pending {
		want = st.pendingCSRF
	}
	if want == "" {
		return domain.ErrUnauthorized
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

func (s *Server) newMFALoginPage(r *http.Request, next string) (*mfaLoginPage, error) {
	st := state(r)
	p := &mfaLoginPage{Page: s.newPage(r, "Anmeldung bestätigen"), Next: next}
	p.CSRF = st.pendingCSRF
	f, err := s.app.Account.SecondFactor(r.Context(), st.sessionToken)
	if err != nil {
		return nil, err
	}
	p.Factor = f
	if !f.Enrolled() {
		p.Title = "Zweiten Faktor einrichten"
		if p.Setup, err = s.app.Account.BeginTOTP(r.Context(), st.sessionToken); err != nil {
			return nil, err
		}
		p.QR = qrURL(p.Setup)
	}
	return p, nil
}

func (s *Server) handleMFALogin(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	next := safeNext(r.URL.Query().Get("weiter"))
	if !st.pending {
		if !actor(r).Anonymous() {
			return redirect(w, r, next)
		}
		return redirect(w, r, "/anmelden")
	}
	p, err := s.newMFALoginPage(r, next)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_login", p)
	return nil
}

// mfaLoginError shows the second step again with the German message of
// err; other errors go to the error page. A pending session that has gone
// (expired) sends the browser to the login.
func (s *Server) mfaLoginError(w http.ResponseWriter, r *http.Request, next string, err error) error {
	code := domain.ErrorCode(err)
	if err == domain.ErrMFANotPending || !state(r).pending {
		return redirect(w, r, "/anmelden?weiter="+urlQueryEscape(next))
	}
	if code != domain.EInvalid && code != domain.ERateLimited {
		return err
	}
	p, perr := s.newMFALoginPage(r, next)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(code), "mfa_login", p)
	return nil
}

func (s *Server) handleMFAVerify(w http.ResponseWriter, r *http.Request) error {
	if err := pendingForm(r); err != nil {
		return err
	}
	next := safeNext(r.PostForm.Get("weiter"))
	session, err := s.app.Account.VerifySecondFactor(r.Context(), state(r).sessionToken, r.PostForm.Get("code"))
	if err != nil {
		return s.mfaLoginError(w, r, next, err)
	}
	s.setSessionCookie(w, session)
	return s.afterLogin(w, r, next)
}

func (s *Server) handleMFAEnrolPending(w http.ResponseWriter, r *http.Request) error {
	if err := pendingForm(r); err != nil {
		return err
	}
	next := safeNext(r.PostForm.Get("weiter"))
	codes, session, err := s.app.Account.ConfirmTOTP(r.Context(), state(r).sessionToken, r.PostForm.Get("code"))
	if err != nil {
		return s.mfaLoginError(w, r, next, err)
	}
	if session != "" {
		s.setSessionCookie(w, session)
	}
	p := &mfaCodesPage{Page: s.newPage(r, "Ihre Wiederherstellungscodes"), Codes: codes, Next: next}
	s.render(w, r, http.StatusOK, "mfa_codes", p)
	return nil
}

func (s *Server) newMFAAccountPage(r *http.Request) (*mfaAccountPage, error) {
	if actor(r).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	p := &mfaAccountPage{Page: s.newPage(r, "Zweiter Faktor")}
	f, err := s.app.Account.SecondFactor(r.Context(), "")
	if err != nil {
		return nil, err
	}
	p.Factor = f
	if !f.TOTP {
		if p.Setup, err = s.app.Account.BeginTOTP(r.Context(), ""); err != nil {
			return nil, err
		}
		p.QR = qrURL(p.Setup)
	}
	return p, nil
}

func (s *Server) handleMFAAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newMFAAccountPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_account", p)
	return nil
}

// mfaAccountError shows the account's second factor again with the German
// message of err next to the fields of form.
func (s *Server) mfaAccountError(w http.ResponseWriter, r *http.Request, formName string, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.ERateLimited && code != domain.EConflict {
		return err
	}
	p, perr := s.newMFAAccountPage(r)
	if perr != nil {
		return perr
	}
	p.Form, p.Errors, p.Message = formName, domain.ErrorFields(err), domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(code), "mfa_account", p)
	return nil
}

func (s *Server) handleTOTPConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	codes, _, err := s.app.Account.ConfirmTOTP(r.Context(), state(r).sessionToken, r.PostForm.Get("code"))
	if err != nil {
		return s.mfaAccountError(w, r, "setup", err)
	}
	s.render(w, r, http.StatusOK, "mfa_codes", &mfaCodesPage{Page: s.newPage(r, "Ihre Wiederherstellungscodes"), Codes: codes,
		Next: "/konto/zweiter-faktor?hinweis=totp-an"})
	return nil
}

func (s *Server) handleTOTPDisable(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Account.DisableTOTP(r.Context(), r.PostForm.Get("code")); err != nil {
		return s.mfaAccountError(w, r, "disable", err)
	}
	return redirect(w, r, "/konto/zweiter-faktor?hinweis=totp-aus")
}

func (s *Server) handleRecoveryCodesNew(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	codes, err := s.app.Account.NewRecoveryCodes(r.Context(), r.PostForm.Get("code"))
	if err != nil {
		return s.mfaAccountError(w, r, "codes", err)
	}
	s.render(w, r, http.StatusOK, "mfa_codes", &mfaCodesPage{Page: s.newPage(r, "Ihre Wiederherstellungscodes"), Codes: codes,
		Next: "/konto/zweiter-faktor"})
	return nil
}

func (s *Server) handlePasskeyRemove(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Account.RemovePasskey(r.Context(), id); err != nil {
		return s.mfaAccountError(w, r, "passkey", err)
	}
	return redirect(w, r, "/konto/zweiter-faktor?hinweis=passkey-entfernt")
}

// The passkey ceremonies: JSON between the page's script (static/mfa.js)
// and the server; the CSRF token travels in the X-CSRF-Token header.

func (s *Server) handlePasskeyRegisterOptions(w http.ResponseWriter, r *http.Request) error {
	if err := jsonCSRF(r); err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	opts, err := s.app.Account.BeginPasskeyRegistration(r.Context(), state(r).sessionToken, in.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(opts)
	return nil
}

// passkeyDone tells the script where to go next.
type passkeyDone struct {
	Next string `json:"weiter"`
}

func (s *Server) handlePasskeyRegister(w http.ResponseWriter, r *http.Request) error {
	if err := jsonCSRF(r); err != nil {
		return err
	}
	session, err := s.app.Account.FinishPasskeyRegistration(r.Context(), state(r).sessionToken, r.Body)
	if err != nil {
		return err
	}
	next := "/konto/zweiter-faktor?hinweis=passkey"
	if session != "" {
		s.setSessionCookie(w, session)
		next = safeNext(r.URL.Query().Get("weiter"))
	}
	return httpx.WriteJSON(w, http.StatusOK, passkeyDone{Next: next})
}

func (s *Server) handlePasskeyLoginOptions(w http.ResponseWriter, r *http.Request) error {
	if err := jsonCSRF(r); err != nil {
		return err
	}
	opts, err := s.app.Account.BeginPasskeyLogin(r.Context(), state(r).sessionToken)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(opts)
	return nil
}

func (s *Server) handlePasskeyLogin(w http.ResponseWriter, r *http.Request) error {
	if err := jsonCSRF(r); err != nil {
		return err
	}
	session, err := s.app.Account.FinishPasskeyLogin(r.Context(), state(r).sessionToken, r.Body)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, session)
	next := safeNext(r.URL.Query().Get("weiter"))
	return httpx.WriteJSON(w, http.StatusOK, passkeyDone{Next: withNotice(next, "angemeldet")})
}

// withNotice adds the notice parameter (hinweis) to a local path.
func withNotice(next, notice string) string {
	sep := "?"
	for _, c := range next {
		if c == '?' {
			sep = "&"
			break
		}
	}
	return next + sep + "hinweis=" + notice
}

func (s *Server) handleOrgMFA(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.OrgRequireMFA, authz.Resource{OrgID: id}); err != nil {
		return err
	}
	o, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	on, err := s.app.Account.OrgRequiresMFA(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_requirement", &mfaRequirementPage{Page: s.newPage(r, "Zweiter Faktor: "+o.Name),
		Kind: "org", Name: o.Name, Action: "/organisationen/" + itoa(id) + "/zweiter-faktor", Back: "/organisationen/" + itoa(id), Required: on})
	return nil
}

func (s *Server) handleOrgMFASave(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Account.SetOrgRequireMFA(r.Context(), id, r.PostForm.Get("required") == "1"); err != nil {
		return err
	}
	return s.afterRequirement(w, r, "/organisationen/"+itoa(id)+"/zweiter-faktor?hinweis=gespeichert")
}

func (s *Server) handleProgrammeMFA(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	p, err := s.app.Funding.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.ProgrammeRequireMFA, authz.Resource{OrgID: p.FunderID}); err != nil {
		return err
	}
	on, err := s.app.Account.ProgrammeRequiresMFA(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_requirement", &mfaRequirementPage{Page: s.newPage(r, "Zweiter Faktor: "+p.Name),
		Kind: "programme", Name: p.Name, Action: "/programme/" + urlPathEscape(id) + "/zweiter-faktor", Back: "/programme/" + urlPathEscape(id), Required: on})
	return nil
}

func (s *Server) handleProgrammeMFASave(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.app.Account.SetProgrammeRequireMFA(r.Context(), id, r.PostForm.Get("required") == "1"); err != nil {
		return err
	}
	return s.afterRequirement(w, r, "/programme/"+urlPathEscape(id)+"/zweiter-faktor?hinweis=gespeichert")
}
