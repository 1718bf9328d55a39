package store

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/domain"
)

// RecordAttendance records a participant's attendance on days of the
// session (all days when days is empty). When the participant was present
// on every day, the booking is completed and its voucher redeemed, in the
// same transaction.
func (db *DB) RecordAttendance(ctx context.Context, bookingID int64, days []int, status string) (*domain.Booking, error) {
	if !slices.Contains([]string{domain.AttendPresent, domain.AttendAbsent, domain.AttendExcused}, status) {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Die Anwesenheit ist „present“, „absent“ oder „excused“.",
			Fields: map[string]string{"status": "Bitte wählen Sie anwesend, abwesend oder entschuldigt."}}
	}
	err := db.transact(ctx, func(tx *Tx) error {
		b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, bookingID))
		if err != nil {
			return err
		}
		s, o, err := tx.lockSession(ctx, b.SessionID)
		if err != nil {
			return err
		}
		if b.Status != domain.BookingConfirmed && b.Status != domain.BookingCompleted {
			return domain.Errorf(domain.EConflict, "Anwesenheit lässt sich nur für bestätigte Buchungen erfassen (Status: %s).", b.Status)
		}
		if len(days) == 0 {
			for d := 1; d <= s.Days; d++ {
				days = append(days, d)
			}
		}
		for _, d := range days {
			if d < 1 || d > s.Days {
				return &domain.Error{Code: domain.EInvalid, Message: "Diesen Schulungstag gibt es nicht.",
					Fields: map[string]string{"day": "Der Termin hat die Tage 1 bis " + itoa(s.Days) + "."}}
			}
			if tx.now.Before(s.StartsAt.Add(time.Duration(d-1) * 24 * time.Hour)) {
				return domain.Errorf(domain.EConflict, "Tag %d des Termins hat noch nicht begonnen; Anwesenheit lässt sich erst dann erfassen.", d)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attendance (booking_id, day, status, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (booking_id, day) DO UPDATE SET status = excluded.status, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
				bookingID, d, status, nullID(domain.ActorFrom(ctx).PersonID()), tx.now); err != nil {
				return err
			}
		}
		var present int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attendance WHERE booking_id = $1 AND status = 'present' AND day <= $2`,
			bookingID, s.Days).Scan(&present); err != nil {
			return err
		}
		if err := tx.audit(ctx, o.ProviderID, "attendance.record", "booking", bookingID, map[string]any{"days": days, "status": status}); err != nil {
			return err
		}
		if present < s.Days || b.Status == domain.BookingCompleted {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'completed', updated_at = $1 WHERE id = $2`, tx.now, bookingID); err != nil {
			return err
		}
		if b.VoucherCode != "" {
			code := strings.ReplaceAll(b.VoucherCode, "-", "")
			res, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = 'redeemed' WHERE code = $1 AND state = 'reserved'`, code)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				if err := tx.voucherEvent(ctx, code, o.ProviderID, domain.VoucherReserved, domain.VoucherRedeemed); err != nil {
					return err
				}
			}
		}
		if err := tx.issueCertificate(ctx, b, o, s); err != nil {
			return err
		}
		return tx.audit(ctx, o.ProviderID, "booking.complete", "booking", bookingID, nil)
	})
	if err != nil {
		return nil, err
	}
	return db.Booking(ctx, bookingID)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Attendance returns the recorded status per day of a booking.
func (db *DB) Attendance(ctx context.Context, bookingID int64) (map[int]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT day, status FROM attendance WHERE booking_id = $1`, bookingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var d int
		var s string
		if err := rows.Scan(&d, &s); err != nil {
			return nil, err
		}
		out[d] = s
	}
	return out, rows.Err()
}

// Rate records a participant's rating of the offer of a completed booking.
func (db *DB) Rate(ctx context.Context, bookingID int64, stars int, comment string) error {
	comment = strings.TrimSpace(comment)
	v := domain.Validation{}
	if stars < 1 || stars > 5 {
		v.Add("stars", "Bitte vergeben Sie 1 bis 5 Sterne.")
	}
	if utf8.RuneCountInString(comment) > 2000 {
		v.Add("comment", "Der Kommentar darf höchstens 2.000 Zeichen lang sein.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, bookingID))
		if err != nil {
			return err
		}
		if b.Status != domain.BookingCompleted {
			return domain.Errorf(domain.EConflict, "Bewerten können Sie ein Angebot, nachdem Sie es abgeschlossen haben.")
		}
		err = mapErr2(tx.ExecContext(ctx, `INSERT INTO ratings (booking_id, offer_id, stars, comment, created_at) VALUES ($1, $2, $3, $4, $5)`,
			bookingID, b.OfferID, stars, comment, tx.now))
		if domain.ErrorCode(err) == domain.EConflict {
			return domain.Errorf(domain.EConflict, "Sie haben dieses Angebot bereits bewertet.")
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, 0, "offer.rate", "offer", b.OfferID, map[string]int{"stars": stars})
	})
}
