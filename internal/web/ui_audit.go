package web

import (
	"net/http"
	"strconv"

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
	entries, _, err := s.app.Account.OrgAudit(r.Context(), id, auditPageFilter(r, page))
	if err != nil {
		return err
	}
	entries, more := auditMore(r, entries)
	org, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_audit", &adminAuditPage{Page: s.newPage(r, "Protokoll: "+org.Name), Rows: auditRows(entries),
		More: more, Org: org})
	return nil
}

// auditPageFilter reads the page of an audit log page: the entries older
// than "vor" (keyset paging, the links the page makes), or, for older
// links, the page number; one more entry than shown tells whether older
// ones follow.
func auditPageFilter(r *http.Request, page int) domain.AuditFilter {
	if before := pageCursor(r, "vor"); before > 0 {
		return domain.AuditFilter{Limit: pageSize + 1, Before: before, NoTotal: true}
	}
	return domain.AuditFilter{Limit: pageSize + 1, Offset: (page - 1) * pageSize, NoTotal: true}
}

// auditMore cuts the extra entry auditPageFilter asked for and links the
// older entries.
func auditMore(r *http.Request, entries []domain.AuditEntry) ([]domain.AuditEntry, moreLink) {
	var next int64
	if len(entries) > pageSize {
		entries = entries[:pageSize]
		next = entries[pageSize-1].ID
	}
	u := *r.URL
	q := u.Query()
	q.Del("seite")
	u.RawQuery = q.Encode()
	return entries, newMoreLink(&u, "vor", next, "Ältere Einträge", "Ältere Einträge anzeigen", "Zu den neuesten Einträgen", "protokoll")
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

// auditRow is an audit entry as the log page shows it, in words made
// beforehand: the template then only reads fields. Calling the entry's
// methods and functions from the template for 50 rows took most of the
// page's time under load (issue 14, BenchmarkRenderPage).
type auditRow struct {
	At, Actor, Label, Object string
	OrgID                    int64
	OrgName                  string
	Detail                   string // empty: nothing to show
}

func auditRows(entries []domain.AuditEntry) []auditRow {
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		r := auditRow{At: formatDateTime(e.At), Actor: e.ActorLabel(), Label: e.Label(), Object: e.ObjectLabel(), OrgID: e.OrgID, OrgName: e.OrgName}
		if r.OrgID != 0 && r.OrgName == "" {
			r.OrgName = "Organisation " + strconv.FormatInt(e.OrgID, 10)
		}
		if e.Detail != "null" {
			r.Detail = e.Detail
		}
		rows[i] = r
	}
	return rows
}
