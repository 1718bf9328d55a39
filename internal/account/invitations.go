package account

import (
	"context"
	"slices"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// invitationMail is the data of the invitation mail.
type invitationMail struct {
	Org, From, Token string
	Roles            []string
}

// Invite invites an address into the organisation with roles and mails the
// invitation link. Members and addresses with an open invitation are refused.
func (s *Service) Invite(ctx context.Context, orgID int64, email string, roles []domain.Role) (inv *domain.Invitation, err error) {
	defer domain.Wrap(&err, "account.Invite(%d)", orgID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) (err error) {
		inv, err = s.invite(ctx, tx, orgID, email, roles)
		return err
	})
	return inv, err
}

// invite is Invite inside tx, after the policy was asked.
func (s *Service) invite(ctx context.Context, tx *store.Tx, orgID int64, email string, roles []domain.Role) (*domain.Invitation, error) {
	a := domain.ActorFrom(ctx)
	inv := &domain.Invitation{OrgID: orgID, Email: domain.NormalizeEmail(email), InvitedBy: a.PersonID()}
	v := domain.Validation{}
	if !domain.ValidEmail(inv.Email) {
		v.Add("email", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de.")
	}
	if len(roles) == 0 {
		v.Add("roles", "Bitte wählen Sie mindestens eine Rolle.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	o, err := tx.Organisation(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if inv.Roles, err = domain.ValidateRoles(o.Kind, roles); err != nil {
		return nil, &domain.Error{Code: domain.EInvalid, Message: domain.ErrorMessage(err), Fields: map[string]string{"roles": domain.ErrorMessage(err)}}
	}
	// Two invitations to one address at once must not both find none open.
	if err := tx.LockOrg(ctx, orgID); err != nil {
		return nil, err
	}
	member, open, err := tx.InvitationConflicts(ctx, orgID, inv.Email)
	switch {
	case err != nil:
		return nil, err
	case member:
		return nil, domain.ErrAlreadyMember
	case open:
		return nil, domain.ErrInvitationOpen
	}
	token, err := tx.CreateInvitation(ctx, inv)
	if err != nil {
		return nil, err
	}
	m := invitationMail{Org: o.Name, From: "Jemand", Token: token}
	if !a.Anonymous() {
		m.From = a.Person.Name
	}
	for _, r := range inv.Roles {
		m.Roles = append(m.Roles, r.Label())
	}
	if err := s.notify.Enqueue(ctx, tx, inv.Email, "account-invitation", m); err != nil {
		return nil, err
	}
	return inv, tx.Audit(ctx, orgID, "invitation.create", "invitation", inv.ID, map[string]any{"roles": inv.Roles}) // the invitation by ID, without its address (privacy)
}

// Invitations lists an organisation's invitations, newest first.
func (s *Service) Invitations(ctx context.Context, orgID int64) (invs []domain.Invitation, err error) {
	defer domain.Wrap(&err, "account.Invitations(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.db.Invitations(ctx, orgID)
}

// RevokeInvitation withdraws an open invitation of the organisation.
func (s *Service) RevokeInvitation(ctx context.Context, orgID, id int64) (err error) {
	defer domain.Wrap(&err, "account.RevokeInvitation(%d, %d)", orgID, id)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgManageMembers, authz.Resource{OrgID: orgID}); err != nil {
		return err
	}
	return s.db.RevokeInvitation(ctx, orgID, id)
}

// Invitation returns the open invitation of a link's token and its
// organisation; anyone with the link may see it.
func (s *Service) Invitation(ctx context.Context, token string) (inv *domain.Invitation, org *domain.Organisation, err error) {
	defer domain.Wrap(&err, "account.Invitation")
	inv, err = s.db.InvitationByToken(ctx, token)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !inv.Open(s.db.Now())) {
		return nil, nil, domain.ErrInvitationGone
	} else if err != nil {
		return nil, nil, err
	}
	org, err = s.db.Organisation(ctx, inv.OrgID)
	return inv, org, err
}

// AcceptInvitation accepts an invitation. A visitor who is not logged in
// gets an account from name and password (the address is the invitation's
// and counts as verified, since the link reached it); a logged-in person
// joins if the invitation is for their address. Roles already held in the
// organisation are kept. With startSession, a new account is logged in at
// once and the session's cookie value returned (the web form).
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password string, startSession bool) (inv *domain.Invitation, personID int64, session string, err error) {
	defer domain.Wrap(&err, "account.AcceptInvitation")
	a := domain.ActorFrom(ctx)
	personID = a.PersonID()
	hash := ""
	if a.Anonymous() {
		if err := domain.ValidatePassword(password); err != nil {
			return nil, 0, "", err
		}
		if hash, err = s.hashPassword(ctx, password); err != nil {
			return nil, 0, "", err
		}
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) (err error) {
		personID = a.PersonID()
		actx := ctx // acts as the new person once their account exists
		inv, err = tx.InvitationByToken(ctx, token)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !inv.Open(tx.Now())) {
			return domain.ErrInvitationGone
		} else if err != nil {
			return err
		}
		if personID != 0 {
			p, err := tx.PersonByID(ctx, personID)
			if err != nil {
				return err
			}
			if p.Email != inv.Email {
				return domain.ErrInvitationForOther(inv.Email)
			}
		} else {
			// sso: no new password where the organisation switched them off.
			if on, err := tx.OrgPasswordLogin(ctx, inv.OrgID); err != nil {
				return err
			} else if !on {
				return s.errInvitationNeedsSSO()
			}
			now := tx.Now()
			p := &domain.Person{Email: inv.Email, Name: name, EmailVerifiedAt: &now}
			if err := p.Validate(); err != nil {
				return err
			}
			if err := tx.CreatePerson(ctx, p, hash); err != nil {
				if domain.ErrorCode(err) == domain.EConflict {
					return domain.ErrInvitationAccountExists(inv.Email)
				}
				return err
			}
			personID = p.ID
			actx = domain.WithActor(ctx, &domain.Actor{Person: p})
		}
		held, err := tx.Roles(actx, inv.OrgID, personID)
		if err != nil {
			return err
		}
		if err := SetRolesInTx(actx, tx, inv.OrgID, personID, slices.Concat(inv.Roles, held)); err != nil {
			return err
		}
		if err := tx.MarkInvitationAccepted(actx, inv.ID); err != nil {
			return err
		}
		return tx.Audit(actx, inv.OrgID, "invitation.accept", "invitation", inv.ID, map[string]int64{"person_id": personID})
	})
	if err != nil {
		return nil, 0, "", err
	}
	if a.Anonymous() && startSession {
		// As any login: a role the organisation or a programme requires a
		// second factor for makes the new session wait for its set-up.
		p, err := s.db.PersonByID(ctx, personID)
		if err != nil {
			return nil, 0, "", err
		}
		if session, err = s.startSession(ctx, p, ""); err != nil {
			return nil, 0, "", err
		}
	}
	return inv, personID, session, nil
}
