package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
)

// CertificateRecord is an issued certificate as kept by the platform.
type CertificateRecord struct {
	credentials.Certificate
	BookingID    int64      `json:"booking_id"`
	OfferNum     int64      `json:"offer_id"`
	ProviderID   int64      `json:"provider_id"`
	PersonID     int64      `json:"person_id,omitempty"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
	KeyID        string     `json:"kid"`
	JWT          string     `json:"-"`
}

// currentKey returns the newest signing key that is not retired, creating
// the first one on demand.
func (tx *Tx) currentKey(ctx context.Context) (credentials.Key, error) {
	var kid, priv string
	var created time.Time
	err := tx.QueryRowContext(ctx, `SELECT kid, private_key, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`).
		Scan(&kid, &priv, &created)
	if errNoRows(err) {
		k, err := credentials.NewKey(tx.now)
		if err != nil {
			return credentials.Key{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, $3)`,
			k.ID, base64.StdEncoding.EncodeToString(k.Private.Seed()), tx.now); err != nil {
			return credentials.Key{}, err
		}
		return k, tx.audit(ctx, 0, "signing_key.create", "signing_key", k.ID, nil)
	} else if err != nil {
		return credentials.Key{}, err
	}
	seed, err := base64.StdEncoding.DecodeString(priv)
	if err != nil || len(seed) != ed25519.SeedSize {
		return credentials.Key{}, err
	}
	return credentials.Key{ID: kid, Private: ed25519.NewKeyFromSeed(seed), Created: created.UTC()}, nil
}

// SigningKeys returns every signing key, retired ones included, for the
// published JWK Set.
func (db *DB) SigningKeys(ctx context.Context) ([]credentials.Key, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT kid, private_key, created_at, retired_at FROM signing_keys ORDER BY created_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []credentials.Key
	for rows.Next() {
		var k credentials.Key
		var priv string
		var retired sql.NullTime
		if err := rows.Scan(&k.ID, &priv, &k.Created, &retired); err != nil {
			return nil, err
		}
		seed, err := base64.StdEncoding.DecodeString(priv)
		if err != nil || len(seed) != ed25519.SeedSize {
			continue
		}
		k.Private, k.Retired = ed25519.NewKeyFromSeed(seed), nullTime(retired)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RotateSigningKey retires the current key and makes a new one. Credentials
// signed with the old key stay verifiable through the JWK Set.
func (db *DB) RotateSigningKey(ctx context.Context) (string, error) {
	var kid string
	err := db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, tx.now); err != nil {
			return err
		}
		k, err := tx.currentKey(ctx)
		kid = k.ID
		return err
	})
	return kid, err
}

// issueCertificate signs and records the certificate of a completed booking.
func (tx *Tx) issueCertificate(ctx context.Context, b *domain.Booking, o *domain.Offer, s *domain.Session) error {
	k, err := tx.currentKey(ctx)
	if err != nil {
		return err
	}
	id := uuid.NewString()
	c := credentials.Certificate{ID: id, Participant: b.ParticipantName, ParticipantEmail: b.ParticipantEmail, Offer: o.Title,
		OfferID: strconv.FormatInt(o.ID, 10), Provider: o.ProviderName, Issued: tx.now, SessionStart: s.StartsAt, SessionEnd: s.EndsAt,
		Hours: o.Hours, Days: s.Days, Credits: o.Credits, VerifyURL: tx.db.BaseURL + "/verify/" + id, IssuerURL: tx.db.BaseURL}
	for _, comp := range o.Competences {
		c.Competences = append(c.Competences, comp.Name)
	}
	jwt, err := credentials.SignJWT(credentials.Credential(c), k)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO certificates (id, booking_id, offer_id, provider_id, person_id, participant_name, participant_email,
		issued_at, kid, jwt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, id, b.ID, o.ID, o.ProviderID, nullID(b.PersonID),
		b.ParticipantName, b.ParticipantEmail, tx.now, k.ID, jwt); err != nil {
		return err
	}
	return tx.audit(ctx, o.ProviderID, "certificate.issue", "certificate", id, map[string]int64{"booking": b.ID})
}

