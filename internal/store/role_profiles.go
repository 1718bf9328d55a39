package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Role profiles of municipalities: target levels per competence and the
// people assigned to them.

// RoleProfiles lists the organisation's role profiles by name, with their
// targets and the assigned people who are still members.
func (db *DB) RoleProfiles(ctx context.Context, orgID int64) ([]domain.RoleProfile, error) {
	var out []domain.RoleProfile
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.RoleProfiles(ctx, orgID)
		return err
	})
	return out, err
}

// RoleProfiles is RoleProfiles inside tx.
func (tx *Tx) RoleProfiles(ctx context.Context, orgID int64) ([]domain.RoleProfile, error) {
	return tx.roleProfiles(ctx, `p.org_id = $1`, orgID)
}

// RoleProfile returns one profile; domain.ErrNotFound if there is none.
func (tx *Tx) RoleProfile(ctx context.Context, id int64) (*domain.RoleProfile, error) {
	ps, err := tx.roleProfiles(ctx, `p.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, domain.ErrNotFound
	}
	return &ps[0], nil
}

// RoleProfile returns one profile outside a transaction.
func (db *DB) RoleProfile(ctx context.Context, id int64) (*domain.RoleProfile, error) {
	var p *domain.RoleProfile
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		p, err = tx.RoleProfile(ctx, id)
		return err
	})
	return p, err
}

func (tx *Tx) roleProfiles(ctx context.Context, cond string, arg any) ([]domain.RoleProfile, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.org_id, p.name, p.description, p.template, p.updated_at
		FROM role_profiles p WHERE `+cond+` ORDER BY p.name, p.id`, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (domain.RoleProfile, error) {
		var p domain.RoleProfile
		err := rows.Scan(&p.ID, &p.OrgID, &p.Name, &p.Description, &p.Template, &p.UpdatedAt)
		p.UpdatedAt = p.UpdatedAt.UTC()
		p.Targets, p.Members = []domain.RoleTarget{}, []domain.RoleMember{}
		return p, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := map[int64]*domain.RoleProfile{}
	ids := make([]int64, len(out))
	for i := range out {
		byID[out[i].ID], ids[i] = &out[i], out[i].ID
	}
	var args []any
	list := inList(ids, func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) })
	trows, err := tx.QueryContext(ctx, `SELECT t.profile_id, t.code, COALESCE(c.name, t.code), t.level FROM role_profile_targets t
		LEFT JOIN competences c ON c.code = t.code WHERE t.profile_id IN (`+list+`) ORDER BY t.profile_id, t.code`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer trows.Close()
	for trows.Next() {
		var pid int64
		var t domain.RoleTarget
		if err := trows.Scan(&pid, &t.Code, &t.Name, &t.Level); err != nil {
			return nil, err
		}
		byID[pid].Targets = append(byID[pid].Targets, t)
	}
	if err := trows.Err(); err != nil {
		return nil, mapErr(err)
	}
	// Only people still members of the profile's organisation count:
	// all of them counted, the first few by name (issue 14: a profile may
	// hold thousands).
	crows, err := tx.QueryContext(ctx, `SELECT rm.profile_id, COUNT(*) FROM role_profile_members rm
		JOIN role_profiles rp ON rp.id = rm.profile_id
		JOIN memberships m ON m.org_id = rp.org_id AND m.person_id = rm.person_id
		WHERE rm.profile_id IN (`+list+`) GROUP BY rm.profile_id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer crows.Close()
	for crows.Next() {
		var pid int64
		var n int
		if err := crows.Scan(&pid, &n); err != nil {
			return nil, err
		}
		byID[pid].MemberCount = n
	}
	if err := crows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for i := range out {
		if out[i].MemberCount == 0 {
			continue
		}
		if out[i].Members, err = tx.roleMembers(ctx, out[i].ID, 0, domain.RoleMembersShown); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// roleMembers lists up to limit people assigned to the profile who are
// members of its organisation, after the person after, by person ID (the
// key of role_profile_members).
func (tx *Tx) roleMembers(ctx context.Context, profileID, after int64, limit int) ([]domain.RoleMember, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.email FROM role_profile_members rm
		JOIN role_profiles rp ON rp.id = rm.profile_id
		JOIN memberships m ON m.org_id = rp.org_id AND m.person_id = rm.person_id
		JOIN persons p ON p.id = rm.person_id
		WHERE rm.profile_id = $1 AND rm.person_id > $2 ORDER BY rm.person_id LIMIT $3`, profileID, after, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.RoleMember, error) {
		var m domain.RoleMember
		return m, r.Scan(&m.PersonID, &m.Name, &m.Email)
	})
	if out == nil && err == nil {
		out = []domain.RoleMember{}
	}
	return out, err
}

