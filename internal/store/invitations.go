package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// InvitationConflicts reports whether the address is already a member of
// the organisation and whether an open invitation to it exists. Take
// LockOrg first, so that two invitations at once do not both find none.
func (tx *Tx) InvitationConflicts(ctx context.Context, orgID int64, email string) (member, open bool, err error) {
	var m, o int
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1 AND p.email = $2),
		(SELECT count(*) FROM invitations WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3)`,
		orgID, email, tx.now).Scan(&m, &o)
	return m > 0, o > 0, err
}

// CreateInvitation stores the invitation, open for the lifetime of an
// invitation, and returns the value of its link's token; only its hash is
// stored. It fills in the ID and times.
func (tx *Tx) CreateInvitation(ctx context.Context, inv *domain.Invitation) (token string, err error) {
	token, hash := newSecret("")
	inv.CreatedAt, inv.ExpiresAt = tx.now, tx.now.Add(invitationLifetime)
	err = tx.QueryRowContext(ctx, `INSERT INTO invitations (org_id, email, roles, token_hash, invited_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, inv.OrgID, inv.Email, joinRoles(inv.Roles), hash, inv.InvitedBy,
		inv.CreatedAt, inv.ExpiresAt).Scan(&inv.ID)
	return token, err
}

func joinRoles(rs []domain.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitRoles(s string) []domain.Role {
	var out []domain.Role
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, domain.Role(r))
		}
	}
	return out
}

const invCols = `id, org_id, email, roles, invited_by, created_at, expires_at, accepted_at, revoked_at`

func scanInvitation(row interface{ Scan(...any) error }) (*domain.Invitation, error) {
	var i domain.Invitation
	var roles string
	var acc, rev sql.NullTime
	if err := row.Scan(&i.ID, &i.OrgID, &i.Email, &roles, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt, &acc, &rev); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrNotFound
		}
		return nil, err
	}
	i.Roles = splitRoles(roles)
	i.CreatedAt, i.ExpiresAt = i.CreatedAt.UTC(), i.ExpiresAt.UTC()
	i.AcceptedAt, i.RevokedAt = nullTime(acc), nullTime(rev)
	return &i, nil
}

// Invitations lists an organisation's invitations, newest first.
func (db *DB) Invitations(ctx context.Context, orgID int64) ([]domain.Invitation, error) {
	rows, err := db.query(ctx, `SELECT `+invCols+` FROM invitations WHERE org_id = $1 ORDER BY id DESC LIMIT 200`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Invitation
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, rows.Err()
}

// RevokeInvitation withdraws an open invitation of the organisation.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id int64) error {
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL`,
			tx.now, id, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.ErrNotFound
		}
		return tx.audit(ctx, orgID, "invitation.revoke", "invitation", id, nil)
	})
}

// InvitationByToken returns the invitation of a link's token, whatever its
// state; domain.ErrNotFound when there is none.
func (db *DB) InvitationByToken(ctx context.Context, token string) (*domain.Invitation, error) {
	return scanInvitation(db.queryRow(ctx, `SELECT `+invCols+` FROM invitations WHERE token_hash = $1`, hashSecret(token)))
}

// InvitationByToken returns the invitation of a link's token, read inside tx.
func (tx *Tx) InvitationByToken(ctx context.Context, token string) (*domain.Invitation, error) {
	return scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invCols+` FROM invitations WHERE token_hash = $1`, hashSecret(token)))
}

// MarkInvitationAccepted records that the invitation was accepted.
func (tx *Tx) MarkInvitationAccepted(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $1 WHERE id = $2`, tx.now, id)
	return err
}

// Roles returns the roles the person holds in the organisation.
func (tx *Tx) Roles(ctx context.Context, orgID, personID int64) ([]domain.Role, error) {
	rows, err := tx.QueryContext(ctx, `SELECT role FROM membership_roles WHERE org_id = $1 AND person_id = $2`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Role
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, domain.Role(r))
	}
	return out, rows.Err()
}
