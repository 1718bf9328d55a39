package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// handleOrgAudit shows an organisation's part of the audit log, in words,
// to those who manage its accounts.
func (s *Server) handleOrgAudit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	entries, total, err := s.app.Account.OrgAudit(r.Context(), id, domain.AuditFilter{Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		return err
	}
	org, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_audit", &adminAuditPage{Page: s.newPage(r, "Protokoll: "+org.Name), Entries: entries,
		Pager: newPager(r.URL, page, total, pageSize), Org: org})
	return nil
}

// auditItem is an audit entry as the API shows it: the machine's action
// with its German label and the object in words.
type auditItem struct {
	domain.AuditEntry
	Label       string `json:"label"`
	ObjectLabel string `json:"object_label"`
}

func auditItems(es []domain.AuditEntry) []auditItem {
	out := make([]auditItem, len(es))
	for i, e := range es {
		out[i] = auditItem{AuditEntry: e, Label: e.Label(), ObjectLabel: e.ObjectLabel()}
	}
	return out
}
