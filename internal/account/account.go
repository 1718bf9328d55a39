// Package account is the home of the use cases around people: accounts,
// sessions, API tokens, invitations, password reset, e-mail verification and
// the login limits. Handlers call its methods; it asks authz, applies the
// rules and writes through store in one transaction. It holds no SQL and no
// HTTP.
package account

import (
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the account use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
}

// New returns the account service.
func New(db *store.DB, n *notify.Notifier) *Service { return &Service{db: db, notify: n} }
