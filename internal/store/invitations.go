package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Invite invites an address into the organisation with roles and mails the
// invitation link. The link's token is stored hashed.
func (db *DB) Invite(ctx context.Context, orgID int64, email string, roles []domain.Role) (*domain.Invitation, error) {
	inv := &domain.Invitation{OrgID: orgID, Email: domain.NormalizeEmail(email), InvitedBy: domain.ActorFrom(ctx).PersonID()}
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
	err := db.transact(ctx, func(tx *Tx) error {
		o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, orgID))
		if err != nil {
			return err
		}
		if inv.Roles, err = domain.ValidateRoles(o.Kind, roles); err != nil {
			return &domain.Error{Code: domain.EInvalid, Message: domain.ErrorMessage(err), Fields: map[string]string{"roles": domain.ErrorMessage(err)}}
		}
		// Two invitations to one address at once must not both find none open.
		if err := tx.lockOrg(ctx, orgID); err != nil {
			return err
		}
		var member, open int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1 AND p.email = $2),
			(SELECT count(*) FROM invitations WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3)`,
			orgID, inv.Email, tx.now).Scan(&member, &open); err != nil {
			return err
		}
		if member > 0 {
			return &domain.Error{Code: domain.EConflict, Message: "Diese Person ist bereits Mitglied der Organisation.",
				Fields: map[string]string{"email": "Diese Person ist bereits Mitglied der Organisation."}}
		}
		if open > 0 {
			return &domain.Error{Code: domain.EConflict, Message: "An diese Adresse ist bereits eine offene Einladung unterwegs.",
				Fields: map[string]string{"email": "An diese Adresse ist bereits eine offene Einladung unterwegs."}}
		}
		token, hash := newSecret("")
		inv.CreatedAt, inv.ExpiresAt = tx.now, tx.now.Add(invitationLifetime)
		if err := tx.QueryRowContext(ctx, `INSERT INTO invitations (org_id, email, roles, token_hash, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, orgID, inv.Email, joinRoles(inv.Roles), hash, inv.InvitedBy,
			inv.CreatedAt, inv.ExpiresAt).Scan(&inv.ID); err != nil {
			return err
		}
		labels := make([]string, len(inv.Roles))
		for i, r := range inv.Roles {
			labels[i] = r.Label()
		}
		inviter := domain.ActorFrom(ctx)
		from := "Jemand"
		if !inviter.Anonymous() {
			from = inviter.Person.Name
		}
		if err := tx.enqueueMail(ctx, inv.Email, "Einladung zu "+o.Name+" auf Lotse",
			"Guten Tag,\n\n"+from+" lädt Sie ein, auf Lotse im Namen von „"+o.Name+"“ mitzuarbeiten ("+strings.Join(labels, ", ")+").\n\n"+
				"Über diesen Link nehmen Sie die Einladung an (14 Tage gültig):\n\n"+tx.db.BaseURL+"/einladung/"+token+
				"\n\nWenn Sie diese Einladung nicht erwartet haben, können Sie die Nachricht ignorieren.\n\nIhr Lotse-Team"); err != nil {
			return err
		}
		return tx.audit(ctx, orgID, "invitation.create", "invitation", inv.ID, map[string]any{"email": inv.Email, "roles": inv.Roles})
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
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
	rows, err := db.sql.QueryContext(ctx, `SELECT `+invCols+` FROM invitations WHERE org_id = $1 ORDER BY id DESC LIMIT 200`, orgID)
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

var errInvitationGone = domain.Errorf(domain.ENotFound, "Diese Einladung ist ungültig, abgelaufen oder wurde bereits angenommen.")

// InvitationByToken returns an open invitation and its organisation.
func (db *DB) InvitationByToken(ctx context.Context, token string) (*domain.Invitation, *domain.Organisation, error) {
	inv, err := scanInvitation(db.sql.QueryRowContext(ctx, `SELECT `+invCols+` FROM invitations WHERE token_hash = $1`, hashSecret(token)))
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !inv.Open(db.Now())) {
		return nil, nil, errInvitationGone
	} else if err != nil {
		return nil, nil, err
	}
	o, err := db.Organisation(ctx, inv.OrgID)
	return inv, o, err
}

// AcceptInvitation accepts an invitation. With personID 0 it creates the
// account from name and password (the address is the invitation's and counts
// as verified, since the link reached it); otherwise the logged-in person
// joins, if the invitation is for their address. It returns the member's person ID.
func (db *DB) AcceptInvitation(ctx context.Context, token string, personID int64, name, password string) (int64, error) {
	if personID == 0 {
		if err := domain.ValidatePassword(password); err != nil {
			return 0, err
		}
	}
	err := db.transact(ctx, func(tx *Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invCols+` FROM invitations WHERE token_hash = $1`, hashSecret(token)))
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !inv.Open(tx.now)) {
			return errInvitationGone
		} else if err != nil {
			return err
		}
		if personID != 0 {
			var email string
			if err := tx.QueryRowContext(ctx, `SELECT email FROM persons WHERE id = $1`, personID).Scan(&email); err != nil {
				return err
			}
			if email != inv.Email {
				return domain.Errorf(domain.EForbidden, "Diese Einladung gilt für %s. Bitte melden Sie sich mit dieser Adresse an.", inv.Email)
			}
		}
		if personID == 0 {
			now := tx.now
			p := &domain.Person{Email: inv.Email, Name: name, EmailVerifiedAt: &now}
			if err := p.Validate(); err != nil {
				return err
			}
			if err := tx.createPerson(ctx, p, password); err != nil {
				if domain.ErrorCode(err) == domain.EConflict {
					return domain.Errorf(domain.EConflict, "Für %s gibt es bereits ein Konto. Bitte melden Sie sich an und öffnen Sie den Link erneut.", inv.Email)
				}
				return err
			}
			personID = p.ID
		}
		ctx := ctx
		if domain.ActorFrom(ctx).Anonymous() {
			ctx = domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: personID}})
		}
		// Roles already held in the organisation are kept.
		roles := inv.Roles
		rows, err := tx.QueryContext(ctx, `SELECT role FROM membership_roles WHERE org_id = $1 AND person_id = $2`, inv.OrgID, personID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			roles = append(roles, domain.Role(r))
		}
		rows.Close()
		if err := tx.setRoles(ctx, inv.OrgID, personID, roles); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $1 WHERE id = $2`, tx.now, inv.ID); err != nil {
			return err
		}
		return tx.audit(ctx, inv.OrgID, "invitation.accept", "invitation", inv.ID, map[string]int64{"person_id": personID})
	})
	return personID, err
}
