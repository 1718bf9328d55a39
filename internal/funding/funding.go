// Package funding is the home of the funding programme's use cases:
// programmes and their settings, the contingent, applications (transfer
// contracts) from draft to decision, approval with its documents, the
// mailbox, and issuing and looking up vouchers. It asks authz, applies the
// domain rules and writes through store in one transaction. It holds no SQL
// and no HTTP.
package funding

import (
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the funding use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
}

// New returns the funding service.
func New(db *store.DB, n *notify.Notifier) *Service { return &Service{db: db, notify: n} }
