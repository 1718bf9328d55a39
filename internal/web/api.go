package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

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
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	t, value, err := s.app.Account.CreateToken(r.Context(), strings.TrimSpace(in.Name))
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
	if in.Password == "" {
		v.Add("password", "Bitte geben Sie Ihr Passwort an.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.login(w, r, in.Email, in.Password); err != nil {
		return err
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

func (s *Server) apiMunicipalities(w http.ResponseWriter, r *http.Request) error {
	f, page, err := directoryFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.app.Directory.List(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(items, total, page))
}

func (s *Server) apiMunicipality(w http.ResponseWriter, r *http.Request) error {
	ags := r.PathValue("ags")
	if !isDigits(ags) || len(ags) > 8 {
		return domain.Errorf(domain.EBadRequest, "Ein Gemeindeschlüssel besteht aus 2 bis 8 Ziffern.")
	}
	m, _, err := s.app.Directory.Get(r.Context(), ags)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, m)
}

func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	f := domain.OrgFilter{Query: &q, Limit: pageSize, Offset: (page - 1) * pageSize}
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
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(orgs, total, page))
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
	ms, err := s.app.Account.Members(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(ms, len(ms), 1))
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

// auditList answers with one page of the audit log that list returns.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request, orgID int64,
	list func(context.Context, domain.AuditFilter) ([]domain.AuditEntry, int, error)) error {
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	f := domain.AuditFilter{OrgID: orgID, Action: r.URL.Query().Get("action"), Limit: pageSize, Offset: (page - 1) * pageSize}
	entries, total, err := list(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(entries, total, page))
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	var org int64
	if v := r.URL.Query().Get("organisation"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return domain.Errorf(domain.EBadRequest, "„organisation“ muss eine Organisations-ID sein.")
		}
		org = n
	}
	return s.auditList(w, r, org, s.app.Account.Audit)
}

func (s *Server) apiOrgAudit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.auditList(w, r, id, func(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int, error) {
		return s.app.Account.OrgAudit(ctx, id, f)
	})
}

func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	mails, total, err := s.app.Account.Outbox(r.Context(), pageSize, (page-1)*pageSize)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(mails, total, page))
}
