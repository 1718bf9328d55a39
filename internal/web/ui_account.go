package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type accountPage struct {
	Page
	Tokens    []domain.APIToken
	TokenName string
	// Form names the form whose errors the page shows: "name",
	// "password", "email" or "token". PersonName and NewEmail keep what
	// was typed; passwords are never sent back.
	Form       string
	PersonName string
	NewEmail   string
	// TokenLifetime (days) and TokenScope keep the choices of the token
	// form (tokens_form.go).
	TokenLifetime string
	TokenScope    string
	now           time.Time
}

// Now is the time the token list compares expiry with.
func (p *accountPage) Now() time.Time { return p.now }

// Lifetime is the chosen lifetime in days (default 90).
func (p *accountPage) Lifetime() string {
	if p.TokenLifetime == "" {
		return "90"
	}
	return p.TokenLifetime
}

// Scope is the chosen scope (default reading only).
func (p *accountPage) Scope() string {
	if p.TokenScope == "" {
		return "read"
	}
	return p.TokenScope
}

// LifetimeChoices are the lifetimes the form offers, in days.
func (p *accountPage) LifetimeChoices() []int { return domain.TokenLifetimeDays }

// scopeChoice is one radio button of the token form.
type scopeChoice struct{ ID, Value, Label string }

// ScopeChoices are the scopes the form offers.
func (p *accountPage) ScopeChoices() []scopeChoice {
	out := make([]scopeChoice, len(tokenScopeChoices))
	for i, c := range tokenScopeChoices {
		out[i] = scopeChoice{ID: strings.ReplaceAll(c.Value, ",", "-"), Value: c.Value, Label: c.Label}
	}
	return out
}

func (s *Server) accountPage(r *http.Request) (*accountPage, error) {
	tokens, err := s.app.Account.Tokens(r.Context())
	if err != nil {
		return nil, err
	}
	p := &accountPage{Page: s.newPage(r, "Mein Konto"), Tokens: tokens, now: s.app.Now()}
	if !p.Actor.Anonymous() {
		p.PersonName = p.Actor.Person.Name
	}
	return p, nil
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}

func (s *Server) handleAccountVerify(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Account.RequestVerification(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/konto?hinweis=bestaetigung")
}

type tokenCreatedPage struct {
	Page
	Token *domain.APIToken
	Value string
}

func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	nt, lifetime, scope, err := tokenForm(r, s.app.Now())
	nt.Name = name
	var t *domain.APIToken
	var value string
	if err == nil {
		t, value, err = s.app.Account.CreateToken(r.Context(), nt)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, perr := s.accountPage(r)
		if perr != nil {
			return perr
		}
		p.TokenName, p.Errors, p.Form = name, domain.ErrorFields(err), "token"
		p.TokenLifetime, p.TokenScope = lifetime, scope
		s.render(w, r, http.StatusUnprocessableEntity, "account", p)
		return nil
	}
	s.render(w, r, http.StatusOK, "token_created", &tokenCreatedPage{Page: s.newPage(r, "API-Schlüssel angelegt"), Token: t, Value: value})
	return nil
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Account.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/konto?hinweis=token-widerrufen")
}

// accountFormError shows the account page again with the German messages of
// err next to the fields of form, and what was typed (keep); errors that are
// not about the input go to the error page.
func (s *Server) accountFormError(w http.ResponseWriter, r *http.Request, err error, form string, keep func(p *accountPage)) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict && code != domain.ERateLimited {
		return err
	}
	p, perr := s.accountPage(r)
	if perr != nil {
		return perr
	}
	p.Form, p.Errors, p.Message = form, domain.ErrorFields(err), domain.ErrorMessage(err)
	if keep != nil {
		keep(p)
	}
	s.render(w, r, httpx.Status(code), "account", p)
	return nil
}

func (s *Server) handleAccountName(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	name := r.PostForm.Get("person_name")
	if _, err := s.app.Account.UpdateName(r.Context(), name); err != nil {
		// The service names the field "name"; on this page it is person_name.
		if f := domain.ErrorFields(err); f["name"] != "" {
			err = &domain.Error{Code: domain.ErrorCode(err), Message: domain.ErrorMessage(err), Fields: map[string]string{"person_name": f["name"]}}
		}
		return s.accountFormError(w, r, err, "name", func(p *accountPage) { p.PersonName = name })
	}
	return redirect(w, r, "/konto?hinweis=name")
}

func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	next := r.PostForm.Get("new")
	var err error
	var session string
	if next != r.PostForm.Get("new2") {
		err = &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"new2": "Die beiden neuen Passwörter stimmen nicht überein."}}
	} else {
		session, err = s.app.Account.ChangePassword(r.Context(), r.PostForm.Get("current"), next, state(r).sessionToken != "")
	}
	if err != nil {
		return s.accountFormError(w, r, err, "password", nil)
	}
	if session != "" {
		s.setSessionCookie(w, session)
	}
	return redirect(w, r, "/konto?hinweis=passwort-geaendert")
}

func (s *Server) handleAccountEmail(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	if err := s.app.Account.RequestEmailChange(r.Context(), email); err != nil {
		return s.accountFormError(w, r, err, "email", func(p *accountPage) { p.NewEmail = email })
	}
	return redirect(w, r, "/konto?hinweis=email-link")
}

type emailChangePage struct {
	Page
	Token string
	OK    bool
}

// handleEmailChangeForm shows the button that confirms a new address: the
// link in the mail only opens this page, so a mail scanner that follows
// links changes nothing.
func (s *Server) handleEmailChangeForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "email_change", &emailChangePage{Page: s.newPage(r, "Neue E-Mail-Adresse bestätigen"),
		Token: r.URL.Query().Get("token")})
	return nil
}

func (s *Server) handleEmailChange(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	p := &emailChangePage{Page: s.newPage(r, "Neue E-Mail-Adresse bestätigen"), Token: r.PostForm.Get("token")}
	if _, err := s.app.Account.ConfirmEmailChange(r.Context(), p.Token); err != nil {
		if domain.ErrorCode(err) == domain.EInternal {
			return err
		}
		p.Message = domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "email_change", p)
		return nil
	}
	if !p.Actor.Anonymous() {
		return redirect(w, r, "/konto?hinweis=email-geaendert")
	}
	p.OK, p.Token = true, ""
	s.render(w, r, http.StatusOK, "email_change", p)
	return nil
}
