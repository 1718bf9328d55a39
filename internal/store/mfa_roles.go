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
func (tx *Tx) MFARequirementsOf(ctx context.Context, personID int64) (domain.MFARequirements, error) {
	var req domain.MFARequirements
	rows, err := tx.QueryContext(ctx, `SELECT o.id FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.person_id = $1 AND o.require_mfa = $2 ORDER BY o.id`, personID, true)
	if err != nil {
		return req, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return req, mapErr(err)
		}
		req.Orgs = append(req.Orgs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return req, mapErr(err)
	}
	prows, err := tx.QueryContext(ctx, `SELECT id, config, updated_at FROM programmes WHERE require_mfa = $1 ORDER BY id`, true)
	if err != nil {
		return req, err
	}
	defer prows.Close()
	for prows.Next() {
		p, err := scanProgramme(prows)
		if err != nil {
			return req, err
		}
		pm := domain.ProgrammeMFA{ID: p.ID, FunderID: p.FunderID}
		for _, r := range p.Reviewers {
			pm.ReviewerIDs = append(pm.ReviewerIDs, r.AssociationID)
		}
		req.Programmes = append(req.Programmes, pm)
	}
	return req, mapErr(prows.Err())
}

// PendSessionsWithoutSecondFactor makes the person's live full sessions
// without the second factor wait for it, inside tx (from their next
// request, as a login's first step), and returns how many.
func (tx *Tx) PendSessionsWithoutSecondFactor(ctx context.Context, personID int64) (int64, error) {
	return tx.pendSessionsWithoutSecondFactor(ctx, personID)
}
