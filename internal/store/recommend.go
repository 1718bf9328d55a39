package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// What the recommendations read of a person: point queries by person,
// address and organisation, never a scan of offers (those come from the
// catalog's index).

// PersonOffer is an offer a person booked (not cancelled) or attended.
type PersonOffer struct {
	OfferID int64
	Status  domain.BookingStatus
	EndsAt  time.Time // of the booked session
	Tracks  []string  // the offer's funding tracks
}

// PersonFacts is what the recommendations need to know about a person.
type PersonFacts struct {
	// The municipality the person belongs to (the first by organisation
	// ID), "" when none.
	OrgID int64
	AGS   string
	Place string
	// Offers booked or attended.
	Offers []PersonOffer
	// BaseCertificates are the providers of the person's unrevoked
	// certificates of offers funded by each base track ("programme/track").
	BaseCertificates map[string][]int64
	// Held are the vouchers handed to the person that are issued and
	// still valid; Free those of their municipality that nobody holds.
	Held, Free []domain.Voucher
}

// RecommendationFacts reads a person's municipality, bookings, base
// certificates and vouchers in one read transaction.
func (db *DB) RecommendationFacts(ctx context.Context, personID int64, email string, baseTracks []string) (*PersonFacts, error) {
	f := &PersonFacts{BaseCertificates: map[string][]int64{}}
	err := db.read(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT o.id, o.ags, COALESCE(m.name, o.name) FROM memberships ms
			JOIN organisations o ON o.id = ms.org_id LEFT JOIN municipalities m ON m.ags = o.ags
			WHERE ms.person_id = $1 AND o.kind = 'municipality' AND o.ags <> '' ORDER BY o.id LIMIT 1`, personID).Scan(&f.OrgID, &f.AGS, &f.Place)
		if err != nil && !errNoRows(err) {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.offer_id, b.status, s.ends_at FROM bookings b JOIN offer_sessions s ON s.id = b.session_id
			WHERE b.person_id = $1 AND b.status <> 'cancelled' ORDER BY b.id`, personID)
		if err != nil {
			return err
		}
		f.Offers, err = scanAll(rows, func(r *sql.Rows) (PersonOffer, error) {
			var o PersonOffer
			err := r.Scan(&o.OfferID, &o.Status, &o.EndsAt)
			o.EndsAt = o.EndsAt.UTC()
			return o, err
		})
		if err != nil {
			return err
		}
		for i := range f.Offers {
			rows, err := tx.QueryContext(ctx, `SELECT track FROM offer_funding WHERE offer_id = $1 ORDER BY track`, f.Offers[i].OfferID)
			if err != nil {
				return err
			}
			if f.Offers[i].Tracks, err = scanAll(rows, func(r *sql.Rows) (string, error) {
				var s string
				return s, r.Scan(&s)
			}); err != nil {
				return err
			}
		}
		if f.BaseCertificates, err = tx.baseCertificates(ctx, personID, baseTracks); err != nil {
			return err
		}
		if email != "" {
			if f.Held, err = tx.vouchers(ctx, `v.holder_email = $1 AND v.state = 'issued' AND v.expires_at > $2`, email, tx.now); err != nil {
				return err
			}
		}
		if f.OrgID != 0 {
			if f.Free, err = tx.vouchers(ctx, `v.org_id = $1 AND v.state = 'issued' AND v.holder_email = '' AND v.expires_at > $2`, f.OrgID, tx.now); err != nil {
				return err
			}
		}
		return nil
	})
	return f, err
}

// SessionPlaces are the confirmed and waiting bookings of a session.
type SessionPlaces struct{ Confirmed, Waiting int }

// SessionPlaces counts the bookings of the sessions ids.
func (db *DB) SessionPlaces(ctx context.Context, ids []int64) (map[int64]SessionPlaces, error) {
	out := map[int64]SessionPlaces{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	rows, err := db.query(ctx, `SELECT session_id, status, count(*) FROM bookings WHERE session_id IN (`+inList(ids, arg)+`)
		AND status IN ('confirmed', 'completed', 'waitlisted') GROUP BY session_id, status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return nil, err
		}
		p := out[id]
		if status == string(domain.BookingWaitlisted) {
			p.Waiting += n
		} else {
			p.Confirmed += n
		}
		out[id] = p
	}
	return out, rows.Err()
}

// OfferRating is the number and mean of an offer's ratings.
type OfferRating struct {
	Count   int
	Average float64
}

// OfferRatings returns the ratings of the offers ids that have any.
func (db *DB) OfferRatings(ctx context.Context, ids []int64) (map[int64]OfferRating, error) {
	out := map[int64]OfferRating{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	rows, err := db.query(ctx, `SELECT offer_id, count(*), AVG(stars) FROM ratings WHERE offer_id IN (`+inList(ids, arg)+`) GROUP BY offer_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r OfferRating
		if err := rows.Scan(&id, &r.Count, &r.Average); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}
