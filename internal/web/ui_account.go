package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type accountPage struct {
	Page
	Tokens    []domain.APIToken
	TokenName string
}

func (s *Server) accountPage(r *http.Request) (*accountPage, error) {
	tokens, err := s.app.Account.Tokens(r.Context())
	if err != nil {
		return nil, err
	}
	return &accountPage{Page: s.newPage(r, "Mein Konto"), Tokens: tokens}, nil
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
	t, value, err := s.app.Account.CreateToken(r.Context(), name)
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, perr := s.accountPage(r)
		if perr != nil {
			return perr
		}
		p.TokenName, p.Errors = name, domain.ErrorFields(err)
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
