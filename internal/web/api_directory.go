package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/authz"
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
