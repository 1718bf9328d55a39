package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
)

// CreateOrganisation creates an organisation. A municipality must name an
// AGS from the directory.
func (db *DB) CreateOrganisation(ctx context.Context, o *domain.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error { return tx.createOrganisation(ctx, o) })
}

// CreateOrganisation creates an organisation inside tx; the caller has
// validated it.
func (tx *Tx) CreateOrganisation(ctx context.Context, o *domain.Organisation) error {
	return tx.createOrganisation(ctx, o)
}

func (tx *Tx) createOrganisation(ctx context.Context, o *domain.Organisation) error {
	var ags sql.NullString
	if o.AGS != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipalities WHERE ags = $1 AND kind <> 'state'`, o.AGS).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return domain.ErrAGSUnknown
		}
		ags = sql.NullString{String: o.AGS, Valid: true}
	}
	o.CreatedAt = tx.now
	err := mapErr(tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, ags, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		o.Kind, o.Name, ags, o.CreatedAt).Scan(&o.ID))
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrMunicipalityTaken
	} else if err != nil {
		return err
	}
	return tx.audit(ctx, o.ID, "organisation.create", "organisation", o.ID, o)
}

const orgCols = `id, kind, name, COALESCE(ags, ''), created_at`

func scanOrg(row interface{ Scan(...any) error }) (*domain.Organisation, error) {
	var o domain.Organisation
	if err := row.Scan(&o.ID, &o.Kind, &o.Name, &o.AGS, &o.CreatedAt); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrNotFound
		}
		return nil, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// Organisation returns the organisation with id.
func (db *DB) Organisation(ctx context.Context, id int64) (*domain.Organisation, error) {
	return scanOrg(db.queryRow(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, id))
}

// Organisation returns the organisation with id, read inside tx.
func (tx *Tx) Organisation(ctx context.Context, id int64) (*domain.Organisation, error) {
	return scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, id))
}

// OrganisationByAGS returns the municipality's organisation account.
func (db *DB) OrganisationByAGS(ctx context.Context, ags string) (*domain.Organisation, error) {
	return scanOrg(db.queryRow(ctx, `SELECT `+orgCols+` FROM organisations WHERE ags = $1`, ags))
}

// Organisations lists up to f.Limit organisations by name (and ID among
// equal names) after f.After, along organisations_name (keyset paging,
// issue 14; f.Offset skips rows for the page numbers of older API
// clients), and their total up to domain.ListCountLimit and one more (-1
// with f.NoTotal).
func (db *DB) Organisations(ctx context.Context, f domain.OrgFilter) ([]domain.Organisation, int, error) {
	where, args := orgsWhere(f)
	total := -1
	if !f.NoTotal {
		if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM organisations `+where+` LIMIT $`+strconv.Itoa(len(args)+1)+`) c`,
			append(args, domain.ListCountLimit+1)...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	q, args := orgsPage(f)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []domain.Organisation{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *o)
	}
	return out, total, rows.Err()
}

// orgsWhere is the condition of f without its cursor.
func orgsWhere(f domain.OrgFilter) (string, []any) {
	where, args := "WHERE 1=1", []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Kind != nil {
		where += " AND kind = " + arg(*f.Kind)
	}
	if f.Query != nil && *f.Query != "" {
		where += " AND " + containsSQL("name", *f.Query, arg)
	}
	if f.PersonID != nil {
		where += " AND id IN (SELECT org_id FROM memberships WHERE person_id = " + arg(*f.PersonID) + ")"
	}
	return where, args
}

// orgsPage is the query of a page of organisations.
func orgsPage(f domain.OrgFilter) (string, []any) {
	where, args := orgsWhere(f)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !f.After.IsZero() {
		// A row value, so that both databases start the index at the
		// cursor also among many equal names.
		where += " AND (name, id) > (" + arg(f.After.Key) + ", " + arg(f.After.ID) + ")"
	}
	return `SELECT ` + orgCols + ` FROM organisations ` + where +
		` ORDER BY name, id LIMIT ` + arg(pageLimit(f.Limit)) + ` OFFSET ` + arg(max(f.Offset, 0)), args
}

// Memberships returns the person's memberships with their roles.
func (db *DB) Memberships(ctx context.Context, personID int64) ([]domain.Membership, error) {
	return db.memberships(ctx, `m.person_id = $1`, personID)
}

