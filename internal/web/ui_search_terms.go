package web

import (
	"net/http"
	"strings"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The administration page of the search thesaurus: what it does, the
// entries administrators added (add, delete), the shipped ones, and a
// probe that shows what a search text expands to.

type searchTermsPage struct {
	Page
	*catalog.ThesaurusView
	// Line is the entry being added, kept when it is refused.
	Line string
	// Probe is the text of the probe, Expansions what it expands to.
	Probe      string
	Expansions []search.Expansion
}

func (s *Server) searchTermsPage(r *http.Request) (*searchTermsPage, error) {
	v, err := s.app.Catalog.Thesaurus(r.Context())
	if err != nil {
		return nil, err
	}
	p := &searchTermsPage{Page: s.newPage(r, "Suchbegriffe und Synonyme"), ThesaurusView: v}
	if q := strings.TrimSpace(r.URL.Query().Get("probe")); q != "" {
		p.Probe = q
		if p.Expansions, err = s.app.Catalog.ThesaurusProbe(r.Context(), q); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) handleSearchTerms(w http.ResponseWriter, r *http.Request) error {
	p, err := s.searchTermsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_search_terms", p)
	return nil
}

// handleSearchTermAdd adds an entry; a refused one comes back with the
// message next to the field and the line kept.
func (s *Server) handleSearchTermAdd(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	line := r.PostForm.Get("line")
	if _, err := s.app.Catalog.AddThesaurusEntry(r.Context(), line); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		p, perr := s.searchTermsPage(r)
		if perr != nil {
			return perr
		}
		// The message stands next to the field; the summary above the
		// form links to it.
		p.Line = line
		p.Errors = domain.ErrorFields(err)
		if len(p.Errors) == 0 {
			p.Errors = map[string]string{"line": domain.ErrorMessage(err)}
		}
		s.render(w, r, httpx.Status(code), "admin_search_terms", p)
		return nil
	}
	return redirect(w, r, "/admin/suchbegriffe?hinweis=suchbegriff#eigene")
}

func (s *Server) handleSearchTermDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Catalog.DeleteThesaurusEntry(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/admin/suchbegriffe?hinweis=suchbegriff-geloescht#eigene")
}
