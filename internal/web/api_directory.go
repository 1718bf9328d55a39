package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// apiDirectoryImport takes the file as the request body (text/plain).
func (s *Server) apiDirectoryImport(w http.ResponseWriter, r *http.Request) error {
	if err := authz.Check(actor(r), authz.DirectoryImport, authz.Resource{}); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryFile)
	st, err := s.importDirectory(r, r.Body, "api")
	if err != nil {
		return classify(err)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]int{"states": st.States, "districts": st.Districts, "municipalities": st.Municipalities,
		"inserted": st.Inserted, "updated": st.Updated, "unchanged": st.Unchanged})
}

// apiMunicipalities is a page of the directory search: further pages with
// "cursor" ("page" stays for older clients); total counts up to 10,000
// and one more.
func (s *Server) apiMunicipalities(w http.ResponseWriter, r *http.Request) error {
	f, err := directoryFilter(r)
	if err != nil {
		return err
	}
	win, err := apiListWindow(r, pageSize)
	if err != nil {
		return err
	}
	f.After, f.Limit, f.Offset = win.After, win.Limit+1, win.Offset
	items, total, err := s.app.Directory.List(r.Context(), f)
	if err != nil {
		return err
	}
	items, next := cutPage(items, win.Limit, municipalityCursor)
	return httpx.WriteJSON(w, http.StatusOK, keyList(items, total, win.Page, next))
}

func (s *Server) apiMunicipality(w http.ResponseWriter, r *http.Request) error {
	ags := r.PathValue("ags")
	if !isDigits(ags) || len(ags) > 8 {
		return domain.Errorf(domain.EBadRequest, "Ein Gemeindeschlüssel besteht aus 2 bis 8 Ziffern.")
	}
	m, _, err := s.app.Directory.Get(r.Context(), ags)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, m)
}