// RoleProfileMembers lists all people assigned to the profile who are
// members of its organisation, by person ID, read in pages of MaxPage:
// for the team's gaps, which weigh every one of them.
func (db *DB) RoleProfileMembers(ctx context.Context, profileID int64) ([]domain.RoleMember, error) {
	out := []domain.RoleMember{}
	var after int64
	for {
		var page []domain.RoleMember
		err := db.read(ctx, func(tx *Tx) (err error) {
			page, err = tx.roleMembers(ctx, profileID, after, MaxPage)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < MaxPage {
			return out, nil
		}
		after = page[len(page)-1].PersonID
	}
}

// AssignedRoleProfiles reports which of the organisation's role profiles
// the person is assigned to.
func (db *DB) AssignedRoleProfiles(ctx context.Context, orgID, personID int64) (map[int64]bool, error) {
	rows, err := db.query(ctx, `SELECT rm.profile_id FROM role_profile_members rm JOIN role_profiles rp ON rp.id = rm.profile_id
		WHERE rm.person_id = $1 AND rp.org_id = $2`, personID, orgID)
	if err != nil {
		return nil, err
	}
	ids, err := scanAll(rows, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// SeedRoleProfiles marks the organisation as seeded and reports whether it
// was not before: then the caller inserts the templates' copies.
func (tx *Tx) SeedRoleProfiles(ctx context.Context, orgID int64) (bool, error) {
	r, err := tx.ExecContext(ctx, `INSERT INTO role_profile_seeds (org_id, seeded_at) VALUES ($1, $2) ON CONFLICT (org_id) DO NOTHING`, orgID, tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// CountRoleProfiles is the number of the organisation's profiles.
func (tx *Tx) CountRoleProfiles(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_profiles WHERE org_id = $1`, orgID).Scan(&n)
	return n, mapErr(err)
}

// InsertRoleProfile adds a profile with its targets and sets its ID.
func (tx *Tx) InsertRoleProfile(ctx context.Context, p *domain.RoleProfile) error {
	p.UpdatedAt = tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO role_profiles (org_id, name, description, template, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, p.OrgID, p.Name, p.Description, p.Template, tx.now).Scan(&p.ID); err != nil {
		return mapErr(err)
	}
	return tx.putRoleTargets(ctx, p)
}

// UpdateRoleProfile replaces a profile's name, description and targets.
func (tx *Tx) UpdateRoleProfile(ctx context.Context, p *domain.RoleProfile) error {
	p.UpdatedAt = tx.now
	r, err := tx.ExecContext(ctx, `UPDATE role_profiles SET name = $1, description = $2, updated_at = $3 WHERE id = $4`,
		p.Name, p.Description, tx.now, p.ID)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_profile_targets WHERE profile_id = $1`, p.ID); err != nil {
		return mapErr(err)
	}
	return tx.putRoleTargets(ctx, p)
}

func (tx *Tx) putRoleTargets(ctx context.Context, p *domain.RoleProfile) error {
	for _, t := range p.Targets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_profile_targets (profile_id, code, level) VALUES ($1, $2, $3)`,
			p.ID, t.Code, t.Level); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteRoleProfile removes a profile with its targets and assignments.
func (tx *Tx) DeleteRoleProfile(ctx context.Context, id int64) error {
	for _, q := range []string{`DELETE FROM role_profile_targets WHERE profile_id = $1`, `DELETE FROM role_profile_members WHERE profile_id = $1`,
		`DELETE FROM role_profiles WHERE id = $1`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// SetRoleMembers replaces the people assigned to a profile.
func (tx *Tx) SetRoleMembers(ctx context.Context, id int64, persons []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_profile_members WHERE profile_id = $1`, id); err != nil {
		return mapErr(err)
	}
	for _, p := range persons {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_profile_members (profile_id, person_id) VALUES ($1, $2)`, id, p); err != nil {
			return mapErr(err)
		}
	}
	return nil
}
