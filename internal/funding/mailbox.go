package funding

import (
	"context"
	"io"
	"slices"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Mailbox lists the messages of the organisations whose mailbox the actor
// reads (authz's scope), or of one of them when orgID is not 0, with the
// actor's read state and the number of unread messages: limit messages
// older than the message before (0: from the newest), and one more, whose
// ID is next.
func (s *Service) Mailbox(ctx context.Context, orgID int64, archived bool, before int64, limit, offset int) (msgs []domain.Message, next int64, total, unread int, err error) {
	defer domain.Wrap(&err, "funding.Mailbox")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, 0, 0, 0, domain.ErrUnauthorized
	}
	orgs := authz.MailboxScope(a)
	if orgID != 0 {
		if !slices.Contains(orgs, orgID) {
			return nil, 0, 0, 0, domain.Errorf(domain.EForbidden, "Sie sind nicht Mitglied dieser Organisation.")
		}
		orgs = []int64{orgID}
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = 50
	}
	msgs, total, unread, err = s.db.Messages(ctx, domain.MailboxFilter{OrgIDs: orgs, PersonID: a.PersonID(), Archived: archived,
		Before: before, Limit: limit + 1, Offset: offset})
	if err != nil {
		return nil, 0, 0, 0, err
	}
	if len(msgs) > limit {
		msgs = msgs[:limit]
		next = msgs[limit-1].ID
	}
	return msgs, next, total, unread, nil
}

// message reads a message after checking that the actor reads its
// organisation's mailbox; other organisations' messages do not exist.
func (s *Service) message(ctx context.Context, id int64) (*domain.Message, error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	m, err := s.db.Message(ctx, id, a.PersonID())
	if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.MailboxRead, authz.Resource{OrgID: m.OrgID}) {
		return nil, domain.ErrMessageNotFound
	}
	// The voucher lists carry the codes: only HR and signatories see them.
	m.Attachments = slices.DeleteFunc(m.Attachments, func(d domain.Document) bool {
		return !authz.AttachmentVisible(a, m.OrgID, &d)
	})
	return m, nil
}

// ReadMessage returns a message with its attachments and marks it read for
// the actor.
func (s *Service) ReadMessage(ctx context.Context, id int64) (m *domain.Message, err error) {
	defer domain.Wrap(&err, "funding.ReadMessage(%d)", id)
	if m, err = s.message(ctx, id); err != nil {
		return nil, err
	}
	if err := s.db.MarkRead(ctx, m.ID, domain.ActorFrom(ctx).PersonID()); err != nil {
		return nil, err
	}
	m.Read = true
	return m, nil
}

// ArchiveMessage moves a message to (or, with archive false, out of) its
// organisation's archive.
func (s *Service) ArchiveMessage(ctx context.Context, id int64, archive bool) (err error) {
	defer domain.Wrap(&err, "funding.ArchiveMessage(%d)", id)
	m, err := s.message(ctx, id)
	if err != nil {
		return err
	}
	return s.db.ArchiveMessage(ctx, m.ID, archive)
}

// MessageAttachment opens an attachment of a message the actor may read.
func (s *Service) MessageAttachment(ctx context.Context, msgID, docID int64) (d *domain.Document, rc io.ReadCloser, err error) {
	defer domain.Wrap(&err, "funding.MessageAttachment(%d, %d)", msgID, docID)
	m, err := s.message(ctx, msgID)
	if err != nil {
		return nil, nil, err
	}
	for _, att := range m.Attachments {
		if att.ID == docID {
			return s.OpenDocument(ctx, docID)
		}
	}
	return nil, nil, domain.Errorf(domain.ENotFound, "Diese Nachricht hat keinen solchen Anhang.")
}
