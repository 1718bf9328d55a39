package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// bumpCatalog tells every instance that the searchable catalog changed.
func (tx *Tx) bumpCatalog(ctx context.Context) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_version SET version = version + 1 WHERE id = 1`)
	return err
}

// CatalogVersion is raised by every change to published offers or their sessions.
func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.sql.QueryRowContext(ctx, `SELECT version FROM catalog_version WHERE id = 1`).Scan(&v)
	return v, err
}

// Competences lists the competence framework in order.
func (db *DB) Competences(ctx context.Context) ([]domain.Competence, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT code, area, name, description FROM competences ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Competence
	for rows.Next() {
		var c domain.Competence
		if err := rows.Scan(&c.Code, &c.Area, &c.Name, &c.Description); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ImportCompetences replaces or extends the competence framework. Codes in
// use by offers cannot disappear, so entries are only inserted or updated.
func (db *DB) ImportCompetences(ctx context.Context, cs []domain.Competence) error {
	return db.transact(ctx, func(tx *Tx) error {
		for i, c := range cs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO competences (code, area, name, description, position) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (code) DO UPDATE SET area = excluded.area, name = excluded.name, description = excluded.description, position = excluded.position`,
				c.Code, c.Area, c.Name, c.Description, i); err != nil {
				return err
			}
		}
		return tx.audit(ctx, 0, "competences.import", "competence_framework", "", map[string]int{"count": len(cs)})
	})
}

func joinLines(ss []string) string { return strings.Join(ss, "\n") }

func splitLines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

const offerCols = `o.id, o.provider_id, p.name, o.code, o.title, o.summary, o.description, o.outcomes, o.level, o.format, o.language,
	o.hours, o.days, o.workload, o.credits, o.certificate, o.price_cents, o.target_groups, o.prerequisites, o.cancellation_rule,
	o.status, o.review_comment, o.created_at, o.updated_at, o.published_at`

const offerFrom = ` FROM offers o JOIN organisations p ON p.id = o.provider_id `

func scanOffer(row interface{ Scan(...any) error }) (*domain.Offer, error) {
	var o domain.Offer
	var outcomes, groups string
	var pub sql.NullTime
	if err := row.Scan(&o.ID, &o.ProviderID, &o.ProviderName, &o.Code, &o.Title, &o.Summary, &o.Description, &outcomes, &o.Level, &o.Format,
		&o.Language, &o.Hours, &o.Days, &o.Workload, &o.Credits, &o.Certificate, &o.PriceCents, &groups, &o.Prerequisites, &o.CancellationRule,
		&o.Status, &o.ReviewComment, &o.CreatedAt, &o.UpdatedAt, &pub); err != nil {
		if errNoRows(err) {
			return nil, domain.Errorf(domain.ENotFound, "Dieses Angebot gibt es nicht.")
		}
		return nil, err
	}
	o.Outcomes, o.TargetGroups = splitLines(outcomes), splitLines(groups)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	o.PublishedAt = nullTime(pub)
	o.Competences, o.FundingTracks, o.ModuleIDs = []domain.OfferCompetence{}, []string{}, []int64{}
	return &o, nil
}

// Offer returns an offer with its competences, funding, modules and sessions.
func (db *DB) Offer(ctx context.Context, id int64) (*domain.Offer, error) {
	var o *domain.Offer
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		if o, err = scanOffer(tx.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+`WHERE o.id = $1`, id)); err != nil {
			return err
		}
		return tx.loadOfferDetails(ctx, []*domain.Offer{o})
	})
	return o, err
}

