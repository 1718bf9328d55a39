package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// SetAttendance records the status of one day of a booking, replacing an
// earlier record of that day.
func (tx *Tx) SetAttendance(ctx context.Context, bookingID int64, day int, status string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attendance (booking_id, day, status, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (booking_id, day) DO UPDATE SET status = excluded.status, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
		bookingID, day, status, nullID(domain.ActorFrom(ctx).PersonID()), tx.now)
	return err
}

// PresentDays counts the days 1 to days on which the booking's participant
// was present.
func (tx *Tx) PresentDays(ctx context.Context, bookingID int64, days int) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendance WHERE booking_id = $1 AND status = 'present' AND day <= $2`,
		bookingID, days).Scan(&n)
	return n, err
}

// CompleteBooking marks a confirmed booking completed. It reports false
// when the booking was not confirmed (already completed, for one).
func (tx *Tx) CompleteBooking(ctx context.Context, bookingID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'completed', updated_at = $1 WHERE id = $2 AND status = 'confirmed'`,
		tx.now, bookingID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RedeemBookingVoucher marks the reserved voucher of a completed booking
// redeemed, with its ledger event. It reports false when the voucher was
// not reserved.
func (tx *Tx) RedeemBookingVoucher(ctx context.Context, display string, providerID int64) (bool, error) {
	code := strings.ReplaceAll(display, "-", "")
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = 'redeemed', redeemed_at = $2 WHERE code = $1 AND state = 'reserved'`, code, tx.now)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	return true, tx.voucherEvent(ctx, code, providerID, domain.VoucherReserved, domain.VoucherRedeemed)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Attendance returns the recorded status per day of a booking.
func (db *DB) Attendance(ctx context.Context, bookingID int64) (map[int]string, error) {
	all, err := db.attendance(ctx, `WHERE booking_id = $1`, bookingID)
	if err != nil {
		return nil, err
	}
	if m := all[bookingID]; m != nil {
		return m, nil
	}
	return map[int]string{}, nil
}

// SessionAttendance returns the recorded status per booking and day of a
// session's bookings.
func (db *DB) SessionAttendance(ctx context.Context, sessionID int64) (map[int64]map[int]string, error) {
	return db.attendance(ctx, `WHERE booking_id IN (SELECT id FROM bookings WHERE session_id = $1)`, sessionID)
}

func (db *DB) attendance(ctx context.Context, where string, arg any) (map[int64]map[int]string, error) {
	type mark struct {
		booking int64
		day     int
		status  string
	}
	rows, err := db.query(ctx, `SELECT booking_id, day, status FROM attendance `+where, arg)
	if err != nil {
		return nil, err
	}
	marks, err := scanAll(rows, func(r *sql.Rows) (m mark, err error) {
		return m, r.Scan(&m.booking, &m.day, &m.status)
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]map[int]string{}
	for _, m := range marks {
		if out[m.booking] == nil {
			out[m.booking] = map[int]string{}
		}
		out[m.booking][m.day] = m.status
	}
	return out, nil
}

// InsertRating records a participant's rating of the offer of a booking.
// A second rating of the same booking is a domain.EConflict.
func (tx *Tx) InsertRating(ctx context.Context, bookingID, offerID int64, stars int, comment string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ratings (booking_id, offer_id, stars, comment, created_at) VALUES ($1, $2, $3, $4, $5)`,
		bookingID, offerID, stars, comment, tx.now)
	return err
}
