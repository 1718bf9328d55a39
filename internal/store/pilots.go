package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The directory of digital pilots, its consent record and the project
// briefs. The service decides who sees what; these are plain reads and
// writes.

// BaseCertificates returns, per base track ("programme/track"), the
// providers of the person's unrevoked certificates of offers that track
// funds. The recommendations and the directory decide "has the base
// qualification" from it (domain.BaseQualified).
func (db *DB) BaseCertificates(ctx context.Context, personID int64, baseTracks []string) (map[string][]int64, error) {
	var out map[string][]int64
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.baseCertificates(ctx, personID, baseTracks)
		return err
	})
	return out, err
}

func (tx *Tx) baseCertificates(ctx context.Context, personID int64, baseTracks []string) (map[string][]int64, error) {
	out := map[string][]int64{}
	for _, track := range baseTracks {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT c.provider_id FROM certificates c
			JOIN offer_funding f ON f.offer_id = c.offer_id AND f.track = $1
			WHERE c.person_id = $2 AND c.revoked_at IS NULL ORDER BY c.provider_id`, track, personID)
		if err != nil {
			return nil, mapErr(err)
		}
		if out[track], err = scanAll(rows, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const pilotColumns = `e.id, e.person_id, e.name, e.org_id, o.name, e.ags, e.district, e.topics, e.tags, e.help, e.contact, e.phone,
	e.hidden, e.consent_at, e.updated_at, p.email`

const pilotFrom = ` FROM pilot_entries e JOIN organisations o ON o.id = e.org_id JOIN persons p ON p.id = e.person_id`

func scanPilot(r interface{ Scan(...any) error }) (domain.PilotEntry, error) {
	var e domain.PilotEntry
	var topics, tags string
	err := r.Scan(&e.ID, &e.PersonID, &e.Name, &e.OrgID, &e.OrgName, &e.AGS, &e.District, &topics, &tags, &e.Help, &e.Contact, &e.Phone,
		&e.Hidden, &e.ConsentAt, &e.UpdatedAt, &e.Email)
	e.Topics, e.Tags = splitLines(topics), splitLines(tags)
	e.ConsentAt, e.UpdatedAt = e.ConsentAt.UTC(), e.UpdatedAt.UTC()
	return e, err
}

// PilotEntryByPerson returns the person's entry; domain.ErrNotFound when
// they have none.
func (db *DB) PilotEntryByPerson(ctx context.Context, personID int64) (*domain.PilotEntry, error) {
	var e *domain.PilotEntry
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.PilotEntryByPerson(ctx, personID)
		return err
	})
	return e, err
}

// PilotEntryByPerson is PilotEntryByPerson inside tx.
func (tx *Tx) PilotEntryByPerson(ctx context.Context, personID int64) (*domain.PilotEntry, error) {
	return tx.pilotEntry(ctx, `e.person_id = $1`, personID)
}

// PilotEntry returns an entry by ID; domain.ErrNotFound when there is none.
func (db *DB) PilotEntry(ctx context.Context, id int64) (*domain.PilotEntry, error) {
	var e *domain.PilotEntry
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.pilotEntry(ctx, `e.id = $1`, id)
		return err
	})
	return e, err
}

func (tx *Tx) pilotEntry(ctx context.Context, cond string, arg any) (*domain.PilotEntry, error) {
	e, err := scanPilot(tx.QueryRowContext(ctx, `SELECT `+pilotColumns+pilotFrom+` WHERE `+cond, arg))
	if errNoRows(err) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return &e, nil
}

// SavePilotEntry inserts or replaces the person's entry (e.PersonID) and
// sets e.ID. A visible entry gets its topic keys and search words; a
// hidden one none. The consent time stays when the entry exists.
func (tx *Tx) SavePilotEntry(ctx context.Context, e *domain.PilotEntry, keys, words []string, search string) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO pilot_entries (person_id, org_id, ags, district, name, help, topics, tags, contact, phone, hidden, search,
			consent_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13)
		ON CONFLICT (person_id) DO UPDATE SET org_id = excluded.org_id, ags = excluded.ags, district = excluded.district, name = excluded.name,
			help = excluded.help, topics = excluded.topics, tags = excluded.tags, contact = excluded.contact, phone = excluded.phone,
			hidden = excluded.hidden, search = excluded.search, updated_at = excluded.updated_at
		RETURNING id`, e.PersonID, e.OrgID, e.AGS, e.District, e.Name, e.Help, joinLines(e.Topics), joinLines(e.Tags), string(e.Contact), e.Phone,
		e.Hidden, search, tx.now).Scan(&e.ID)
	if err != nil {
		return mapErr(err)
	}
	for _, q := range []string{`DELETE FROM pilot_topic_keys WHERE entry_id = $1`, `DELETE FROM pilot_search_words WHERE entry_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, e.ID); err != nil {
			return mapErr(err)
		}
	}
	if e.Hidden {
		return nil
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pilot_topic_keys (key, entry_id, name) VALUES ($1, $2, $3)`, k, e.ID, e.Name); err != nil {
			return mapErr(err)
		}
	}
	for _, w := range words {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pilot_search_words (word, entry_id, name) VALUES ($1, $2, $3)`, w, e.ID, e.Name); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeletePilotEntry removes the person's entry with its keys.
func (tx *Tx) DeletePilotEntry(ctx context.Context, personID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM pilot_entries WHERE person_id = $1`, personID)
	return mapErr(err)
}