// loadOfferDetails fills competences, funding tracks, modules and sessions.
func (tx *Tx) loadOfferDetails(ctx context.Context, offers []*domain.Offer) error {
	if len(offers) == 0 {
		return nil
	}
	byID := map[int64]*domain.Offer{}
	args := make([]any, 0, len(offers))
	ph := make([]string, 0, len(offers))
	for i, o := range offers {
		byID[o.ID] = o
		args = append(args, o.ID)
		ph = append(ph, "$"+strconv.Itoa(i+1))
	}
	in := "(" + strings.Join(ph, ",") + ")"
	rows, err := tx.QueryContext(ctx, `SELECT oc.offer_id, oc.code, c.name, oc.level FROM offer_competences oc JOIN competences c ON c.code = oc.code
		WHERE oc.offer_id IN `+in+` ORDER BY c.position, oc.code`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var c domain.OfferCompetence
		if err := rows.Scan(&id, &c.Code, &c.Name, &c.Level); err != nil {
			rows.Close()
			return err
		}
		byID[id].Competences = append(byID[id].Competences, c)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT offer_id, track FROM offer_funding WHERE offer_id IN `+in+` ORDER BY track`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return err
		}
		byID[id].FundingTracks = append(byID[id].FundingTracks, t)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT offer_id, count(*), AVG(stars) FROM ratings WHERE offer_id IN `+in+` GROUP BY offer_id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n int
		var avg float64
		if err := rows.Scan(&id, &n, &avg); err != nil {
			rows.Close()
			return err
		}
		byID[id].RatingCount, byID[id].RatingAverage = n, float64(int(avg*10+0.5))/10
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT offer_id, module_id FROM offer_modules WHERE offer_id IN `+in+` ORDER BY position`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, m int64
		if err := rows.Scan(&id, &m); err != nil {
			rows.Close()
			return err
		}
		byID[id].ModuleIDs = append(byID[id].ModuleIDs, m)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT s.id, s.offer_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags, COALESCE(m.name, ''),
		s.address, s.registration_deadline,
		(SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status IN ('confirmed', 'completed'))
		FROM offer_sessions s LEFT JOIN municipalities m ON m.ags = s.ags
		WHERE s.offer_id IN `+in+` ORDER BY s.starts_at, s.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s domain.Session
		if err := rows.Scan(&s.ID, &s.OfferID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS, &s.Place, &s.Address,
			&s.RegistrationDeadline, &s.Booked); err != nil {
			return err
		}
		s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
		s.Free = s.Capacity - s.Booked
		byID[s.OfferID].Sessions = append(byID[s.OfferID].Sessions, s)
	}
	return rows.Err()
}

// OfferFilter selects offers for providers' and admins' lists.
type OfferFilter struct {
	ProviderID int64
	Status     string
	IDs        []int64
	SessionIDs []int64 // offers that have one of these sessions
	Limit      int
	Offset     int
}

