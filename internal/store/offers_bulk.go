package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// bulkChunk is the number of offers written per transaction by
// BulkInsertOffers: large enough to make commits rare, small enough to keep
// a transaction's locks and memory modest.
const bulkChunk = 1000

// offerSessionsTable holds the dated runs of offers.
const offerSessionsTable = "offer_sessions"

// pgMaxParams is PostgreSQL's limit of bind parameters per statement.
const pgMaxParams = 65535

var (
	bulkOfferCols = []string{"id", "provider_id", "code", "title", "summary", "description", "outcomes", "level", "format", "language",
		"hours", "days", "workload", "credits", "certificate", "price_cents", "target_groups", "prerequisites", "cancellation_rule",
		"status", "review_comment", "created_at", "updated_at", "published_at", "keywords", "publisher"}
	bulkCompetenceCols = []string{"offer_id", "code", "level"}
	bulkFundingCols    = []string{"offer_id", "track"}
	bulkModuleCols     = []string{"offer_id", "module_id", "position"}
	bulkSessionCols    = []string{"id", "offer_id", "starts_at", "ends_at", "days", "capacity", "online", "ags", "address",
		"registration_deadline", "created_at"}
)

// BulkInsertOffers inserts offers as published, with their competences,
// funding tracks, modules and sessions, for imports and generated catalogs;
// they skip the quality review. Every offer, session and reference is
// checked before anything is written, so invalid input writes nothing. The
// offers are then written in chunks of bulkChunk per transaction; each chunk
// raises the catalog version once and writes one audit entry. On success the
// offers' IDs, status, timestamps and session IDs are filled in.
func (db *DB) BulkInsertOffers(ctx context.Context, offers []domain.Offer) error {
	if len(offers) == 0 {
		return nil
	}
	now := db.Now()
	seen := make(map[string]int, len(offers))
	for i := range offers {
		o := &offers[i]
		if err := o.Validate(); err != nil {
			return domain.BulkError(i, o, err)
		}
		for j := range o.Sessions {
			if err := o.Sessions[j].Validate(now); err != nil {
				return domain.BulkError(i, o, err)
			}
		}
		slices.Sort(o.FundingTracks)
		o.FundingTracks = slices.Compact(o.FundingTracks)
		key := strconv.FormatInt(o.ProviderID, 10) + "|" + o.Code
		if _, dup := seen[key]; dup {
			return domain.BulkError(i, o, domain.ErrBulkDuplicateCode)
		}
		seen[key] = i
	}
	if err := db.read(ctx, func(tx *Tx) error { return tx.checkBulkRefs(ctx, offers) }); err != nil {
		return err
	}
	for start := 0; start < len(offers); start += bulkChunk {
		chunk := offers[start:min(start+bulkChunk, len(offers))]
		if err := db.transact(ctx, func(tx *Tx) error { return tx.insertOfferChunk(ctx, chunk) }); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return &domain.Error{Code: domain.EConflict, Err: err, Message: domain.ErrOfferCodeBulk.Message}
			}
			return err
		}
	}
	return nil
}

// checkBulkRefs checks what the offers refer to, looking each distinct
// provider, programme, place and module up once: competences of the
// framework, providers, funding tracks of programmes that fund the
// provider, municipalities of the directory, modules of the same provider.
func (tx *Tx) checkBulkRefs(ctx context.Context, offers []domain.Offer) error {
	refs := &domain.OfferRefs{Competences: map[string]string{}, Programmes: map[string]*domain.Programme{},
		ModuleProviders: map[int64]int64{}, Providers: map[int64]bool{}, Places: map[string]bool{}}
	rows, err := tx.QueryContext(ctx, `SELECT code, name FROM competences`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			rows.Close()
			return err
		}
		refs.Competences[code] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range offers {
		o := &offers[i]
		if _, known := refs.Providers[o.ProviderID]; !known {
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, o.ProviderID).Scan(&kind)
			if err != nil && !errNoRows(err) {
				return err
			}
			refs.Providers[o.ProviderID] = err == nil && kind == string(domain.OrgProvider)
		}
		for _, ft := range o.FundingTracks {
			prog, _, _ := strings.Cut(ft, "/")
			if _, known := refs.Programmes[prog]; known {
				continue
			}
			p, err := tx.programme(ctx, prog)
			if domain.ErrorCode(err) == domain.ENotFound {
				p = nil
			} else if err != nil {
				return err
			}
			refs.Programmes[prog] = p
		}
		for _, s := range o.Sessions {
			if _, known := refs.Places[s.AGS]; s.AGS == "" || known {
				continue
			}
			ok, err := tx.IsMunicipality(ctx, s.AGS)
			if err != nil {
				return err
			}
			refs.Places[s.AGS] = ok
		}
		for _, m := range o.ModuleIDs {
			if _, known := refs.ModuleProviders[m]; known {
				continue
			}
			var prov int64
			err := tx.QueryRowContext(ctx, `SELECT provider_id FROM offers WHERE id = $1`, m).Scan(&prov)
			if err != nil && !errNoRows(err) {
				return err
			}
			refs.ModuleProviders[m] = prov
		}
		if err := o.CheckRefs(refs); err != nil {
			return domain.BulkError(i, o, err)
		}
	}
	return nil
}

