package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// privacy: the admin's search for a person whose data they download or
// whose account they delete on request.

func init() {
	pageNames = append(pageNames, "privacy_persons")
}

// personSearchPage is the search form and a page of its hits.
type personSearchPage struct {
	Page
	Query string
	// Searched: a search ran (Hits empty means none found).
	Searched bool
	Hits     []domain.PersonHit
	More     moreLink
}

// personSearchLink is the link to the next page of the search: the query
// and the cursor ("ab").
func personSearchLink(q, next string, from bool) moreLink {
	m := moreLink{Label: "Weitere Personen", Text: "Weitere Personen anzeigen", FirstText: "Zurück zu den ersten Treffern"}
	v := url.Values{"q": {q}}
	if from {
		m.First = "/admin/personen?" + v.Encode() + "#treffer"
	}
	if next != "" {
		v.Set("ab", next)
		m.Href = "/admin/personen?" + v.Encode() + "#treffer"
	}
	return m
}

func (s *Server) handlePersonSearch(w http.ResponseWriter, r *http.Request) error {
	if err := authz.Check(actor(r), authz.PersonSearch, authz.Resource{}); err != nil {
		return err
	}
	q := r.URL.Query()
	p := &personSearchPage{Page: s.newPage(r, "Personen suchen"), Query: q.Get("q")}
	if strings.TrimSpace(p.Query) == "" && !q.Has("q") {
		s.render(w, r, http.StatusOK, "privacy_persons", p)
		return nil
	}
	in := domain.PersonSearch{Query: p.Query, Cursor: q.Get("ab")}
	hits, next, err := s.app.Privacy.SearchPersons(r.Context(), in)
	if domain.ErrorCode(err) == domain.EBadRequest && in.Cursor != "" {
		// A broken link to a later page starts from the first.
		in.Cursor = ""
		hits, next, err = s.app.Privacy.SearchPersons(r.Context(), in)
	}
	if code := domain.ErrorCode(err); code == domain.EInvalid {
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "privacy_persons", p)
		return nil
	} else if err != nil {
		return err
	}
	p.Searched, p.Hits = true, hits
	p.More = personSearchLink(strings.TrimSpace(p.Query), next, in.Cursor != "")
	s.render(w, r, http.StatusOK, "privacy_persons", p)
	return nil
}
