package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// maxDirectoryFile bounds a GV100AD upload; the whole German file has 3.5 MB.
const maxDirectoryFile = 20 << 20

// importDirectory applies an uploaded GV100AD file. Its content is checked
// by the parser: anything that is not the format is refused with the line.
func (s *Server) importDirectory(r *http.Request, body io.Reader, name string) (domain.ImportStats, error) {
	return s.app.Directory.Import(r.Context(), body, name)
}

type importPage struct {
	Page
	Result string
}

func (s *Server) handleDirectoryImportForm(w http.ResponseWriter, r *http.Request) error {
	if err := authz.Check(actor(r), authz.DirectoryImport, authz.Resource{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_import", &importPage{Page: s.newPage(r, "Gemeindeverzeichnis einlesen")})
	return nil
}

func (s *Server) handleDirectoryImport(w http.ResponseWriter, r *http.Request) error {
	if err := authz.Check(actor(r), authz.DirectoryImport, authz.Resource{}); err != nil {
		return err
	}
	p := &importPage{Page: s.newPage(r, "Gemeindeverzeichnis einlesen")}
	fail := func(err error) error {
		code := domain.ErrorCode(err)
		if code == domain.EInternal || code == domain.EForbidden {
			return err
		}
		p.Errors = map[string]string{"file": domain.ErrorMessage(err)}
		s.render(w, r, httpx.Status(code), "admin_import", p)
		return nil
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return fail(classify(&domain.Error{Code: domain.EBadRequest, Message: "Bitte wählen Sie eine Datei aus.", Err: err}))
	}
	if st := state(r); st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return errCSRF
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return fail(domain.Errorf(domain.EInvalid, "Bitte wählen Sie die Datei des Gemeindeverzeichnisses (GV100AD) aus."))
	}
	defer f.Close()
	if fh.Size > maxDirectoryFile {
		return fail(domain.Errorf(domain.ETooLarge, "Die Datei ist größer als 20 MB."))
	}
	st, err := s.importDirectory(r, f, cleanFileName(fh.Filename))
	if err != nil {
		return fail(err)
	}
	p.Result = fmt.Sprintf("%s Länder, %s Kreise und %s Gemeinden gelesen: %s neu, %s geändert, %s unverändert.",
		formatInt(st.States), formatInt(st.Districts), formatInt(st.Municipalities), formatInt(st.Inserted), formatInt(st.Updated), formatInt(st.Unchanged))
	s.render(w, r, http.StatusOK, "admin_import", p)
	return nil
}