// PilotConsent is one line of the consent record.
type PilotConsent struct {
	Event   string // "given" or "withdrawn"
	At      time.Time
	Version string
}

// GivePilotConsent records that the person consented to the text version.
func (tx *Tx) GivePilotConsent(ctx context.Context, personID int64, version string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO pilot_consents (person_id, event, at, text_version) VALUES ($1, 'given', $2, $3)`, personID, tx.now, version)
	return mapErr(err)
}

// WithdrawPilotConsent leaves only the withdrawal in the person's consent
// record.
func (tx *Tx) WithdrawPilotConsent(ctx context.Context, personID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pilot_consents WHERE person_id = $1`, personID); err != nil {
		return mapErr(err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO pilot_consents (person_id, event, at) VALUES ($1, 'withdrawn', $2)`, personID, tx.now)
	return mapErr(err)
}

// PilotConsents is the person's consent record, oldest first.
func (db *DB) PilotConsents(ctx context.Context, personID int64) ([]PilotConsent, error) {
	rows, err := db.query(ctx, `SELECT event, at, text_version FROM pilot_consents WHERE person_id = $1 ORDER BY id`, personID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (PilotConsent, error) {
		var c PilotConsent
		err := r.Scan(&c.Event, &c.At, &c.Version)
		c.At = c.At.UTC()
		return c, err
	})
}

// PilotQuery is a directory search as the store runs it: lower-case words
// that must all be words of the entry, a topic key, a district, and the
// (name, id) after which the page starts.
type PilotQuery struct {
	Words     []string
	TopicKey  string
	District  string
	AfterName string
	AfterID   int64
	Limit     int
}

// SearchPilots returns up to q.Limit visible entries matching q, ordered by
// name and ID. The query walks one index in that order and stops after the
// page: the district's, else the first word's (pilot_search_words), else
// the topic's (pilot_topic_keys), else the directory's; the other
// conditions are point look-ups per entry.
func (db *DB) SearchPilots(ctx context.Context, q PilotQuery) ([]domain.PilotEntry, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	from := pilotFrom
	where := []string{"e.hidden = FALSE"}
	order := "e.name, e.id"
	words := q.Words
	topic := q.TopicKey
	switch {
	case q.District != "":
		// A district holds a bounded share of the directory: walk its
		// index and look up the rest.
	case len(words) > 0:
		from += ` JOIN pilot_search_words d ON d.entry_id = e.id`
		where = append(where, "d.word = "+arg(words[0]))
		order, words = "d.name, d.entry_id", words[1:]
	case topic != "":
		from += ` JOIN pilot_topic_keys d ON d.entry_id = e.id`
		where = append(where, "d.key = "+arg(topic))
		order, topic = "d.name, d.entry_id", ""
	}
	for _, w := range words {
		where = append(where, "EXISTS (SELECT 1 FROM pilot_search_words w WHERE w.word = "+arg(w)+" AND w.entry_id = e.id)")
	}
	if topic != "" {
		where = append(where, "EXISTS (SELECT 1 FROM pilot_topic_keys k WHERE k.key = "+arg(topic)+" AND k.entry_id = e.id)")
	}
	if q.District != "" {
		where = append(where, "e.district = "+arg(q.District))
	}
	if q.AfterID != 0 {
		name, id, _ := strings.Cut(order, ", ")
		where = append(where, "("+name+" > "+arg(q.AfterName)+" OR ("+name+" = "+arg(q.AfterName)+" AND "+id+" > "+arg(q.AfterID)+"))")
	}
	rows, err := db.query(ctx, `SELECT `+pilotColumns+from+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT `+arg(q.Limit), args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.PilotEntry, error) { return scanPilot(r) })
}

