package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Keyset paging (issue 14): the long lists are read a page at a time from
// where the previous page ended, along an index, so that a page costs the
// same on the first and on the thousandth page and never loads the whole
// set.

// MaxPage is the most rows one page may ask for.
const MaxPage = domain.MaxPage

// pageLimit clamps a page size: 50 by default, at most MaxPage and one
// more (callers ask for one more than a page to tell whether more follow).
func pageLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, MaxPage+1)
}

// MembersPage lists up to limit members of an organisation whose person
// id is greater than after, in the order they joined (by person id: the
// key of memberships), with their roles, in one query.
func (db *DB) MembersPage(ctx context.Context, orgID, after int64, limit int) ([]domain.Member, error) {
	if after > 0 {
		// A cursor past the organisation's last member (which no "next"
		// gives, but anybody can send) is an empty page: PostgreSQL would
		// plan it along memberships_person and read every membership above
		// it, a million at full scale.
		var last int64
		err := db.queryRow(ctx, `SELECT person_id FROM memberships WHERE org_id = $1 ORDER BY person_id DESC LIMIT 1`, orgID).Scan(&last)
		if err != nil && !errNoRows(err) {
			return nil, err
		}
		if after >= last {
			return []domain.Member{}, nil
		}
	}
	rows, err := db.query(ctx, `SELECT m.org_id, o.name, o.kind, m.person_id, m.created_at, COALESCE(r.role, ''),
			p.email, p.name, p.email_verified_at, p.created_at
		FROM (SELECT org_id, person_id, created_at FROM memberships WHERE org_id = $1 AND person_id > $2 ORDER BY person_id LIMIT $3) m
		JOIN organisations o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
		LEFT JOIN membership_roles r ON r.org_id = m.org_id AND r.person_id = m.person_id
		ORDER BY m.person_id, r.role`, orgID, after, pageLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Member{}
	for rows.Next() {
		var m domain.Member
		var role string
		var verified sql.NullTime
		ms := &m.Membership
		if err := rows.Scan(&ms.OrgID, &ms.OrgName, &ms.OrgKind, &ms.PersonID, &ms.CreatedAt, &role,
			&m.Person.Email, &m.Person.Name, &verified, &m.Person.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		if n := len(out); n > 0 && out[n-1].Person.ID == ms.PersonID {
			if role != "" {
				out[n-1].Membership.Roles = append(out[n-1].Membership.Roles, domain.Role(role))
			}
			continue
		}
		m.Person.ID = ms.PersonID
		m.Person.CreatedAt = m.Person.CreatedAt.UTC()
		m.Person.EmailVerifiedAt = nullTime(verified)
		ms.CreatedAt = ms.CreatedAt.UTC()
		ms.Roles = []domain.Role{}
		if role != "" {
			ms.Roles = append(ms.Roles, domain.Role(role))
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for i := range out {
		out[i].Membership.Roles = sortRoles(out[i].Membership.OrgKind, out[i].Membership.Roles)
	}
	return out, nil
}

// Member returns one member of an organisation, or domain.ErrNotMember.
func (db *DB) Member(ctx context.Context, orgID, personID int64) (*domain.Member, error) {
	ms, err := db.MembersPage(ctx, orgID, personID-1, 1)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 || ms[0].Person.ID != personID {
		return nil, domain.ErrNotMember
	}
	return &ms[0], nil
}

// MemberCount returns an organisation's member count, kept by the
// triggers of migration 00031 (counting 87,000 keys per page was most of
// the member list's time).
func (db *DB) MemberCount(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COALESCE((SELECT members FROM member_counts WHERE org_id = $1), 0)`, orgID).Scan(&n)
	return n, err
}

// RecountKept counts again what triggers keep: every organisation's
// members (migration 00031) and the visible entries of the pilots'
// directory per district (00034). Bulk loads that bypass the triggers
// (the scale generator on PostgreSQL) call it when they are done.
func (db *DB) RecountKept(ctx context.Context) error {
	return db.transact(ctx, func(tx *Tx) error {
		for _, q := range []string{`DELETE FROM member_counts`,
			`INSERT INTO member_counts (org_id, members) SELECT org_id, COUNT(*) FROM memberships GROUP BY org_id`,
			`DELETE FROM pilot_district_counts`,
			`INSERT INTO pilot_district_counts (district, entries)
				SELECT district, COUNT(*) FROM pilot_entries WHERE hidden = FALSE GROUP BY district`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// Members lists all of an organisation's members with their roles, by
// name. It reads them a page at a time; lists shown to people use
// MembersPage.
func (db *DB) Members(ctx context.Context, orgID int64) ([]domain.Member, error) {
	out := []domain.Member{}
	var after int64
	for {
		page, err := db.MembersPage(ctx, orgID, after, MaxPage)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < MaxPage {
			break
		}
		after = page[len(page)-1].Person.ID
	}
	slices.SortStableFunc(out, func(a, b domain.Member) int { return strings.Compare(a.Person.Name, b.Person.Name) })
	return out, nil
}

// SessionBookingsPage lists up to limit of a session's bookings with an
// ID greater than after, in booking order (along bookings_session_id of
// migration 00030).
func (db *DB) SessionBookingsPage(ctx context.Context, sessionID, after int64, limit int) ([]domain.Booking, error) {
	rows, err := db.query(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.session_id = $1 AND b.id > $2 ORDER BY b.id LIMIT $3`,
		sessionID, after, pageLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, mapErr(rows.Err())
}
