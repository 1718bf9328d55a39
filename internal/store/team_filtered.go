package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The team overview's members' part with a filter that few bookings pass
// (issue 14): walking the municipality's members in order and reading
// their bookings until a page is found reads all of them when the filter
// matches few rows (87,000 members and their bookings in the largest
// municipality). When the filter names a booking status or an offer that
// few bookings on the whole platform have (see teamDriver), those
// bookings are read along an index instead (bookings_status_person of
// migration 00036, or bookings_session for the offer's sessions) in the
// overview's order, keeping the members' (the key of memberships). So is
// a part of a title that few offers' titles contain (their bookings, all
// offers together; the titles read along offers_title of migration
// 00040). Members without a booking cannot pass such a filter. A status
// or offer more bookings have is served by the walk, which then finds its
// page soon.

// teamDriverLimit and teamDriverMax bound the most bookings a status or
// an offer may have for the members' part to start from them: half the
// municipality's members, at least teamDriverLimit, at most
// teamDriverMax.
const (
	teamDriverLimit = 5000
	teamDriverMax   = 50000
)

// teamSmallOrg is the most members a municipality may have for its
// members' part to be walked whatever the filter: its members' bookings
// are no more than a few thousand rows, cheaper than counting a status's
// bookings first (a variable for the tests).
var teamSmallOrg = 1000

// Drivers of the members' part.
const (
	teamByMembers = iota // the members in order, each with their bookings
	teamByStatus         // the bookings with the filter's status
	teamByOffer          // the bookings of the filter's offer
	teamByRole           // the people assigned to the filter's role profile
	teamByName           // the members whose keys begin with the filter's name
)

// teamNameMax is the most members a name may match for the members' part
// to start from them (their keys' ranges, then each member in order):
// all of them are read and sorted for a page. A name more members have is
// served by the walk, which compares each membership's keys and then
// finds its page soon (a variable for the tests).
var teamNameMax = 2000

// teamTitleMax is the most offers a part of a title may match for the
// members' part to start from their bookings (teamByOffer over all of
// them): a part most titles have is served by the walk.
const teamTitleMax = 100

// teamDriver chooses how the members' part of f is read: from the
// people of the filter's role profile; in a municipality of more than
// teamSmallOrg members, from the members whose name keys begin with the
// filter's name, or from the bookings of the filter's status or offer (or
// of the few offers whose title contains the filter's part of a title)
// when few enough have it (the fewest; see teamDriverLimit); else from
// the members. With teamByOffer it returns the offers (nil: the
// filter's offer).
func (db *DB) teamDriver(ctx context.Context, f domain.TeamFilter) (int, []int64, error) {
	if f.RoleProfileID != 0 {
		// A role's people are at most the municipality's, in the same
		// order.
		return teamByRole, nil, nil
	}
	if f.Name == "" && f.Status == "" && f.OfferID == 0 && f.OfferTitle == "" {
		return teamByMembers, nil, nil
	}
	var members int
	if err := db.queryRow(ctx, `SELECT COALESCE((SELECT members FROM member_counts WHERE org_id = $1), 0)`, f.OrgID).Scan(&members); err != nil {
		return 0, nil, err
	}
	if members <= teamSmallOrg {
		return teamByMembers, nil, nil
	}
	// Probing a booking's membership by key costs about what reading a
	// member with their bookings does: up to half as many bookings as
	// members are worth counting and probing (within the bounds).
	limit := min(max(members/2, teamDriverLimit), teamDriverMax)
	by, least := teamByMembers, limit+1
	count := func(query string, arg any) (int, error) {
		var n int
		err := db.queryRow(ctx, `SELECT COUNT(*) FROM (`+query+` LIMIT $2) t`, arg, limit+1).Scan(&n)
		return n, err
	}
	if f.Name != "" {
		// The members whose keys begin with the name, from the indexes
		// alone: one whose name and surname both begin so counts twice.
		q := db.teamQuery()
		hits := strings.ReplaceAll(q.nameHits(f, domain.TeamCursor{}, 0), " UNION ", " UNION ALL ")
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (`+hits+` LIMIT `+q.arg(teamNameMax+1)+`) t`, q.args...).Scan(&n); err != nil {
			return 0, nil, err
		}
		if n <= teamNameMax {
			by, least = teamByName, n
		}
	}
	if f.Status != "" && f.Status != domain.TeamStatusNone {
		n, err := count(`SELECT 1 FROM bookings WHERE status = $1`, f.Status)
		if err != nil {
			return 0, nil, err
		}
		if n < least {
			by, least = teamByStatus, n
		}
	}
	if f.OfferID != 0 {
		n, err := count(`SELECT 1 FROM offer_sessions s JOIN bookings b ON b.session_id = s.id WHERE s.offer_id = $1`, f.OfferID)
		if err != nil {
			return 0, nil, err
		}
		if n < least {
			by = teamByOffer
		}
		return by, nil, nil
	}
	if f.OfferTitle != "" {
		// The offers whose title contains the part (a scan of the
		// titles), then their bookings, counted as the offer's are.
		var a argList
		titles := `SELECT id FROM offers WHERE ` + containsSQL("title", f.OfferTitle, a.add) + ` LIMIT ` + a.add(teamTitleMax+1)
		rows, err := db.query(ctx, titles, a...)
		if err != nil {
			return 0, nil, err
		}
		offers, err := scanAll(rows, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil || len(offers) > teamTitleMax {
			return by, nil, err
		}
		if len(offers) == 0 {
			return teamByOffer, []int64{0}, nil // no offer: no booking
		}
		q := db.teamQuery()
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM offer_sessions s JOIN bookings b ON b.session_id = s.id
			WHERE s.offer_id IN (`+inList(offers, q.arg)+`) LIMIT `+q.arg(limit+1)+`) t`, q.args...).Scan(&n); err != nil {
			return 0, nil, err
		}
		if n < least {
			return teamByOffer, offers, nil
		}
	}
	return by, nil, nil
}

