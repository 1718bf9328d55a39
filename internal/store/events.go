package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Networking events and their registrations. The events service keeps the
// capacity: every transaction that counts or moves places locks the event
// row first (LockEvent: FOR UPDATE on PostgreSQL; SQLite's write lock is
// taken at BEGIN), and the partial unique index keeps one active
// registration per person and event.

const eventCols = `e.id, e.organiser_id, eo.name, e.state_ags, e.title, e.description, e.agenda, e.starts_at, e.ends_at, e.online,
	e.online_url, e.ags, COALESCE(m.name, ''), e.address, e.capacity, e.registration_deadline, e.audience, e.questions, e.status,
	e.cancel_reason, e.created_at, e.updated_at, e.published_at, e.cancelled_at`

const eventFrom = ` FROM events e JOIN organisations eo ON eo.id = e.organiser_id LEFT JOIN municipalities m ON m.ags = e.ags `

// eventCounts are the kept counts of active registrations, for pages and
// lists; eventRowCounts counts them from the rows, for the transactions
// that decide on places.
const (
	eventCounts    = `, e.confirmed_count, e.waitlisted_count`
	eventRowCounts = `, (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'),
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')`
)

func scanEvent(row interface{ Scan(...any) error }, counts bool) (*domain.Event, error) {
	var e domain.Event
	var questions string
	var published, cancelled sql.NullTime
	dest := []any{&e.ID, &e.OrganiserID, &e.OrganiserName, &e.State, &e.Title, &e.Description, &e.Agenda, &e.StartsAt, &e.EndsAt, &e.Online,
		&e.OnlineURL, &e.AGS, &e.PlaceName, &e.Address, &e.Capacity, &e.RegistrationDeadline, &e.Audience, &questions, &e.Status,
		&e.CancelReason, &e.CreatedAt, &e.UpdatedAt, &published, &cancelled}
	if counts {
		dest = append(dest, &e.Confirmed, &e.Waitlisted)
	}
	if err := row.Scan(dest...); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrEventNotFound
		}
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &e.Questions); err != nil || e.Questions == nil {
		e.Questions = []string{}
	}
	e.StartsAt, e.EndsAt, e.RegistrationDeadline = e.StartsAt.UTC(), e.EndsAt.UTC(), e.RegistrationDeadline.UTC()
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.PublishedAt, e.CancelledAt = nullTime(published), nullTime(cancelled)
	return &e, nil
}

func questionsJSON(qs []string) string {
	if qs == nil {
		qs = []string{}
	}
	b, _ := json.Marshal(qs)
	return string(b)
}

// InsertEvent writes a new event as a draft and sets its ID and times.
func (tx *Tx) InsertEvent(ctx context.Context, e *domain.Event) error {
	e.CreatedAt, e.UpdatedAt, e.Status = tx.now, tx.now, domain.EventDraft
	return tx.QueryRowContext(ctx, `INSERT INTO events (organiser_id, state_ags, title, description, agenda, starts_at, ends_at, online,
		online_url, ags, address, capacity, registration_deadline, audience, questions, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16, $17, $17) RETURNING id`,
		e.OrganiserID, e.State, e.Title, e.Description, e.Agenda, e.StartsAt.UTC(), e.EndsAt.UTC(), e.Online, e.OnlineURL, e.AGS, e.Address,
		e.Capacity, e.RegistrationDeadline.UTC(), string(e.Audience), questionsJSON(e.Questions), orNull(domain.ActorFrom(ctx).PersonID()),
		tx.now).Scan(&e.ID)
}

