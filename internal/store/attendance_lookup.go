package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// attendeeBatch is how many addresses one look-up of an attendance upload
// names.
const attendeeBatch = 500

// AttendeesByEmail reads, inside tx, the session's confirmed or completed
// bookings of the given addresses (normalised), by booking ID: only the
// rows an attendance upload names, looked up by address in groups of
// attendeeBatch (issue 14: a session may hold thousands of bookings),
// rather than the whole session. The caller holds the session's lock.
func (tx *Tx) AttendeesByEmail(ctx context.Context, sessionID int64, emails []string) ([]domain.Booking, error) {
	out := []domain.Booking{}
	for start := 0; start < len(emails); start += attendeeBatch {
		part := emails[start:min(start+attendeeBatch, len(emails))]
		args := []any{sessionID, domain.BookingConfirmed, domain.BookingCompleted}
		marks := make([]string, len(part))
		for i, e := range part {
			args = append(args, e)
			marks[i] = "$" + itoa(len(args))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.participant_email IN (`+strings.Join(marks, ", ")+`)
			AND b.session_id = $1 AND b.status IN ($2, $3) ORDER BY b.id`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		bs, err := scanAll(rows, func(r *sql.Rows) (domain.Booking, error) {
			b, err := scanBooking(r)
			if err != nil {
				return domain.Booking{}, err
			}
			return *b, nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	return out, nil
}
