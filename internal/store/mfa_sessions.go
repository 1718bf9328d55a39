package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The second factor in running sessions: a session remembers whether its
// second factor was given (mfa_done, migration 00033), so that a
// requirement switched on reaches the sessions that lack it at once
// instead of at the next login.

// CreateSecondFactorSession starts a full session for the person inside
// tx, in which the second factor was given (the login's second step).
func (tx *Tx) CreateSecondFactorSession(ctx context.Context, personID int64) (string, error) {
	token, hash := newSecret(sessionPrefix)
	csrf, _ := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at, mfa_done)
		VALUES ($1, $2, $3, $4, $5, $6)`, hash, personID, csrf, tx.now, tx.now.Add(sessionLifetime), true)
	return token, err
}

// MarkSessionSecondFactor records that the second factor was given in the
// person's full session with the cookie value token (a factor set up while
// logged in). Another person's or a pending session is left alone.
func (tx *Tx) MarkSessionSecondFactor(ctx context.Context, token string, personID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET mfa_done = $1 WHERE token_hash = $2 AND person_id = $3 AND mfa_pending = $4`,
		true, hashSecret(token), personID, false)
	return err
}

// StepUpSessions makes the live full sessions without the second factor of
// the people a requirement switched on now covers wait for it, inside tx:
// candidates are the holders of one of domain.MFARoles (in organisation
// scopeOrg, when not 0) with such a session; covered (the policy, with
// all their memberships) decides. Each person's step is in the audit log
// (mfa.session_step_up, under auditOrg, with detail and the number of
// sessions). It returns how many people and sessions it reached.
func (tx *Tx) StepUpSessions(ctx context.Context, scopeOrg int64, covered func(*domain.Actor) bool, auditOrg int64, detail map[string]any) (persons, sessions int64, err error) {
	holders, err := tx.sessionsWithoutSecondFactor(ctx, scopeOrg)
	if err != nil {
		return 0, 0, err
	}
	ids := make([]int64, 0, len(holders))
	for id := range holders {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !covered(&domain.Actor{Person: &domain.Person{ID: id}, Memberships: holders[id]}) {
			continue
		}
		n, err := tx.pendSessionsWithoutSecondFactor(ctx, id)
		if err != nil {
			return persons, sessions, err
		}
		if n == 0 {
			continue
		}
		d := maps.Clone(detail)
		if d == nil {
			d = map[string]any{}
		}
		d["sessions"] = n
		if err := tx.audit(ctx, auditOrg, "mfa.session_step_up", "person", id, d); err != nil {
			return persons, sessions, err
		}
		persons, sessions = persons+1, sessions+n
	}
	return persons, sessions, nil
}

// sessionsWithoutSecondFactor returns, by person, the memberships of the
// people who hold one of domain.MFARoles (in organisation orgID, when not
// 0) and have a live full session without the second factor: the people a
// requirement switched on may now cover. Their memberships are all of
// theirs, for the policy to decide.
func (tx *Tx) sessionsWithoutSecondFactor(ctx context.Context, orgID int64) (map[int64][]domain.Membership, error) {
	roles := make([]string, len(domain.MFARoles))
	args := []any{tx.now, false}
	for i, r := range domain.MFARoles {
		args = append(args, string(r))
		roles[i] = "$" + itoa(len(args))
	}
	org := ""
	if orgID != 0 {
		args = append(args, orgID)
		org = ` AND r.org_id = $` + itoa(len(args))
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT s.person_id FROM sessions s
		JOIN membership_roles r ON r.person_id = s.person_id AND r.role IN (`+strings.Join(roles, ", ")+`)`+org+`
		WHERE s.expires_at > $1 AND s.mfa_pending = $2 AND s.mfa_done = $2`, args...)
	if err != nil {
		return nil, err
	}
	ids, err := scanAll(rows, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := map[int64][]domain.Membership{}
	for _, id := range ids {
		ms, err := tx.memberships(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = ms
	}
	return out, nil
}

// memberships reads a person's memberships with their roles inside tx.
func (tx *Tx) memberships(ctx context.Context, personID int64) ([]domain.Membership, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.org_id, o.kind, COALESCE(r.role, '') FROM memberships m
		JOIN organisations o ON o.id = m.org_id
		LEFT JOIN membership_roles r ON r.org_id = m.org_id AND r.person_id = m.person_id
		WHERE m.person_id = $1 ORDER BY m.org_id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Membership
	for rows.Next() {
		var m domain.Membership
		var role string
		if err := rows.Scan(&m.OrgID, &m.OrgKind, &role); err != nil {
			return nil, mapErr(err)
		}
		m.PersonID = personID
		out = addMembershipRow(out, m, role)
	}
	return out, mapErr(rows.Err())
}

// pendSessionsWithoutSecondFactor makes the person's live full sessions
// without the second factor wait for it: from the next request they
// authenticate nobody until the second factor is given (or set up), as
// a login's first step, and expire as one does if it is not.
func (tx *Tx) pendSessionsWithoutSecondFactor(ctx context.Context, personID int64) (int64, error) {
	until := tx.now.Add(pendingLifetime)
	return exec(ctx, tx, `UPDATE sessions SET mfa_pending = $1, expires_at = CASE WHEN expires_at < $2 THEN expires_at ELSE $2 END
		WHERE person_id = $3 AND expires_at > $4 AND mfa_pending = $5 AND mfa_done = $5`, true, until, personID, tx.now, false)
}