// membersFrom is the members' part read as by says (membersBy's query
// when the members are walked).
func (q *teamQuery) membersFrom(by int, f domain.TeamFilter, cols string, after domain.TeamCursor, limit int) string {
	switch by {
	case teamByMembers:
		return q.members(f, cols, after, limit)
	case teamByRole:
		return q.roleMembers(f, cols, after, limit)
	case teamByName:
		return q.nameMembers(f, cols, after, limit)
	}
	from, where := "bookings b", ""
	switch by {
	case teamByStatus:
		where = "b.status = " + q.arg(f.Status)
		if after.PersonID > 0 {
			// The first condition is implied by the second; it starts
			// the index (status, person_id, id) at the cursor.
			p := q.arg(after.PersonID)
			where += " AND b.person_id >= " + p + " AND (b.person_id > " + p + " OR b.id > " + q.arg(after.BookingID) + ")"
		}
	case teamByOffer:
		// The offer's sessions (or the offers' of the title), then their
		// bookings (bookings_session).
		from = "offer_sessions x CROSS JOIN bookings b"
		var offer string
		if len(q.offers) > 0 {
			offer = "IN (" + inList(q.offers, q.arg) + ")"
		} else {
			offer = "= " + q.arg(f.OfferID)
		}
		where = "x.offer_id " + offer + " AND b.session_id = x.id"
		if after.PersonID > 0 {
			p := q.arg(after.PersonID)
			where += " AND (b.person_id > " + p + " OR (b.person_id = " + p + " AND b.id > " + q.arg(after.BookingID) + "))"
		}
	}
	// CROSS JOIN keeps SQLite's join order: the bookings first, each
	// checked against the key of memberships.
	return `SELECT ` + cols + ` FROM ` + from + ` CROSS JOIN memberships m JOIN persons p ON p.id = b.person_id` + teamJoins + `
		WHERE m.org_id = ` + q.arg(f.OrgID) + ` AND m.person_id = b.person_id AND ` + where + q.conds(f, true) + `
		ORDER BY b.person_id, b.id LIMIT ` + q.arg(limit)
}

