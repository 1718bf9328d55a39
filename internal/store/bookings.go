package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// lockSession reads a session and its offer and locks the session row, so
// that bookings of one session count and write one after the other (on
// SQLite the transaction holds the write lock already).
func (tx *Tx) lockSession(ctx context.Context, id int64) (*domain.Session, *domain.Offer, error) {
	// One statement for the session (locked), its offer and the offer's
	// funding tracks (vouchers are checked against them), joined by a
	// unit separator; of the offer's details only these: its sessions
	// with their counted bookings took a quarter of a booking's time
	// under the lock, and three statements were three round trips on
	// PostgreSQL (issue 14).
	tracks := `(SELECT string_agg(f.track, chr(31) ORDER BY f.track) FROM offer_funding f WHERE f.offer_id = o.id)`
	if tx.db.Dialect == SQLite {
		tracks = `(SELECT group_concat(track, char(31)) FROM (SELECT f.track FROM offer_funding f WHERE f.offer_id = o.id ORDER BY f.track))`
	}
	// The session's place and address too: a booking's mail and answer
	// are written from what this statement read.
	q := tx.forUpdateOf(`SELECT s.id, s.offer_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags, s.registration_deadline,
		s.address, COALESCE(m.name, ''), `+offerCols+`, COALESCE(`+tracks+`, '')`+offerFrom+`JOIN offer_sessions s ON s.offer_id = o.id
		LEFT JOIN municipalities m ON m.ags = s.ags WHERE s.id = $1`, "s")
	var s domain.Session
	var ft string
	o, err := scanOffer(wrapRow{tx.QueryRowContext(ctx, q, id),
		[]any{&s.ID, &s.OfferID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS, &s.RegistrationDeadline, &s.Address, &s.Place},
		[]any{&ft}})
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil, domain.ErrSessionNotFound
	} else if err != nil {
		return nil, nil, err
	}
	s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
	if ft != "" {
		o.FundingTracks = strings.Split(ft, "\x1f")
		slices.Sort(o.FundingTracks)
	}
	return &s, o, nil
}

// wrapRow scans a row whose columns are before's, then the caller's,
// then after's: a shared scanner reads the middle of a joined row.
type wrapRow struct {
	row           interface{ Scan(...any) error }
	before, after []any
}

func (w wrapRow) Scan(dest ...any) error {
	all := make([]any, 0, len(w.before)+len(dest)+len(w.after))
	all = append(append(append(all, w.before...), dest...), w.after...)
	return w.row.Scan(all...)
}

// LockSession locks a session row and returns the session (with its place
// and address) with its offer (with its funding tracks, without its
// sessions, competences, modules and ratings):
// everything a booking transaction then counts in this session stays true
// until it commits.
func (tx *Tx) LockSession(ctx context.Context, id int64) (*domain.Session, *domain.Offer, error) {
	return tx.lockSession(ctx, id)
}

// LockBooking locks the session of a booking and then reads the booking
// under that lock, so that what a transaction decides on (the booking's
// status, the places taken) cannot change before it commits. Reading the
// booking first and locking afterwards would decide on a status another
// transaction may already have changed.
func (tx *Tx) LockBooking(ctx context.Context, id int64) (*domain.Booking, *domain.Session, *domain.Offer, error) {
	var sessionID int64 // a booking never moves to another session
	err := tx.QueryRowContext(ctx, `SELECT session_id FROM bookings WHERE id = $1`, id).Scan(&sessionID)
	if errNoRows(err) {
		return nil, nil, nil, domain.ErrBookingNotFound
	} else if err != nil {
		return nil, nil, nil, err
	}
	s, o, err := tx.lockSession(ctx, sessionID)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, id))
	if err != nil {
		return nil, nil, nil, err
	}
	return b, s, o, nil
}

const bookingCols = `b.id, b.session_id, s.offer_id, COALESCE(b.person_id, 0), b.participant_name, b.participant_email, b.payment,
	COALESCE(b.voucher_code, ''), COALESCE(v.state, ''), COALESCE(b.employer_id, 0), b.status, b.created_at, b.cancelled_at,
	b.decline_reason, b.approval_note`

const bookingFrom = ` FROM bookings b JOIN offer_sessions s ON s.id = b.session_id LEFT JOIN vouchers v ON v.code = b.voucher_code `

