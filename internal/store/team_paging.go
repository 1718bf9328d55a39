package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// The team overview a page at a time (issue 14). Its rows come in two
// parts, each read along an index from where the previous page ended:
//
//  1. the municipality's members by person ID (the key of memberships),
//     each with their bookings by booking ID (bookings_person), or one
//     row without a booking;
//  2. the bookings of other people billed to the municipality (marked
//     as outsiders, migration 00038) or made with its vouchers
//     (vouchers_org, bookings_voucher), by booking ID.
//
// A page costs its rows, with two exceptions: a filter that matches few
// rows reads the municipality's members and their bookings until it has
// found a page, unless it names a status or an offer few bookings have
// (team_filtered.go: then the members' part reads those bookings).

// teamCols are a team row's columns; p is the person (the member, or the
// booking's account), b the booking. The voucher and the certificate are
// looked up by key in subqueries rather than joined: PostgreSQL took
// longer to plan the joins than to run the query.
const teamCols = `COALESCE(p.id, 0), COALESCE(p.name, b.participant_name), COALESCE(p.email, b.participant_email),
	COALESCE(b.id, 0), COALESCE(s.offer_id, 0), COALESCE(o.title, ''), s.starts_at, COALESCE(b.status, ''), COALESCE(b.decline_reason, ''),
	COALESCE(b.voucher_code, ''), COALESCE((SELECT v.track FROM vouchers v WHERE v.code = b.voucher_code), ''),
	COALESCE((SELECT v.state FROM vouchers v WHERE v.code = b.voucher_code), ''),
	COALESCE((SELECT c.id FROM certificates c WHERE c.booking_id = b.id AND c.revoked_at IS NULL), '')`

// teamJoins join a booking b's session and offer.
const teamJoins = ` LEFT JOIN offer_sessions s ON s.id = b.session_id LEFT JOIN offers o ON o.id = s.offer_id `

// countCols are the columns of a team query that is counted.
const countCols = "1"

// teamCertified is the condition that the booking b has a valid
// certificate.
const teamCertified = `EXISTS (SELECT 1 FROM certificates c WHERE c.booking_id = b.id AND c.revoked_at IS NULL)`

// teamQuery collects a team query's arguments; pg: for PostgreSQL.
type teamQuery struct {
	args   []any
	pg     bool
	offers []int64 // teamByOffer: the offers of a part of a title
}

// teamQuery starts a team query for the database's dialect.
func (db *DB) teamQuery() *teamQuery { return &teamQuery{pg: db.Dialect == Postgres} }

func (q *teamQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + itoa(len(q.args))
}

// The name filter finds the rows whose person's name, surname (the name
// after its first word) or address begins with the filter's text, folded
// as the search keys are (foldSQL; the caller folds the filter with
// foldTeamName). A member's keys are kept in the membership (migration
// 00039): a beginning is a range of its indexes. The participants
// without a membership (the others) are few: their names are folded as
// they are read.

// memberName is the condition that the member m's keys begin with the
// folded text k, as a filter of the rows read (each key joined to an
// empty text: not along the keys' indexes, which would take the walk out
// of the municipality's order; nameHits reads along them).
func (q *teamQuery) memberName(k string) string {
	lo, hi := q.arg(k), q.arg(k+prefixEnd)
	var cs []string
	for _, col := range []string{"m.name_key", "m.surname_key", "m.email_key"} {
		cs = append(cs, "("+col+" || '' >= "+lo+" AND "+col+" || '' < "+hi+")")
	}
	return "(" + strings.Join(cs, " OR ") + ")"
}

// otherName is the condition that the name or address of the booking b's
// participant (their account's, p, if they have one) begins with the
// folded text k.
func (q *teamQuery) otherName(k string) string {
	n := "CAST(" + q.arg(k) + " AS TEXT)"
	name, email := "COALESCE(p.name, b.participant_name)", "COALESCE(p.email, b.participant_email)"
	surname := "substr(" + name + ", instr(" + name + ", ' ') + 1)"
	if q.pg {
		surname = "substr(" + name + ", strpos(" + name + ", ' ') + 1)"
	}
	var cs []string
	for _, e := range []string{name, surname, email} {
		cs = append(cs, "substr("+fmt.Sprintf(foldSQL, e)+", 1, length("+n+")) = "+n)
	}
	return "(" + strings.Join(cs, " OR ") + ")"
}

