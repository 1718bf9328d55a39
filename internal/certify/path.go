package certify

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Composite certificates of learning paths: signed like single
// certificates, with the path as the achievement and the step
// certificates as evidence. Who may see the PDF or revoke one is decided by
// the matching service, which owns the paths.

// IssuePath signs and records the composite certificate c (Steps,
// PathID, PersonID, Participant, ParticipantEmail, Path and Owner filled
// in) inside the caller's transaction. It sets ID, Issued, KeyID and JWT.
// When the person holds one for the path already, nothing is written and
// that one is returned with issued false: a path is certified once.
func (s *Service) IssuePath(ctx context.Context, tx *store.Tx, c *domain.PathCertificate, description string) (out *domain.PathCertificate, issued bool, err error) {
	defer domain.Wrap(&err, "certify.IssuePath(path %d, person %d)", c.PathID, c.PersonID)
	if old, err := tx.PersonPathCertificate(ctx, c.PathID, c.PersonID); err == nil {
		return old, false, nil
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return nil, false, err
	}
	k, err := s.currentKey(ctx, tx)
	if err != nil {
		return nil, false, err
	}
	c.ID, c.Issued, c.KeyID = uuid.NewString(), tx.Now(), k.ID
	if c.JWT, err = credentials.SignJWT(credentials.PathCredential(s.pathCredential(c, description)), k); err != nil {
		return nil, false, err
	}
	ok, err := tx.InsertPathCertificate(ctx, c)
	if err != nil {
		return nil, false, err
	}
	if !ok { // a concurrent completion was first
		old, err := tx.PersonPathCertificate(ctx, c.PathID, c.PersonID)
		return old, false, err
	}
	return c, true, tx.Audit(ctx, c.OwnerOrgID, "path_certificate.issue", "path_certificate", c.ID, map[string]int64{"path": c.PathID})
}

// pathCredential is what the signed credential and the PDF state.
func (s *Service) pathCredential(c *domain.PathCertificate, description string) credentials.PathCertificate {
	out := credentials.PathCertificate{ID: c.ID, Participant: c.Participant, ParticipantEmail: c.ParticipantEmail, Path: c.Path,
		PathID: strconv.FormatInt(c.PathID, 10), Description: description, Owner: c.Owner, Issued: c.Issued,
		VerifyURL: s.PathVerifyURL(c.ID), IssuerURL: s.baseURL}
	for _, st := range c.Steps {
		ps := credentials.PathStep{Title: st.Title, EventAt: st.EventAt}
		for i, id := range st.CertificateIDs {
			offer := ""
			if i < len(st.Offers) {
				offer = st.Offers[i]
			}
			ps.Credentials = append(ps.Credentials, credentials.StepCredential{ID: id, Offer: offer, CredentialURL: s.CredentialURL(id),
				VerifyURL: s.VerifyURL(id)})
		}
		out.Steps = append(out.Steps, ps)
	}
	return out
}

// PathVerifyURL is the public verification page of a composite certificate.
func (s *Service) PathVerifyURL(id string) string { return s.baseURL + "/verify/lernpfad/" + id }

// PathCredentialURL is where the signed credential of a composite
// certificate is served.
func (s *Service) PathCredentialURL(id string) string {
	return s.baseURL + "/api/v1/path-certificates/" + id + "/credential"
}

// PathCertificate returns a composite certificate by its ID; anyone may
// verify it.
func (s *Service) PathCertificate(ctx context.Context, id string) (c *domain.PathCertificate, err error) {
	defer domain.Wrap(&err, "certify.PathCertificate(%q)", id)
	return s.db.PathCertificate(ctx, id)
}

// PathPDF renders the printable composite certificate. The caller has
// checked that the actor may see it.
func (s *Service) PathPDF(c *domain.PathCertificate) ([]byte, error) {
	return credentials.PathPDF(s.pathCredential(c, ""))
}

// RevokePath marks a composite certificate revoked inside tx. The caller
// has checked that the actor may.
func (s *Service) RevokePath(ctx context.Context, tx *store.Tx, c *domain.PathCertificate, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.ErrRevokeReasonMissing()
	}
	ok, err := tx.RevokePathCertificate(ctx, c.ID, reason)
	if err != nil {
		return err
	}
	if !ok {
		return domain.ErrCertificateRevoked
	}
	return tx.Audit(ctx, c.OwnerOrgID, "path_certificate.revoke", "path_certificate", c.ID, map[string]string{"reason": reason})
}