func scanBooking(row interface{ Scan(...any) error }) (*domain.Booking, error) {
	var b domain.Booking
	var cancelled sql.NullTime
	if err := row.Scan(&b.ID, &b.SessionID, &b.OfferID, &b.PersonID, &b.ParticipantName, &b.ParticipantEmail, &b.Payment, &b.VoucherCode,
		&b.VoucherState, &b.EmployerID, &b.Status, &b.CreatedAt, &cancelled, &b.DeclineReason, &b.ApprovalNote); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrBookingNotFound
		}
		return nil, err
	}
	if b.VoucherCode != "" {
		b.VoucherCode = voucher.Code(b.VoucherCode).String()
	}
	b.CreatedAt = b.CreatedAt.UTC()
	b.CancelledAt = nullTime(cancelled)
	return &b, nil
}

// Booking returns a booking.
func (db *DB) Booking(ctx context.Context, id int64) (*domain.Booking, error) {
	return scanBooking(db.queryRow(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, id))
}

// BookingProvider returns a booking and the provider of its session.
func (db *DB) BookingProvider(ctx context.Context, id int64) (*domain.Booking, int64, error) {
	b, err := db.Booking(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	var provider int64
	err = db.queryRow(ctx, `SELECT provider_id FROM offers WHERE id = $1`, b.OfferID).Scan(&provider)
	return b, provider, err
}

// SessionProvider returns the offer and provider of a session.
func (db *DB) SessionProvider(ctx context.Context, sessionID int64) (offerID, providerID int64, published bool, err error) {
	var status string
	err = db.queryRow(ctx, `SELECT o.id, o.provider_id, o.status FROM offer_sessions s JOIN offers o ON o.id = s.offer_id
		WHERE s.id = $1`, sessionID).Scan(&offerID, &providerID, &status)
	if errNoRows(err) {
		return 0, 0, false, domain.ErrSessionNotFound
	}
	return offerID, providerID, status == string(domain.OfferPublished), err
}

// SessionBookings lists a session's bookings in booking order.
func (db *DB) SessionBookings(ctx context.Context, sessionID int64) ([]domain.Booking, error) {
	rows, err := db.query(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.session_id = $1 ORDER BY b.id`, sessionID)
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
	return out, rows.Err()
}

// IdempotentBooking returns the booking a person already made with an
// idempotency key, or 0.
func (tx *Tx) IdempotentBooking(ctx context.Context, createdBy int64, key string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM bookings WHERE created_by = $1 AND idempotency_key = $2`, createdBy, key).Scan(&id)
	if errNoRows(err) {
		return 0, nil
	}
	return id, err
}

// activeStatuses are the statuses of a booking that holds or waits for a
// place; the partial unique indexes of migration 00006 use the same list.
const activeStatuses = `('confirmed', 'waitlisted', 'awaiting_approval')`

// SessionPlaces is what a new booking of a session decides on, read in
// one statement under the session's lock: whether the participant (by
// account, or by address) holds or waits for a place in it already, and
// its confirmed (and completed) places and waiting list.
func (tx *Tx) SessionPlaces(ctx context.Context, sessionID, personID int64, email string) (taken bool, confirmed, waiting int, err error) {
	// Two lookups in the partial unique indexes of active bookings (by
	// address, by account) rather than one OR, which read every active
	// booking of the session; the places counted from the index on
	// (session_id, status) alone. One statement: each was a round trip
	// of a booking on PostgreSQL (issue 14).
	var n int
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM bookings WHERE session_id = $1 AND participant_email = $2 AND status IN `+activeStatuses+`) +
		(SELECT count(*) FROM bookings WHERE session_id = $1 AND person_id = $3 AND person_id IS NOT NULL AND status IN `+activeStatuses+`),
		(SELECT count(*) FROM bookings WHERE session_id = $1 AND status IN ('confirmed', 'completed')),
		(SELECT count(*) FROM bookings WHERE session_id = $1 AND status = 'waitlisted')`,
		sessionID, email, personID).Scan(&n, &confirmed, &waiting)
	return n > 0, confirmed, waiting, err
}

// PlaceCounts counts a session's confirmed (and completed) places and its
// waiting list from the rows; call it under the session's lock.
func (tx *Tx) PlaceCounts(ctx context.Context, sessionID int64) (confirmed, waiting int, err error) {
	// Grouped by status, so that both databases count from the index on
	// (session_id, status) alone; summed over the rows, SQLite took the
	// index on (session_id, id) and read every booking's row from the
	// table (issue 14: an eighth of a booking's time at full scale).
	rows, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM bookings WHERE session_id = $1 GROUP BY status`, sessionID)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var status domain.BookingStatus
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return 0, 0, err
		}
		switch status {
		case domain.BookingConfirmed, domain.BookingCompleted:
			confirmed += n
		case domain.BookingWaitlisted:
			waiting += n
		}
	}
	return confirmed, waiting, rows.Err()
}

