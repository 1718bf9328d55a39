package web

import (
	"net/http"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type adminOrgsPage struct {
	Page
	Query string
	Orgs  []domain.Organisation
	// More links the next organisations (keyset paging).
	More                               moreLink
	Kinds                              []domain.OrgKind
	NewName, NewKind, NewAGS, NewAdmin string
}

func (s *Server) adminOrgsPage(r *http.Request) (*adminOrgsPage, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	after, broken := pageKeyCursor(r, "nach")
	orgs, _, err := s.app.Account.AllOrganisations(r.Context(), domain.OrgFilter{Query: &q, After: after, Limit: pageSize + 1, NoTotal: true})
	if err != nil {
		return nil, err
	}
	orgs, next := cutPage(orgs, pageSize, orgCursor)
	p := &adminOrgsPage{Page: s.newPage(r, "Administration"), Query: q, Orgs: orgs,
		More: newKeyMoreLink(withoutPage(r.URL), "nach", next.String(), "Weitere Organisationen", "Weitere Organisationen anzeigen",
			"Zurück zum Anfang der Liste", "organisationen"),
		Kinds: domain.OrgKinds, NewKind: string(domain.OrgMunicipality)}
	if broken {
		p.Notice = badCursorNotice
	}
	return p, nil
}

func (s *Server) handleAdminOrgs(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminOrgsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_orgs", p)
	return nil
}

func (s *Server) handleAdminCreateOrg(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	in := createOrgInput{Name: r.PostForm.Get("name"), Kind: domain.OrgKind(r.PostForm.Get("kind")),
		AGS: strings.TrimSpace(r.PostForm.Get("ags")), AdminEmail: strings.TrimSpace(r.PostForm.Get("admin_email"))}
	org, err := s.createOrg(r, in)
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EInternal || code == domain.EForbidden {
			return err
		}
		p, perr := s.adminOrgsPage(r)
		if perr != nil {
			return perr
		}
		p.NewName, p.NewKind, p.NewAGS, p.NewAdmin = in.Name, string(in.Kind), in.AGS, in.AdminEmail
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "admin_orgs", p)
		return nil
	}
	return redirect(w, r, "/organisationen/"+itoa(org.ID)+"?hinweis=organisation")
}

type createOrgInput struct {
	Name       string         `json:"name"`
	Kind       domain.OrgKind `json:"kind"`
	AGS        string         `json:"ags,omitempty"`
	AdminEmail string         `json:"admin_email,omitempty"`
}

// createOrg creates an organisation and invites its first account_admin.
func (s *Server) createOrg(r *http.Request, in createOrgInput) (*domain.Organisation, error) {
	org := &domain.Organisation{Name: in.Name, Kind: in.Kind, AGS: in.AGS}
	if err := s.app.Account.CreateOrganisation(r.Context(), org, in.AdminEmail); err != nil {
		return nil, err
	}
	return org, nil
}

type adminOutboxPage struct {
	Page
	Mails []domain.Mail
	// More links the older mails (keyset paging).
	More moreLink
	SMTP bool
}

func (s *Server) handleAdminOutbox(w http.ResponseWriter, r *http.Request) error {
	mails, next, err := s.app.Account.Outbox(r.Context(), pageCursor(r, "vor"), pageSize, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_outbox", &adminOutboxPage{Page: s.newPage(r, "Postausgang"), Mails: mails,
		More: newMoreLink(withoutPage(r.URL), "vor", next, "Ältere E-Mails", "Ältere E-Mails anzeigen", "Zu den neuesten E-Mails", "mails"),
		SMTP: s.cfg.SMTPConfigured})
	return nil
}

type adminAuditPage struct {
	Page
	Rows []auditRow
	// More links the older entries (keyset paging).
	More moreLink
	// Org is set on an organisation's own log (/organisationen/{id}/protokoll).
	Org *domain.Organisation
}

func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	f := auditPageFilter(r, page)
	entries, _, err := s.app.Account.Audit(r.Context(), f)
	if err != nil {
		return err
	}
	entries, more := auditMore(r, entries)
	s.render(w, r, http.StatusOK, "admin_audit", &adminAuditPage{Page: s.newPage(r, "Protokoll"), Rows: auditRows(entries), More: more})
	return nil
}