// UpdateEvent writes an event's changeable fields.
func (tx *Tx) UpdateEvent(ctx context.Context, e *domain.Event) error {
	e.UpdatedAt = tx.now
	_, err := tx.ExecContext(ctx, `UPDATE events SET title = $2, description = $3, agenda = $4, starts_at = $5, ends_at = $6, online = $7,
		online_url = $8, ags = $9, address = $10, capacity = $11, registration_deadline = $12, audience = $13, questions = $14, updated_at = $15
		WHERE id = $1`, e.ID, e.Title, e.Description, e.Agenda, e.StartsAt.UTC(), e.EndsAt.UTC(), e.Online, e.OnlineURL, e.AGS, e.Address,
		e.Capacity, e.RegistrationDeadline.UTC(), string(e.Audience), questionsJSON(e.Questions), tx.now)
	return err
}

// PublishEvent publishes a draft.
func (tx *Tx) PublishEvent(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE events SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1`, id, tx.now)
	return err
}

// CancelEvent cancels an event with the reason people are told.
func (tx *Tx) CancelEvent(ctx context.Context, id int64, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE events SET status = 'cancelled', cancel_reason = $2, cancelled_at = $3, updated_at = $3
		WHERE id = $1`, id, reason, tx.now)
	return err
}

// LockEvent locks an event's row and reads it with its counts, so that
// the places counted stay true until the transaction commits.
func (tx *Tx) LockEvent(ctx context.Context, id int64) (*domain.Event, error) {
	var got int64
	err := tx.QueryRowContext(ctx, tx.forUpdate(`SELECT id FROM events WHERE id = $1`), id).Scan(&got)
	if errNoRows(err) {
		return nil, domain.ErrEventNotFound
	} else if err != nil {
		return nil, err
	}
	return scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+eventRowCounts+eventFrom+`WHERE e.id = $1`, id), true)
}

// Event reads an event with its counts.
func (db *DB) Event(ctx context.Context, id int64) (*domain.Event, error) {
	return scanEvent(db.queryRow(ctx, `SELECT `+eventCols+eventCounts+eventFrom+`WHERE e.id = $1`, id), true)
}

