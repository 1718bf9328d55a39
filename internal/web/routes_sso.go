package web

import (
	"net/http"
	"net/url"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// ssoRoutes registers single sign-on: the login through a provider, the
// provider's callback, and an organisation's password login setting.
func (s *Server) ssoRoutes(mux *routeTable) {
	mux.HandleFunc("GET /anmelden/sso/{provider}", s.page(s.handleSSOStart))
	mux.HandleFunc("GET /anmelden/sso/{provider}/zurueck", s.page(s.handleSSOCallback))
	mux.HandleFunc("GET /organisationen/{id}/anmeldung", s.page(s.handleOrgLogin))
	mux.HandleFunc("POST /organisationen/{id}/anmeldung", s.page(s.handleOrgLoginSave))
	mux.HandleFunc("GET /api/v1/organisations/{id}/login-settings", s.api(s.apiOrgLoginSettings))
	mux.HandleFunc("PUT /api/v1/organisations/{id}/login-settings", s.api(s.apiSetOrgLoginSettings))
}

// ssoButton is a login button of a sign-on provider.
type ssoButton struct{ Href, Label string }

// ssoButtons lists the buttons of the configured sign-on providers, each
// carrying where to go after the login.
func (s *Server) ssoButtons(next string) []ssoButton {
	var out []ssoButton
	for _, p := range s.app.Account.SSOProviders() {
		href := "/anmelden/sso/" + url.PathEscape(p.ID)
		if next != "/" {
			href += "?weiter=" + url.QueryEscape(next)
		}
		out = append(out, ssoButton{Href: href, Label: p.Label})
	}
	return out
}

// ssoErrorPage is the German page of a failed single sign-on, with the way
// back to the login.
type ssoErrorPage struct {
	Page
	Next string
}

// ssoError renders a failed sign-on as a page; internal errors go to the
// common error page (and the log).
func (s *Server) ssoError(w http.ResponseWriter, r *http.Request, err error, next string) error {
	code := domain.ErrorCode(err)
	if code == domain.EInternal {
		return err
	}
	s.log.WarnContext(r.Context(), "single sign-on failed", "path", r.URL.Path, "err", err)
	p := &ssoErrorPage{Page: s.newPage(r, "Anmeldung nicht möglich"), Next: next}
	p.Message = domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(code), "sso_error", p)
	return nil
}

func (s *Server) handleSSOStart(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("weiter"))
	to, err := s.app.Account.StartSSO(r.Context(), r.PathValue("provider"), next, loginAddr(r))
	if err != nil {
		return s.ssoError(w, r, err, next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	session, next, err := s.app.Account.FinishSSO(r.Context(), account.SSOCallback{Provider: r.PathValue("provider"),
		State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error")}, state(r).sessionToken)
	if err != nil {
		return s.ssoError(w, r, err, "/")
	}
	s.setSessionCookie(w, session)
	return s.afterLogin(w, r, safeNext(next))
}

// orgLoginPage is an organisation's login setting.
type orgLoginPage struct {
	Page
	Org           *domain.Organisation
	PasswordLogin bool
	Providers     []string
}

func (s *Server) orgLoginPage(r *http.Request) (*orgLoginPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	on, err := s.app.Account.PasswordLogin(r.Context(), id)
	if err != nil {
		return nil, err
	}
	o, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &orgLoginPage{Page: s.newPage(r, "Anmeldung: "+o.Name), Org: o, PasswordLogin: on}
	for _, pr := range s.app.Account.SSOProviders() {
		p.Providers = append(p.Providers, pr.Label)
	}
	return p, nil
}

func (s *Server) handleOrgLogin(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgLoginPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org_login", p)
	return nil
}

func (s *Server) handleOrgLoginSave(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	// The page (and the policy) first, so that only who may change the
	// setting learns about the form's errors.
	p, err := s.orgLoginPage(r)
	if err != nil {
		return err
	}
	v := r.PostForm.Get("password_login")
	if v != "an" && v != "aus" {
		err = &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Angaben.",
			Fields: map[string]string{"password_login": "Bitte wählen Sie, wie sich die Mitglieder anmelden."}}
	} else {
		err = s.app.Account.SetPasswordLogin(r.Context(), p.Org.ID, v == "an")
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EInternal || code == domain.ENotFound || code == domain.EForbidden || code == domain.EUnauthorized {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "org_login", p)
		return nil
	}
	return redirect(w, r, "/organisationen/"+itoa(p.Org.ID)+"/anmeldung?hinweis=anmeldeart")
}

// loginSettings is an organisation's login setting in the API.
type loginSettings struct {
	PasswordLogin *bool `json:"password_login"`
}

func (s *Server) apiOrgLoginSettings(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	on, err := s.app.Account.PasswordLogin(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, loginSettings{PasswordLogin: &on})
}

func (s *Server) apiSetOrgLoginSettings(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.app.Account.PasswordLogin(r.Context(), id); err != nil {
		return err // the policy first
	}
	var in loginSettings
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if in.PasswordLogin == nil {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Angaben.",
			Fields: map[string]string{"password_login": "Bitte geben Sie an, ob die Anmeldung mit Passwort erlaubt ist (true oder false)."}}
	}
	if err := s.app.Account.SetPasswordLogin(r.Context(), id, *in.PasswordLogin); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, in)
}

// ssoLogoutPage sends the browser on to the provider's logout after the
// local session ended. A redirect of the logout form's POST would break the
// page's form-action 'self' policy, so the page moves on by a Refresh
// header (no script needed) and links the provider's logout as well.
func (s *Server) ssoLogoutPage(w http.ResponseWriter, r *http.Request, to string) error {
	w.Header().Set("Refresh", "0; url="+to)
	p := &ssoLogoutPage{Page: s.newPage(r, "Abmelden"), To: to}
	p.Actor = nil
	s.render(w, r, http.StatusOK, "sso_logout", p)
	return nil
}

// ssoLogoutPage is the page between the local logout and the provider's.
type ssoLogoutPage struct {
	Page
	To string
}
