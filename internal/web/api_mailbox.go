package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// mailboxOrg is the one organisation ?organisation= names, or 0 for all
// mailboxes the actor reads.
func mailboxOrg(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("organisation")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.EForbidden, "Sie sind nicht Mitglied dieser Organisation.")
	}
	return id, nil
}

type mailboxList struct {
	cursorList[domain.Message]
	Unread int `json:"unread"`
}

// apiMailbox is a page of the mailbox, newest first: further pages with
// "cursor" ("page" stays for older clients); total and unread count up
// to 10,000 and one more.
func (s *Server) apiMailbox(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	org, err := mailboxOrg(r)
	if err != nil {
		return err
	}
	win, err := apiListWindowByID(r, pageSize)
	if err != nil {
		return err
	}
	msgs, next, total, unread, err := s.app.Funding.Mailbox(r.Context(), org, r.URL.Query().Get("archived") == "true", win.Before, win.Limit, win.Offset)
	if err != nil {
		return err
	}
	l := newCursorList(msgs, total, next)
	l.Page = win.Page
	return httpx.WriteJSON(w, http.StatusOK, mailboxList{cursorList: l, Unread: unread})
}

func (s *Server) apiMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.app.Funding.ReadMessage(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, m)
}

func (s *Server) apiMessageArchive(archive bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.app.Funding.ArchiveMessage(r.Context(), id, archive); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Server) apiMessageAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	doc, err := httpx.PathID(r, "doc")
	if err != nil {
		return err
	}
	d, rc, err := s.app.Funding.MessageAttachment(r.Context(), id, doc)
	if err != nil {
		return err
	}
	return httpx.SendDocument(w, d, rc)
}
