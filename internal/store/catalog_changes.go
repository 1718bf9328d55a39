package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// CatalogChanged records, inside tx, that the offers ids changed in a way
// the catalog search may show (published, changed, withdrawn, a session
// added): it raises the catalog version and writes one change-log row per
// offer under it. Without ids it records "anything may have changed", and
// every instance rebuilds its index. The UPDATE of the version row holds
// its lock until commit, so versions commit in order and a reader that
// saw version v has seen every change up to v.
func (tx *Tx) CatalogChanged(ctx context.Context, ids ...int64) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v); err != nil {
		return err
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		ids = []int64{0}
	}
	for chunk := range slices.Chunk(ids, 500) {
		var b strings.Builder
		args := make([]any, 0, 2+len(chunk))
		args = append(args, v, tx.now)
		b.WriteString(`INSERT INTO catalog_changes (seq, offer_id, at) VALUES `)
		for i, id := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			args = append(args, id)
			b.WriteString("($1, ")
			b.WriteString(placeholder(len(args)))
			b.WriteString(", $2)")
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func placeholder(n int) string {
	return "$" + itoa64(int64(n))
}

func itoa64(n int64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(buf[i:])
}

// CatalogDelta is what changed in the catalog after a version.
type CatalogDelta struct {
	Version int64   // the catalog version now
	Offers  []int64 // offers changed after the version asked for, ascending
	// Rebuild: the changes cannot be applied one by one (a change of
	// everything was recorded, too many changed, or the log was pruned
	// past the version asked for).
	Rebuild bool
	// Labels: facet labels changed (CatalogLabelsChanged).
	Labels bool
}

// maxCatalogDelta is the number of changed offers above which applying
// them one by one is no cheaper than a rebuild.
const maxCatalogDelta = 20000

// CatalogChanges reads the change log after version after.
func (db *DB) CatalogChanges(ctx context.Context, after int64) (d CatalogDelta, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT version FROM catalog_version WHERE id = 1`).Scan(&d.Version); err != nil {
			return err
		}
		if d.Version <= after {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq, offer_id FROM catalog_changes WHERE seq > $1 AND seq <= $2 ORDER BY offer_id LIMIT $3`,
			after, d.Version, maxCatalogDelta+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		first := int64(-1)
		for rows.Next() {
			var seq, id int64
			if err := rows.Scan(&seq, &id); err != nil {
				return err
			}
			if id == 0 {
				d.Rebuild = true
			}
			if first < 0 || seq < first {
				first = seq
			}
			if id == catalogLabels {
				d.Labels = true
				continue
			}
			if n := len(d.Offers); n == 0 || d.Offers[n-1] != id {
				d.Offers = append(d.Offers, id)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// Every version has at least one row: a missing first one was
		// pruned (or written before the log existed).
		if len(d.Offers) > maxCatalogDelta || first != after+1 {
			d.Rebuild = true
		}
		return nil
	})
	if d.Rebuild {
		d.Offers = nil
	}
	return d, err
}

// PruneCatalogChanges deletes change-log rows older than before, keeping
// those of the newest version.
func (db *DB) PruneCatalogChanges(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM catalog_changes WHERE at < $1 AND seq < (SELECT version FROM catalog_version WHERE id = 1)`, before.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PublishedOffersIn calls fn for each of the published offers among ids, in
// ascending ID order, loaded as PublishedOffers loads them.
func (db *DB) PublishedOffersIn(ctx context.Context, ids []int64, fn func(*domain.Offer) error) error {
	for chunk := range slices.Chunk(ids, 2000) {
		if err := db.publishedOffers(ctx, chunk, fn); err != nil {
			return err
		}
	}
	return nil
}

// publishedOffers loads published offers with what the search shows of
// them: the competences, the funding tracks and the sessions still open
// for registration (with the municipality's name). ids nil: all of them.
func (db *DB) publishedOffers(ctx context.Context, ids []int64, fn func(*domain.Offer) error) error {
	return db.read(ctx, func(tx *Tx) error {
		byID := map[int64]*domain.Offer{}
		var order []*domain.Offer
		where := `o.status = 'published'`
		var args []any
		if ids != nil {
			arg := func(v any) string { args = append(args, v); return placeholder(len(args)) }
			where += ` AND o.id IN (` + inList(ids, arg) + `)`
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+offerCols+offerFrom+`WHERE `+where+` ORDER BY o.id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			o, err := scanOffer(rows)
			if err != nil {
				rows.Close()
				return err
			}
			byID[o.ID] = o
			order = append(order, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		each := func(q string, scan func(rows *sql.Rows) error, args ...any) error {
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := scan(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		}
		if err := each(`SELECT oc.offer_id, oc.code, c.name, oc.level FROM offer_competences oc JOIN competences c ON c.code = oc.code
			JOIN offers o ON o.id = oc.offer_id WHERE `+where+` ORDER BY c.position, oc.code`, func(rows *sql.Rows) error {
			var id int64
			var c domain.OfferCompetence
			if err := rows.Scan(&id, &c.Code, &c.Name, &c.Level); err != nil {
				return err
			}
			if o := byID[id]; o != nil {
				o.Competences = append(o.Competences, c)
			}
			return nil
		}, args...); err != nil {
			return err
		}
		if err := each(`SELECT f.offer_id, f.track FROM offer_funding f JOIN offers o ON o.id = f.offer_id WHERE `+where+` ORDER BY f.offer_id, f.track`,
			func(rows *sql.Rows) error {
				var id int64
				var t string
				if err := rows.Scan(&id, &t); err != nil {
					return err
				}
				if o := byID[id]; o != nil {
					o.FundingTracks = append(o.FundingTracks, t)
				}
				return nil
			}, args...); err != nil {
			return err
		}
		nowArg := placeholder(len(args) + 1)
		if err := each(`SELECT s.id, s.offer_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags, COALESCE(m.name, ''), s.address,
			s.registration_deadline
			FROM offer_sessions s JOIN offers o ON o.id = s.offer_id LEFT JOIN municipalities m ON m.ags = s.ags
			WHERE `+where+` AND s.registration_deadline > `+nowArg+`
			ORDER BY s.starts_at, s.id`, func(rows *sql.Rows) error {
			var s domain.Session
			if err := rows.Scan(&s.ID, &s.OfferID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS, &s.Place, &s.Address,
				&s.RegistrationDeadline); err != nil {
				return err
			}
			s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
			if o := byID[s.OfferID]; o != nil {
				o.Sessions = append(o.Sessions, s)
			}
			return nil
		}, append(args, tx.now)...); err != nil {
			return err
		}
		for _, o := range order {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	})
}