// DistrictEntries is the number of visible entries of the pilots'
// directory in a district, with the district's name from the directory of
// municipalities ("" where it has none).
type DistrictEntries struct {
	District, Name string
	Entries        int
}

// PilotDistrictCounts lists the districts with visible entries, from the
// counts kept by the triggers of migration 00034.
func (db *DB) PilotDistrictCounts(ctx context.Context) ([]DistrictEntries, error) {
	rows, err := db.query(ctx, `SELECT c.district, COALESCE(m.name, ''), c.entries FROM pilot_district_counts c
		LEFT JOIN municipalities m ON m.ags = c.district WHERE c.entries > 0 ORDER BY c.district`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (DistrictEntries, error) {
		var d DistrictEntries
		err := r.Scan(&d.District, &d.Name, &d.Entries)
		return d, err
	})
}

// PilotDistrictCountsVersion is the version of the district counts: it
// changes with every change of the counts (migration 00037's triggers),
// so that a copy in memory is good while it stays the same.
func (db *DB) PilotDistrictCountsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT version FROM kept_versions WHERE name = 'pilot_district_counts'`).Scan(&v)
	return v, err
}

// Project briefs.

const briefColumns = `b.id, b.author_id, p.name, COALESCE(e.id, 0), COALESCE(o.name, ''), COALESCE(e.hidden, FALSE), b.title, b.what, b.how, b.effort,
	b.contact, b.topics, b.status, b.discussion_url, b.created_at, b.updated_at, b.published_at`

const briefFrom = ` FROM project_briefs b JOIN persons p ON p.id = b.author_id
	LEFT JOIN pilot_entries e ON e.person_id = b.author_id LEFT JOIN organisations o ON o.id = e.org_id`

func scanBrief(r interface{ Scan(...any) error }) (domain.ProjectBrief, error) {
	var b domain.ProjectBrief
	var topics string
	var hidden bool
	var pub sql.NullTime
	err := r.Scan(&b.ID, &b.AuthorID, &b.AuthorName, &b.EntryID, &b.OrgName, &hidden, &b.Title, &b.What, &b.How, &b.Effort,
		&b.Contact, &topics, &b.Status, &b.DiscussionURL, &b.CreatedAt, &b.UpdatedAt, &pub)
	if hidden {
		b.EntryID = 0
	}
	b.Topics = splitLines(topics)
	b.CreatedAt, b.UpdatedAt, b.PublishedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC(), nullTime(pub)
	return b, err
}

// ProjectBrief returns a brief; domain.ErrNotFound when there is none.
func (tx *Tx) ProjectBrief(ctx context.Context, id int64) (*domain.ProjectBrief, error) {
	b, err := scanBrief(tx.QueryRowContext(ctx, `SELECT `+briefColumns+briefFrom+` WHERE b.id = $1`, id))
	if errNoRows(err) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
}

// ProjectBrief is ProjectBrief outside a transaction.
func (db *DB) ProjectBrief(ctx context.Context, id int64) (*domain.ProjectBrief, error) {
	var b *domain.ProjectBrief
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		b, err = tx.ProjectBrief(ctx, id)
		return err
	})
	return b, err
}

// SaveProjectBrief inserts b (ID 0) or updates it, with its topic keys;
// the first publication sets published_at.
func (tx *Tx) SaveProjectBrief(ctx context.Context, b *domain.ProjectBrief, keys []string) error {
	var err error
	// The first publication's time; a draft has none.
	var published *time.Time
	if b.Status == domain.BriefPublished {
		published = &tx.now
	}
	if b.ID == 0 {
		err = tx.QueryRowContext(ctx, `INSERT INTO project_briefs (author_id, title, what, how, effort, contact, topics, status, discussion_url,
				created_at, updated_at, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $9, $10) RETURNING id`,
			b.AuthorID, b.Title, b.What, b.How, b.Effort, b.Contact, joinLines(b.Topics), string(b.Status), tx.now, published).Scan(&b.ID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE project_briefs SET title = $2, what = $3, how = $4, effort = $5, contact = $6, topics = $7, status = $8,
				updated_at = $9, published_at = CASE WHEN $10 THEN COALESCE(published_at, $11) END WHERE id = $1`,
			b.ID, b.Title, b.What, b.How, b.Effort, b.Contact, joinLines(b.Topics), string(b.Status), tx.now, b.Status == domain.BriefPublished, published)
	}
	if err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM project_brief_topic_keys WHERE brief_id = $1`, b.ID); err != nil {
		return mapErr(err)
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_brief_topic_keys (key, brief_id) VALUES ($1, $2)`, k, b.ID); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteProjectBrief removes a brief.
func (tx *Tx) DeleteProjectBrief(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM project_briefs WHERE id = $1`, id)
	return mapErr(err)
}

// UnpublishProjectBriefs turns the author's published briefs back into
// drafts (when their entry goes) and reports how many there were.
func (tx *Tx) UnpublishProjectBriefs(ctx context.Context, authorID int64) (int64, error) {
	r, err := tx.ExecContext(ctx, `UPDATE project_briefs SET status = 'draft', updated_at = $2 WHERE author_id = $1 AND status = 'published'`, authorID, tx.now)
	if err != nil {
		return 0, mapErr(err)
	}
	return r.RowsAffected()
}

// BriefQuery lists briefs newest first: the published ones of authors
// with an entry, or (AuthorID) all of one author.
type BriefQuery struct {
	AuthorID int64
	// PublishedBy lists the published briefs of one author.
	PublishedBy int64
	Words       []string
	TopicKey    string
	BeforeID    int64
	Limit       int
}

// ProjectBriefs runs q.
func (db *DB) ProjectBriefs(ctx context.Context, q BriefQuery) ([]domain.ProjectBrief, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	var where []string
	if q.AuthorID != 0 {
		where = append(where, "b.author_id = "+arg(q.AuthorID))
	} else {
		where = append(where, "b.status = 'published'", "e.id IS NOT NULL")
	}
	if q.PublishedBy != 0 {
		where = append(where, "b.author_id = "+arg(q.PublishedBy))
	}
	if q.TopicKey != "" {
		where = append(where, "EXISTS (SELECT 1 FROM project_brief_topic_keys k WHERE k.brief_id = b.id AND k.key = "+arg(q.TopicKey)+")")
	}
	for _, w := range q.Words {
		where = append(where, "("+containsSQL("b.title", w, arg)+" OR "+containsSQL("b.what", w, arg)+" OR "+containsSQL("b.how", w, arg)+")")
	}
	if q.BeforeID != 0 {
		where = append(where, "b.id < "+arg(q.BeforeID))
	}
	rows, err := db.query(ctx, `SELECT `+briefColumns+briefFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY b.id DESC LIMIT `+arg(q.Limit), args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.ProjectBrief, error) { return scanBrief(r) })
}

// PilotMemberships are the person's municipalities (organisations of kind
// municipality with an AGS), for the entry's choice.
func (db *DB) PilotMunicipalities(ctx context.Context, personID int64) ([]domain.Organisation, error) {
	rows, err := db.query(ctx, `SELECT o.id, o.name, o.ags FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.person_id = $1 AND o.kind = 'municipality' AND o.ags <> '' ORDER BY o.name, o.id`, personID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Organisation, error) {
		o := domain.Organisation{Kind: domain.OrgMunicipality}
		return o, r.Scan(&o.ID, &o.Name, &o.AGS)
	})
}

// SetBriefDiscussion links a brief to its thread in the members' space.
func (tx *Tx) SetBriefDiscussion(ctx context.Context, id int64, url string) error {
	_, err := tx.ExecContext(ctx, `UPDATE project_briefs SET discussion_url = $2, updated_at = $3 WHERE id = $1`, id, url, tx.now)
	return mapErr(err)
}
