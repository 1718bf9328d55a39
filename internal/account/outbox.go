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
func (s *Service) Outbox(ctx context.Context, limit, offset int) (mails []domain.Mail, total int, err error) {
	defer domain.Wrap(&err, "account.Outbox")
	if err := authz.Check(domain.ActorFrom(ctx), authz.OutboxView, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	mails, total, err = s.db.Outbox(ctx, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	for i := range mails {
		mails[i].Body = notify.Redact(mails[i].Body)
	}
	return mails, total, nil
}
