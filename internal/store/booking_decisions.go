package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// DeclineBooking cancels a booking HR declined and keeps the reason.
func (tx *Tx) DeclineBooking(ctx context.Context, id int64, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled', decline_reason = $1, decided_at = $2, cancelled_at = $2,
		updated_at = $2 WHERE id = $3`, reason, tx.now, id)
	return err
}

// SetApprovalNote records HR's approval (with its optional note).
func (tx *Tx) SetApprovalNote(ctx context.Context, id int64, note string) error {
	_, err := tx.ExecContext(ctx, `UPDATE bookings SET approval_note = $1, decided_at = $2, updated_at = $2 WHERE id = $3`, note, tx.now, id)
	return err
}

// DueReminders lists up to limit confirmed bookings whose session starts
// between from and until and that have not been reminded yet.
func (tx *Tx) DueReminders(ctx context.Context, from, until time.Time, limit int) ([]domain.BookingDetail, error) {
	rows, err := tx.QueryContext(ctx, detailSelect+`WHERE b.status = 'confirmed' AND b.reminded_at IS NULL
		AND s.starts_at > $1 AND s.starts_at <= $2 ORDER BY s.starts_at, b.id LIMIT $3`, from, until, limit)
	if err != nil {
		return nil, err
	}
	return scanDetails(rows)
}

// ClaimReminder marks a booking as reminded and reports whether this
// transaction did it: of two senders racing for one booking, one claims it
// (the other's UPDATE waits for the row and then finds reminded_at set).
func (tx *Tx) ClaimReminder(ctx context.Context, id int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE bookings SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL`, tx.now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ExpiringVoucher is an unused voucher close to its expiry, for the notice
// to its municipality.
type ExpiringVoucher struct {
	Code        voucher.Code
	OrgID       int64
	OrgName     string
	ProgrammeID string
	Track       string
	ExpiresAt   time.Time
	// HolderEmail is the person the voucher was handed to; "" if nobody.
	HolderEmail string
}

// ExpiringVouchers lists up to limit vouchers still issued (not used) that
// expire between from and until and whose municipality has not been told.
func (tx *Tx) ExpiringVouchers(ctx context.Context, from, until time.Time, limit int) ([]ExpiringVoucher, error) {
	rows, err := tx.QueryContext(ctx, `SELECT v.code, v.org_id, o.name, v.programme_id, v.track, v.expires_at, v.holder_email FROM vouchers v
		JOIN organisations o ON o.id = v.org_id
		WHERE v.state = 'issued' AND v.expiry_noticed_at IS NULL AND v.expires_at > $1 AND v.expires_at <= $2
		ORDER BY v.org_id, v.expires_at, v.code LIMIT $3`, from, until, limit)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (ExpiringVoucher, error) {
		var v ExpiringVoucher
		var code string
		err := r.Scan(&code, &v.OrgID, &v.OrgName, &v.ProgrammeID, &v.Track, &v.ExpiresAt, &v.HolderEmail)
		v.Code, v.ExpiresAt = voucher.Code(code), v.ExpiresAt.UTC()
		return v, err
	})
}

// ClaimExpiryNotice marks a voucher's expiry notice as sent and reports
// whether this transaction did it (see ClaimReminder).
func (tx *Tx) ClaimExpiryNotice(ctx context.Context, code voucher.Code) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET expiry_noticed_at = $1 WHERE code = $2 AND expiry_noticed_at IS NULL`,
		tx.now, strings.ReplaceAll(string(code), "-", ""))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
