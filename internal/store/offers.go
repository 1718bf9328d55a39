package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// BumpCatalog tells every instance that the searchable catalog changed.
// It records a change of everything (see CatalogChanged), so instances
// rebuild their index; name the offers with CatalogChanged where known.
func (tx *Tx) BumpCatalog(ctx context.Context) error {
	return tx.CatalogChanged(ctx)
}

// CatalogVersion is raised by every change to published offers or their sessions.
func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT version FROM catalog_version WHERE id = 1`).Scan(&v)
	return v, err
}

// Competences lists the competence framework in order.
func (db *DB) Competences(ctx context.Context) ([]domain.Competence, error) {
	rows, err := db.query(ctx, `SELECT code, area, name, description FROM competences ORDER BY position, code`)
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
	o.status, o.review_comment, o.created_at, o.updated_at, o.published_at, o.keywords, o.publisher`

const offerFrom = ` FROM offers o JOIN organisations p ON p.id = o.provider_id `

func scanOffer(row interface{ Scan(...any) error }) (*domain.Offer, error) {
	var o domain.Offer
	var outcomes, groups, keywords string
	var pub sql.NullTime
	if err := row.Scan(&o.ID, &o.ProviderID, &o.ProviderName, &o.Code, &o.Title, &o.Summary, &o.Description, &outcomes, &o.Level, &o.Format,
		&o.Language, &o.Hours, &o.Days, &o.Workload, &o.Credits, &o.Certificate, &o.PriceCents, &groups, &o.Prerequisites, &o.CancellationRule,
		&o.Status, &o.ReviewComment, &o.CreatedAt, &o.UpdatedAt, &pub, &keywords, &o.Publisher); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrOfferNotFound
		}
		return nil, err
	}
	o.Outcomes, o.TargetGroups, o.Keywords = splitLines(outcomes), splitLines(groups), splitLines(keywords)
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
		return tx.LoadOfferDetails(ctx, []*domain.Offer{o})
	})
	return o, err
}