// Offers lists offers with their details, newest change first (or in the
// order of IDs when IDs are given).
func (db *DB) Offers(ctx context.Context, f OfferFilter) ([]domain.Offer, int, error) {
	var out []domain.Offer
	var total int
	err := db.read(ctx, func(tx *Tx) error {
		where, args := []string{"1=1"}, []any{}
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		if f.ProviderID != 0 {
			where = append(where, "o.provider_id = "+arg(f.ProviderID))
		}
		if f.Status != "" {
			where = append(where, "o.status = "+arg(f.Status))
		}
		if f.IDs != nil {
			if len(f.IDs) == 0 {
				return nil
			}
			where = append(where, "o.id IN ("+inList(f.IDs, arg)+")")
		}
		if len(f.SessionIDs) > 0 {
			where = append(where, "o.id IN (SELECT offer_id FROM offer_sessions WHERE id IN ("+inList(f.SessionIDs, arg)+"))")
		}
		w := " WHERE " + strings.Join(where, " AND ")
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+offerFrom+w, args...).Scan(&total); err != nil {
			return err
		}
		limit := clampLimit(f.Limit)
		if f.IDs != nil {
			limit = len(f.IDs)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+offerCols+offerFrom+w+` ORDER BY o.updated_at DESC, o.id DESC LIMIT `+arg(limit)+
			` OFFSET `+arg(max(f.Offset, 0)), args...)
		if err != nil {
			return err
		}
		var ptrs []*domain.Offer
		for rows.Next() {
			o, err := scanOffer(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ptrs = append(ptrs, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.loadOfferDetails(ctx, ptrs); err != nil {
			return err
		}
		if f.IDs != nil {
			pos := map[int64]int{}
			for i, id := range f.IDs {
				pos[id] = i
			}
			slices.SortFunc(ptrs, func(a, b *domain.Offer) int { return pos[a.ID] - pos[b.ID] })
		}
		for _, o := range ptrs {
			out = append(out, *o)
		}
		return nil
	})
	if out == nil {
		out = []domain.Offer{}
	}
	return out, total, err
}

// checkOfferRefs validates what an offer refers to: competences of the
// framework, funding tracks of programmes that fund the provider, modules
// of the same provider.
func (tx *Tx) checkOfferRefs(ctx context.Context, o *domain.Offer) error {
	v := domain.Validation{}
	seen := map[string]bool{}
	for i := range o.Competences {
		c := &o.Competences[i]
		if seen[c.Code] {
			v.Add("competences", "Jede Kompetenz darf nur einmal vorkommen.")
		}
		seen[c.Code] = true
		err := tx.QueryRowContext(ctx, `SELECT name FROM competences WHERE code = $1`, c.Code).Scan(&c.Name)
		if errNoRows(err) {
			v.Add("competences", fmt.Sprintf("Die Kompetenz „%s“ gibt es im Kompetenzrahmen nicht.", c.Code))
		} else if err != nil {
			return err
		}
	}
	slices.Sort(o.FundingTracks)
	o.FundingTracks = slices.Compact(o.FundingTracks)
	for _, ft := range o.FundingTracks {
		prog, track, ok := strings.Cut(ft, "/")
		p, err := tx.programme(ctx, prog)
		if !ok || domain.ErrorCode(err) == domain.ENotFound {
			v.Add("funding_tracks", fmt.Sprintf("„%s“ ist keine Förderung eines Programms (Form: programm/qualifizierung).", ft))
			continue
		} else if err != nil {
			return err
		}
		if _, ok := p.Track(track); !ok {
			v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ hat keine Qualifizierung „%s“.", p.Name, track))
		} else if !p.FundsProvider(o.ProviderID) {
			v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ fördert diesen Bildungsträger nicht.", p.Name))
		}
	}
	for _, m := range o.ModuleIDs {
		var prov int64
		err := tx.QueryRowContext(ctx, `SELECT provider_id FROM offers WHERE id = $1`, m).Scan(&prov)
		if errNoRows(err) || (err == nil && (prov != o.ProviderID || m == o.ID)) {
			v.Add("modules", "Module müssen eigene, andere Angebote desselben Bildungsträgers sein.")
		} else if err != nil {
			return err
		}
	}
	return v.Err()
}

func (tx *Tx) writeOfferRefs(ctx context.Context, o *domain.Offer) error {
	for _, q := range []string{`DELETE FROM offer_competences WHERE offer_id = $1`, `DELETE FROM offer_funding WHERE offer_id = $1`,
		`DELETE FROM offer_modules WHERE offer_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, o.ID); err != nil {
			return err
		}
	}
	for _, c := range o.Competences {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_competences (offer_id, code, level) VALUES ($1, $2, $3)`, o.ID, c.Code, c.Level); err != nil {
			return err
		}
	}
	for _, t := range o.FundingTracks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_funding (offer_id, track) VALUES ($1, $2)`, o.ID, t); err != nil {
			return err
		}
	}
	for i, m := range o.ModuleIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_modules (offer_id, module_id, position) VALUES ($1, $2, $3)`, o.ID, m, i); err != nil {
			return err
		}
	}
	return nil
}

var errOfferCode = &domain.Error{Code: domain.EConflict, Message: "Diese Kursnummer verwenden Sie schon für ein anderes Angebot.",
	Fields: map[string]string{"code": "Diese Kursnummer verwenden Sie schon für ein anderes Angebot."}}

// CreateOffer creates an offer of a provider; it goes to the quality review.
func (db *DB) CreateOffer(ctx context.Context, o *domain.Offer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error { return tx.createOffer(ctx, o) })
}

