package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/domain"
)

// SigningKey is a row of the platform's signing keys: the Ed25519 seed as
// stored. The certify service turns it into a key; store does no signing.
type SigningKey struct {
	ID      string
	Seed    []byte
	Created time.Time
	Retired *time.Time // nil while the key is in use
}

// CurrentSigningKey returns the newest signing key that is not retired, or
// domain.ErrNotFound when there is none.
func (tx *Tx) CurrentSigningKey(ctx context.Context) (*SigningKey, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kid, private_key, created_at, retired_at FROM signing_keys WHERE retired_at IS NULL
		ORDER BY created_at DESC, kid DESC LIMIT 1`)
	if err != nil {
		return nil, err
	}
	keys, err := scanSigningKeys(rows)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, domain.ErrNotFound
	}
	return &keys[0], nil
}

// InsertSigningKey stores a new signing key.
func (tx *Tx) InsertSigningKey(ctx context.Context, k SigningKey) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, $3)`,
		k.ID, base64.StdEncoding.EncodeToString(k.Seed), k.Created)
	return err
}

// RetireSigningKeys retires every key in use.
func (tx *Tx) RetireSigningKeys(ctx context.Context) error {
	_, err := tx.ExecContext(ctx, `UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, tx.now)
	return err
}

// SigningKeys returns every signing key, retired ones included, oldest
// first.
func (db *DB) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	rows, err := db.query(ctx, `SELECT kid, private_key, created_at, retired_at FROM signing_keys ORDER BY created_at, kid`)
	if err != nil {
		return nil, err
	}
	return scanSigningKeys(rows)
}

func scanSigningKeys(rows *sql.Rows) ([]SigningKey, error) {
	return scanAll(rows, func(r *sql.Rows) (k SigningKey, err error) {
		var seed string
		var retired sql.NullTime
		if err := r.Scan(&k.ID, &seed, &k.Created, &retired); err != nil {
			return k, err
		}
		if k.Seed, err = base64.StdEncoding.DecodeString(seed); err != nil {
			return k, err
		}
		k.Created, k.Retired = k.Created.UTC(), nullTime(retired)
		return k, nil
	})
}

// InsertCertificate records an issued certificate with its signed
// credential.
func (tx *Tx) InsertCertificate(ctx context.Context, c *domain.Certificate) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO certificates (id, booking_id, offer_id, provider_id, person_id, participant_name, participant_email,
		issued_at, kid, jwt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, c.BookingID, c.OfferID, c.ProviderID, nullID(c.PersonID),
		c.Participant, c.ParticipantEmail, c.Issued, c.KeyID, c.JWT)
	return err
}

const certSelect = `SELECT c.id, c.booking_id, c.offer_id, c.provider_id, COALESCE(c.person_id, 0), c.participant_name, c.participant_email,
	c.issued_at, c.revoked_at, c.revoke_reason, c.kid, c.jwt, o.title, p.name, o.hours, o.credits, s.starts_at, s.ends_at, s.days
	FROM certificates c JOIN offers o ON o.id = c.offer_id JOIN organisations p ON p.id = c.provider_id
	JOIN bookings b ON b.id = c.booking_id JOIN offer_sessions s ON s.id = b.session_id `

func scanCertificate(row interface{ Scan(...any) error }) (*domain.Certificate, error) {
	var c domain.Certificate
	var revoked sql.NullTime
	if err := row.Scan(&c.ID, &c.BookingID, &c.OfferID, &c.ProviderID, &c.PersonID, &c.Participant, &c.ParticipantEmail, &c.Issued, &revoked,
		&c.RevokeReason, &c.KeyID, &c.JWT, &c.Offer, &c.Provider, &c.Hours, &c.Credits, &c.SessionStart, &c.SessionEnd, &c.Days); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrCertificateNotFound
		}
		return nil, err
	}
	c.Issued, c.SessionStart, c.SessionEnd = c.Issued.UTC(), c.SessionStart.UTC(), c.SessionEnd.UTC()
	c.RevokedAt = nullTime(revoked)
	c.Competences = []string{}
	return &c, nil
}

// Certificate returns a certificate by its ID, with the competences of its
// offer.
func (tx *Tx) Certificate(ctx context.Context, id string) (*domain.Certificate, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, domain.ErrCertificateNotFound
	}
	c, err := scanCertificate(tx.QueryRowContext(ctx, certSelect+`WHERE c.id = $1`, strings.ToLower(id)))
	if err != nil {
		return nil, err
	}
	o := &domain.Offer{ID: c.OfferID}
	if err := tx.loadOfferDetails(ctx, []*domain.Offer{o}); err != nil {
		return nil, err
	}
	for _, comp := range o.Competences {
		c.Competences = append(c.Competences, comp.Name)
	}
	return c, nil
}

// Certificate returns a certificate by its ID.
func (db *DB) Certificate(ctx context.Context, id string) (c *domain.Certificate, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		c, err = tx.Certificate(ctx, id)
		return err
	})
	return c, err
}

// BookingCertificates lists the certificates of a booking.
func (db *DB) BookingCertificates(ctx context.Context, bookingID int64) ([]domain.Certificate, error) {
	return db.certificates(ctx, certSelect+`WHERE c.booking_id = $1`, bookingID)
}

// PersonCertificates lists the certificates issued to a person (by account,
// or by address for a booking made before the account existed), newest
// first.
func (db *DB) PersonCertificates(ctx context.Context, personID int64, email string) ([]domain.Certificate, error) {
	return db.certificates(ctx, certSelect+`WHERE c.person_id = $1 OR c.participant_email = $2 ORDER BY c.issued_at DESC, c.id`,
		personID, domain.NormalizeEmail(email))
}

func (db *DB) certificates(ctx context.Context, q string, args ...any) ([]domain.Certificate, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	cs, err := scanAll(rows, func(r *sql.Rows) (domain.Certificate, error) {
		c, err := scanCertificate(r)
		if err != nil {
			return domain.Certificate{}, err
		}
		return *c, nil
	})
	if cs == nil && err == nil {
		cs = []domain.Certificate{}
	}
	return cs, err
}

// RevokeCertificate marks a certificate revoked. It reports false when the
// certificate was revoked already.
func (tx *Tx) RevokeCertificate(ctx context.Context, id, reason string) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL`,
		tx.now, reason, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