// LoadOfferDetails fills competences, funding tracks, modules and sessions.
func (tx *Tx) LoadOfferDetails(ctx context.Context, offers []*domain.Offer) error {
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
	// ProviderIDs: offers of any of these providers (a provider's own
	// list across the providers a person works for).
	ProviderIDs []int64
	Status      string
	IDs         []int64
	SessionIDs  []int64 // offers that have one of these sessions
	// After is where the page continues: the last change (a TimeCursor)
	// and ID of the last offer of the previous page (keyset paging).
	After   domain.KeyCursor
	Limit   int
	Offset  int
	NoTotal bool // count nothing (the total is -1)
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
		if f.ProviderIDs != nil {
			if len(f.ProviderIDs) == 0 {
				return nil
			}
			where = append(where, "o.provider_id IN ("+inList(f.ProviderIDs, arg)+")")
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
		total = -1
		if !f.NoTotal {
			if err := tx.QueryRowContext(ctx, `SELECT count(*)`+offerFrom+w, args...).Scan(&total); err != nil {
				return err
			}
		}
		if !f.After.IsZero() {
			// Keyset paging along offers_status_updated (the MOOChub
			// feed) or offers_provider_updated (a provider's list),
			// issue 14.
			at, err := f.After.Time()
			if err != nil {
				return err
			}
			// A row value, so that both databases start the index at
			// the cursor also among the many offers an import changes at
			// one moment.
			w += " AND (o.updated_at, o.id) < (" + arg(at) + ", " + arg(f.After.ID) + ")"
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
		if err := tx.LoadOfferDetails(ctx, ptrs); err != nil {
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

// OfferRefs looks up what an offer refers to: the competence framework,
// the programmes of its funding tracks and the providers of its modules.
func (tx *Tx) OfferRefs(ctx context.Context, o *domain.Offer) (*domain.OfferRefs, error) {
	r := &domain.OfferRefs{Competences: map[string]string{}, Programmes: map[string]*domain.Programme{}, ModuleProviders: map[int64]int64{}}
	for _, c := range o.Competences {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM competences WHERE code = $1`, c.Code).Scan(&name)
		if err == nil {
			r.Competences[c.Code] = name
		} else if !errNoRows(err) {
			return nil, err
		}
	}
	for _, ft := range o.FundingTracks {
		prog, _, _ := strings.Cut(ft, "/")
		if _, known := r.Programmes[prog]; known {
			continue
		}
		p, err := tx.programme(ctx, prog)
		if domain.ErrorCode(err) == domain.ENotFound {
			p = nil
		} else if err != nil {
			return nil, err
		}
		r.Programmes[prog] = p
	}
	for _, m := range o.ModuleIDs {
		var prov int64
		err := tx.QueryRowContext(ctx, `SELECT provider_id FROM offers WHERE id = $1`, m).Scan(&prov)
		if err != nil && !errNoRows(err) {
			return nil, err
		}
		r.ModuleProviders[m] = prov
	}
	return r, nil
}

// checkOfferRefs looks up and checks what an offer refers to.
func (tx *Tx) checkOfferRefs(ctx context.Context, o *domain.Offer) error {
	refs, err := tx.OfferRefs(ctx, o)
	if err != nil {
		return err
	}
	return o.CheckRefs(refs)
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

// InsertOffer writes a new offer in the state o.Status with its
// competences, funding tracks and modules, and sets its ID and timestamps.
// A course code the provider already uses is domain.ErrOfferCode.
func (tx *Tx) InsertOffer(ctx context.Context, o *domain.Offer) error {
	o.CreatedAt, o.UpdatedAt = tx.now, tx.now
	err := mapErr(tx.QueryRowContext(ctx, `INSERT INTO offers (provider_id, code, title, summary, description, outcomes, level, format, language,
		hours, days, workload, credits, certificate, price_cents, target_groups, prerequisites, cancellation_rule, status, review_comment,
		created_at, updated_at, keywords, publisher)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $22, $23) RETURNING id`,
		o.ProviderID, o.Code, o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level, o.Format, o.Language, o.Hours, o.Days,
		o.Workload, o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups), o.Prerequisites, o.CancellationRule, o.Status,
		o.ReviewComment, tx.now, joinLines(o.Keywords), o.Publisher).Scan(&o.ID))
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrOfferCode
	} else if err != nil {
		return err
	}
	return tx.writeOfferRefs(ctx, o)
}

// UpdateOffer writes an offer's fields, state and review comment, with its
// competences, funding tracks and modules.
func (tx *Tx) UpdateOffer(ctx context.Context, o *domain.Offer) error {
	o.UpdatedAt = tx.now
	err := mapErr2(tx.ExecContext(ctx, `UPDATE offers SET code = $1, title = $2, summary = $3, description = $4, outcomes = $5, level = $6,
		format = $7, language = $8, hours = $9, days = $10, workload = $11, credits = $12, certificate = $13, price_cents = $14,
		target_groups = $15, prerequisites = $16, cancellation_rule = $17, status = $18, review_comment = $19, updated_at = $20,
		keywords = $22, publisher = $23 WHERE id = $21`,
		o.Code, o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level, o.Format, o.Language, o.Hours, o.Days, o.Workload,
		o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups), o.Prerequisites, o.CancellationRule, o.Status, o.ReviewComment,
		tx.now, o.ID, joinLines(o.Keywords), o.Publisher))
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrOfferCode
	} else if err != nil {
		return err
	}
	return tx.writeOfferRefs(ctx, o)
}

// SetOfferStatus records a review decision; publishing sets published_at.
func (tx *Tx) SetOfferStatus(ctx context.Context, id int64, status, comment string) error {
	_, err := tx.ExecContext(ctx, `UPDATE offers SET status = $1, review_comment = $2, updated_at = $3,
		published_at = CASE WHEN $1 = 'published' THEN $3 ELSE published_at END WHERE id = $4`, status, comment, tx.now, id)
	return err
}

// OfferIDByCode is the ID of a provider's offer with a course code, or 0.
func (tx *Tx) OfferIDByCode(ctx context.Context, providerID int64, code string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM offers WHERE provider_id = $1 AND code = $2`, providerID, code).Scan(&id)
	if errNoRows(err) {
		return 0, nil
	}
	return id, err
}

func mapErr2(_ sql.Result, err error) error { return mapErr(err) }

// LockOffer reads an offer (without details) and locks it for the
// transaction.
func (tx *Tx) LockOffer(ctx context.Context, id int64) (*domain.Offer, error) {
	return scanOffer(tx.QueryRowContext(ctx, tx.forUpdateOf(`SELECT `+offerCols+offerFrom+`WHERE o.id = $1`, "o"), id))
}

// IsMunicipality reports whether ags names a municipality of the directory.
func (tx *Tx) IsMunicipality(ctx context.Context, ags string) (bool, error) {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM municipalities WHERE ags = $1`, ags).Scan(&kind)
	if errNoRows(err) {
		return false, nil
	}
	return err == nil && kind == string(domain.AreaMunicipality), err
}

// InsertSession writes a session and sets its ID.
func (tx *Tx) InsertSession(ctx context.Context, s *domain.Session) error {
	if err := tx.QueryRowContext(ctx, `INSERT INTO offer_sessions (offer_id, starts_at, ends_at, days, capacity, online, ags, address,
		registration_deadline, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		s.OfferID, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Days, s.Capacity, s.Online, s.AGS, s.Address, s.RegistrationDeadline.UTC(),
		tx.now).Scan(&s.ID); err != nil {
		return err
	}
	s.Free = s.Capacity
	return nil
}

// PublishedOffers streams every published offer with its competences,
// funding tracks and sessions that are still open for registration, for
// building the search index. It reads in a few bulk queries, not one per offer.
func (db *DB) PublishedOffers(ctx context.Context, fn func(*domain.Offer) error) error {
	return db.publishedOffers(ctx, nil, fn)
}

// Unexported names other store files use.
func (tx *Tx) loadOfferDetails(ctx context.Context, offers []*domain.Offer) error {
	return tx.LoadOfferDetails(ctx, offers)
}
func (tx *Tx) bumpCatalog(ctx context.Context) error { return tx.BumpCatalog(ctx) }