func (tx *Tx) createOffer(ctx context.Context, o *domain.Offer) error {
	if err := tx.checkOfferRefs(ctx, o); err != nil {
		return err
	}
	o.Status, o.CreatedAt, o.UpdatedAt, o.ReviewComment = domain.OfferInReview, tx.now, tx.now, ""
	err := mapErr(tx.QueryRowContext(ctx, `INSERT INTO offers (provider_id, code, title, summary, description, outcomes, level, format, language,
		hours, days, workload, credits, certificate, price_cents, target_groups, prerequisites, cancellation_rule, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id`,
		o.ProviderID, o.Code, o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level, o.Format, o.Language, o.Hours, o.Days,
		o.Workload, o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups), o.Prerequisites, o.CancellationRule, o.Status,
		tx.now).Scan(&o.ID))
	if domain.ErrorCode(err) == domain.EConflict {
		return errOfferCode
	} else if err != nil {
		return err
	}
	if err := tx.writeOfferRefs(ctx, o); err != nil {
		return err
	}
	return tx.audit(ctx, o.ProviderID, "offer.create", "offer", o.ID, map[string]string{"title": o.Title, "status": o.Status})
}

// UpdateOffer replaces an offer's fields. A material change to a published
// or returned offer sends it to the quality review again; until then the
// offer is not shown to participants.
func (db *DB) UpdateOffer(ctx context.Context, o *domain.Offer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		old, err := tx.lockOffer(ctx, o.ID)
		if err != nil {
			return err
		}
		if old.ProviderID != o.ProviderID {
			return domain.Errorf(domain.ENotFound, "Dieses Angebot gibt es nicht.")
		}
		if old.Status == domain.OfferArchived {
			return domain.Errorf(domain.EConflict, "Ein archiviertes Angebot lässt sich nicht mehr ändern.")
		}
		if err := tx.loadOfferDetails(ctx, []*domain.Offer{old}); err != nil {
			return err
		}
		if err := tx.checkOfferRefs(ctx, o); err != nil {
			return err
		}
		o.Status = old.Status
		material := domain.MaterialChange(old, o)
		if material || old.Status == domain.OfferReturned || old.Status == domain.OfferDraft {
			o.Status = domain.OfferInReview
		}
		err = mapErr2(tx.ExecContext(ctx, `UPDATE offers SET code = $1, title = $2, summary = $3, description = $4, outcomes = $5, level = $6,
			format = $7, language = $8, hours = $9, days = $10, workload = $11, credits = $12, certificate = $13, price_cents = $14,
			target_groups = $15, prerequisites = $16, cancellation_rule = $17, status = $18, updated_at = $19 WHERE id = $20`,
			o.Code, o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level, o.Format, o.Language, o.Hours, o.Days, o.Workload,
			o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups), o.Prerequisites, o.CancellationRule, o.Status, tx.now, o.ID))
		if domain.ErrorCode(err) == domain.EConflict {
			return errOfferCode
		} else if err != nil {
			return err
		}
		if err := tx.writeOfferRefs(ctx, o); err != nil {
			return err
		}
		if old.Status == domain.OfferPublished || o.Status == domain.OfferPublished {
			if err := tx.bumpCatalog(ctx); err != nil {
				return err
			}
		}
		return tx.audit(ctx, o.ProviderID, "offer.update", "offer", o.ID, map[string]any{"material": material, "from": old.Status, "to": o.Status})
	})
}

func mapErr2(_ sql.Result, err error) error { return mapErr(err) }

func (tx *Tx) lockOffer(ctx context.Context, id int64) (*domain.Offer, error) {
	q := `SELECT ` + offerCols + offerFrom + `WHERE o.id = $1`
	if tx.db.Dialect == Postgres {
		q += " FOR UPDATE OF o"
	}
	return scanOffer(tx.QueryRowContext(ctx, q, id))
}