// Events lists the events f selects: published and cancelled ones, and
// the drafts of f.OrganiserIDs; upcoming ones (not yet ended) next first,
// past ones newest first. The caller filters by audience.
func (db *DB) Events(ctx context.Context, f domain.EventFilter) ([]domain.Event, error) {
	args := []any{f.Now.UTC()}
	var where []string
	if f.Past {
		where = append(where, `e.ends_at <= $1`)
	} else {
		where = append(where, `e.ends_at > $1`)
	}
	vis := `e.status <> 'draft'`
	if len(f.OrganiserIDs) > 0 {
		vis = `(` + vis + ` OR e.organiser_id IN (` + idList(f.OrganiserIDs) + `))`
	}
	where = append(where, vis)
	if f.Only != nil {
		if len(f.Only) == 0 {
			return []domain.Event{}, nil
		}
		where = append(where, `e.organiser_id IN (`+idList(f.Only)+`)`)
	}
	order := ` ORDER BY e.starts_at, e.id`
	if f.Past {
		order = ` ORDER BY e.starts_at DESC, e.id DESC`
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := db.query(ctx, `SELECT `+eventCols+eventCounts+eventFrom+`WHERE `+strings.Join(where, " AND ")+order+
		` LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.Event, error) {
		e, err := scanEvent(r, true)
		if err != nil {
			return domain.Event{}, err
		}
		return *e, nil
	})
	if out == nil {
		out = []domain.Event{}
	}
	return out, err
}

// idList writes IDs (numbers, never user text) for an IN list.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// EventViewer reads what the audience rules need of a person: the AGS of
// their municipalities and the associations those municipalities are
// members of.
func (db *DB) EventViewer(ctx context.Context, personID int64) (ags []string, associations []int64, err error) {
	rows, err := db.query(ctx, `SELECT o.ags, COALESCE(am.association_id, 0) FROM memberships ms
		JOIN organisations o ON o.id = ms.org_id AND o.kind = 'municipality' AND o.ags IS NOT NULL
		LEFT JOIN association_members am ON am.ags = o.ags
		WHERE ms.person_id = $1 ORDER BY o.ags`, personID)
	if err != nil {
		return nil, nil, err
	}
	type pair struct {
		ags   string
		assoc int64
	}
	ps, err := scanAll(rows, func(r *sql.Rows) (pair, error) {
		var p pair
		return p, r.Scan(&p.ags, &p.assoc)
	})
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		if len(ags) == 0 || ags[len(ags)-1] != p.ags {
			ags = append(ags, p.ags)
		}
		if p.assoc != 0 {
			associations = append(associations, p.assoc)
		}
	}
	return ags, associations, nil
}

// AssociationStates returns the states (two-digit AGS) of the programmes an
// association reviews for, or else of its member municipalities.
func (db *DB) AssociationStates(ctx context.Context, assocID int64) ([]string, error) {
	ps, err := db.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range ps {
		for _, r := range p.Reviewers {
			if r.AssociationID == assocID && p.State != "" {
				out = append(out, p.State)
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	var ags string
	err = db.queryRow(ctx, `SELECT ags FROM association_members WHERE association_id = $1 ORDER BY ags LIMIT 1`, assocID).Scan(&ags)
	if errNoRows(err) || len(ags) < 2 {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return []string{ags[:2]}, nil
}

const regCols = `r.id, r.event_id, r.person_id, p.name, p.email, COALESCE(r.org_id, 0), COALESCE(o.name, ''), r.status, r.answers,
	r.show_name, r.attended_at, r.created_at, r.cancelled_at`

const regFrom = ` FROM event_registrations r JOIN persons p ON p.id = r.person_id LEFT JOIN organisations o ON o.id = r.org_id `

func scanRegistration(row interface{ Scan(...any) error }) (*domain.EventRegistration, error) {
	var r domain.EventRegistration
	var answers string
	var attended, cancelled sql.NullTime
	if err := row.Scan(&r.ID, &r.EventID, &r.PersonID, &r.Name, &r.Email, &r.OrgID, &r.OrgName, &r.Status, &answers, &r.ShowName,
		&attended, &r.CreatedAt, &cancelled); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrRegistrationNotFound
		}
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil || r.Answers == nil {
		r.Answers = []string{}
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.AttendedAt, r.CancelledAt = nullTime(attended), nullTime(cancelled)
	return &r, nil
}

func scanRegistrations(rows *sql.Rows) ([]domain.EventRegistration, error) {
	out, err := scanAll(rows, func(r *sql.Rows) (domain.EventRegistration, error) {
		reg, err := scanRegistration(r)
		if err != nil {
			return domain.EventRegistration{}, err
		}
		return *reg, nil
	})
	if out == nil {
		out = []domain.EventRegistration{}
	}
	return out, err
}

// RegistrationEvent returns the event a registration belongs to; a
// registration never moves to another event.
func (tx *Tx) RegistrationEvent(ctx context.Context, id int64) (int64, error) {
	var ev int64
	err := tx.QueryRowContext(ctx, `SELECT event_id FROM event_registrations WHERE id = $1`, id).Scan(&ev)
	if errNoRows(err) {
		return 0, domain.ErrRegistrationNotFound
	}
	return ev, err
}

// Registration reads a registration inside tx.
func (tx *Tx) Registration(ctx context.Context, id int64) (*domain.EventRegistration, error) {
	return scanRegistration(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.id = $1`, id))
}

