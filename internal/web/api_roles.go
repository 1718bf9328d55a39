package web

import (
	"encoding/json"
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The API of role profiles, team gaps and demand signals.

// roleProfileRequest is the body of POST and PUT on a role profile. The
// read-only fields of a profile are accepted and ignored, so that a client
// can PUT back what it read.
type roleProfileRequest struct {
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Targets     []domain.RoleTarget `json:"targets"`
	roleProfileReadOnly
}

// roleProfileReadOnly are the fields of a role profile the server sets.
type roleProfileReadOnly struct {
	ID       json.RawMessage `json:"id"`
	OrgID    json.RawMessage `json:"organisation"`
	Template json.RawMessage `json:"template"`
	Members  json.RawMessage `json:"members"`
	// MemberCount counts the people (matching: role profiles name the
	// first domain.RoleMembersShown).
	MemberCount json.RawMessage `json:"member_count"`
	UpdatedAt   json.RawMessage `json:"updated_at"`
}

func (q roleProfileRequest) profile() *domain.RoleProfile {
	return &domain.RoleProfile{Name: q.Name, Description: q.Description, Targets: q.Targets}
}

// orgAndProfile reads {id} and {pid}.
func orgAndProfile(r *http.Request) (int64, int64, error) {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	pid, err := httpx.PathID(r, "pid")
	return org, pid, err
}

func (s *Server) apiRoleProfiles(w http.ResponseWriter, r *http.Request) error {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	ps, err := s.app.Matching.RoleProfiles(r.Context(), org)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": ps})
}

func (s *Server) apiRoleProfileCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var req roleProfileRequest
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	p, err := s.app.Matching.CreateRoleProfile(r.Context(), org, req.profile())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, p)
}

func (s *Server) apiRoleProfile(w http.ResponseWriter, r *http.Request) error {
	org, pid, err := orgAndProfile(r)
	if err != nil {
		return err
	}
	p, err := s.app.Matching.RoleProfile(r.Context(), org, pid)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) apiRoleProfileUpdate(w http.ResponseWriter, r *http.Request) error {
	org, pid, err := orgAndProfile(r)
	if err != nil {
		return err
	}
	var req roleProfileRequest
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	p, err := s.app.Matching.UpdateRoleProfile(r.Context(), org, pid, req.profile())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) apiRoleProfileDelete(w http.ResponseWriter, r *http.Request) error {
	org, pid, err := orgAndProfile(r)
	if err != nil {
		return err
	}
	if err := s.app.Matching.DeleteRoleProfile(r.Context(), org, pid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiRoleProfileMembers replaces the people assigned: {"persons": [IDs]}.
func (s *Server) apiRoleProfileMembers(w http.ResponseWriter, r *http.Request) error {
	org, pid, err := orgAndProfile(r)
	if err != nil {
		return err
	}
	var req struct {
		Persons []int64 `json:"persons"`
	}
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	p, err := s.app.Matching.SetRoleMembers(r.Context(), org, pid, req.Persons)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, p)
}

// apiTeamGaps is the team gaps per role profile, with min_group_size.
func (s *Server) apiTeamGaps(w http.ResponseWriter, r *http.Request) error {
	org, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	gs, err := s.app.Matching.TeamGaps(r.Context(), org)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"min_group_size": domain.MinGroupSize, "profiles": gs})
}

// apiDemand is the provider's demand signals; ?district= picks a district
// (default: the provider's region).
func (s *Server) apiDemand(w http.ResponseWriter, r *http.Request) error {
	pid, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Matching.Demand(r.Context(), pid, r.URL.Query().Get("district"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, d)
}
