package web

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

var (
	errNotFoundPage = domain.Errorf(domain.ENotFound, "Diese Seite gibt es nicht. Vielleicht hat sich die Adresse geändert.")
	errNotFoundAPI  = domain.Errorf(domain.ENotFound, "Diesen API-Aufruf gibt es nicht.")
	errCSRF         = domain.Errorf(domain.EForbidden, "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.")
)

// form parses a submitted form and, for a logged-in session, checks its CSRF
// token. Forms of visitors who are not logged in (login, reset) are
// protected by the cross-origin check and SameSite cookies.
func form(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return classify(&domain.Error{Code: domain.EBadRequest, Message: "Das Formular konnte nicht gelesen werden.", Err: err})
	}
	st := state(r)
	if st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return errCSRF
	}
	return nil
}

// safeNext returns a local path to continue to after login, never another
// site. It checks the path as the browser will see it: http.Redirect cleans
// dot segments, so "/a/../\evil" would become "/\evil", which browsers
// read as the host "evil". The target is therefore cleaned first and then
// must be one absolute path without backslashes, control characters, scheme
// or host; anything else goes to the start page.
func safeNext(next string) string {
	if next == "" || strings.Contains(next, `\`) || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	next, _, _ = strings.Cut(next, "#")
	p, query, hasQuery := strings.Cut(next, "?")
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	if hasQuery {
		clean += "?" + query
	}
	if u, err := url.Parse(clean); err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "/"
	}
	return clean
}

func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type loginPage struct {
	Page
	Email, Next string
	// SSO are the sign-on providers' buttons.
	SSO []ssoButton
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Anonymous() {
		return redirect(w, r, safeNext(r.URL.Query().Get("weiter")))
	}
	next := safeNext(r.URL.Query().Get("weiter"))
	allowWasm(w)
	s.render(w, r, http.StatusOK, "login", &loginPage{Page: s.newPage(r, "Anmelden"), Next: next, SSO: s.ssoButtons(next)})
	return nil
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	email, pw := r.PostForm.Get("email"), r.PostForm.Get("password")
	// The form's script adds the password's key (see loginKey); a form
	// sent without it, or with a broken one, is checked by the password.
	key, _ := loginKey(r.PostForm.Get("password_key"))
	next := safeNext(r.PostForm.Get("weiter"))
	p := &loginPage{Page: s.newPage(r, "Anmelden"), Email: email, Next: next, SSO: s.ssoButtons(next)}
	v := domain.Validation{}
	if strings.TrimSpace(email) == "" {
		v.Add("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
	}
	if pw == "" {
		v.Add("password", "Bitte geben Sie Ihr Passwort an.")
	}
	err := v.Err()
	if err == nil {
		err = s.login(w, r, email, account.Credential{Password: pw, Key: key})
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EInternal {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		allowWasm(w)
		s.render(w, r, httpx.Status(code), "login", p)
		return nil
	}
	return s.afterLogin(w, r, next)
}

// afterLogin sends the browser on after any way of logging in (password,
// single sign-on): to next, with the notice that the person is logged in.
//
// A login that waits for its second factor (the person has one, or must
// have one) goes to the second step first, and from there to next.
func (s *Server) afterLogin(w http.ResponseWriter, r *http.Request, next string) error {
	if s.app.Account.SessionPending(r.Context(), newSessionCookie(w)) {
		return redirect(w, r, mfaLoginPath+"?weiter="+url.QueryEscape(next))
	}
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	return redirect(w, r, next+sep+"hinweis=angemeldet")
}

// login checks the credential and starts a new session with a new ID; an
// old session of this browser is ended. Login attempts are counted against
// the client address that loginAddr names.
func (s *Server) login(w http.ResponseWriter, r *http.Request, email string, cred account.Credential) error {
	token, err := s.app.Account.Login(r.Context(), email, cred, loginAddr(r), state(r).sessionToken)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	return nil
}

// loginKey reads a password's key as the login form's script and API
// clients send it: 64 hexadecimal digits (argon2id's 32 bytes under the
// account's LoginParams). Anything else is no key.
func loginKey(s string) ([]byte, bool) {
	if len(s) != 64 {
		return nil, false
	}
	key, err := hex.DecodeString(s)
	return key, err == nil
}

// loginAddr is the client address login attempts are counted against: the
// one place to change when the address comes from a trusted proxy.
func loginAddr(r *http.Request) string { return clientAddr(r) }

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	// sso: a session started through a provider ends there too, where the
	// provider supports it, and the provider sends the browser back.
	to, err := s.app.Account.SSOLogout(r.Context(), state(r).sessionToken, s.cfg.BaseURL+"/?hinweis=abgemeldet")
	if err != nil {
		return err
	}
	s.clearSessionCookie(w)
	if to != "" {
		return s.ssoLogoutPage(w, r, to)
	}
	return redirect(w, r, "/?hinweis=abgemeldet")
}

type forgotPage struct {
	Page
	Email string
	Sent  bool
}

func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{Page: s.newPage(r, "Passwort vergessen")})
	return nil
}

func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	p := &forgotPage{Page: s.newPage(r, "Passwort vergessen"), Email: r.PostForm.Get("email")}
	if !domain.ValidEmail(domain.NormalizeEmail(p.Email)) {
		p.Errors = map[string]string{"email": "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de."}
		s.render(w, r, http.StatusUnprocessableEntity, "forgot", p)
		return nil
	}
	if err := s.app.Account.RequestPasswordReset(r.Context(), p.Email); err != nil {
		return err
	}
	p.Sent = true
	s.render(w, r, http.StatusOK, "forgot", p)
	return nil
}

type resetPage struct {
	Page
	Token string
}

func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "reset", &resetPage{Page: s.newPage(r, "Neues Passwort"), Token: r.URL.Query().Get("token")})
	return nil
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	p := &resetPage{Page: s.newPage(r, "Neues Passwort"), Token: r.PostForm.Get("token")}
	pw := r.PostForm.Get("password")
	var err error
	if pw != r.PostForm.Get("password2") {
		err = &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"password2": "Die beiden Passwörter stimmen nicht überein."}}
	} else {
		err = s.app.Account.ResetPassword(r.Context(), p.Token, pw)
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.EInternal {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "reset", p)
		return nil
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/anmelden?hinweis=passwort")
}

type verifyPage struct {
	Page
	OK bool
}

func (s *Server) handleVerifyEmail(w http.ResponseWriter, r *http.Request) error {
	p := &verifyPage{Page: s.newPage(r, "E-Mail-Adresse bestätigen")}
	err := s.app.Account.VerifyEmail(r.Context(), r.URL.Query().Get("token"))
	if err != nil && domain.ErrorCode(err) == domain.EInternal {
		return err
	}
	st := http.StatusOK
	if err != nil {
		p.Message, st = domain.ErrorMessage(err), httpx.Status(domain.ErrorCode(err))
	} else {
		p.OK = true
	}
	s.render(w, r, st, "verify", p)
	return nil
}

type invitationPage struct {
	Page
	Token      string
	Invitation *domain.Invitation
	Org        *domain.Organisation
	Name       string
}

func (s *Server) handleInvitationForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	inv, org, err := s.app.Account.Invitation(r.Context(), token)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "invitation", &invitationPage{Page: s.newPage(r, "Einladung"), Token: token, Invitation: inv, Org: org})
	return nil
}

func (s *Server) handleInvitationAccept(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	token := r.PathValue("token")
	inv, org, err := s.app.Account.Invitation(r.Context(), token)
	if err != nil {
		return err
	}
	name, pw := r.PostForm.Get("name"), r.PostForm.Get("password")
	_, _, session, err := s.app.Account.AcceptInvitation(r.Context(), token, name, pw, true)
	if err != nil {
		if domain.ErrorCode(err) == domain.EInternal {
			return err
		}
		p := &invitationPage{Page: s.newPage(r, "Einladung"), Token: token, Invitation: inv, Org: org, Name: name}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "invitation", p)
		return nil
	}
	if session != "" {
		// The new account is logged in at once: the link proved the address.
		s.setSessionCookie(w, session)
	}
	return redirect(w, r, "/organisationen/"+itoa(inv.OrgID)+"?hinweis=beigetreten")
}