// insertOfferChunk writes one chunk of checked offers with explicit IDs.
func (tx *Tx) insertOfferChunk(ctx context.Context, chunk []domain.Offer) error {
	sessions := 0
	for i := range chunk {
		sessions += len(chunk[i].Sessions)
	}
	offerIDs, err := tx.allocIDs(ctx, "offers", len(chunk))
	if err != nil {
		return err
	}
	sessionIDs, err := tx.allocIDs(ctx, offerSessionsTable, sessions)
	if err != nil {
		return err
	}
	now := tx.now
	offerArgs := make([]any, 0, len(chunk)*len(bulkOfferCols))
	var compArgs, fundArgs, modArgs []any
	sessArgs := make([]any, 0, sessions*len(bulkSessionCols))
	for i := range chunk {
		o := &chunk[i]
		o.ID, o.Status, o.ReviewComment, o.CreatedAt, o.UpdatedAt = offerIDs[i], domain.OfferPublished, "", now, now
		pub := now
		o.PublishedAt = &pub
		offerArgs = append(offerArgs, o.ID, o.ProviderID, o.Code, o.Title, o.Summary, o.Description, joinLines(o.Outcomes), o.Level,
			o.Format, o.Language, o.Hours, o.Days, o.Workload, o.Credits, o.Certificate, o.PriceCents, joinLines(o.TargetGroups),
			o.Prerequisites, o.CancellationRule, o.Status, "", now, now, now, joinLines(o.Keywords), o.Publisher)
		for _, c := range o.Competences {
			compArgs = append(compArgs, o.ID, c.Code, c.Level)
		}
		for _, t := range o.FundingTracks {
			fundArgs = append(fundArgs, o.ID, t)
		}
		for p, m := range o.ModuleIDs {
			modArgs = append(modArgs, o.ID, m, p)
		}
		for j := range o.Sessions {
			s := &o.Sessions[j]
			s.ID, sessionIDs = sessionIDs[0], sessionIDs[1:]
			s.OfferID, s.Booked, s.Free = o.ID, 0, s.Capacity
			s.StartsAt, s.EndsAt, s.RegistrationDeadline = s.StartsAt.UTC(), s.EndsAt.UTC(), s.RegistrationDeadline.UTC()
			sessArgs = append(sessArgs, s.ID, s.OfferID, s.StartsAt, s.EndsAt, s.Days, s.Capacity, s.Online, s.AGS, s.Address,
				s.RegistrationDeadline, now)
		}
	}
	for _, t := range []struct {
		table string
		cols  []string
		args  []any
	}{
		{"offers", bulkOfferCols, offerArgs},
		{"offer_competences", bulkCompetenceCols, compArgs},
		{"offer_funding", bulkFundingCols, fundArgs},
		{"offer_modules", bulkModuleCols, modArgs},
		{offerSessionsTable, bulkSessionCols, sessArgs},
	} {
		if err := tx.insertRows(ctx, t.table, t.cols, t.args); err != nil {
			return mapErr(err)
		}
	}
	if err := tx.BumpCatalog(ctx); err != nil {
		return err
	}
	return tx.audit(ctx, 0, "offer.bulk_insert", "offer", "", map[string]int{"count": len(chunk), "sessions": sessions})
}

// allocIDs reserves n IDs of table. On PostgreSQL they come from the
// identity sequence, so concurrent inserts that use it cannot collide; on
// SQLite the transaction holds the write lock, so the next IDs after the
// largest are free.
func (tx *Tx) allocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.db.Dialect == Postgres {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, $1)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var maxID int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&maxID); err != nil {
		return nil, err
	}
	for i := int64(1); i <= int64(n); i++ {
		ids = append(ids, maxID+i)
	}
	return ids, nil
}

// insertRows inserts rows given as one flat argument list. PostgreSQL gets
// multi-row statements within its parameter limit; SQLite looks up $n
// parameters by name, which makes long multi-row statements quadratic, so
// it gets one prepared single-row statement.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, args []any) error {
	width := len(cols)
	rows := len(args) / width
	if rows == 0 {
		return nil
	}
	if tx.db.Dialect == SQLite {
		stmt, err := tx.PrepareContext(ctx, insertRowsSQL(table, cols, 1))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := 0; i < len(args); i += width {
			if _, err := stmt.ExecContext(ctx, args[i:i+width]...); err != nil {
				return err
			}
		}
		return nil
	}
	per := min(pgMaxParams/width, bulkChunk*4)
	for start := 0; start < rows; start += per {
		n := min(per, rows-start)
		if _, err := tx.ExecContext(ctx, insertRowsSQL(table, cols, n), args[start*width:(start+n)*width]...); err != nil {
			return err
		}
	}
	return nil
}

func insertRowsSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.Grow(40 + rows*len(cols)*7)
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			p++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
		}
		b.WriteByte(')')
	}
	return b.String()
}
