package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// roleSet is a list of roles that templates can ask about.
type roleSet []domain.Role

func (rs roleSet) Has(r domain.Role) bool { return slices.Contains(rs, r) }

func formRoles(vals []string) []domain.Role {
	out := make([]domain.Role, 0, len(vals))
	for _, v := range vals {
		out = append(out, domain.Role(v))
	}
	return out
}

type orgPage struct {
	Page
	Org         *domain.Organisation
	Members     []memberRow
	MemberCount int
	MoreMembers moreLink
	Invitations []domain.Invitation
	Roles       []domain.Role
	CanManage   bool
	Now         time.Time
	InviteEmail string
	InviteRoles roleSet
	// CanSeeTeam links the team overview.
	CanSeeTeam bool
	// CanHandVouchers links "Gutscheine der Kommune".
	CanHandVouchers bool
}

// memberRow is a member as the organisation page lists them, in words
// made beforehand: the template then reads only fields (issue 14,
// BenchmarkRenderPage: the roles' labels and the link written in the
// template took most of the page's time under load).
type memberRow struct {
	Name, Email string
	Roles       string // their labels, comma-separated
	Href        string // the member's page
}

func memberRows(orgID int64, ms []domain.Member) []memberRow {
	rows := make([]memberRow, len(ms))
	for i, m := range ms {
		labels := make([]string, len(m.Membership.Roles))
		for j, r := range m.Membership.Roles {
			labels[j] = r.Label()
		}
		rows[i] = memberRow{Name: m.Person.Name, Email: m.Person.Email, Roles: strings.Join(labels, ", "),
			Href: "/organisationen/" + strconv.FormatInt(orgID, 10) + "/mitglieder/" + strconv.FormatInt(m.Person.ID, 10)}
	}
	return rows
}

// orgPage loads the organisation page after asking the policy.
func (s *Server) orgPage(r *http.Request) (*orgPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	ov, err := s.app.Account.Overview(r.Context(), id, pageCursor(r, "mitglieder_nach"))
	if err != nil {
		return nil, err
	}
	return &orgPage{Page: s.newPage(r, ov.Org.Name), Org: ov.Org, Roles: domain.RolesFor(ov.Org.Kind), Now: s.now(),
		CanManage: ov.CanManage, Members: memberRows(ov.Org.ID, ov.Members), Invitations: ov.Invitations, MemberCount: ov.MemberCount,
		MoreMembers: newMoreLink(r.URL, "mitglieder_nach", ov.NextMember, "Weitere Mitglieder", "Weitere Mitglieder anzeigen",
			"Zurück zu den ersten Mitgliedern", "mitglieder"), CanSeeTeam: mayViewTeam(actor(r), ov.Org),
		CanHandVouchers: authz.Allowed(actor(r), authz.VoucherManage, authz.Resource{OrgID: ov.Org.ID})}, nil
}

func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org", p)
	return nil
}

// manageOrg reads the organisation of a members form and checks the form.
func (s *Server) manageOrg(r *http.Request) (int64, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, form(r)
}

func (s *Server) handleOrgInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := s.manageOrg(r)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	roles := formRoles(r.PostForm["roles"])
	if _, err := s.app.Account.Invite(r.Context(), id, email, roles); err != nil {
		return s.orgFormError(w, r, err, func(p *orgPage) { p.InviteEmail, p.InviteRoles = email, roles })
	}
	return redirect(w, r, "/organisationen/"+itoa(id)+"?hinweis=eingeladen#einladen")
}

// orgFormError shows the organisation page again with the error of a form.
func (s *Server) orgFormError(w http.ResponseWriter, r *http.Request, err error, fill func(*orgPage)) error {
	code := domain.ErrorCode(err)
	if code == domain.EInternal || code == domain.ENotFound || code == domain.EForbidden {
		return err
	}
	p, perr := s.orgPage(r)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	if fill != nil {
		fill(p)
	}
	s.render(w, r, httpx.Status(code), "org", p)
	return nil
}

func (s *Server) handleOrgRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := s.manageOrg(r)
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
	return redirect(w, r, "/organisationen/"+itoa(id)+"?hinweis=einladung-zurueck")
}

// orgMemberPage is one member's page: their roles and removal.
type orgMemberPage struct {
	Page
	Org    *domain.Organisation
	Member *domain.Member
	Roles  []domain.Role
	// Chosen are the roles ticked (the member's, or the refused form's).
	Chosen roleSet
}

func (s *Server) orgMemberPage(r *http.Request) (*orgMemberPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return nil, err
	}
	m, org, err := s.app.Account.Member(r.Context(), id, person)
	if err != nil {
		return nil, err
	}
	return &orgMemberPage{Page: s.newPage(r, m.Person.Name+": "+org.Name), Org: org, Member: m,
		Roles: domain.RolesFor(org.Kind), Chosen: roleSet(m.Membership.Roles)}, nil
}

func (s *Server) handleOrgMember(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgMemberPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org_member", p)
	return nil
}

// orgMemberError shows the member's page again with the error of its form
// (the ticked roles kept).
func (s *Server) orgMemberError(w http.ResponseWriter, r *http.Request, err error, chosen []domain.Role) error {
	code := domain.ErrorCode(err)
	if code == domain.EInternal || code == domain.ENotFound || code == domain.EForbidden {
		return err
	}
	p, perr := s.orgMemberPage(r)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	if chosen != nil {
		p.Chosen = chosen
	}
	s.render(w, r, httpx.Status(code), "org_member", p)
	return nil
}

func (s *Server) handleOrgSetRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := s.manageOrg(r)
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	roles := formRoles(r.PostForm["roles"])
	if _, err := s.app.Account.SetRoles(r.Context(), id, person, roles); err != nil {
		return s.orgMemberError(w, r, err, roles)
	}
	return redirect(w, r, "/organisationen/"+itoa(id)+"/mitglieder/"+itoa(person)+"?hinweis=rollen")
}

func (s *Server) handleOrgRemoveMember(w http.ResponseWriter, r *http.Request) error {
	id, err := s.manageOrg(r)
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	if err := s.app.Account.RemoveMember(r.Context(), id, person); err != nil {
		return s.orgMemberError(w, r, err, nil)
	}
	return redirect(w, r, "/organisationen/"+itoa(id)+"?hinweis=entfernt#mitglieder")
}
