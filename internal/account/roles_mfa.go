package account

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// SetRolesInTx gives the person exactly these roles in the organisation,
// inside tx, and applies the second factor to them at once: when the roles
// they now hold are covered by an organisation's or a programme's
// requirement (authz.SecondFactorRequired), their running sessions in
// which no second factor was given wait for it from their next request, as
// switching a requirement on does (SetOrgRequireMFA). Every path that
// gives someone a role goes through here (a member's roles, an
// invitation's acceptance, single sign-on, the command line), so that a
// new signatory, reviewer, funder or admin cannot act in that role
// without the factor. The step is in the audit log (mfa.session_step_up).
func SetRolesInTx(ctx context.Context, tx *store.Tx, orgID, personID int64, roles []domain.Role) error {
	if err := tx.SetRoles(ctx, orgID, personID, roles); err != nil {
		return err
	}
	return stepUpPerson(ctx, tx, orgID, personID)
}

// stepUpPerson makes the person's running sessions without the second
// factor wait for it when a requirement covers them with the memberships
// they hold now, inside tx; orgID is the organisation whose change caused
// it (the audit entry's).
func stepUpPerson(ctx context.Context, tx *store.Tx, orgID, personID int64) error {
	open, err := tx.SessionsWithoutSecondFactor(ctx, personID)
	if err != nil || !open {
		return err
	}
	ms, err := tx.Memberships(ctx, personID)
	if err != nil {
		return err
	}
	req, err := tx.MFARequirementsOf(ctx, personID)
	if err != nil {
		return err
	}
	if !authz.SecondFactorRequired(&domain.Actor{Person: &domain.Person{ID: personID}, Memberships: ms}, req) {
		return nil
	}
	n, err := tx.PendSessionsWithoutSecondFactor(ctx, personID)
	if err != nil || n == 0 {
		return err
	}
	return tx.Audit(ctx, orgID, "mfa.session_step_up", "person", personID,
		map[string]any{"organisation": orgID, "reason": "roles", "sessions": n})
}
