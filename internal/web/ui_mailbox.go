package web

import (
	"fmt"
	"net/http"

	"github.com/lotse-oss/lotse/internal/authz"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type mailboxPage struct {
	Page
	Messages []domain.Message
	Unread   int
	// More links the older messages (keyset paging).
	More     moreLink
	Archived bool
	Orgs     []domain.Membership
	OrgID    string
}

func (s *Server) handleMailbox(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	org, err := mailboxOrg(r)
	if err != nil {
		return err
	}
	archived := r.URL.Query().Get("archiv") == "1"
	msgs, next, _, unread, err := s.app.Funding.Mailbox(r.Context(), org, archived, pageCursor(r, "vor"), pageSize, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mailbox", &mailboxPage{Page: s.newPage(r, "Behördenpostfach"), Messages: msgs, Unread: unread,
		More:     newMoreLink(withoutPage(r.URL), "vor", next, "Ältere Nachrichten", "Ältere Nachrichten anzeigen", "Zu den neuesten Nachrichten", "nachrichten"),
		Archived: archived, Orgs: actor(r).Memberships, OrgID: r.URL.Query().Get("organisation")})
	return nil
}

type messagePage struct {
	Page
	M       *domain.Message
	OrgName string
	// CanHandVouchers links the approval's vouchers to the page that hands
	// them to people.
	CanHandVouchers bool
	// CanViewApplication links the message to its application, for those
	// who may read it (every member reads the mailbox).
	CanViewApplication bool
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.app.Funding.ReadMessage(r.Context(), id)
	if err != nil {
		return err
	}
	org, err := s.app.Funding.Organisation(r.Context(), m.OrgID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "message", &messagePage{Page: s.newPage(r, m.Subject), M: m, OrgName: org.Name,
		CanHandVouchers:    m.ApplicationID != 0 && authz.Allowed(actor(r), authz.VoucherManage, authz.Resource{OrgID: m.OrgID}),
		CanViewApplication: m.ApplicationID != 0 && authz.Allowed(actor(r), authz.ApplicationView, authz.Resource{OrgID: m.OrgID})})
	return nil
}

func (s *Server) handleMessageArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	archive := r.PostForm.Get("archiv") != "0"
	if err := s.app.Funding.ArchiveMessage(r.Context(), id, archive); err != nil {
		return err
	}
	if archive {
		return redirect(w, r, "/postfach?hinweis=archiviert")
	}
	return redirect(w, r, fmt.Sprintf("/postfach/%d", id))
}

func (s *Server) handleMessageAttachment(w http.ResponseWriter, r *http.Request) error {
	return s.apiMessageAttachment(w, r)
}