func (db *DB) memberships(ctx context.Context, cond string, arg any) ([]domain.Membership, error) {
	rows, err := db.query(ctx, `SELECT m.org_id, o.name, o.kind, m.person_id, m.created_at, COALESCE(r.role, '')
		FROM memberships m JOIN organisations o ON o.id = m.org_id
		LEFT JOIN membership_roles r ON r.org_id = m.org_id AND r.person_id = m.person_id
		WHERE `+cond+` ORDER BY o.name, m.org_id, m.person_id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Membership
	for rows.Next() {
		var m domain.Membership
		var role string
		if err := rows.Scan(&m.OrgID, &m.OrgName, &m.OrgKind, &m.PersonID, &m.CreatedAt, &role); err != nil {
			return nil, err
		}
		out = addMembershipRow(out, m, role)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return sortMembershipRoles(out), nil
}

// addMembershipRow adds a row of a membership and one of its roles (or
// none: "") to out, ordered by membership: a row of the membership before
// adds its role to it.
func addMembershipRow(out []domain.Membership, m domain.Membership, role string) []domain.Membership {
	if n := len(out); n > 0 && out[n-1].OrgID == m.OrgID && out[n-1].PersonID == m.PersonID {
		if role != "" {
			out[n-1].Roles = append(out[n-1].Roles, domain.Role(role))
		}
		return out
	}
	m.CreatedAt = m.CreatedAt.UTC()
	m.Roles = []domain.Role{}
	if role != "" {
		m.Roles = append(m.Roles, domain.Role(role))
	}
	return append(out, m)
}

// sortMembershipRoles puts each membership's roles in their order.
func sortMembershipRoles(out []domain.Membership) []domain.Membership {
	for i := range out {
		out[i].Roles = sortRoles(out[i].OrgKind, out[i].Roles)
	}
	return out
}

func sortRoles(k domain.OrgKind, roles []domain.Role) []domain.Role {
	sorted, err := domain.ValidateRoles(k, roles)
	if err != nil {
		return roles
	}
	if sorted == nil {
		return []domain.Role{}
	}
	return sorted
}

// SetRoles makes the person a member of the organisation with exactly these
// roles (creating the membership if needed). An organisation keeps at least
// one account_admin once it has one.
func (db *DB) SetRoles(ctx context.Context, orgID, personID int64, roles []domain.Role) error {
	return db.transact(ctx, func(tx *Tx) error { return tx.setRoles(ctx, orgID, personID, roles) })
}

// SetRoles is SetRoles inside tx.
func (tx *Tx) SetRoles(ctx context.Context, orgID, personID int64, roles []domain.Role) error {
	return tx.setRoles(ctx, orgID, personID, roles)
}

func (tx *Tx) setRoles(ctx context.Context, orgID, personID int64, roles []domain.Role) error {
	o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, orgID))
	if err != nil {
		return err
	}
	roles, err = domain.ValidateRoles(o.Kind, roles)
	if err != nil {
		return err
	}
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM persons WHERE id = $1`, personID).Scan(&exists); err != nil {
		return err
	}
	if exists == 0 {
		return domain.ErrNotFound
	}
	if !slices.Contains(roles, domain.RoleAccountAdmin) {
		if err := tx.keepAccountAdmin(ctx, orgID, personID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (org_id, person_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (org_id, person_id) DO NOTHING`, orgID, personID, tx.now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM membership_roles WHERE org_id = $1 AND person_id = $2`, orgID, personID); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO membership_roles (org_id, person_id, role) VALUES ($1, $2, $3)`, orgID, personID, r); err != nil {
			return err
		}
	}
	return tx.audit(ctx, orgID, "membership.set_roles", "person", personID, map[string]any{"roles": roles})
}

// keepAccountAdmin refuses a change that would take the last account_admin
// away from an organisation.
func (tx *Tx) keepAccountAdmin(ctx context.Context, orgID, personID int64) error {
	// Two admins demoting each other at once would each still see the
	// other and together leave none.
	if err := tx.lockOrg(ctx, orgID); err != nil {
		return err
	}
	var others, self int
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM membership_roles WHERE org_id = $1 AND role = 'account_admin' AND person_id <> $2),
		(SELECT count(*) FROM membership_roles WHERE org_id = $1 AND role = 'account_admin' AND person_id = $2)`,
		orgID, personID).Scan(&others, &self); err != nil {
		return err
	}
	if self > 0 && others == 0 {
		return domain.ErrLastAccountAdmin
	}
	return nil
}

// LockOrg makes transactions that check and then change an organisation's
// members or invitations wait for each other, so that what one checked still
// holds when it writes: on PostgreSQL it locks the organisation's row until
// commit (the checks that follow, at READ COMMITTED, then see what the other
// committed). SQLite needs nothing: it has one writer, taken at BEGIN.
func (tx *Tx) LockOrg(ctx context.Context, orgID int64) error { return tx.lockOrg(ctx, orgID) }

func (tx *Tx) lockOrg(ctx context.Context, orgID int64) error {
	_, err := tx.ExecContext(ctx, tx.forUpdate(`SELECT id FROM organisations WHERE id = $1`), orgID)
	return err
}

// RemoveMember ends a person's membership. An organisation keeps at least
// one account_admin once it has one.
func (db *DB) RemoveMember(ctx context.Context, orgID, personID int64) error {
	return db.transact(ctx, func(tx *Tx) error { return tx.RemoveMember(ctx, orgID, personID) })
}

// RemoveMember is RemoveMember inside tx.
func (tx *Tx) RemoveMember(ctx context.Context, orgID, personID int64) error {
	if err := tx.keepAccountAdmin(ctx, orgID, personID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM membership_roles WHERE org_id = $1 AND person_id = $2`, orgID, personID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE org_id = $1 AND person_id = $2`, orgID, personID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return tx.audit(ctx, orgID, "membership.remove", "person", personID, nil)
}

// SetAssociationMembers replaces the municipalities (by AGS) an association
// represents.
func (db *DB) SetAssociationMembers(ctx context.Context, assocID int64, ags []string) error {
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM association_members WHERE association_id = $1`, assocID); err != nil {
			return err
		}
		for _, a := range ags {
			if _, err := tx.ExecContext(ctx, `INSERT INTO association_members (association_id, ags) VALUES ($1, $2)`, assocID, a); err != nil {
				return mapErr(err)
			}
		}
		return tx.audit(ctx, assocID, "association.set_members", "organisation", assocID, map[string]int{"count": len(ags)})
	})
}

// AssociationMembers lists the AGS an association represents.
func (db *DB) AssociationMembers(ctx context.Context, assocID int64) ([]string, error) {
	rows, err := db.query(ctx, `SELECT ags FROM association_members WHERE association_id = $1 ORDER BY ags`, assocID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
