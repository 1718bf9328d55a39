package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// ProviderSessions lists the sessions of the providers' offers that need
// their staff: those that have not ended yet (with the places taken and
// the waiting list), and those that started since `since` with confirmed
// bookings whose attendance is still to be recorded. Earliest first.
func (db *DB) ProviderSessions(ctx context.Context, providerIDs []int64, now, since time.Time, limit int) ([]domain.ProviderSession, error) {
	if len(providerIDs) == 0 {
		return []domain.ProviderSession{}, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	q := `SELECT s.id, s.offer_id, o.title, o.provider_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags,
			COALESCE(m.name, ''), s.registration_deadline,
			(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'confirmed'),
			(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted'),
			(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'awaiting_approval')
		FROM offer_sessions s JOIN offers o ON o.id = s.offer_id LEFT JOIN municipalities m ON m.ags = s.ags
		WHERE o.provider_id IN (` + inList(providerIDs, arg) + `)
		AND (s.ends_at >= ` + arg(now) + ` OR (s.starts_at >= ` + arg(since) + ` AND s.starts_at <= ` + arg(now) + `
			AND EXISTS (SELECT 1 FROM bookings b WHERE b.session_id = s.id AND b.status = 'confirmed')))
		ORDER BY s.starts_at, s.id LIMIT ` + arg(limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.ProviderSession, error) {
		var p domain.ProviderSession
		s := &p.Session
		err := r.Scan(&s.ID, &s.OfferID, &p.OfferTitle, &p.ProviderID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS,
			&s.Place, &s.RegistrationDeadline, &p.Confirmed, &p.Waiting, &p.Awaiting)
		s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
		s.Booked, s.Free = p.Confirmed, max(0, s.Capacity-p.Confirmed)
		return p, err
	})
	if out == nil && err == nil {
		out = []domain.ProviderSession{}
	}
	return out, err
}
