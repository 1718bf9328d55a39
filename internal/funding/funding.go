// Package funding is the home of the funding programme's use cases:
// programmes and their settings, the contingent, applications (transfer
// contracts) from draft to decision, approval with its documents, the
// mailbox, documents, and issuing and looking up vouchers. Each method takes
// the actor from the context, asks authz, applies the domain rules and
// writes through store in one transaction, with its audit entries and mails.
// It holds no SQL and no HTTP.
package funding

import (
	"context"

	"github.com/lotse-oss/lotse/internal/contracts"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Renderer makes the documents of an approval: the contract, the voucher
// lists. It runs inside the approval's transaction: if it fails, nothing is
// approved.
type Renderer func(*domain.ApprovalData) ([]domain.GeneratedFile, error)

// Service runs the funding use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
	render Renderer
	labels func(context.Context) // catalog: a programme's names changed (OnCatalogLabels)
}

// New returns the funding service; approvals render their documents with
// package contracts.
func New(db *store.DB, n *notify.Notifier) *Service {
	return &Service{db: db, notify: n, render: contracts.Files}
}

// WithRenderer returns a copy of s that renders approval documents with r
// (tests use it to make an approval fail at a chosen step).
func (s *Service) WithRenderer(r Renderer) *Service {
	c := *s
	c.render = r
	return &c
}

// Organisation returns an organisation's public data, for the names a
// programme or an application shows.
func (s *Service) Organisation(ctx context.Context, id int64) (*domain.Organisation, error) {
	return s.db.Organisation(ctx, id)
}

// notifyMembers mails every member of an organisation holding one of the
// roles, inside tx. The mails only point to the platform.
func (s *Service) notifyMembers(ctx context.Context, tx *store.Tx, orgID int64, roles []domain.Role, template string, data any) error {
	to, err := tx.MemberEmails(ctx, orgID, roles...)
	if err != nil {
		return err
	}
	for _, addr := range to {
		if err := s.notify.Enqueue(ctx, tx, addr, template, data); err != nil {
			return err
		}
	}
	return nil
}
