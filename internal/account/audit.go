package account

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Audit lists the whole audit log, newest first, for the platform's admins;
// f.OrgID narrows it to one organisation.
func (s *Service) Audit(ctx context.Context, f domain.AuditFilter) (entries []domain.AuditEntry, total int, err error) {
	defer domain.Wrap(&err, "account.Audit")
	if err := authz.Check(domain.ActorFrom(ctx), authz.AuditView, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	return s.db.Audit(ctx, f)
}

// OrgAudit lists an organisation's part of the audit log, newest first, for
// those who manage its accounts.
func (s *Service) OrgAudit(ctx context.Context, orgID int64, f domain.AuditFilter) (entries []domain.AuditEntry, total int, err error) {
	defer domain.Wrap(&err, "account.OrgAudit(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgAudit, authz.Resource{OrgID: orgID}); err != nil {
		return nil, 0, err
	}
	f.OrgID = orgID
	return s.db.Audit(ctx, f)
}