// ActiveRegistration returns a person's confirmed or waitlisted
// registration for an event, or nil.
func (tx *Tx) ActiveRegistration(ctx context.Context, eventID, personID int64) (*domain.EventRegistration, error) {
	return activeRegistration(tx.QueryRowContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.event_id = $1 AND r.person_id = $2
		AND r.status IN ('confirmed', 'waitlisted')`, eventID, personID))
}

// ActiveRegistration is the same outside a transaction.
func (db *DB) ActiveRegistration(ctx context.Context, eventID, personID int64) (*domain.EventRegistration, error) {
	return activeRegistration(db.queryRow(ctx, `SELECT `+regCols+regFrom+`WHERE r.event_id = $1 AND r.person_id = $2
		AND r.status IN ('confirmed', 'waitlisted')`, eventID, personID))
}

func activeRegistration(row *Row) (*domain.EventRegistration, error) {
	r, err := scanRegistration(row)
	if err == domain.ErrRegistrationNotFound {
		return nil, nil
	}
	return r, err
}

// WaitingPosition is the place of a waitlisted registration on its list,
// counted up to limit: a place behind more people is limit+1.
func (db *DB) WaitingPosition(ctx context.Context, eventID, regID int64, limit int) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'
		AND id <= $2 LIMIT `+strconv.Itoa(limit+1)+`) w`, eventID, regID).Scan(&n)
	return n, err
}

// InsertRegistration writes a registration and sets its ID. A second
// active registration of the person is domain.ErrConflict.
func (tx *Tx) InsertRegistration(ctx context.Context, r *domain.EventRegistration) error {
	answers, _ := json.Marshal(r.Answers)
	if r.Answers == nil {
		answers = []byte("[]")
	}
	r.CreatedAt = tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO event_registrations (event_id, person_id, org_id, status, answers, show_name, created_by,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		r.EventID, r.PersonID, orNull(r.OrgID), string(r.Status), string(answers), r.ShowName, orNull(domain.ActorFrom(ctx).PersonID()),
		tx.now).Scan(&r.ID)
	if err != nil {
		return err
	}
	if r.ShowName { // privacy: the record of consents
		if err := tx.recordEventConsent(ctx, r.PersonID, r.EventID, r.ID, "given"); err != nil {
			return err
		}
	}
	return tx.countRegistration(ctx, r.EventID, "", r.Status)
}

// countRegistration keeps the event's counts when a registration moves
// from one status to another ("" for a new one).
func (tx *Tx) countRegistration(ctx context.Context, eventID int64, from, to domain.RegistrationStatus) error {
	delta := func(s domain.RegistrationStatus) (c, w int) {
		switch s {
		case domain.RegConfirmed:
			return 1, 0
		case domain.RegWaitlisted:
			return 0, 1
		}
		return 0, 0
	}
	fc, fw := delta(from)
	tc, tw := delta(to)
	if fc == tc && fw == tw {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE events SET confirmed_count = confirmed_count + $2, waitlisted_count = waitlisted_count + $3
		WHERE id = $1`, eventID, tc-fc, tw-fw)
	return err
}

// SetRegistrationStatus changes a registration's status.
func (tx *Tx) SetRegistrationStatus(ctx context.Context, id int64, s domain.RegistrationStatus) error {
	var cancelled any
	if s == domain.RegCancelled {
		cancelled = tx.now
	}
	var eventID, personID int64
	var from domain.RegistrationStatus
	var shown bool
	if err := tx.QueryRowContext(ctx, `SELECT event_id, status, person_id, show_name FROM event_registrations WHERE id = $1`, id).Scan(&eventID, &from, &personID, &shown); err != nil {
		if errNoRows(err) {
			return domain.ErrRegistrationNotFound
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE event_registrations SET status = $2, updated_at = $3, cancelled_at = $4 WHERE id = $1`,
		id, string(s), tx.now, cancelled); err != nil {
		return err
	}
	if shown && s == domain.RegCancelled && from != domain.RegCancelled { // privacy: off the list, consent withdrawn
		if err := tx.recordEventConsent(ctx, personID, eventID, id, "withdrawn"); err != nil {
			return err
		}
	}
	return tx.countRegistration(ctx, eventID, from, s)
}