// roleMembers is the members' part of the people assigned to the filter's
// role profile, read along the profile's key (profile, person), each
// checked against the key of memberships, with their bookings or one row
// without: as the members' walk, but only theirs. A profile of another
// organisation has nobody here.
func (q *teamQuery) roleMembers(f domain.TeamFilter, cols string, after domain.TeamCursor, limit int) string {
	org, role := q.arg(f.OrgID), q.arg(f.RoleProfileID)
	where := "rm.profile_id = " + role + " AND m.org_id = " + org + " AND m.person_id = rm.person_id" +
		" AND EXISTS (SELECT 1 FROM role_profiles rp WHERE rp.id = rm.profile_id AND rp.org_id = " + org + ")"
	if after.PersonID > 0 {
		p := q.arg(after.PersonID)
		where += " AND rm.person_id >= " + p + " AND (rm.person_id > " + p + " OR COALESCE(b.id, 0) > " + q.arg(after.BookingID) + ")"
	}
	// The filter's own condition (conds) is implied here.
	g := f
	g.RoleProfileID = 0
	return `SELECT ` + cols + ` FROM role_profile_members rm CROSS JOIN memberships m JOIN persons p ON p.id = m.person_id
		LEFT JOIN bookings b ON b.person_id = m.person_id` + teamJoins + `
		WHERE ` + where + q.conds(g, true) + `
		ORDER BY rm.person_id, b.id LIMIT ` + q.arg(limit)
}

// nameHits is the query of the IDs of the members whose keys begin with
// f's (folded) name, from the cursor's person on, along the keys' three
// indexes of migration 00039 within the municipality; the first first
// of them by ID when first > 0 (all when 0).
func (q *teamQuery) nameHits(f domain.TeamFilter, after domain.TeamCursor, first int) string {
	org, lo, hi := q.arg(f.OrgID), q.arg(f.Name), q.arg(f.Name+prefixEnd)
	from := ""
	if after.PersonID > 0 {
		// Not along the key of memberships (+): it would walk the
		// municipality from the cursor.
		from = " AND +k.person_id >= " + q.arg(after.PersonID)
	}
	var parts []string
	for _, col := range []string{"k.name_key", "k.surname_key", "k.email_key"} {
		parts = append(parts, "SELECT k.person_id FROM memberships k WHERE k.org_id = "+org+" AND "+col+" >= "+lo+" AND "+col+" < "+hi+from)
	}
	hits := strings.Join(parts, " UNION ")
	if first > 0 {
		hits += " ORDER BY person_id LIMIT " + q.arg(first)
	}
	return hits
}

// nameMembers is the members' part of the members whose keys begin with
// the filter's name (nameHits), each with their bookings or one row
// without, in the order of the walk. Without another filter a page of
// limit rows has no more than limit people after the cursor's: only the
// first of them are read. The page's keys are chosen first, the rows'
// columns (three lookups each) read for them alone. Counted (countCols,
// from the start): no order and no more joins than the filter needs.
func (q *teamQuery) nameMembers(f domain.TeamFilter, cols string, after domain.TeamCursor, limit int) string {
	// The filter's own condition is implied here.
	g := f
	g.Name = ""
	first := 0
	if !filtered(g) && cols != countCols {
		first = limit + 1 // and the cursor's person, who may have no rows left
	}
	hits := q.nameHits(f, after, first)
	if cols == countCols {
		// The hits are the municipality's members: their bookings, or
		// one row without.
		joins := ""
		if g.OfferID != 0 || g.OfferTitle != "" {
			joins = teamJoins
		}
		if g.RoleProfileID != 0 {
			joins += " JOIN persons p ON p.id = h.person_id"
		}
		return `SELECT 1 FROM (` + hits + `) h LEFT JOIN bookings b ON b.person_id = h.person_id` + joins + `
			WHERE 1 = 1` + q.conds(g, true) + ` LIMIT ` + q.arg(limit)
	}
	org := q.arg(f.OrgID)
	where := "m.org_id = " + org + " AND m.person_id = h.person_id"
	if after.PersonID > 0 {
		p := q.arg(after.PersonID)
		where += " AND (m.person_id > " + p + " OR (m.person_id = " + p + " AND COALESCE(b.id, 0) > " + q.arg(after.BookingID) + "))"
	}
	keys := `SELECT m.person_id AS pid, COALESCE(b.id, 0) AS bid FROM (` + hits + `) h CROSS JOIN memberships m JOIN persons p ON p.id = m.person_id
		LEFT JOIN bookings b ON b.person_id = m.person_id` + teamJoins + `
		WHERE ` + where + q.conds(g, true) + `
		ORDER BY m.person_id, b.id LIMIT ` + q.arg(limit)
	return `SELECT ` + cols + ` FROM (` + keys + `) k JOIN memberships m ON m.org_id = ` + org + ` AND m.person_id = k.pid
		JOIN persons p ON p.id = k.pid LEFT JOIN bookings b ON b.id = k.bid` + teamJoins + `
		ORDER BY k.pid, k.bid`
}