// ReviewOffer publishes an offer in review, or returns it with a comment
// the provider sees.
func (db *DB) ReviewOffer(ctx context.Context, id int64, publish bool, comment string) error {
	comment = strings.TrimSpace(comment)
	if !publish && comment == "" {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte schreiben Sie dem Bildungsträger, was er ändern soll.",
			Fields: map[string]string{"comment": "Bitte schreiben Sie dem Bildungsträger, was er ändern soll."}}
	}
	return db.transact(ctx, func(tx *Tx) error {
		o, err := tx.lockOffer(ctx, id)
		if err != nil {
			return err
		}
		if o.Status != domain.OfferInReview {
			return domain.Errorf(domain.EConflict, "Das Angebot ist nicht in der Qualitätsprüfung (Status: %s).", domain.OfferLabel(o.Status))
		}
		to, action := domain.OfferReturned, "offer.return"
		if publish {
			to, action = domain.OfferPublished, "offer.publish"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = $1, review_comment = $2, updated_at = $3,
			published_at = CASE WHEN $1 = 'published' THEN $3 ELSE published_at END WHERE id = $4`, to, comment, tx.now, id); err != nil {
			return err
		}
		if publish {
			if err := tx.bumpCatalog(ctx); err != nil {
				return err
			}
		}
		return tx.audit(ctx, o.ProviderID, action, "offer", id, map[string]string{"comment": comment})
	})
}

// AddSession adds a dated run to an offer.
func (db *DB) AddSession(ctx context.Context, s *domain.Session) error {
	if err := s.Validate(db.Now()); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		o, err := tx.lockOffer(ctx, s.OfferID)
		if err != nil {
			return err
		}
		if s.AGS != "" {
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM municipalities WHERE ags = $1`, s.AGS).Scan(&kind)
			if errNoRows(err) || (err == nil && kind != string(domain.AreaMunicipality)) {
				return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie den Ort.",
					Fields: map[string]string{"ags": "Diesen Gemeindeschlüssel gibt es im Gemeindeverzeichnis nicht."}}
			} else if err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO offer_sessions (offer_id, starts_at, ends_at, days, capacity, online, ags, address,
			registration_deadline, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			s.OfferID, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Days, s.Capacity, s.Online, s.AGS, s.Address, s.RegistrationDeadline.UTC(),
			tx.now).Scan(&s.ID); err != nil {
			return err
		}
		s.Free = s.Capacity
		if o.Status == domain.OfferPublished {
			if err := tx.bumpCatalog(ctx); err != nil {
				return err
			}
		}
		return tx.audit(ctx, o.ProviderID, "session.create", "session", s.ID, map[string]any{"offer": o.ID, "starts_at": s.StartsAt})
	})
}

