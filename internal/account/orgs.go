package account

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Me is what the acting person may know about themselves.
type Me struct {
	Person      *domain.Person
	Memberships []domain.Membership
	// Admin says whether the person may enter the administration area.
	Admin bool
}

// Me returns the acting person with their memberships.
func (s *Service) Me(ctx context.Context) (me *Me, err error) {
	defer domain.Wrap(&err, "account.Me")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountView, authz.Resource{}); err != nil {
		return nil, err
	}
	ms := a.Memberships
	if ms == nil {
		ms = []domain.Membership{}
	}
	return &Me{Person: a.Person, Memberships: ms, Admin: authz.Allowed(a, authz.AdminArea, authz.Resource{})}, nil
}

// Organisations lists organisations by name: the platform's admins see all,
// everyone else their own.
func (s *Service) Organisations(ctx context.Context, f domain.OrgFilter) (orgs []domain.Organisation, total int, err error) {
	defer domain.Wrap(&err, "account.Organisations")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountView, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	if all, personID := authz.OrgListScope(a); !all {
		f.PersonID = &personID
	}
	return s.db.Organisations(ctx, f)
}

// AllOrganisations lists every organisation, for the administration area.
func (s *Service) AllOrganisations(ctx context.Context, f domain.OrgFilter) (orgs []domain.Organisation, total int, err error) {
	defer domain.Wrap(&err, "account.AllOrganisations")
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgAdmin, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	f.PersonID = nil
	return s.db.Organisations(ctx, f)
}

// CreateOrganisation creates an organisation and, with adminEmail, invites
// its first account_admin, in one transaction.
func (s *Service) CreateOrganisation(ctx context.Context, o *domain.Organisation, adminEmail string) (err error) {
	defer domain.Wrap(&err, "account.CreateOrganisation")
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgAdmin, authz.Resource{}); err != nil {
		return err
	}
	if adminEmail != "" && !domain.ValidEmail(domain.NormalizeEmail(adminEmail)) {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"admin_email": "Bitte geben Sie eine gültige E-Mail-Adresse an."}}
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrganisation(ctx, o); err != nil {
			return err
		}
		if adminEmail == "" {
			return nil
		}
		_, err := s.invite(ctx, tx, o.ID, adminEmail, []domain.Role{domain.RoleAccountAdmin})
		return err
	})
}

// Organisation returns an organisation its members (and admins) may see.
func (s *Service) Organisation(ctx context.Context, id int64) (o *domain.Organisation, err error) {
	defer domain.Wrap(&err, "account.Organisation(%d)", id)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgView, authz.Resource{OrgID: id}); err != nil {
		return nil, err
	}
	return s.db.Organisation(ctx, id)
}

// OrgOverview is the organisation page: its members, and for those who
// manage them, the invitations.
type OrgOverview struct {
	Org *domain.Organisation
	// Members is the first page of members (OverviewMembers of them, in
	// the order they joined); MemberCount counts all, NextMember is where
	// the next page starts (0: none).
	Members     []domain.Member
	MemberCount int
	NextMember  int64
	Invitations []domain.Invitation
	CanManage   bool
}

// OverviewMembers is the number of members an organisation's overview
// shows at once.
const OverviewMembers = 50

// Overview returns the organisation with a page of its members (after the
// person with ID after; 0 for the first) and, for those who may manage
// them, its invitations.
func (s *Service) Overview(ctx context.Context, id, after int64) (ov *OrgOverview, err error) {
	defer domain.Wrap(&err, "account.Overview(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.OrgView, authz.Resource{OrgID: id}); err != nil {
		return nil, err
	}
	ov = &OrgOverview{CanManage: authz.Allowed(a, authz.OrgManageMembers, authz.Resource{OrgID: id})}
	if ov.Org, err = s.db.Organisation(ctx, id); err != nil {
		return nil, err
	}
	if ov.Members, ov.NextMember, err = s.membersPage(ctx, id, after, OverviewMembers); err != nil {
		return nil, err
	}
	if ov.MemberCount, err = s.db.MemberCount(ctx, id); err != nil {
		return nil, err
	}
	if ov.CanManage {
		if ov.Invitations, err = s.db.Invitations(ctx, id); err != nil {
			return nil, err
		}
	}
	return ov, nil
}

