package account

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
)

// Outbox lists the mails of the outbox for the platform's admins, newest
// first, as they may see them: the links that open an account (reset,
// verification, invitation) lose their secret, so that an admin cannot take
// over an account. The sender reads the outbox itself and delivers the whole
// mail.
//
// The list is read a page at a time: limit mails older than the mail
// before (0: from the newest), and one more, whose ID is next.
func (s *Service) Outbox(ctx context.Context, before int64, limit, offset int) (mails []domain.Mail, next int64, err error) {
	defer domain.Wrap(&err, "account.Outbox")
	if err := authz.Check(domain.ActorFrom(ctx), authz.OutboxView, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = 50
	}
	mails, err = s.db.Outbox(ctx, before, limit+1, offset)
	if err != nil {
		return nil, 0, err
	}
	if len(mails) > limit {
		mails = mails[:limit]
		next = mails[limit-1].ID
	}
	for i := range mails {
		mails[i].Body = notify.Redact(mails[i].Body)
	}
	return mails, next, nil
}

// OutboxCount counts the outbox's mails up to domain.ListCountLimit and
// one more.
func (s *Service) OutboxCount(ctx context.Context) (n int, err error) {
	defer domain.Wrap(&err, "account.OutboxCount")
	if err := authz.Check(domain.ActorFrom(ctx), authz.OutboxView, authz.Resource{}); err != nil {
		return 0, err
	}
	return s.db.OutboxCount(ctx)
}
