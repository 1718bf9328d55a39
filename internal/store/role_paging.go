package store

import (
	"context"
	"database/sql"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Role candidates a page at a time (issue 14): the members of a
// municipality along the key of memberships, optionally searched by the
// beginning of a name or address (along the members' name keys, as the
// team overview's name filter), each with whether they hold a profile.

// RoleCandidatesPage lists up to limit members of an organisation after
// the person after (0: from the first), in the order they joined, whose
// name, surname or address begins with query (all when ""), each with
// whether they hold the profile profileID. A search reads the members
// it matches along their keys (migration 00039), however many the
// organisation has.
func (db *DB) RoleCandidatesPage(ctx context.Context, orgID, profileID int64, query string, after int64, limit int) ([]domain.RoleCandidate, error) {
	if limit <= 0 || limit > MaxPage+1 { // a page and one more, to tell whether more follow
		limit = 50
	}
	q := db.teamQuery()
	from, where := "memberships m", ""
	if query != "" {
		folded, err := db.FoldName(ctx, query)
		if err != nil {
			return nil, err
		}
		// The first limit matching members after the cursor (CROSS
		// JOIN keeps SQLite's order).
		from = "(" + q.nameHits(domain.TeamFilter{OrgID: orgID, Name: folded}, domain.TeamCursor{PersonID: after + 1}, limit) + ") h CROSS JOIN memberships m"
		where = " AND m.person_id = h.person_id"
	}
	org, profile, afterArg := q.arg(orgID), q.arg(profileID), q.arg(after)
	// p.id > after is implied; it lets PostgreSQL start both keys there.
	rows, err := db.query(ctx, `SELECT m.person_id, p.name, p.email,
			EXISTS (SELECT 1 FROM role_profile_members rm WHERE rm.profile_id = `+profile+` AND rm.person_id = m.person_id)
		FROM `+from+` JOIN persons p ON p.id = m.person_id
		WHERE m.org_id = `+org+` AND m.person_id > `+afterArg+` AND p.id > `+afterArg+where+`
		ORDER BY m.person_id LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.RoleCandidate, error) {
		var c domain.RoleCandidate
		return c, r.Scan(&c.PersonID, &c.Name, &c.Email, &c.Assigned)
	})
	if out == nil && err == nil {
		out = []domain.RoleCandidate{}
	}
	return out, err
}

// MembersAmong reports which of the given people are members of the
// organisation, looked up by key in groups of 500.
func (tx *Tx) MembersAmong(ctx context.Context, orgID int64, persons []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(persons); start += 500 {
		part := persons[start:min(start+500, len(persons))]
		args := []any{orgID}
		list := inList(part, func(v any) string { args = append(args, v); return "$" + itoa(len(args)) })
		rows, err := tx.QueryContext(ctx, `SELECT person_id FROM memberships WHERE org_id = $1 AND person_id IN (`+list+`)`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		ids, err := scanAll(rows, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// ChangeRoleMembers assigns the people add to a profile and takes it from
// the people remove, leaving everyone else's assignment as it is; it
// returns how many were added and removed.
func (tx *Tx) ChangeRoleMembers(ctx context.Context, id int64, add, remove []int64) (added, removed int, err error) {
	for _, p := range remove {
		r, err := tx.ExecContext(ctx, `DELETE FROM role_profile_members WHERE profile_id = $1 AND person_id = $2`, id, p)
		if err != nil {
			return 0, 0, mapErr(err)
		}
		n, _ := r.RowsAffected()
		removed += int(n)
	}
	for _, p := range add {
		r, err := tx.ExecContext(ctx, `INSERT INTO role_profile_members (profile_id, person_id) VALUES ($1, $2)
			ON CONFLICT (profile_id, person_id) DO NOTHING`, id, p)
		if err != nil {
			return 0, 0, mapErr(err)
		}
		n, _ := r.RowsAffected()
		added += int(n)
	}
	return added, removed, nil
}

// CountRoleMembers counts the people assigned to a profile who are still
// members of its organisation.
func (tx *Tx) CountRoleMembers(ctx context.Context, id int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_profile_members rm JOIN role_profiles rp ON rp.id = rm.profile_id
		JOIN memberships m ON m.org_id = rp.org_id AND m.person_id = rm.person_id WHERE rm.profile_id = $1`, id).Scan(&n)
	return n, mapErr(err)
}

// RoleProfileOrg returns the organisation a profile belongs to;
// domain.ErrNotFound if there is no such profile.
func (db *DB) RoleProfileOrg(ctx context.Context, id int64) (int64, error) {
	var org int64
	err := db.queryRow(ctx, `SELECT org_id FROM role_profiles WHERE id = $1`, id).Scan(&org)
	if errNoRows(err) {
		return 0, domain.ErrNotFound
	}
	return org, err
}