// FirstWaitingRegistrations returns the first n on an event's waiting list.
func (tx *Tx) FirstWaitingRegistrations(ctx context.Context, eventID int64, n int) ([]domain.EventRegistration, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.event_id = $1 AND r.status = 'waitlisted' ORDER BY r.id LIMIT $2`,
		eventID, n)
	if err != nil {
		return nil, err
	}
	return scanRegistrations(rows)
}

// ActiveRegistrations lists everyone registered (confirmed or waiting) for
// an event, for the mails that tell them all.
func (tx *Tx) ActiveRegistrations(ctx context.Context, eventID int64) ([]domain.EventRegistration, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+regCols+regFrom+`WHERE r.event_id = $1 AND r.status IN ('confirmed', 'waitlisted')
		ORDER BY r.id`, eventID)
	if err != nil {
		return nil, err
	}
	return scanRegistrations(rows)
}

// RegistrationFilter selects an event's registrations for the organiser.
type RegistrationFilter struct {
	EventID int64
	// Status: "" for the active ones, or one status.
	Status domain.RegistrationStatus
	// ShownOnly: only confirmed people who agreed to appear on the list.
	ShownOnly bool
	// After: only registrations after this one (keyset paging).
	After         int64
	Limit, Offset int // Offset for the page numbers of older API clients
}

// Registrations lists an event's registrations in the order they came
// (after f.After: keyset paging), with the total the filter selects. The page is chosen from the index
// alone (a subquery of IDs), so that a late page of a large event does not
// join every row it skips.
func (db *DB) Registrations(ctx context.Context, f RegistrationFilter) ([]domain.EventRegistration, int, error) {
	// The conditions are literals, so that they match the partial indexes.
	where := `event_id = $1 AND status <> 'cancelled'`
	args := []any{f.EventID}
	switch {
	case f.ShownOnly:
		where = `event_id = $1 AND status = 'confirmed' AND show_name = true`
	case f.Status != "":
		where = `event_id = $1 AND status = $2`
		args = append(args, string(f.Status))
	}
	var total int
	count := `SELECT COUNT(*) FROM event_registrations WHERE ` + where
	if !f.ShownOnly && f.Status == "" {
		count = `SELECT confirmed_count + waitlisted_count FROM events WHERE id = $1`
	}
	if err := db.queryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.After > 0 {
		args = append(args, f.After)
		where += ` AND id > $` + strconv.Itoa(len(args))
	}
	ids := `SELECT id FROM event_registrations WHERE ` + where + ` ORDER BY id`
	if f.Limit > 0 {
		ids += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	}
	rows, err := db.query(ctx, `SELECT `+regCols+regFrom+`WHERE r.id IN (`+ids+`) ORDER BY r.id`, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanRegistrations(rows)
	return out, total, err
}

// Analyze refreshes the planner's statistics (and on PostgreSQL the
// visibility map that index-only counts rely on) after a bulk load.
func (db *DB) Analyze(ctx context.Context) error {
	q := `ANALYZE`
	if db.Dialect == Postgres {
		q = `VACUUM ANALYZE`
	}
	_, err := db.exec(ctx, q)
	return err
}

// SetAttended records (or takes back) a confirmed registration's
// attendance; it reports whether anything changed.
func (tx *Tx) SetAttended(ctx context.Context, id int64, attended bool) (bool, error) {
	var res sql.Result
	var err error
	if attended {
		res, err = tx.ExecContext(ctx, `UPDATE event_registrations SET attended_at = $2, attended_by = $3, updated_at = $2
			WHERE id = $1 AND status = 'confirmed' AND attended_at IS NULL`, id, tx.now, orNull(domain.ActorFrom(ctx).PersonID()))
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE event_registrations SET attended_at = NULL, attended_by = NULL, updated_at = $2
			WHERE id = $1 AND attended_at IS NOT NULL`, id, tx.now)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PersonRegistrations lists a person's active registrations of events
