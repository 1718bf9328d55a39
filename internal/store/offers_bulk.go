package store

import (
	"context"
	"errors"
	"fmt"
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
		"status", "review_comment", "created_at", "updated_at", "published_at"}
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
			return bulkError(i, o, err)
		}
		for j := range o.Sessions {
			if err := o.Sessions[j].Validate(now); err != nil {
				return bulkError(i, o, err)
			}
		}
		slices.Sort(o.FundingTracks)
		o.FundingTracks = slices.Compact(o.FundingTracks)
		key := strconv.FormatInt(o.ProviderID, 10) + "|" + o.Code
		if _, dup := seen[key]; dup {
			return bulkError(i, o, &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
				Fields: map[string]string{"code": "Diese Kursnummer kommt in den Angeboten mehrfach vor."}})
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
				return &domain.Error{Code: domain.EConflict, Err: err,
					Message: "Eine der Kursnummern verwendet der Bildungsträger schon für ein anderes Angebot."}
			}
			return err
		}
	}
	return nil
}

// bulkError names the offer an error belongs to, with its field messages,
// since a bulk caller has no form to show them next to.
func bulkError(i int, o *domain.Offer, err error) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return err
	}
	msgs := make([]string, 0, len(e.Fields))
	for _, m := range e.Fields {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	msg := e.Message
	if len(msgs) > 0 {
		msg = strings.Join(msgs, " ")
	}
	return &domain.Error{Code: e.Code, Fields: e.Fields, Err: err,
		Message: fmt.Sprintf("Angebot %d („%s“, Kursnummer %s): %s", i+1, o.Title, o.Code, msg)}
}

// checkBulkRefs checks what the offers refer to, looking each distinct
// provider, programme, place and module up once: competences of the
// framework, providers, funding tracks of programmes that fund the
// provider, municipalities of the directory, modules of the same provider.
func (tx *Tx) checkBulkRefs(ctx context.Context, offers []domain.Offer) error {
	names := map[string]string{}
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
		names[code] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	providers := map[int64]bool{}
	programmes := map[string]*domain.Programme{}
	places := map[string]bool{}
	modules := map[int64]int64{}
	for i := range offers {
		o := &offers[i]
		v := domain.Validation{}
		codes := map[string]bool{}
		for j := range o.Competences {
			c := &o.Competences[j]
			name, ok := names[c.Code]
			if !ok {
				v.Add("competences", fmt.Sprintf("Die Kompetenz „%s“ gibt es im Kompetenzrahmen nicht.", c.Code))
			} else if codes[c.Code] {
				v.Add("competences", "Jede Kompetenz darf nur einmal vorkommen.")
			}
			c.Name, codes[c.Code] = name, true
		}
		ok, known := providers[o.ProviderID]
		if !known {
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, o.ProviderID).Scan(&kind)
			if err != nil && !errNoRows(err) {
				return err
			}
			ok = err == nil && kind == string(domain.OrgProvider)
			providers[o.ProviderID] = ok
		}
		if !ok {
			v.Add("provider", "Den Bildungsträger gibt es nicht.")
		}
		for _, ft := range o.FundingTracks {
			prog, track, _ := strings.Cut(ft, "/")
			p, known := programmes[prog]
			if !known {
				var err error
				if p, err = tx.programme(ctx, prog); domain.ErrorCode(err) == domain.ENotFound {
					p = nil
				} else if err != nil {
					return err
				}
				programmes[prog] = p
			}
			if p == nil {
				v.Add("funding_tracks", fmt.Sprintf("„%s“ ist keine Förderung eines Programms (Form: programm/qualifizierung).", ft))
			} else if _, ok := p.Track(track); !ok {
				v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ hat keine Qualifizierung „%s“.", p.Name, track))
			} else if !p.FundsProvider(o.ProviderID) {
				v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ fördert diesen Bildungsträger nicht.", p.Name))
			}
		}
		for _, s := range o.Sessions {
			if s.AGS == "" {
				continue
			}
			ok, known := places[s.AGS]
			if !known {
				var kind string
				err := tx.QueryRowContext(ctx, `SELECT kind FROM municipalities WHERE ags = $1`, s.AGS).Scan(&kind)
				if err != nil && !errNoRows(err) {
					return err
				}
				ok = err == nil && kind == string(domain.AreaMunicipality)
				places[s.AGS] = ok
			}
			if !ok {
				v.Add("ags", fmt.Sprintf("Den Gemeindeschlüssel %s gibt es im Gemeindeverzeichnis nicht.", s.AGS))
			}
		}
		for j, m := range o.ModuleIDs {
			prov, known := modules[m]
			if !known {
				err := tx.QueryRowContext(ctx, `SELECT provider_id FROM offers WHERE id = $1`, m).Scan(&prov)
				if err != nil && !errNoRows(err) {
					return err
				}
				modules[m] = prov
			}
			if prov != o.ProviderID || slices.Index(o.ModuleIDs, m) != j {
				v.Add("modules", "Module müssen eigene, andere Angebote desselben Bildungsträgers sein.")
			}
		}
		if err := v.Err(); err != nil {
			return bulkError(i, o, err)
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
			o.Prerequisites, o.CancellationRule, o.Status, "", now, now, now)
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
	if err := tx.bumpCatalog(ctx); err != nil {
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
