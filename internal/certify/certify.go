// Package certify is the home of certificates: issuing the signed credential
// when a participant completes a session (inside the booking's transaction),
// revoking it, and the signing keys with their rotation. The credential
// format itself lives in the leaf package credentials; the rows live in
// store.
package certify

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the certificate use cases.
type Service struct {
	db      *store.DB
	baseURL string
}

// New returns the certificate service. baseURL is the platform's public
// address: the credential's issuer and the base of its verification page.
func New(db *store.DB, baseURL string) *Service {
	return &Service{db: db, baseURL: strings.TrimRight(baseURL, "/")}
}

// Issue signs and records the certificate of a booking that has just been
// completed. It runs inside the caller's transaction, so the completion and
// its certificate are one unit: both or neither.
func (s *Service) Issue(ctx context.Context, tx *store.Tx, b *domain.Booking, o *domain.Offer, ses *domain.Session) (c *domain.Certificate, err error) {
	defer domain.Wrap(&err, "certify.Issue(booking %d)", b.ID)
	k, err := s.currentKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	c = &domain.Certificate{ID: uuid.NewString(), BookingID: b.ID, OfferID: o.ID, ProviderID: o.ProviderID, PersonID: b.PersonID,
		Participant: b.ParticipantName, ParticipantEmail: b.ParticipantEmail, Offer: o.Title, Provider: o.ProviderName, Issued: tx.Now(),
		SessionStart: ses.StartsAt, SessionEnd: ses.EndsAt, Hours: o.Hours, Days: ses.Days, Credits: o.Credits, Competences: []string{},
		KeyID: k.ID}
	for _, comp := range o.Competences {
		c.Competences = append(c.Competences, comp.Name)
	}
	if c.JWT, err = credentials.SignJWT(credentials.Credential(s.credential(c)), k); err != nil {
		return nil, err
	}
	if err := tx.InsertCertificate(ctx, c); err != nil {
		return nil, err
	}
	return c, tx.Audit(ctx, o.ProviderID, "certificate.issue", "certificate", c.ID, map[string]int64{"booking": b.ID})
}

// credential is what the signed credential and the PDF state.
func (s *Service) credential(c *domain.Certificate) credentials.Certificate {
	return credentials.Certificate{ID: c.ID, Participant: c.Participant, ParticipantEmail: c.ParticipantEmail, Offer: c.Offer,
		OfferID: strconv.FormatInt(c.OfferID, 10), Provider: c.Provider, Issued: c.Issued, SessionStart: c.SessionStart,
		SessionEnd: c.SessionEnd, Hours: c.Hours, Days: c.Days, Competences: c.Competences, Credits: c.Credits,
		VerifyURL: s.VerifyURL(c.ID), IssuerURL: s.baseURL}
}

// VerifyURL is the public verification page of a certificate.
func (s *Service) VerifyURL(id string) string { return s.baseURL + "/verify/" + id }

// CredentialURL is where the signed credential of a certificate is served.
func (s *Service) CredentialURL(id string) string {
	return s.baseURL + "/api/v1/certificates/" + id + "/credential"
}

// currentKey returns the signing key in use, making the first one on demand.
func (s *Service) currentKey(ctx context.Context, tx *store.Tx) (credentials.Key, error) {
	row, err := tx.CurrentSigningKey(ctx)
	if errors.Is(err, domain.ErrNotFound) {
		return s.newKey(ctx, tx)
	} else if err != nil {
		return credentials.Key{}, err
	}
	return key(*row)
}

func (s *Service) newKey(ctx context.Context, tx *store.Tx) (credentials.Key, error) {
	k, err := credentials.NewKey(tx.Now())
	if err != nil {
		return credentials.Key{}, err
	}
	if err := tx.InsertSigningKey(ctx, store.SigningKey{ID: k.ID, Seed: k.Private.Seed(), Created: k.Created}); err != nil {
		return credentials.Key{}, err
	}
	return k, tx.Audit(ctx, 0, "signing_key.create", "signing_key", k.ID, nil)
}

