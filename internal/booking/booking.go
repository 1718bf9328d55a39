// Package booking is the home of the booking use cases: booking a place
// (for oneself or, as HR or provider staff, for someone else), the waiting
// list, HR approval of employer-paid bookings, cancellation and the voucher's
// fate, the personal bookings list and calendar. It asks authz, applies the
// domain rules and writes through store in one transaction that reads what
// it decides on under the lock. It holds no SQL and no HTTP. Attendance,
// completion and ratings have their own files.
package booking

import (
	"context"

	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the booking use cases.
type Service struct {
	db      *store.DB
	notify  *notify.Notifier
	certify *certify.Service
	// completed runs inside the transaction that completes a booking with
	// its certificate (matching: paths re-evaluates the person's paths).
	completed func(context.Context, *store.Tx, *domain.Booking) error
}

// OnCompleted sets fn to run inside the transaction that completes a
// booking, after its certificate is issued: an error rolls the completion
// back. The app wires it; booking imports none of its listeners.
func (s *Service) OnCompleted(fn func(ctx context.Context, tx *store.Tx, b *domain.Booking) error) {
	s.completed = fn
}

// New returns the booking service. The catalog's search index holds
// neither places nor ratings, so no change here refreshes it.
func New(db *store.DB, n *notify.Notifier, c *certify.Service) *Service {
	return &Service{db: db, notify: n, certify: c}
}
