// Package certify is the home of certificates: issuing the signed credential
// when a participant completes a session (inside the booking's transaction),
// revoking it, and the signing keys with their rotation. The credential
// format itself lives in the leaf package credentials.
package certify

import (
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the certificate use cases.
type Service struct {
	db *store.DB
}

// New returns the certificate service.
func New(db *store.DB) *Service { return &Service{db: db} }