// InsertBooking writes a new booking and sets its ID. A unique violation
// (voucher, participant or idempotency key taken) is domain.ErrConflict.
func (tx *Tx) InsertBooking(ctx context.Context, b *domain.Booking, idempotencyKey string) error {
	var key, vc any
	if idempotencyKey != "" {
		key = idempotencyKey
	}
	if b.VoucherCode != "" {
		vc = strings.ReplaceAll(b.VoucherCode, "-", "")
	}
	by := orNull(domain.ActorFrom(ctx).PersonID())
	if by == nil {
		key = nil
	}
	b.CreatedAt = tx.now
	return mapErr(tx.QueryRowContext(ctx, `INSERT INTO bookings (session_id, person_id, participant_name, participant_email, payment,
		voucher_code, employer_id, status, created_by, idempotency_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		b.SessionID, orNull(b.PersonID), b.ParticipantName, b.ParticipantEmail, b.Payment, vc, orNull(b.EmployerID), string(b.Status), by, key,
		tx.now).Scan(&b.ID))
}

// SetBookingStatus changes a booking's status (and its cancellation time).
func (tx *Tx) SetBookingStatus(ctx context.Context, id int64, status domain.BookingStatus) error {
	q := `UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3`
	if status == domain.BookingCancelled {
		q = `UPDATE bookings SET status = $1, updated_at = $2, cancelled_at = $2 WHERE id = $3`
	}
	_, err := tx.ExecContext(ctx, q, string(status), tx.now, id)
	return err
}

// FirstWaiting returns the first booking on a session's waiting list, or
// nil when nobody waits.
func (tx *Tx) FirstWaiting(ctx context.Context, sessionID int64) (*domain.Booking, error) {
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.session_id = $1 AND b.status = 'waitlisted'
		ORDER BY b.id LIMIT 1`, sessionID))
	if err == domain.ErrBookingNotFound {
		return nil, nil
	}
	return b, err
}

