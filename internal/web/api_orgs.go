package web

import (
	"net/http"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// apiOrgs is a page of organisations by name: further pages with
// "cursor" ("page" stays for older clients); total counts up to 10,000
// and one more.
func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) error {
	win, err := apiListWindow(r, pageSize)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	f := domain.OrgFilter{Query: &q, After: win.After, Limit: win.Limit + 1, Offset: win.Offset}
	if k := r.URL.Query().Get("kind"); k != "" {
		kind := domain.OrgKind(k)
		if !kind.Valid() {
			return domain.Errorf(domain.EBadRequest, "Unbekannte Art der Organisation: %q.", k)
		}
		f.Kind = &kind
	}
	// Everyone sees their own organisations; only admins see all.
	orgs, total, err := s.app.Account.Organisations(r.Context(), f)
	if err != nil {
		return err
	}
	orgs, next := cutPage(orgs, win.Limit, orgCursor)
	return httpx.WriteJSON(w, http.StatusOK, keyList(orgs, total, win.Page, next))
}

func (s *Server) apiOrgCreate(w http.ResponseWriter, r *http.Request) error {
	var in createOrgInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	org, err := s.createOrg(r, in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, org)
}

func (s *Server) apiOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	org, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, org)
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	after, limit, err := apiCursor(r, 100)
	if err != nil {
		return err
	}
	ms, next, err := s.app.Account.MembersPage(r.Context(), id, after, limit)
	if err != nil {
		return err
	}
	total, err := s.app.Account.MemberCount(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, newCursorList(ms, total, next))
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	var in struct {
		Roles []domain.Role `json:"roles"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	m, err := s.app.Account.SetRoles(r.Context(), id, person, in.Roles)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, m)
}

func (s *Server) apiRemoveMember(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	if err := s.app.Account.RemoveMember(r.Context(), id, person); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiInvitations(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	invs, err := s.app.Account.Invitations(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(invs, len(invs), 1))
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Email string        `json:"email"`
		Roles []domain.Role `json:"roles"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	inv, err := s.app.Account.Invite(r.Context(), id, in.Email, in.Roles)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, inv)
}

func (s *Server) apiRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	inv, err := httpx.PathID(r, "inv")
	if err != nil {
		return err
	}
	if err := s.app.Account.RevokeInvitation(r.Context(), id, inv); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	inv, personID, _, err := s.app.Account.AcceptInvitation(r.Context(), r.PathValue("token"), in.Name, in.Password, false)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]int64{"organisation_id": inv.OrgID, "person_id": personID})
}
