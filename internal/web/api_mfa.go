package web

import (
	"net/http"
	"net/url"

	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
func urlPathEscape(s string) string  { return url.PathEscape(s) }

func (s *Server) apiSecondFactor(w http.ResponseWriter, r *http.Request) error {
	f, err := s.app.Account.SecondFactor(r.Context(), "")
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, f)
}

// mfaRequirement is the requirement of an organisation or programme.
type mfaRequirement struct {
	Required bool `json:"required"`
}

func (s *Server) apiOrgMFA(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	on, err := s.app.Account.OrgRequiresMFA(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, mfaRequirement{Required: on})
}

func (s *Server) apiOrgMFASet(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in mfaRequirement
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Account.SetOrgRequireMFA(r.Context(), id, in.Required); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, in)
}

func (s *Server) apiProgrammeMFA(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := s.app.Funding.Programme(r.Context(), id); err != nil {
		return err
	}
	on, err := s.app.Account.ProgrammeRequiresMFA(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, mfaRequirement{Required: on})
}

func (s *Server) apiProgrammeMFASet(w http.ResponseWriter, r *http.Request) error {
	var in mfaRequirement
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Account.SetProgrammeRequireMFA(r.Context(), r.PathValue("id"), in.Required); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, in)
}
