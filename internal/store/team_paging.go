package store

import (
	"context"
	"database/sql"
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
//  2. the bookings of other people billed to the municipality
//     (bookings_employer of migration 00032) or made with its vouchers
//     (vouchers_org, bookings_voucher), by booking ID.
//
// A page costs its rows, except that a filter which matches few rows reads
// the municipality's members and bookings until it has found a page, and
// the second part reads the municipality's invoiced bookings to skip its
// members' (at most once per walk through the list).

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

// teamCertified is the condition that the booking b has a valid
// certificate.
const teamCertified = `EXISTS (SELECT 1 FROM certificates c WHERE c.booking_id = b.id AND c.revoked_at IS NULL)`

// teamQuery collects a team query's arguments.
type teamQuery struct{ args []any }

func (q *teamQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + itoa(len(q.args))
}

// conds are f's conditions on a row; name and email are the columns of
// the person's name and address.
func (q *teamQuery) conds(f domain.TeamFilter, name, email string) string {
	var cs []string
	if f.Name != "" {
		n := q.arg("%" + escapeLike(strings.ToLower(f.Name)) + "%")
		cs = append(cs, "(LOWER("+name+") LIKE "+n+` ESCAPE '\' OR LOWER(`+email+") LIKE "+n+` ESCAPE '\')`)
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
		cs = append(cs, "LOWER(o.title) LIKE "+q.arg("%"+escapeLike(strings.ToLower(f.OfferTitle))+"%")+` ESCAPE '\'`)
	}
	if f.Certificate != nil {
		if *f.Certificate {
			cs = append(cs, teamCertified)
		} else {
			cs = append(cs, "NOT "+teamCertified)
		}
	}
	if len(cs) == 0 {
		return ""
	}
	return " AND " + strings.Join(cs, " AND ")
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
		WHERE ` + where + q.conds(f, "p.name", "p.email") + `
		ORDER BY m.person_id, b.id LIMIT ` + q.arg(limit)
}

// others is the query of one source of the second part: the bookings
// billed to the municipality (up to limit), or those made with its
// vouchers (all: they are as few as the municipality's vouchers, and with
// a LIMIT PostgreSQL walked all bookings by ID looking for them), after
// the booking after, of people who are not members, by booking ID.
func (q *teamQuery) others(f domain.TeamFilter, cols string, byVoucher bool, after int64, limit int) string {
	org := q.arg(f.OrgID)
	from, where, tail := `bookings b`, "b.employer_id = "+org, ""
	if byVoucher {
		from, where = `vouchers vo JOIN bookings b ON b.voucher_code = vo.code`, "vo.org_id = "+org
	} else {
		tail = " LIMIT " + q.arg(limit)
	}
	return `SELECT ` + cols + ` FROM ` + from + ` LEFT JOIN persons p ON p.id = b.person_id` + teamJoins + `
		WHERE ` + where + ` AND b.id > ` + q.arg(after) + `
			AND (b.person_id IS NULL OR NOT EXISTS (SELECT 1 FROM memberships x WHERE x.org_id = ` + org + ` AND x.person_id = b.person_id))` +
		q.conds(f, "COALESCE(p.name, b.participant_name)", "COALESCE(p.email, b.participant_email)") + `
		ORDER BY b.id` + tail
}

// TeamPage lists up to limit rows of a municipality's team overview after
// the row at after (the zero cursor: from the start), filtered as f says,
// in the order of domain.TeamCursor.
func (db *DB) TeamPage(ctx context.Context, f domain.TeamFilter, after domain.TeamCursor, limit int) ([]domain.TeamRow, error) {
	if limit <= 0 || limit > MaxPage+1 { // a page and one more, to tell whether more follow
		limit = 50
	}
	out := []domain.TeamRow{}
	if after.IsZero() || after.PersonID > 0 {
		q := &teamQuery{}
		rows, err := db.teamRows(ctx, q.members(f, teamCols, after, limit), q.args, true)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		after = domain.TeamCursor{}
	}
	if len(out) >= limit || f.Status == domain.TeamStatusNone { // the others all have bookings
		return out, nil
	}
	// The others: both sources a page each, merged by booking ID.
	need := limit - len(out)
	var others []domain.TeamRow
	for _, byVoucher := range []bool{false, true} {
		q := &teamQuery{}
		rows, err := db.teamRows(ctx, q.others(f, teamCols, byVoucher, after.BookingID, need), q.args, false)
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
	q := &teamQuery{}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (`+q.members(f, "1", domain.TeamCursor{}, limit+1)+`) t`, q.args...).Scan(&n); err != nil {
		return 0, err
	}
	if n > limit || f.Status == domain.TeamStatusNone {
		return n, nil
	}
	q = &teamQuery{}
	var others int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT id FROM (`+q.others(f, "b.id", false, 0, limit+1-n)+`) e
		UNION SELECT id FROM (`+q.others(f, "b.id", true, 0, 0)+`) v LIMIT `+q.arg(limit+1-n)+`) t`, q.args...).Scan(&others)
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
