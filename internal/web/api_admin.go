package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// auditList answers with one page of the audit log that list returns.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request, orgID int64,
	list func(context.Context, domain.AuditFilter) ([]domain.AuditEntry, int, error)) error {
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	before, limit, err := apiCursor(r, pageSize)
	if err != nil {
		return err
	}
	f := domain.AuditFilter{OrgID: orgID, Action: r.URL.Query().Get("action"), Limit: limit + 1, Offset: (page - 1) * limit, Before: before}
	if before > 0 {
		f.Offset = 0
	}
	entries, total, err := list(r.Context(), f)
	if err != nil {
		return err
	}
	var next int64
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].ID
	}
	l := newCursorList(auditItems(entries), total, next)
	l.Page = page
	return httpx.WriteJSON(w, http.StatusOK, l)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	var org int64
	if v := r.URL.Query().Get("organisation"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return domain.Errorf(domain.EBadRequest, "„organisation“ muss eine Organisations-ID sein.")
		}
		org = n
	}
	return s.auditList(w, r, org, s.app.Account.Audit)
}

func (s *Server) apiOrgAudit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.auditList(w, r, id, func(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int, error) {
		return s.app.Account.OrgAudit(ctx, id, f)
	})
}

// apiOutbox is a page of the outbox, newest first: further pages with
// "cursor" ("page" stays for older clients); total counts up to 10,000
// and one more.
func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request) error {
	win, err := apiListWindowByID(r, pageSize)
	if err != nil {
		return err
	}
	mails, next, err := s.app.Account.Outbox(r.Context(), win.Before, win.Limit, win.Offset)
	if err != nil {
		return err
	}
	total, err := s.app.Account.OutboxCount(r.Context())
	if err != nil {
		return err
	}
	l := newCursorList(mails, total, next)
	l.Page = win.Page
	return httpx.WriteJSON(w, http.StatusOK, l)
}
