// Package settlement is the home of the programme's money: the budget per
// year as an immutable ledger, the providers' settlement claims
// (Abrechnungen) with their four-eyes review on the funder side, credit
// notes that correct an approved claim, the claims' documents, and the job
// that lets unused vouchers expire and releases their money. Each method
// takes the actor from the context, asks authz, applies the domain rules
// and writes through store in one transaction, with its audit entries and
// mails. It holds no SQL and no HTTP.
package settlement

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the settlement use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
}

// New returns the settlement service.
func New(db *store.DB, n *notify.Notifier) *Service {
	return &Service{db: db, notify: n}
}

// programme reads a programme or answers "not found" in German.
func (s *Service) programme(ctx context.Context, id string) (*domain.Programme, error) {
	p, err := s.db.Programme(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.Errorf(domain.ENotFound, "Dieses Förderprogramm gibt es nicht.")
	}
	return p, err
}

// notifyMembers mails every member of an organisation holding the role but
// the actor, inside tx.
func (s *Service) notifyMembers(ctx context.Context, tx *store.Tx, orgID int64, role domain.Role, template string, data any) error {
	to, err := tx.MemberEmails(ctx, orgID, role)
	if err != nil {
		return err
	}
	self := ""
	if a := domain.ActorFrom(ctx); !a.Anonymous() {
		self = a.Person.Email
	}
	for _, addr := range to {
		if addr == self {
			continue
		}
		if err := s.notify.Enqueue(ctx, tx, addr, template, data); err != nil {
			return err
		}
	}
	return nil
}
