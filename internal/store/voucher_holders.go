package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// VoucherHanding is one handing of an issued voucher to a person.
type VoucherHanding struct {
	Code  voucher.Code
	OrgID int64 // the municipality, whose audit log records it
	// Previous is the holder the caller found under the row lock; the
	// change fails with domain.ErrConflict when it is no longer so.
	Previous, Email string
	Reason          string
}

// HandVoucher records that an issued voucher is now held by the person with
// the address h.Email, with a ledger entry (the state stays issued) and an
// audit entry. It returns domain.ErrConflict when the voucher is no longer
// issued or its holder changed meanwhile.
func (tx *Tx) HandVoucher(ctx context.Context, h VoucherHanding) error {
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET holder_email = $1, handed_at = $2
		WHERE code = $3 AND state = 'issued' AND holder_email = $4`, h.Email, tx.now, string(h.Code), h.Previous)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	var actor any
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		actor = id
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO voucher_events (code, at, actor_id, from_state, to_state, reason, holder_email)
		VALUES ($1, $2, $3, 'issued', 'issued', $4, $5)`, string(h.Code), tx.now, actor, h.Reason, h.Email); err != nil {
		return err
	}
	// The audit log names people by ID (privacy): the holders' accounts.
	detail := map[string]any{"holder_id": tx.personIDByEmail(ctx, h.Email)}
	if h.Previous != "" {
		detail["previous_id"] = tx.personIDByEmail(ctx, h.Previous)
	}
	if h.Reason != "" {
		detail["reason"] = h.Reason
	}
	return tx.audit(ctx, h.OrgID, "voucher.hand", "voucher", string(h.Code), detail)
}

// VoucherFilter selects vouchers for a list.
type VoucherFilter struct {
	OrgIDs []int64 // of these municipalities; nil: any
	// HolderEmail: held by this address.
	HolderEmail string
	// Free: issued, unexpired and held by nobody.
	Free        bool
	ProgrammeID string
	Track       string
}

// Vouchers lists vouchers, oldest first. An empty OrgIDs (not nil) and no
// holder select nothing.
func (db *DB) Vouchers(ctx context.Context, f VoucherFilter) ([]domain.Voucher, error) {
	if f.OrgIDs != nil && len(f.OrgIDs) == 0 {
		return []domain.Voucher{}, nil
	}
	var out []domain.Voucher
	err := db.read(ctx, func(tx *Tx) error {
		args := []any{}
		arg := func(v any) string {
			args = append(args, v)
			return "$" + itoa(len(args))
		}
		cond := "1 = 1"
		if f.OrgIDs != nil {
			cond += ` AND v.org_id IN (` + inList(f.OrgIDs, arg) + `)`
		}
		if f.HolderEmail != "" {
			cond += ` AND v.holder_email = ` + arg(f.HolderEmail)
		}
		if f.Free {
			cond += ` AND v.state = 'issued' AND v.holder_email = '' AND v.expires_at > ` + arg(tx.now)
		}
		if f.ProgrammeID != "" {
			cond += ` AND v.programme_id = ` + arg(f.ProgrammeID)
		}
		if f.Track != "" {
			cond += ` AND v.track = ` + arg(f.Track)
		}
		var err error
		out, err = tx.vouchers(ctx, cond, args...)
		return err
	})
	return out, err
}

// VoucherHandings returns the handings in a voucher's ledger, oldest first.
func (db *DB) VoucherHandings(ctx context.Context, code voucher.Code) ([]VoucherEvent, error) {
	rows, err := db.query(ctx, `SELECT from_state, to_state, reason, holder_email FROM voucher_events
		WHERE code = $1 AND holder_email <> '' ORDER BY id`, string(code))
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (VoucherEvent, error) {
		var e VoucherEvent
		err := r.Scan(&e.From, &e.To, &e.Reason, &e.Holder)
		return e, err
	})
}

// VoucherSessions lists the upcoming sessions a voucher can book: sessions
// of published offers of the provider funded by the track, starting before
// the expiry, with registration still open, soonest first, with their
// offer's title.
func (db *DB) VoucherSessions(ctx context.Context, providerID int64, fundingTrack string, before time.Time, limit int) ([]domain.VoucherSession, error) {
	rows, err := db.query(ctx, `SELECT s.id, s.offer_id, o.title, s.starts_at, s.ends_at, s.online, COALESCE(m.name, ''),
		s.registration_deadline
		FROM offer_sessions s JOIN offers o ON o.id = s.offer_id
		JOIN offer_funding f ON f.offer_id = o.id AND f.track = $2
		LEFT JOIN municipalities m ON m.ags = s.ags AND s.ags <> ''
		WHERE o.provider_id = $1 AND o.status = 'published' AND s.starts_at < $3 AND s.registration_deadline > $4
		ORDER BY s.starts_at, s.id LIMIT $5`, providerID, fundingTrack, before, db.Now(), clampLimit(limit))
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.VoucherSession, error) {
		var s domain.VoucherSession
		err := r.Scan(&s.SessionID, &s.OfferID, &s.OfferTitle, &s.StartsAt, &s.EndsAt, &s.Online, &s.Place, &s.RegistrationDeadline)
		s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
		return s, err
	})
}