// foldTeamName folds f's name filter as the search keys are folded.
func (db *DB) foldTeamName(ctx context.Context, f domain.TeamFilter) (domain.TeamFilter, error) {
	if f.Name == "" {
		return f, nil
	}
	var err error
	f.Name, err = db.FoldName(ctx, f.Name)
	return f, err
}

// conds are f's conditions on a row, of a member (m is their membership)
// or of another participant; f's name is folded (foldTeamName).
func (q *teamQuery) conds(f domain.TeamFilter, member bool) string {
	var cs []string
	switch {
	case f.Name != "" && member:
		cs = append(cs, q.memberName(f.Name))
	case f.Name != "":
		cs = append(cs, q.otherName(f.Name))
	}
	switch {
	case f.Status == domain.TeamStatusNone:
		cs = append(cs, "b.id IS NULL")
	case f.Status != "":
		cs = append(cs, "b.status = "+q.arg(f.Status))
	}
	if f.OfferID != 0 {
		cs = append(cs, "s.offer_id = "+q.arg(f.OfferID))
	}
	if f.OfferTitle != "" {
		cs = append(cs, containsSQL("o.title", f.OfferTitle, q.arg))
	}
	if f.Certificate != nil {
		if *f.Certificate {
			cs = append(cs, teamCertified)
		} else {
			cs = append(cs, "NOT "+teamCertified)
		}
	}
	if f.RoleProfileID != 0 {
		cs = append(cs, "p.id IN (SELECT rm.person_id FROM role_profile_members rm WHERE rm.profile_id = "+q.arg(f.RoleProfileID)+")")
	}
	if len(cs) == 0 {
		return ""
	}
	return " AND " + strings.Join(cs, " AND ")
}

// filtered reports whether f narrows the rows.
func filtered(f domain.TeamFilter) bool {
	return f.Name != "" || f.Status != "" || f.OfferID != 0 || f.OfferTitle != "" || f.Certificate != nil || f.RoleProfileID != 0
}

// members is the query of the first part: up to limit rows after the
// member's booking (person, booking).
func (q *teamQuery) members(f domain.TeamFilter, cols string, after domain.TeamCursor, limit int) string {
	org := q.arg(f.OrgID)
	where := "m.org_id = " + org
	if after.PersonID > 0 {
		// The first two conditions are implied by the third; they let
		// PostgreSQL start both keys at the cursor.
		p := q.arg(after.PersonID)
		where += " AND m.person_id >= " + p + " AND p.id >= " + p +
			" AND (m.person_id > " + p + " OR (m.person_id = " + p + " AND COALESCE(b.id, 0) > " + q.arg(after.BookingID) + "))"
	}
	return `SELECT ` + cols + ` FROM memberships m JOIN persons p ON p.id = m.person_id
		LEFT JOIN bookings b ON b.person_id = m.person_id` + teamJoins + `
		WHERE ` + where + q.conds(f, true) + `
		ORDER BY m.person_id, b.id LIMIT ` + q.arg(limit)
}

// invoiced is the query of the bookings billed to the municipality (up to
// limit) after the booking after, of people who are not members, by
// booking ID: those marked as outsiders (migration 00038), read along
// their partial index.
func (q *teamQuery) invoiced(f domain.TeamFilter, cols string, after int64, limit int) string {
	return `SELECT ` + cols + ` FROM bookings b LEFT JOIN persons p ON p.id = b.person_id` + teamJoins + `
		WHERE b.employer_id = ` + q.arg(f.OrgID) + ` AND b.outsider AND b.id > ` + q.arg(after) +
		q.conds(f, false) + `
		ORDER BY b.id LIMIT ` + q.arg(limit)
}

