package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// privacy: the data download and the deletion of an account over the API.

func (s *Server) apiMyExport(w http.ResponseWriter, r *http.Request) error {
	a := domain.ActorFrom(r.Context())
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.streamExport(w, r, a.PersonID(), "lotse-daten-"+itoa(a.PersonID()))
}

func (s *Server) apiPersonExport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.streamExport(w, r, id, "lotse-daten-"+itoa(id))
}

// deletion is the answer to a deletion: what it deleted or anonymised,
// counted by kind of data.
type deletion struct {
	Rows map[string]int64 `json:"rows"`
}

func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
		Confirm  string `json:"confirm"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	counts, err := s.app.Privacy.DeleteSelf(r.Context(), in.Password, in.Confirm)
	if err != nil {
		return err
	}
	s.clearSessionCookie(w)
	return httpx.WriteJSON(w, http.StatusOK, deletion{Rows: counts})
}

func (s *Server) apiDeletePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	counts, err := s.app.Privacy.DeletePerson(r.Context(), id)
	if err != nil {
		return err
	}
	if id == domain.ActorFrom(r.Context()).PersonID() {
		s.clearSessionCookie(w)
	}
	return httpx.WriteJSON(w, http.StatusOK, deletion{Rows: counts})
}

// errCredentialGone answers for the signed credential of a person who
// deleted their account: the certificate's number still verifies, the
// credential with the name is no longer served.
var errCredentialGone = &domain.Error{Code: domain.ENotFound,
	Message: "Der signierte Nachweis ist nicht mehr abrufbar, weil die Person ihr Konto gelöscht hat. Das Zertifikat selbst lässt sich über seine Nummer weiter prüfen."}

// personHitList is a page of the person search with the cursor of the
// next page.
type personHitList struct {
	Items []domain.PersonHit `json:"items"`
	Next  string             `json:"next,omitempty"`
}

func (s *Server) apiPersonSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := domain.PersonSearchMax
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.PersonSearchMax {
			return domain.Errorf(domain.EBadRequest, "„limit“ muss eine Zahl von 1 bis %d sein.", domain.PersonSearchMax)
		}
		limit = n
	}
	hits, next, err := s.app.Privacy.SearchPersons(r.Context(), domain.PersonSearch{Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	if hits == nil {
		hits = []domain.PersonHit{}
	}
	return httpx.WriteJSON(w, http.StatusOK, personHitList{Items: hits, Next: next})
}
