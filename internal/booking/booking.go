// Package booking is the home of the booking use cases: booking a place
// (for oneself or, as HR or provider staff, for someone else), the waiting
// list, HR approval of employer-paid bookings, cancellation and the voucher's
// fate, attendance, completion and ratings. It asks authz, applies the domain
// rules and writes through store in one transaction that reads what it
// decides on under the lock. It holds no SQL and no HTTP.
package booking

import (
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the booking use cases.
type Service struct {
	db      *store.DB
	notify  *notify.Notifier
	certify *certify.Service
}

// New returns the booking service.
func New(db *store.DB, n *notify.Notifier, c *certify.Service) *Service {
	return &Service{db: db, notify: n, certify: c}
}