func key(row store.SigningKey) (credentials.Key, error) {
	if len(row.Seed) != ed25519.SeedSize {
		return credentials.Key{}, fmt.Errorf("signing key %s: seed of %d bytes", row.ID, len(row.Seed))
	}
	return credentials.Key{ID: row.ID, Private: ed25519.NewKeyFromSeed(row.Seed), Created: row.Created, Retired: row.Retired}, nil
}

// RotateKey retires the signing key in use and makes a new one. Credentials
// signed with the old key stay verifiable through the JWK Set. It is an
// operator's command (lotse keys rotate), not a web action.
func (s *Service) RotateKey(ctx context.Context) (kid string, err error) {
	defer domain.Wrap(&err, "certify.RotateKey")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.RetireSigningKeys(ctx); err != nil {
			return err
		}
		k, err := s.newKey(ctx, tx)
		kid = k.ID
		return err
	})
	return kid, err
}

// JWKS is the JSON Web Key Set of every signing key, retired ones included.
func (s *Service) JWKS(ctx context.Context) (b []byte, err error) {
	defer domain.Wrap(&err, "certify.JWKS")
	rows, err := s.db.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]credentials.Key, 0, len(rows))
	for _, r := range rows {
		k, err := key(r)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return credentials.JWKS(keys)
}

// Certificate returns a certificate by its ID. Anyone may verify a
// certificate; what a verifier sees is chosen by the caller's view.
func (s *Service) Certificate(ctx context.Context, id string) (c *domain.Certificate, err error) {
	defer domain.Wrap(&err, "certify.Certificate(%q)", id)
	return s.db.Certificate(ctx, id)
}

// BookingCertificates lists the certificates of a booking. The caller has
// checked that the actor may see the booking.
func (s *Service) BookingCertificates(ctx context.Context, bookingID int64) (cs []domain.Certificate, err error) {
	defer domain.Wrap(&err, "certify.BookingCertificates(%d)", bookingID)
	return s.db.BookingCertificates(ctx, bookingID)
}

// Mine lists the certificates of the logged-in person, newest first.
func (s *Service) Mine(ctx context.Context) (cs []domain.Certificate, err error) {
	defer domain.Wrap(&err, "certify.Mine")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	return s.db.PersonCertificates(ctx, a.Person.ID, a.Person.Email)
}

// PDF renders the printable certificate for its participant, the
// provider's staff and admins; for everyone else it does not exist.
func (s *Service) PDF(ctx context.Context, id string) (c *domain.Certificate, pdf []byte, err error) {
	defer domain.Wrap(&err, "certify.PDF(%q)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, nil, domain.ErrUnauthorized
	}
	if c, err = s.db.Certificate(ctx, id); err != nil {
		return nil, nil, err
	}
	if !authz.Allowed(a, authz.CertificateView, authz.Resource{PersonID: c.PersonID, ProviderID: c.ProviderID}) {
		return nil, nil, domain.ErrCertificateNotFound
	}
	pdf, err = credentials.PDF(s.credential(c))
	return c, pdf, err
}

// Revoke marks a certificate revoked; its verification page and API say so
// from then on. The provider that issued it and admins may revoke.
func (s *Service) Revoke(ctx context.Context, id, reason string) (c *domain.Certificate, err error) {
	defer domain.Wrap(&err, "certify.Revoke(%q)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err := tx.Certificate(ctx, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.CertificateRevoke, authz.Resource{ProviderID: c.ProviderID}) {
			return domain.ErrCertificateRevokeForbidden
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return domain.ErrRevokeReasonMissing()
		}
		ok, err := tx.RevokeCertificate(ctx, c.ID, reason)
		if err != nil {
			return err
		}
		if !ok {
			return domain.ErrCertificateRevoked
		}
		return tx.Audit(ctx, c.ProviderID, "certificate.revoke", "certificate", c.ID, map[string]string{"reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Certificate(ctx, id)
}