// PublishedOffers streams every published offer with its competences,
// funding tracks and sessions that are still open for registration, for
// building the search index. It reads in a few bulk queries, not one per offer.
func (db *DB) PublishedOffers(ctx context.Context, fn func(*domain.Offer) error) error {
	return db.read(ctx, func(tx *Tx) error {
		byID := map[int64]*domain.Offer{}
		var order []*domain.Offer
		rows, err := tx.QueryContext(ctx, `SELECT `+offerCols+offerFrom+`WHERE o.status = 'published' ORDER BY o.id`)
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
			JOIN offers o ON o.id = oc.offer_id WHERE o.status = 'published' ORDER BY c.position`, func(rows *sql.Rows) error {
			var id int64
			var c domain.OfferCompetence
			if err := rows.Scan(&id, &c.Code, &c.Name, &c.Level); err != nil {
				return err
			}
			if o := byID[id]; o != nil {
				o.Competences = append(o.Competences, c)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := each(`SELECT f.offer_id, f.track FROM offer_funding f JOIN offers o ON o.id = f.offer_id WHERE o.status = 'published'`,
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
			}); err != nil {
			return err
		}
		if err := each(`SELECT s.id, s.offer_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags, s.registration_deadline
			FROM offer_sessions s JOIN offers o ON o.id = s.offer_id WHERE o.status = 'published' AND s.registration_deadline > $1
			ORDER BY s.starts_at`, func(rows *sql.Rows) error {
			var s domain.Session
			if err := rows.Scan(&s.ID, &s.OfferID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS, &s.RegistrationDeadline); err != nil {
				return err
			}
			s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
			if o := byID[s.OfferID]; o != nil {
				o.Sessions = append(o.Sessions, s)
			}
			return nil
		}, tx.now); err != nil {
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

// ImportResult says what an import did.
type ImportResult struct {
	Created []int64 `json:"created"`
	Updated []int64 `json:"updated"`
	Drafts  []int64 `json:"drafts"` // incomplete (e.g. without competences): the provider completes them, then they go to review
}

// ImportOffers creates or updates a provider's offers by their course code,
// all in one transaction. Imported offers go to the quality review; those
// without competences stay drafts until the provider assigns some.
func (db *DB) ImportOffers(ctx context.Context, providerID int64, offers []domain.Offer) (*ImportResult, error) {
	res := &ImportResult{Created: []int64{}, Updated: []int64{}, Drafts: []int64{}}
	for i := range offers {
		importDefaults(&offers[i])
		offers[i].ProviderID = providerID
		if err := offers[i].ValidateDraft(); err != nil {
			msg := domain.ErrorMessage(err)
			for _, m := range domain.ErrorFields(err) {
				msg = m
				break
			}
			return nil, domain.Errorf(domain.EInvalid, "Kurs %d („%s“): %s", i+1, truncateRunes(offers[i].Title, 60), msg)
		}
	}
	err := db.transact(ctx, func(tx *Tx) error {
		*res = ImportResult{Created: []int64{}, Updated: []int64{}, Drafts: []int64{}}
		for i := range offers {
			o := &offers[i]
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM offers WHERE provider_id = $1 AND code = $2`, providerID, o.Code).Scan(&id)
			if err != nil && !errNoRows(err) {
				return err
			}
			if !errNoRows(err) {
				// A feed does not carry our competences, modules, funding,
				// days or cancellation rule: keep what the provider set.
				existing, err := tx.lockOffer(ctx, id)
				if err != nil {
					return err
				}
				if err := tx.loadOfferDetails(ctx, []*domain.Offer{existing}); err != nil {
					return err
				}
				if len(o.Competences) == 0 {
					o.Competences = existing.Competences
				}
				o.ModuleIDs = existing.ModuleIDs
				if len(o.FundingTracks) == 0 {
					o.FundingTracks = existing.FundingTracks
				}
				if o.Days == 0 {
					o.Days = existing.Days
				}
				if len(o.Outcomes) == 0 {
					o.Outcomes = existing.Outcomes
				}
				if o.CancellationRule == "" {
					o.CancellationRule = existing.CancellationRule
				}
			}
			draft := o.Incomplete()
			if errNoRows(err) {
				if err := tx.createOffer(ctx, o); err != nil {
					return err
				}
				res.Created = append(res.Created, o.ID)
			} else {
				o.ID = id
				if err := tx.checkOfferRefs(ctx, o); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = $1, summary = $2, description = $3, outcomes = $4, level = $5,
					format = $6, language = $7, hours = $8, days = $9, workload = $10, credits = $11, certificate = $12, price_cents = $13,
					target_groups = $14, prerequisites = $15, status = 'in_review', updated_at = $16 WHERE id = $17`,
					o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level, o.Format, o.Language, o.Hours, o.Days, o.Workload,
					o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups), o.Prerequisites, tx.now, id); err != nil {
					return err
				}
				if err := tx.writeOfferRefs(ctx, o); err != nil {
					return err
				}
				res.Updated = append(res.Updated, id)
			}
			if draft {
				if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = 'draft', review_comment = $1 WHERE id = $2`,
					"Bitte vervollständigen Sie das Angebot (Kompetenzen, Lernergebnisse, Tage); danach geht es in die Qualitätsprüfung.", o.ID); err != nil {
					return err
				}
				res.Drafts = append(res.Drafts, o.ID)
			}
		}
		if err := tx.bumpCatalog(ctx); err != nil {
			return err
		}
		return tx.audit(ctx, providerID, "offer.import", "offer", "", map[string]int{"created": len(res.Created), "updated": len(res.Updated)})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// importDefaults fills what other platforms' feeds often leave out, with the
// values most MOOCs have; the provider sees and corrects them in the review.
func importDefaults(o *domain.Offer) {
	if o.Certificate == "" {
		o.Certificate = domain.CertParticipation
	}
	if o.Level == "" {
		o.Level = domain.LevelBasic
	}
	if o.Format == "" {
		o.Format = domain.FormatSelfPaced
	}
	if o.Language == "" {
		o.Language = "de"
	}
	if strings.TrimSpace(o.Code) == "" {
		sum := sha256.Sum256([]byte(o.Title))
		o.Code = "import-" + hex.EncodeToString(sum[:5])
	}
	if o.FundingTracks == nil {
		o.FundingTracks = []string{}
	}
}
