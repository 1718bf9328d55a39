package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// pilots: the API of the directory of digital pilots and the project
// briefs. Lists page with a cursor: next_cursor is "" on the last page.

func (s *Server) apiPilots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := s.app.Pilots.Search(r.Context(), domain.PilotFilter{Q: q.Get("q"), Topic: q.Get("topic"), District: q.Get("district"), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, pg)
}

func (s *Server) apiPilot(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.app.Pilots.Entry(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) apiPilotContact(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var c domain.PilotContact
	if err := httpx.ReadJSON(r, &c); err != nil {
		return err
	}
	if err := s.app.Pilots.Contact(r.Context(), id, c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *Server) apiMyPilotEntry(w http.ResponseWriter, r *http.Request) error {
	e, err := s.app.Pilots.MyEntry(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) apiMyPilotEntrySave(w http.ResponseWriter, r *http.Request) error {
	var in domain.PilotEntryInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	e, err := s.app.Pilots.SaveMyEntry(r.Context(), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) apiMyPilotEntryDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Pilots.DeleteMyEntry(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiBriefs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := s.app.Pilots.Briefs(r.Context(), domain.BriefFilter{Q: q.Get("q"), Topic: q.Get("topic"), Mine: q.Get("mine") == "true", Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, pg)
}

func (s *Server) apiBriefCreate(w http.ResponseWriter, r *http.Request) error {
	var in domain.ProjectBriefInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	b, err := s.app.Pilots.CreateBrief(r.Context(), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, b)
}

func (s *Server) apiBrief(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.app.Pilots.Brief(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}

func (s *Server) apiBriefUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in domain.ProjectBriefInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	b, err := s.app.Pilots.UpdateBrief(r.Context(), id, in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}

func (s *Server) apiBriefDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Pilots.DeleteBrief(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiBriefDiscuss puts the author's published brief up for discussion in
// a channel of the members' space: {"channel": ID}.
func (s *Server) apiBriefDiscuss(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Channel int64 `json:"channel"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if in.Channel <= 0 {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Angaben.",
			Fields: map[string]string{"channel": "Bitte geben Sie den Kanal an, in dem der Steckbrief besprochen wird."}}
	}
	b, err := s.app.Pilots.Discuss(r.Context(), id, in.Channel)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}
