package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Learning paths: the paths with their steps (JSON), the people following
// them, confirmed networking events and the composite certificates.

const pathCols = `SELECT p.id, p.title, p.description, COALESCE(p.owner_org_id, 0), COALESCE(o.name, ''), p.status, p.steps,
	COALESCE(p.shipped_key, ''), p.created_at, p.updated_at FROM paths p LEFT JOIN organisations o ON o.id = p.owner_org_id `

func scanPath(row interface{ Scan(...any) error }) (*domain.Path, error) {
	var p domain.Path
	var steps string
	if err := row.Scan(&p.ID, &p.Title, &p.Description, &p.OwnerOrgID, &p.OwnerName, &p.Status, &steps, &p.ShippedKey,
		&p.CreatedAt, &p.UpdatedAt); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrPathNotFound
		}
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(steps), &p.Steps); err != nil {
		return nil, err
	}
	if p.Steps == nil {
		p.Steps = []domain.PathStep{}
	}
	return &p, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreatePath inserts a path and sets its ID and times.
func (tx *Tx) CreatePath(ctx context.Context, p *domain.Path) error {
	steps, err := json.Marshal(p.Steps)
	if err != nil {
		return err
	}
	p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	return mapErr(tx.QueryRowContext(ctx, `INSERT INTO paths (title, description, owner_org_id, status, steps, shipped_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, p.Title, p.Description, nullID(p.OwnerOrgID), p.Status, string(steps),
		nullString(p.ShippedKey), tx.now).Scan(&p.ID))
}

// UpdatePath writes a path's title, description, owner, status and steps.
func (tx *Tx) UpdatePath(ctx context.Context, p *domain.Path) error {
	steps, err := json.Marshal(p.Steps)
	if err != nil {
		return err
	}
	p.UpdatedAt = tx.now
	_, err = tx.ExecContext(ctx, `UPDATE paths SET title = $1, description = $2, owner_org_id = $3, status = $4, steps = $5, updated_at = $6
		WHERE id = $7`, p.Title, p.Description, nullID(p.OwnerOrgID), p.Status, string(steps), tx.now, p.ID)
	return mapErr(err)
}

// LockPath reads a path and locks it for the transaction.
func (tx *Tx) LockPath(ctx context.Context, id int64) (*domain.Path, error) {
	return scanPath(tx.QueryRowContext(ctx, tx.forUpdateOf(pathCols+`WHERE p.id = $1`, "p"), id))
}

// Path reads a path inside tx.
func (tx *Tx) Path(ctx context.Context, id int64) (*domain.Path, error) {
	return scanPath(tx.QueryRowContext(ctx, pathCols+`WHERE p.id = $1`, id))
}

// Path returns a path.
func (db *DB) Path(ctx context.Context, id int64) (p *domain.Path, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		p, err = tx.Path(ctx, id)
		return err
	})
	return p, err
}

// PathByShippedKey returns the path the platform installed under key.
func (db *DB) PathByShippedKey(ctx context.Context, key string) (*domain.Path, error) {
	return scanPath(db.queryRow(ctx, pathCols+`WHERE p.shipped_key = $1`, key))
}

// CreatePath inserts a path outside a use case (the shipped paths).
func (db *DB) CreatePath(ctx context.Context, p *domain.Path) error {
	return db.Transact(ctx, func(tx *Tx) error { return tx.CreatePath(ctx, p) })
}

// Paths lists paths by title: the published ones, and with drafts also
// the drafts.
func (db *DB) Paths(ctx context.Context, drafts bool) ([]domain.Path, error) {
	q := pathCols
	if !drafts {
		q += `WHERE p.status = 'published' `
	}
	rows, err := db.query(ctx, q+`ORDER BY p.title, p.id`)
	if err != nil {
		return nil, err
	}
	ps, err := scanAll(rows, func(r *sql.Rows) (domain.Path, error) {
		p, err := scanPath(r)
		if err != nil {
			return domain.Path{}, err
		}
		return *p, nil
	})
	if ps == nil && err == nil {
		ps = []domain.Path{}
	}
	return ps, err
}

// JoinPath adds the person to the path's members; false when they are a
// member already.
func (tx *Tx) JoinPath(ctx context.Context, pathID, personID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO path_members (path_id, person_id, joined_at) VALUES ($1, $2, $3)
		ON CONFLICT (path_id, person_id) DO NOTHING`, pathID, personID, tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LeavePath removes the person from the path's members; false when they
// were none. Confirmed events and a composite certificate stay.
func (tx *Tx) LeavePath(ctx context.Context, pathID, personID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM path_members WHERE path_id = $1 AND person_id = $2`, pathID, personID)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const memberCols = `SELECT m.path_id, m.person_id, pe.name, pe.email, m.joined_at, m.completed_at
	FROM path_members m JOIN persons pe ON pe.id = m.person_id `

func scanMembers(rows *sql.Rows, err error) ([]domain.PathMember, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	ms, err := scanAll(rows, func(r *sql.Rows) (m domain.PathMember, err error) {
		var done sql.NullTime
		err = r.Scan(&m.PathID, &m.PersonID, &m.Name, &m.Email, &m.JoinedAt, &done)
		m.JoinedAt, m.CompletedAt = m.JoinedAt.UTC(), nullTime(done)
		return m, err
	})
	if ms == nil && err == nil {
		ms = []domain.PathMember{}
	}
	return ms, err
}

// LockPersonPaths returns the person's path memberships, locked for the
// transaction so that two completions of the same person's bookings
// evaluate their paths one after the other.
func (tx *Tx) LockPersonPaths(ctx context.Context, personID int64) ([]domain.PathMember, error) {
	return scanMembers(tx.QueryContext(ctx, tx.forUpdateOf(memberCols+`WHERE m.person_id = $1 ORDER BY m.path_id`, "m"), personID))
}

// PersonPaths returns the person's path memberships inside tx.
func (tx *Tx) PersonPaths(ctx context.Context, personID int64) ([]domain.PathMember, error) {
	return scanMembers(tx.QueryContext(ctx, memberCols+`WHERE m.person_id = $1 ORDER BY m.joined_at, m.path_id`, personID))
}

// PathMembers lists the people following a path, by name.
func (db *DB) PathMembers(ctx context.Context, pathID int64) ([]domain.PathMember, error) {
	return scanMembers(db.query(ctx, memberCols+`WHERE m.path_id = $1 ORDER BY pe.name, m.person_id`, pathID))
}

// PathMember reads one membership inside tx.
func (tx *Tx) PathMember(ctx context.Context, pathID, personID int64) (*domain.PathMember, error) {
	ms, err := scanMembers(tx.QueryContext(ctx, memberCols+`WHERE m.path_id = $1 AND m.person_id = $2`, pathID, personID))
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, domain.ErrPathNotMember
	}
	return &ms[0], nil
}

// SetPathCompleted marks the person's membership completed (once).
func (tx *Tx) SetPathCompleted(ctx context.Context, pathID, personID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE path_members SET completed_at = $1 WHERE path_id = $2 AND person_id = $3 AND completed_at IS NULL`,
		tx.now, pathID, personID)
	return mapErr(err)
}

// PathBookings returns the person's bookings that are not cancelled (by
// account, or by address for bookings made for them), with the valid
// certificate of completed ones and what each offer teaches.
func (tx *Tx) PathBookings(ctx context.Context, personID int64, email string) ([]domain.PathBooking, error) {
	rows, err := tx.QueryContext(ctx, `SELECT b.id, s.offer_id, o.title, b.status, s.starts_at,
		COALESCE((SELECT MIN(c.id) FROM certificates c WHERE c.booking_id = b.id AND c.revoked_at IS NULL), '')
		FROM bookings b JOIN offer_sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id
		WHERE (b.person_id = $1 OR b.participant_email = $2) AND b.status <> 'cancelled' ORDER BY s.starts_at, b.id`,
		personID, domain.NormalizeEmail(email))
	if err != nil {
		return nil, mapErr(err)
	}
	bs, err := scanAll(rows, func(r *sql.Rows) (b domain.PathBooking, err error) {
		err = r.Scan(&b.BookingID, &b.OfferID, &b.Offer, &b.Status, &b.Start, &b.CertificateID)
		b.Start = b.Start.UTC()
		return b, err
	})
	if err != nil || len(bs) == 0 {
		return []domain.PathBooking{}, err
	}
	offers := map[int64]*domain.Offer{}
	var list []*domain.Offer
	for _, b := range bs {
		if offers[b.OfferID] == nil {
			offers[b.OfferID] = &domain.Offer{ID: b.OfferID}
			list = append(list, offers[b.OfferID])
		}
	}
	if err := tx.LoadOfferDetails(ctx, list); err != nil {
		return nil, err
	}
	for i := range bs {
		o := offers[bs[i].OfferID]
		bs[i].Competences, bs[i].FundingTracks = o.Competences, o.FundingTracks
	}
	return bs, nil
}

// PathEvents returns the person's confirmed events: path → step → time.
func (tx *Tx) PathEvents(ctx context.Context, personID int64) (map[int64]map[int]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `SELECT path_id, step, confirmed_at FROM path_events WHERE person_id = $1`, personID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := map[int64]map[int]time.Time{}
	_, err = scanAll(rows, func(r *sql.Rows) (struct{}, error) {
		var path int64
		var step int
		var at time.Time
		if err := r.Scan(&path, &step, &at); err != nil {
			return struct{}{}, err
		}
		if out[path] == nil {
			out[path] = map[int]time.Time{}
		}
		out[path][step] = at.UTC()
		return struct{}{}, nil
	})
	return out, err
}

// ConfirmPathEvent records that the person took part in the networking
// event of the path's step; false when it was confirmed already.
func (tx *Tx) ConfirmPathEvent(ctx context.Context, pathID, personID int64, step int, by int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO path_events (path_id, person_id, step, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (path_id, person_id, step) DO NOTHING`, pathID, personID, step, nullID(by), tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PersonIDByEmail returns the ID of the account with the address, or 0.
func (tx *Tx) PersonIDByEmail(ctx context.Context, email string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM persons WHERE email = $1`, domain.NormalizeEmail(email)).Scan(&id)
	if errNoRows(err) {
		return 0, nil
	}
	return id, mapErr(err)
}

// InsertPathCertificate records a composite certificate; false (and
// nothing written) when the person has one for the path already.
func (tx *Tx) InsertPathCertificate(ctx context.Context, c *domain.PathCertificate) (bool, error) {
	steps, err := json.Marshal(c.Steps)
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO path_certificates (id, path_id, person_id, participant_name, participant_email, path_title,
		owner_name, steps, issued_at, kid, jwt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (path_id, person_id) DO NOTHING`,
		c.ID, c.PathID, c.PersonID, c.Participant, c.ParticipantEmail, c.Path, c.Owner, string(steps), c.Issued, c.KeyID, c.JWT)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const pathCertCols = `SELECT c.id, c.path_id, c.person_id, c.participant_name, c.participant_email, c.path_title, c.owner_name, c.steps,
	c.issued_at, c.revoked_at, c.revoke_reason, c.kid, c.jwt, COALESCE(p.owner_org_id, 0)
	FROM path_certificates c JOIN paths p ON p.id = c.path_id `

func scanPathCertificate(row interface{ Scan(...any) error }) (*domain.PathCertificate, error) {
	var c domain.PathCertificate
	var steps string
	var revoked sql.NullTime
	if err := row.Scan(&c.ID, &c.PathID, &c.PersonID, &c.Participant, &c.ParticipantEmail, &c.Path, &c.Owner, &steps, &c.Issued, &revoked,
		&c.RevokeReason, &c.KeyID, &c.JWT, &c.OwnerOrgID); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrCertificateNotFound
		}
		return nil, err
	}
	c.Issued, c.RevokedAt = c.Issued.UTC(), nullTime(revoked)
	if err := json.Unmarshal([]byte(steps), &c.Steps); err != nil {
		return nil, err
	}
	return &c, nil
}

// PathCertificate reads a composite certificate inside tx.
func (tx *Tx) PathCertificate(ctx context.Context, id string) (*domain.PathCertificate, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, domain.ErrCertificateNotFound
	}
	return scanPathCertificate(tx.QueryRowContext(ctx, pathCertCols+`WHERE c.id = $1`, strings.ToLower(id)))
}

// PathCertificate returns a composite certificate by its ID.
func (db *DB) PathCertificate(ctx context.Context, id string) (c *domain.PathCertificate, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		c, err = tx.PathCertificate(ctx, id)
		return err
	})
	return c, err
}

// PersonPathCertificate returns the person's composite certificate of the
// path inside tx, or domain.ErrCertificateNotFound.
func (tx *Tx) PersonPathCertificate(ctx context.Context, pathID, personID int64) (*domain.PathCertificate, error) {
	return scanPathCertificate(tx.QueryRowContext(ctx, pathCertCols+`WHERE c.path_id = $1 AND c.person_id = $2`, pathID, personID))
}

// RevokePathCertificate marks a composite certificate revoked; false when
// it was revoked already.
func (tx *Tx) RevokePathCertificate(ctx context.Context, id, reason string) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE path_certificates SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL`,
		tx.now, reason, id)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