const certSelect = `SELECT c.id, c.booking_id, c.offer_id, c.provider_id, COALESCE(c.person_id, 0), c.participant_name, c.participant_email,
	c.issued_at, c.revoked_at, c.revoke_reason, c.kid, c.jwt, o.title, p.name, o.hours, o.credits, s.starts_at, s.ends_at, s.days
	FROM certificates c JOIN offers o ON o.id = c.offer_id JOIN organisations p ON p.id = c.provider_id
	JOIN bookings b ON b.id = c.booking_id JOIN offer_sessions s ON s.id = b.session_id `

func (db *DB) scanCertificate(row interface{ Scan(...any) error }) (*CertificateRecord, error) {
	var r CertificateRecord
	var revoked sql.NullTime
	if err := row.Scan(&r.ID, &r.BookingID, &r.OfferNum, &r.ProviderID, &r.PersonID, &r.Participant, &r.ParticipantEmail, &r.Issued, &revoked,
		&r.RevokeReason, &r.KeyID, &r.JWT, &r.Offer, &r.Provider, &r.Hours, &r.Credits, &r.SessionStart, &r.SessionEnd, &r.Days); err != nil {
		if errNoRows(err) {
			return nil, domain.Errorf(domain.ENotFound, "Dieses Zertifikat gibt es nicht.")
		}
		return nil, err
	}
	r.Issued, r.SessionStart, r.SessionEnd = r.Issued.UTC(), r.SessionStart.UTC(), r.SessionEnd.UTC()
	r.RevokedAt = nullTime(revoked)
	r.OfferID = strconv.FormatInt(r.OfferNum, 10)
	r.VerifyURL, r.IssuerURL = db.BaseURL+"/verify/"+r.ID, db.BaseURL
	return &r, nil
}

// Certificate returns a certificate by its ID.
func (db *DB) Certificate(ctx context.Context, id string) (*CertificateRecord, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, domain.Errorf(domain.ENotFound, "Dieses Zertifikat gibt es nicht.")
	}
	r, err := db.scanCertificate(db.sql.QueryRowContext(ctx, certSelect+`WHERE c.id = $1`, strings.ToLower(id)))
	if err != nil {
		return nil, err
	}
	comps := &domain.Offer{ID: r.OfferNum}
	if err := db.read(ctx, func(tx *Tx) error { return tx.loadOfferDetails(ctx, []*domain.Offer{comps}) }); err != nil {
		return nil, err
	}
	for _, c := range comps.Competences {
		r.Competences = append(r.Competences, c.Name)
	}
	return r, nil
}

// BookingCertificates lists the certificates of a booking.
func (db *DB) BookingCertificates(ctx context.Context, bookingID int64) ([]CertificateRecord, error) {
	rows, err := db.sql.QueryContext(ctx, certSelect+`WHERE c.booking_id = $1`, bookingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CertificateRecord{}
	for rows.Next() {
		r, err := db.scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// RevokeCertificate marks a certificate revoked; its verification page and
// API say so from then on.
func (db *DB) RevokeCertificate(ctx context.Context, id, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte begründen Sie den Widerruf.", Fields: map[string]string{"reason": "Bitte begründen Sie den Widerruf."}}
	}
	return db.transact(ctx, func(tx *Tx) error {
		var prov int64
		err := tx.QueryRowContext(ctx, `SELECT provider_id FROM certificates WHERE id = $1`, id).Scan(&prov)
		if errNoRows(err) {
			return domain.Errorf(domain.ENotFound, "Dieses Zertifikat gibt es nicht.")
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL`, tx.now, reason, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.EConflict, "Das Zertifikat ist bereits widerrufen.")
		}
		return tx.audit(ctx, prov, "certificate.revoke", "certificate", id, map[string]string{"reason": reason})
	})
}