// Members lists an organisation's members with their roles.
func (s *Service) Members(ctx context.Context, orgID int64) (ms []domain.Member, err error) {
	defer domain.Wrap(&err, "account.Members(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgView, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.db.Members(ctx, orgID)
}

// MembersPage lists up to limit members of an organisation after the
// person with ID after (0: from the first), in the order they joined, and
// where the next page starts (0: none).
func (s *Service) MembersPage(ctx context.Context, orgID, after int64, limit int) (ms []domain.Member, next int64, err error) {
	defer domain.Wrap(&err, "account.MembersPage(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgView, authz.Resource{OrgID: orgID}); err != nil {
		return nil, 0, err
	}
	return s.membersPage(ctx, orgID, after, limit)
}

// MemberCount counts an organisation's members.
func (s *Service) MemberCount(ctx context.Context, orgID int64) (n int, err error) {
	defer domain.Wrap(&err, "account.MemberCount(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgView, authz.Resource{OrgID: orgID}); err != nil {
		return 0, err
	}
	return s.db.MemberCount(ctx, orgID)
}

func (s *Service) membersPage(ctx context.Context, orgID, after int64, limit int) ([]domain.Member, int64, error) {
	if limit <= 0 || limit > store.MaxPage {
		limit = OverviewMembers
	}
	ms, err := s.db.MembersPage(ctx, orgID, after, limit+1)
	if err != nil || len(ms) <= limit {
		return ms, 0, err
	}
	ms = ms[:limit]
	return ms, ms[limit-1].Person.ID, nil
}

// SetRoles changes the roles of an existing member and returns the member;
// membership itself comes only from an invitation, and it ends with
// Member returns one member of an organisation with their roles, for
// those who manage its members (the page where roles are changed).
func (s *Service) Member(ctx context.Context, orgID, personID int64) (m *domain.Member, org *domain.Organisation, err error) {
	defer domain.Wrap(&err, "account.Member(%d, %d)", orgID, personID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return nil, nil, err
	}
	if org, err = s.db.Organisation(ctx, orgID); err != nil {
		return nil, nil, err
	}
	if m, err = s.db.Member(ctx, orgID, personID); err != nil {
		return nil, nil, err
	}
	return m, org, nil
}

// RemoveMember, not with an empty set of roles.
func (s *Service) SetRoles(ctx context.Context, orgID, personID int64, roles []domain.Role) (m *domain.Member, err error) {
	defer domain.Wrap(&err, "account.SetRoles(%d, %d)", orgID, personID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	if _, err := s.db.Member(ctx, orgID, personID); err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie mindestens eine Rolle. Um eine Person zu entfernen, nutzen Sie „Entfernen“.",
			Fields: map[string]string{"roles": "Bitte wählen Sie mindestens eine Rolle."}}
	}
	if err := s.db.Transact(ctx, func(tx *store.Tx) error { return SetRolesInTx(ctx, tx, orgID, personID, roles) }); err != nil {
		return nil, err
	}
	m, err = s.db.Member(ctx, orgID, personID)
	if domain.ErrorCode(err) == domain.ErrorCode(domain.ErrNotMember) {
		return nil, domain.ErrNotFound
	}
	return m, err
}

// RemoveMember ends a person's membership; the last account_admin stays.
func (s *Service) RemoveMember(ctx context.Context, orgID, personID int64) (err error) {
	defer domain.Wrap(&err, "account.RemoveMember(%d, %d)", orgID, personID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return err
	}
	return s.db.RemoveMember(ctx, orgID, personID)
}
