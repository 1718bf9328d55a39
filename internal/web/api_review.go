package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Review with four eyes and a conversation: the API.

func (s *Server) confirmDecision(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.app.Funding.ConfirmDecision(r.Context(), a.ID)
}

func (s *Server) discardDecision(r *http.Request, a *domain.Application, comment string) (*domain.Application, error) {
	return s.app.Funding.DiscardDecision(r.Context(), a.ID, comment)
}

func (s *Server) apiComments(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	cs, err := s.app.Funding.Comments(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(cs, len(cs), 1))
}

func (s *Server) apiCommentCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	var in struct {
		Body     string `json:"body"`
		Internal bool   `json:"internal"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	c, err := s.app.Funding.AddComment(r.Context(), id, in.Body, in.Internal)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, c)
}
