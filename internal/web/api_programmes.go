package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// programmes: a programme as data. Create, change in part, clone, export
// and import; GET and PUT of a programme stay in api_funding.go.

// maxProgrammeDoc bounds an imported programme document.
const maxProgrammeDoc = 1 << 20

func (s *Server) apiProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	var p domain.Programme
	if err := httpx.ReadJSON(r, &p); err != nil {
		return err
	}
	if err := s.app.Funding.CreateProgramme(r.Context(), &p); err != nil {
		return err
	}
	return s.writeProgramme(w, r, p.ID, http.StatusCreated)
}

// writeProgramme answers with the programme id as GET returns it.
func (s *Server) writeProgramme(w http.ResponseWriter, r *http.Request, id string, st int) error {
	p, err := s.app.Funding.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := s.programmeView(r, p)
	if err != nil {
		return err
	}
	if st == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/programmes/"+url.PathEscape(p.ID))
	}
	return httpx.WriteJSON(w, st, v)
}

// apiProgrammePatch changes the fields the body names and keeps the others
// (a list given replaces the whole list).
func (s *Server) apiProgrammePatch(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Funding.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !s.app.Funding.CanEditProgramme(r.Context(), p) {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrForbidden
	}
	id := p.ID
	// A merge of the top-level fields: a field given replaces the old one
	// whole (decoding onto the old programme would mix old list elements
	// into new ones).
	var patch map[string]json.RawMessage
	if err := httpx.ReadJSON(r, &patch); err != nil {
		return err
	}
	cur, err := json.Marshal(p)
	if err != nil {
		return err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(cur, &merged); err != nil {
		return err
	}
	maps.Copy(merged, patch)
	b, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	p = &domain.Programme{}
	if err := dec.Decode(p); err != nil {
		return &domain.Error{Code: domain.EBadRequest, Message: "Der Inhalt der Anfrage ist kein gültiges JSON für diesen Aufruf.", Err: err}
	}
	if p.ID != id {
		return &domain.Error{Code: domain.EInvalid, Message: "Die Kennung eines Programms lässt sich nicht ändern; kopieren Sie es unter einer neuen Kennung.",
			Fields: map[string]string{"id": "Die Kennung lässt sich nicht ändern."}}
	}
	if err := s.app.Funding.SaveProgramme(r.Context(), id, p); err != nil {
		return err
	}
	return s.writeProgramme(w, r, id, http.StatusOK)
}

type cloneInput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (s *Server) apiProgrammeClone(w http.ResponseWriter, r *http.Request) error {
	var in cloneInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.Funding.CloneProgramme(r.Context(), r.PathValue("id"), in.ID, in.Name)
	if err != nil {
		return err
	}
	return s.writeProgramme(w, r, p.ID, http.StatusCreated)
}

func (s *Server) apiProgrammeExport(w http.ResponseWriter, r *http.Request) error {
	x, err := s.app.Funding.ExportProgramme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "foerderprogramm-" + x.Programme.ID + ".json"}))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(append(b, '\n'))
	return err
}

// apiProgrammeImport creates a programme from an export document in the
// body; ?id= and ?name= replace the document's, ?create_missing=true
// (admins) creates missing organisations.
func (s *Server) apiProgrammeImport(w http.ResponseWriter, r *http.Request) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxProgrammeDoc+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return domain.Errorf(domain.ETooLarge, "Die Anfrage ist zu groß.")
		}
		return domain.Errorf(domain.EBadRequest, "Die Anfrage konnte nicht gelesen werden.")
	}
	if len(b) > maxProgrammeDoc {
		return domain.Errorf(domain.ETooLarge, "Ein Programm-Export ist höchstens 1 MB groß.")
	}
	q := r.URL.Query()
	create, _ := strconv.ParseBool(q.Get("create_missing"))
	p, err := s.importProgramme(r, b, funding.ImportOptions{ID: q.Get("id"), Name: q.Get("name"), CreateMissing: create})
	if err != nil {
		return err
	}
	return s.writeProgramme(w, r, p.ID, http.StatusCreated)
}

// importProgramme parses and imports a document, for the page and the API.
func (s *Server) importProgramme(r *http.Request, b []byte, opt funding.ImportOptions) (*domain.Programme, error) {
	if !s.app.Funding.MayCreateProgramme(r.Context()) {
		if actor(r).Anonymous() {
			return nil, domain.ErrUnauthorized
		}
		return nil, domain.ErrForbidden
	}
	x, err := domain.ParseProgrammeExport(b)
	if err != nil {
		return nil, err
	}
	return s.app.Funding.ImportProgramme(r.Context(), x, opt)
}