// LastVoucherBooking returns the latest booking made with a voucher, or
// nil.
func (tx *Tx) LastVoucherBooking(ctx context.Context, code voucher.Code) (*domain.Booking, error) {
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.voucher_code = $1
		ORDER BY b.id DESC LIMIT 1`, string(code)))
	if err == domain.ErrBookingNotFound {
		return nil, nil
	}
	return b, err
}

// BookingDetails lists the bookings f selects with their offer and
// session, next session first.
func (db *DB) BookingDetails(ctx context.Context, f domain.BookingFilter) ([]domain.BookingDetail, error) {
	out := []domain.BookingDetail{}
	if f.None {
		return out, nil
	}
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	if f.PersonID != 0 {
		conds = append(conds, "b.person_id = "+arg(f.PersonID))
	}
	if f.Email != "" {
		conds = append(conds, "b.participant_email = "+arg(domain.NormalizeEmail(f.Email)))
	}
	for _, id := range f.ProviderIDs {
		conds = append(conds, "o.provider_id = "+arg(id))
	}
	for _, id := range f.EmployerIDs {
		conds = append(conds, "b.employer_id = "+arg(id))
	}
	if len(conds) == 0 {
		return out, nil
	}
	where := "(" + strings.Join(conds, " OR ") + ")"
	if f.Status != "" {
		where += " AND b.status = " + arg(string(f.Status))
	}
	if f.After > 0 {
		// Keyset paging along (starts_at, id): the bookings after the
		// given one.
		after := `(SELECT s2.starts_at FROM bookings b2 JOIN offer_sessions s2 ON s2.id = b2.session_id WHERE b2.id = ` + arg(f.After) + `)`
		where += ` AND (s.starts_at > ` + after + ` OR (s.starts_at = ` + after + ` AND b.id > ` + arg(f.After) + `))`
	}
	limit := ""
	if f.Limit > 0 {
		limit = ` LIMIT ` + arg(f.Limit)
	}
	rows, err := db.query(ctx, detailSelect+`WHERE `+where+` ORDER BY s.starts_at, b.id`+limit, args...)
	if err != nil {
		return nil, err
	}
	return scanDetails(rows)
}

// detailSelect reads bookings with their offer and session; scanDetails
// scans its rows.
const detailSelect = `SELECT ` + bookingCols + `, o.title, p.name, o.provider_id, s.starts_at, s.ends_at, s.days, s.online,
		s.ags, COALESCE(m.name, ''), s.address, COALESCE((SELECT c.id FROM certificates c WHERE c.booking_id = b.id), ''), o.price_cents,
		s.registration_deadline
		FROM bookings b JOIN offer_sessions s ON s.id = b.session_id LEFT JOIN vouchers v ON v.code = b.voucher_code
		JOIN offers o ON o.id = s.offer_id JOIN organisations p ON p.id = o.provider_id LEFT JOIN municipalities m ON m.ags = s.ags
		`

func scanDetails(rows *sql.Rows) ([]domain.BookingDetail, error) {
	out, err := scanAll(rows, func(rows *sql.Rows) (domain.BookingDetail, error) {
		var d domain.BookingDetail
		var cancelled sql.NullTime
		b := &d.Booking
		if err := rows.Scan(&b.ID, &b.SessionID, &b.OfferID, &b.PersonID, &b.ParticipantName, &b.ParticipantEmail, &b.Payment, &b.VoucherCode,
			&b.VoucherState, &b.EmployerID, &b.Status, &b.CreatedAt, &cancelled, &b.DeclineReason, &b.ApprovalNote, &d.OfferTitle, &d.Provider,
			&d.ProviderID, &d.Session.StartsAt, &d.Session.EndsAt, &d.Session.Days, &d.Session.Online, &d.Session.AGS, &d.Session.Place,
			&d.Session.Address, &d.CertificateID, &d.PriceCents, &d.Session.RegistrationDeadline); err != nil {
			return d, err
		}
		if b.VoucherCode != "" {
			b.VoucherCode = voucher.Code(b.VoucherCode).String()
		}
		b.CreatedAt = b.CreatedAt.UTC()
		b.CancelledAt = nullTime(cancelled)
		d.Session.ID, d.Session.OfferID = b.SessionID, b.OfferID
		d.Session.StartsAt, d.Session.EndsAt = d.Session.StartsAt.UTC(), d.Session.EndsAt.UTC()
		d.Session.RegistrationDeadline = d.Session.RegistrationDeadline.UTC()
		return d, nil
	})
	if out == nil && err == nil {
		out = []domain.BookingDetail{}
	}
	return out, err
}

// BookingDetail returns one booking with its offer and session, inside tx.
func (tx *Tx) BookingDetail(ctx context.Context, id int64) (*domain.BookingDetail, error) {
	rows, err := tx.QueryContext(ctx, detailSelect+`WHERE b.id = $1`, id)
	if err != nil {
		return nil, err
	}
	ds, err := scanDetails(rows)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, domain.ErrBookingNotFound
	}
	return &ds[0], nil
}

// CalendarToken returns a new secret for the person's calendar feed,
// replacing any earlier one.
func (db *DB) CalendarToken(ctx context.Context, personID int64) (string, error) {
	token, hash := newSecret("")
	_, err := db.exec(ctx, `INSERT INTO calendar_tokens (person_id, token_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, personID, hash, db.Now())
	return token, err
}

// CalendarPerson returns the person of a calendar feed secret.
func (db *DB) CalendarPerson(ctx context.Context, token string) (*domain.Person, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT person_id FROM calendar_tokens WHERE token_hash = $1`, hashSecret(token)).Scan(&id)
	if errNoRows(err) {
		return nil, domain.ErrCalendarNotFound
	} else if err != nil {
		return nil, err
	}
	return db.PersonByID(ctx, id)
}

// orNull is NULL for an ID of 0.
func orNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
