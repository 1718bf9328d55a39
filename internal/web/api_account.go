package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/account"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type meResponse struct {
	*domain.Person
	Memberships []domain.Membership `json:"memberships"`
	Admin       bool                `json:"admin"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	me, err := s.app.Account.Me(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, meResponse{Person: me.Person, Memberships: me.Memberships, Admin: me.Admin})
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.app.Account.Tokens(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(tokens, len(tokens), 1))
}

type tokenCreated struct {
	domain.APIToken
	Token string `json:"token"`
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
		// ExpiresAt: when the token stops working (RFC 3339); default
		// 90 days, at most a year.
		ExpiresAt time.Time `json:"expires_at"`
		// Scopes: read, bookings, vouchers, or full (the default).
		Scopes []domain.TokenScope `json:"scopes"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	t, value, err := s.app.Account.CreateToken(r.Context(), domain.NewToken{Name: strings.TrimSpace(in.Name), ExpiresAt: in.ExpiresAt, Scopes: in.Scopes})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, tokenCreated{APIToken: *t, Token: value})
}

func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Account.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiRequestVerification(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Account.RequestVerification(r.Context()); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "sent"})
}

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// PasswordKey is the password's argon2id key under the parameters of
	// POST /api/v1/auth/login-params, in hexadecimal: with it, the server
	// computes no argon2id for an account whose hash is current.
	PasswordKey string `json:"password_key"`
}

// apiLoginParams answers with what a client computes the key of a
// password with (argon2id's salt and parameters) for an address. An address
// without an account gets made-up parameters that stay the same.
func (s *Server) apiLoginParams(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Email) == "" || len(in.Email) > 320 {
		v := domain.Validation{}
		v.Add("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
		return v.Err()
	}
	pp, err := s.app.Account.LoginParams(r.Context(), in.Email)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, loginParams{Algorithm: "argon2id", Version: 19, Salt: pp.Salt,
		MemoryKiB: pp.MemoryKiB, Iterations: pp.Iterations, Parallelism: pp.Parallelism, KeyLength: pp.KeyLength})
}

// loginParams is the answer of apiLoginParams (salt in base64).
type loginParams struct {
	Algorithm   string `json:"algorithm"`
	Version     int    `json:"version"`
	Salt        []byte `json:"salt"`
	MemoryKiB   uint32 `json:"memory_kib"`
	Iterations  uint32 `json:"iterations"`
	Parallelism uint8  `json:"parallelism"`
	KeyLength   uint32 `json:"key_length"`
}

// apiLogin starts a browser session (cookie); integrations use API tokens.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	v := domain.Validation{}
	if strings.TrimSpace(in.Email) == "" {
		v.Add("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
	}
	key, keyOK := loginKey(in.PasswordKey)
	switch {
	case in.PasswordKey != "" && !keyOK:
		v.Add("password_key", "Der Schlüssel des Passworts muss aus 64 Hexadezimalziffern bestehen.")
	case in.Password == "" && in.PasswordKey == "":
		v.Add("password", "Bitte geben Sie Ihr Passwort an.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.login(w, r, in.Email, account.Credential{Password: in.Password, Key: key}); err != nil {
		return err
	}
	if token := newSessionCookie(w); s.app.Account.SessionPending(r.Context(), token) {
		// A session started over the API cannot give a second factor:
		// it ends, and the person logs in in the browser or uses a token.
		if err := s.app.Account.Logout(r.Context(), token); err != nil {
			return err
		}
		s.clearSessionCookie(w)
		return errAPISecondFactor
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Account.Logout(r.Context(), state(r).sessionToken); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiPasswordReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if !domain.ValidEmail(domain.NormalizeEmail(in.Email)) {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte geben Sie eine gültige E-Mail-Adresse an.",
			Fields: map[string]string{"email": "Bitte geben Sie eine gültige E-Mail-Adresse an."}}
	}
	if err := s.app.Account.RequestPasswordReset(r.Context(), in.Email); err != nil {
		return err
	}
	// The same answer whether or not the account exists.
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
}

func (s *Server) apiPasswordResetConfirm(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Account.ResetPassword(r.Context(), in.Token, in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiVerifyEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Account.VerifyEmail(r.Context(), in.Token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Own account changes.

func (s *Server) apiUpdateMe(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name *string `json:"name"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if in.Name == nil {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"name": "Bitte geben Sie Ihren Namen an."}}
	}
	p, err := s.app.Account.UpdateName(r.Context(), *in.Name)
	if err != nil {
		return err
	}
	me, err := s.app.Account.Me(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, meResponse{Person: p, Memberships: me.Memberships, Admin: me.Admin})
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current string `json:"current"`
		New     string `json:"new"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	// A browser session that changes the password gets a fresh session;
	// a request with an API token keeps using its token.
	session, err := s.app.Account.ChangePassword(r.Context(), in.Current, in.New, state(r).sessionToken != "")
	if err != nil {
		return err
	}
	if session != "" {
		s.setSessionCookie(w, session)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiChangeEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Account.RequestEmailChange(r.Context(), in.Email); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "sent"})
}

func (s *Server) apiConfirmEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.app.Account.ConfirmEmailChange(r.Context(), in.Token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
