package domain

import "time"

// Certificate is a certificate the platform issued for a completed booking,
// with what it states and its revocation. The signed credential (JWT) is
// kept with it; the certify service makes and checks it.
type Certificate struct {
	ID               string     `json:"id"`
	BookingID        int64      `json:"booking_id"`
	OfferID          int64      `json:"offer_id"`
	ProviderID       int64      `json:"provider_id"`
	PersonID         int64      `json:"person_id,omitempty"`
	Participant      string     `json:"participant"`
	ParticipantEmail string     `json:"-"`
	Offer            string     `json:"offer"`
	Provider         string     `json:"provider"`
	Issued           time.Time  `json:"issued"`
	SessionStart     time.Time  `json:"session_start"`
	SessionEnd       time.Time  `json:"session_end"`
	Hours            int        `json:"hours"`
	Days             int        `json:"days"`
	Credits          float64    `json:"credits,omitempty"`
	Competences      []string   `json:"competences"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevokeReason     string     `json:"revoke_reason,omitempty"`
	KeyID            string     `json:"kid"`
	JWT              string     `json:"-"`
}

// Errors of certificates.
var (
	ErrCertificateNotFound        = &Error{Code: ENotFound, Message: "Dieses Zertifikat gibt es nicht."}
	ErrCertificateRevoked         = &Error{Code: EConflict, Message: "Das Zertifikat ist bereits widerrufen."}
	ErrCertificateRevokeForbidden = &Error{Code: EForbidden, Message: "Zertifikate widerruft der Bildungsträger, der sie ausgestellt hat."}
)

// ErrRevokeReasonMissing is the answer to a revocation without a reason.
func ErrRevokeReasonMissing() *Error {
	return &Error{Code: EInvalid, Message: "Bitte begründen Sie den Widerruf.", Fields: map[string]string{"reason": "Bitte begründen Sie den Widerruf."}}
}
