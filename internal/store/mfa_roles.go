package store

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The second factor when a person is given a role: the requirements that
// may cover one person, read inside the transaction that changes their
// roles, so that a role a second factor is required for reaches their
// running sessions at once (account.SetRolesInTx decides with authz).

// SessionsWithoutSecondFactor reports whether the person has a live full
// session in which no second factor was given, inside tx: only then can a
// new role make a session wait for one.
func (tx *Tx) SessionsWithoutSecondFactor(ctx context.Context, personID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions
		WHERE person_id = $1 AND expires_at > $2 AND mfa_pending = $3 AND mfa_done = $3`, personID, tx.now, false).Scan(&n)
	return n > 0, mapErr(err)
}

// Memberships reads the person's memberships with their roles inside tx
// (what the transaction wrote so far included).
func (tx *Tx) Memberships(ctx context.Context, personID int64) ([]domain.Membership, error) {
	return tx.memberships(ctx, personID)
}

// MFARequirementsOf returns the requirements that may cover the person,
// inside tx: those of the organisations they are a member of and those of
// every programme that requires a second factor (a programme's covers
// people in other organisations: its funder, its reviewers, every
// municipality's signatories, the admins).
func (tx *Tx) MFARequirementsOf(ctx context.Context, personID int64) (req domain.MFARequirements, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.person_id = $1 AND o.require_mfa = $2 ORDER BY o.id`, personID, true)
	if err != nil {
		return req, err
	}
	if req.Orgs, err = scanAll(rows, scanID); err != nil {
		return req, err
	}
	rows, err = tx.QueryContext(ctx, programmesRequiringMFA, true)
	if err != nil {
		return req, err
	}
	req.Programmes, err = scanAll(rows, scanProgrammeMFA)
	return req, err
}

// PendSessionsWithoutSecondFactor makes the person's live full sessions
// without the second factor wait for it, inside tx (from their next
// request, as a login's first step), and returns how many.
func (tx *Tx) PendSessionsWithoutSecondFactor(ctx context.Context, personID int64) (int64, error) {
	return tx.pendSessionsWithoutSecondFactor(ctx, personID)
}
