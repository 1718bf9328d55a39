// Package matching brings each person's needs together with the catalog:
// the self-assessment against the competence framework (private, shared
// with an organisation's HR only by the person), role profiles with their
// targets and the team's gaps for HR, recommendations that say why they
// fit (computed from the catalog's in-memory index, not the database's
// offers), learning paths with progress and their composite certificate,
// and anonymised demand signals for providers. Each method takes the actor
// from the context, asks authz, applies the domain rules and writes through
// store in one transaction with its audit entry. It holds no SQL and no
// HTTP.
package matching

import (
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the matching use cases.
type Service struct {
	db      *store.DB
	catalog *catalog.Service
	certify *certify.Service
	notify  *notify.Notifier
	now     func() time.Time
}

// New returns the matching service. It reads offers from the catalog's
// searcher and issues path certificates through certify.
func New(db *store.DB, c *catalog.Service, cert *certify.Service, n *notify.Notifier) *Service {
	return &Service{db: db, catalog: c, certify: cert, notify: n, now: func() time.Time { return db.Now() }}
}