// withVouchers is the query of the bookings made with the municipality's
// vouchers (codes, in stored form) after the booking after, of people who
// are not members, by booking ID: all of them, as few as the vouchers.
// The codes are given rather than joined: PostgreSQL, finding few
// bookings with a voucher, misjudged the join by five orders of magnitude
// and compiled the query for half a second, or with a LIMIT walked all
// bookings by ID looking for them.
func (q *teamQuery) withVouchers(f domain.TeamFilter, cols string, codes []string, after int64) string {
	org := q.arg(f.OrgID)
	list := make([]string, len(codes))
	for i, c := range codes {
		list[i] = q.arg(c)
	}
	return `SELECT ` + cols + ` FROM bookings b LEFT JOIN persons p ON p.id = b.person_id` + teamJoins + `
		WHERE b.voucher_code IN (` + strings.Join(list, ", ") + `) AND b.id > ` + q.arg(after) + `
			AND (b.person_id IS NULL OR NOT EXISTS (SELECT 1 FROM memberships x WHERE x.org_id = ` + org + ` AND x.person_id = b.person_id))` +
		q.conds(f, false) + `
		ORDER BY b.id`
}

// voucherCodes are the codes of the municipality's vouchers, as many as
// its contingents gave it.
func (db *DB) voucherCodes(ctx context.Context, orgID int64) ([]string, error) {
	rows, err := db.query(ctx, `SELECT code FROM vouchers WHERE org_id = $1 ORDER BY code`, orgID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (string, error) {
		var c string
		return c, r.Scan(&c)
	})
}

// TeamPlan is how a team overview's filter is read: the filter with its
// name folded, the driver of its members' part (teamDriver) and, for a
// part of a title, its offers. PlanTeam makes it once for the pages and
// the total of a request.
type TeamPlan struct {
	f      domain.TeamFilter
	by     int
	offers []int64
}

// PlanTeam plans the reading of the team overview filtered as f says.
func (db *DB) PlanTeam(ctx context.Context, f domain.TeamFilter) (*TeamPlan, error) {
	f, err := db.foldTeamName(ctx, f)
	if err != nil {
		return nil, err
	}
	by, offers, err := db.teamDriver(ctx, f)
	if err != nil {
		return nil, err
	}
	return &TeamPlan{f: f, by: by, offers: offers}, nil
}

// TeamPage lists up to limit rows of a municipality's team overview after
// the row at after (the zero cursor: from the start), filtered as f says,
// in the order of domain.TeamCursor.
func (db *DB) TeamPage(ctx context.Context, f domain.TeamFilter, after domain.TeamCursor, limit int) ([]domain.TeamRow, error) {
	p, err := db.PlanTeam(ctx, f)
	if err != nil {
		return nil, err
	}
	return db.TeamPageOf(ctx, p, after, limit)
}

// TeamPageOf is TeamPage as p plans it.
func (db *DB) TeamPageOf(ctx context.Context, p *TeamPlan, after domain.TeamCursor, limit int) ([]domain.TeamRow, error) {
	if limit <= 0 || limit > MaxPage+1 { // a page and one more, to tell whether more follow
		limit = 50
	}
	out := []domain.TeamRow{}
	f := p.f
	if after.IsZero() || after.PersonID > 0 {
		q := db.teamQuery()
		q.offers = p.offers
		rows, err := db.teamRows(ctx, q.membersFrom(p.by, f, teamCols, after, limit), q.args, true)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		after = domain.TeamCursor{}
	}
	// The others all have bookings, and hold none of the municipality's
	// role profiles.
	if len(out) >= limit || f.Status == domain.TeamStatusNone || f.RoleProfileID != 0 {
		return out, nil
	}
	// The others: both sources, merged by booking ID.
	need := limit - len(out)
	q := db.teamQuery()
	others, err := db.teamRows(ctx, q.invoiced(f, teamCols, after.BookingID, need), q.args, false)
	if err != nil {
		return nil, err
	}
	codes, err := db.voucherCodes(ctx, f.OrgID)
	if err != nil {
		return nil, err
	}
	if len(codes) > 0 {
		q := db.teamQuery()
		rows, err := db.teamRows(ctx, q.withVouchers(f, teamCols, codes, after.BookingID), q.args, false)
		if err != nil {
			return nil, err
		}
		others = append(others, rows...)
	}
	slices.SortFunc(others, func(a, b domain.TeamRow) int { return cmpInt64(a.BookingID, b.BookingID) })
	others = slices.CompactFunc(others, func(a, b domain.TeamRow) bool { return a.BookingID == b.BookingID })
	return append(out, others[:min(need, len(others))]...), nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (db *DB) teamRows(ctx context.Context, query string, args []any, member bool) ([]domain.TeamRow, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.TeamRow, error) {
		t := domain.TeamRow{Member: member}
		var start sql.NullTime
		var status, state string
		err := r.Scan(&t.PersonID, &t.Name, &t.Email, &t.BookingID, &t.OfferID, &t.OfferTitle, &start, &status, &t.DeclineReason,
			&t.Voucher, &t.VoucherTrack, &state, &t.CertificateID)
		t.SessionStart, t.Status, t.VoucherState = nullTime(start), domain.BookingStatus(status), domain.VoucherState(state)
		if t.Voucher != "" {
			t.Voucher = voucher.Code(t.Voucher).String()
		}
		return t, err
	})
}

