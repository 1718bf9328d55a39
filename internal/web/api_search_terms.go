package web

import (
	"net/http"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The search thesaurus in the API: the entries administrators added, the
// shipped ones, adding and deleting entries.

type searchTermItem struct {
	ID        int64            `json:"id"`
	Line      string           `json:"line"`
	CreatedAt time.Time        `json:"created_at"`
	CreatedBy *searchTermActor `json:"created_by"`
}

type searchTermActor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func newSearchTermItem(st domain.SearchTerm) searchTermItem {
	it := searchTermItem{ID: st.ID, Line: st.Line, CreatedAt: st.CreatedAt}
	if st.CreatedBy != 0 {
		it.CreatedBy = &searchTermActor{ID: st.CreatedBy, Name: st.CreatedByName}
	}
	return it
}

func (s *Server) apiSearchTerms(w http.ResponseWriter, r *http.Request) error {
	v, err := s.app.Catalog.Thesaurus(r.Context())
	if err != nil {
		return err
	}
	items := make([]searchTermItem, 0, len(v.Entries))
	for _, st := range v.Entries {
		items = append(items, newSearchTermItem(st))
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"version": v.Version, "shipped_version": v.ShippedVersion,
		"entries": items, "shipped": v.Shipped})
}

func (s *Server) apiSearchTermCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Line string `json:"line"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	st, err := s.app.Catalog.AddThesaurusEntry(r.Context(), in.Line)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, newSearchTermItem(*st))
}

func (s *Server) apiSearchTermDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Catalog.DeleteThesaurusEntry(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