// that end after from, next first.
func (db *DB) PersonRegistrations(ctx context.Context, personID int64, from time.Time) ([]domain.EventEntry, error) {
	rows, err := db.query(ctx, `SELECT `+regCols+`, `+eventCols+regFrom+`JOIN events e ON e.id = r.event_id
		JOIN organisations eo ON eo.id = e.organiser_id LEFT JOIN municipalities m ON m.ags = e.ags
		WHERE r.person_id = $1 AND r.status IN ('confirmed', 'waitlisted') AND e.status <> 'draft' AND e.ends_at > $2
		ORDER BY e.starts_at, e.id`, personID, from.UTC())
	if err != nil {
		return nil, err
	}
	return scanPersonRegistrations(rows)
}

func scanPersonRegistrations(rows *sql.Rows) ([]domain.EventEntry, error) {
	out, err := scanAll(rows, func(r *sql.Rows) (domain.EventEntry, error) {
		var pr domain.EventEntry
		reg, ev := &pr.Registration, &pr.Event
		var answers, questions string
		var attended, cancelled, published, evCancelled sql.NullTime
		err := r.Scan(&reg.ID, &reg.EventID, &reg.PersonID, &reg.Name, &reg.Email, &reg.OrgID, &reg.OrgName, &reg.Status, &answers,
			&reg.ShowName, &attended, &reg.CreatedAt, &cancelled,
			&ev.ID, &ev.OrganiserID, &ev.OrganiserName, &ev.State, &ev.Title, &ev.Description, &ev.Agenda, &ev.StartsAt, &ev.EndsAt, &ev.Online,
			&ev.OnlineURL, &ev.AGS, &ev.PlaceName, &ev.Address, &ev.Capacity, &ev.RegistrationDeadline, &ev.Audience, &questions, &ev.Status,
			&ev.CancelReason, &ev.CreatedAt, &ev.UpdatedAt, &published, &evCancelled)
		if err != nil {
			return pr, err
		}
		_ = json.Unmarshal([]byte(answers), &reg.Answers)
		_ = json.Unmarshal([]byte(questions), &ev.Questions)
		reg.CreatedAt, reg.AttendedAt, reg.CancelledAt = reg.CreatedAt.UTC(), nullTime(attended), nullTime(cancelled)
		ev.StartsAt, ev.EndsAt, ev.RegistrationDeadline = ev.StartsAt.UTC(), ev.EndsAt.UTC(), ev.RegistrationDeadline.UTC()
		ev.PublishedAt, ev.CancelledAt = nullTime(published), nullTime(evCancelled)
		return pr, nil
	})
	if out == nil {
		out = []domain.EventEntry{}
	}
	return out, err
}

// DueEventReminders lists the confirmed registrations, not yet reminded,
// of published events that start between from and to.
func (tx *Tx) DueEventReminders(ctx context.Context, from, to time.Time, limit int) ([]domain.EventEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+regCols+`, `+eventCols+regFrom+`JOIN events e ON e.id = r.event_id
		JOIN organisations eo ON eo.id = e.organiser_id LEFT JOIN municipalities m ON m.ags = e.ags
		WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND e.status = 'published' AND e.starts_at > $1 AND e.starts_at <= $2
		ORDER BY r.id LIMIT $3`, from.UTC(), to.UTC(), limit)
	if err != nil {
		return nil, err
	}
	return scanPersonRegistrations(rows)
}

// ClaimEventReminder marks a registration reminded; false when another
// transaction did first.
func (tx *Tx) ClaimEventReminder(ctx context.Context, id int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE event_registrations SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL`, id, tx.now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PersonMunicipality returns the first municipality a person is a member
// of (0: none), the organisation a registration names.
func (db *DB) PersonMunicipality(ctx context.Context, personID int64) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT o.id FROM memberships ms JOIN organisations o ON o.id = ms.org_id
		WHERE ms.person_id = $1 AND o.kind = 'municipality' ORDER BY o.name, o.id LIMIT 1`, personID).Scan(&id)
	if errNoRows(err) {
		return 0, nil
	}
	return id, err
}