// TeamCount counts the rows of a municipality's team overview filtered as
// f says, up to limit (and one more, so that the caller can tell there
// are more): each part reads no further than that.
func (db *DB) TeamCount(ctx context.Context, f domain.TeamFilter, limit int) (int, error) {
	p, err := db.PlanTeam(ctx, f)
	if err != nil {
		return 0, err
	}
	return db.TeamCountOf(ctx, p, limit)
}

// TeamCountOf is TeamCount as p plans it.
func (db *DB) TeamCountOf(ctx context.Context, p *TeamPlan, limit int) (int, error) {
	f, by := p.f, p.by
	if f.Name != "" && by == teamByMembers {
		// Counting reads no columns: a name's members along their
		// keys, however many (the walk would read the municipality).
		by = teamByName
	}
	q := db.teamQuery()
	q.offers = p.offers
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (`+q.membersFrom(by, f, countCols, domain.TeamCursor{}, limit+1)+`) t`, q.args...).Scan(&n); err != nil {
		return 0, err
	}
	if n > limit || f.Status == domain.TeamStatusNone || f.RoleProfileID != 0 {
		return n, nil
	}
	codes, err := db.voucherCodes(ctx, f.OrgID)
	if err != nil {
		return 0, err
	}
	q = db.teamQuery()
	ids := `SELECT id FROM (` + q.invoiced(f, "b.id", 0, limit+1-n) + `) e`
	if len(codes) > 0 {
		ids += ` UNION SELECT id FROM (` + q.withVouchers(f, "b.id", codes, 0) + `) v`
	}
	var others int
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM (`+ids+` LIMIT `+q.arg(limit+1-n)+`) t`, q.args...).Scan(&others)
	return n + others, err
}

// HeldVouchers lists the unused vouchers of a municipality handed to the
// given addresses (normalised), by address, oldest first.
func (db *DB) HeldVouchers(ctx context.Context, orgID int64, emails []string) (map[string][]domain.HeldCode, error) {
	out := map[string][]domain.HeldCode{}
	if len(emails) == 0 {
		return out, nil
	}
	args := []any{orgID}
	marks := make([]string, len(emails))
	for i, e := range emails {
		args = append(args, e)
		marks[i] = "$" + itoa(len(args))
	}
	rows, err := db.query(ctx, `SELECT holder_email, code, track, expires_at FROM vouchers
		WHERE holder_email IN (`+strings.Join(marks, ", ")+`) AND state = 'issued' AND org_id = $1 ORDER BY issued_at, code`, args...)
	if err != nil {
		return nil, err
	}
	type held struct {
		email string
		code  domain.HeldCode
	}
	hs, err := scanAll(rows, func(r *sql.Rows) (held, error) {
		var h held
		err := r.Scan(&h.email, &h.code.Code, &h.code.Track, &h.code.ExpiresAt)
		h.code.Code, h.code.ExpiresAt = voucher.Code(h.code.Code).String(), h.code.ExpiresAt.UTC()
		return h, err
	})
	for _, h := range hs {
		out[h.email] = append(out[h.email], h.code)
	}
	return out, err
}
