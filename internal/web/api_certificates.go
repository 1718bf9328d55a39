package web

import (
	"net/http"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// certificateView is what anyone may learn about a certificate by its ID:
// enough to verify it, nothing more (no e-mail address).
type certificateView struct {
	ID            string     `json:"id"`
	Participant   string     `json:"participant"`
	Offer         string     `json:"offer"`
	OfferID       int64      `json:"offer_id"`
	Provider      string     `json:"provider"`
	SessionStart  time.Time  `json:"session_start"`
	SessionEnd    time.Time  `json:"session_end"`
	Hours         int        `json:"hours"`
	Days          int        `json:"days"`
	Competences   []string   `json:"competences"`
	Credits       float64    `json:"credits,omitempty"`
	Issued        time.Time  `json:"issued"`
	Revoked       bool       `json:"revoked"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokeReason  string     `json:"revoke_reason,omitempty"`
	KeyID         string     `json:"kid"`
	VerifyURL     string     `json:"verify_url"`
	CredentialURL string     `json:"credential_url"`
}

func (s *Server) certificateView(c *domain.Certificate) certificateView {
	return certificateView{ID: c.ID, Participant: c.Participant, Offer: c.Offer, OfferID: c.OfferID, Provider: c.Provider,
		SessionStart: c.SessionStart, SessionEnd: c.SessionEnd, Hours: c.Hours, Days: c.Days, Competences: c.Competences, Credits: c.Credits,
		Issued: c.Issued, Revoked: c.RevokedAt != nil, RevokedAt: c.RevokedAt, RevokeReason: c.RevokeReason, KeyID: c.KeyID,
		VerifyURL: s.app.Certify.VerifyURL(c.ID), CredentialURL: s.app.Certify.CredentialURL(c.ID)}
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) error {
	b, err := s.app.Certify.JWKS(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(b)
	return err
}

func (s *Server) apiCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Certify.Certificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.certificateView(c))
}

// apiCredential serves the signed credential (VC-JWT); verifiers check it
// against /.well-known/jwks.json.
func (s *Server) apiCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Certify.Certificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if c.JWT == "" { // privacy: the holder deleted their account
		return errCredentialGone
	}
	w.Header().Set("Content-Type", "application/vc+jwt")
	_, err = w.Write([]byte(c.JWT))
	return err
}

func (s *Server) apiCertificateRevoke(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	c, err := s.app.Certify.Revoke(r.Context(), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.certificateView(c))
}

// myCertificateView adds the links only the certificate's holder gets.
type myCertificateView struct {
	certificateView
	PDFURL string `json:"pdf_url"`
}

// apiMyCertificates lists the logged-in person's certificates.
func (s *Server) apiMyCertificates(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.app.Certify.Mine(r.Context())
	if err != nil {
		return err
	}
	out := make([]myCertificateView, 0, len(cs))
	for i := range cs {
		out = append(out, myCertificateView{certificateView: s.certificateView(&cs[i]), PDFURL: s.cfg.BaseURL + "/zertifikate/" + cs[i].ID + "/pdf"})
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, len(out), 1))
}
