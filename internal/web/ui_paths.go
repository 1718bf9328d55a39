package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// matching: paths. The pages of the learning paths: the list with a
// button to follow, a path with the person's steps, progress and the
// offers for the next step, the form for admins and associations, the
// members with the networking event to confirm, and the verification page
// and PDF of the composite certificate.

type pathsPage struct {
	Page
	Paths   []matching.PathView
	CanEdit bool // may create paths
}

func (s *Server) handlePaths(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Matching.Paths(r.Context())
	if err != nil {
		return err
	}
	p := &pathsPage{Page: s.newPage(r, "Lernpfade"), Paths: vs}
	if owners, platform, err := s.app.Matching.PathOwners(r.Context()); err == nil {
		p.CanEdit = platform || len(owners) > 0
	}
	s.render(w, r, http.StatusOK, "paths", p)
	return nil
}

type pathPage struct {
	Page
	V *matching.PathView
}

func (s *Server) handlePath(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Matching.Path(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "path", &pathPage{Page: s.newPage(r, v.Path.Title), V: v})
	return nil
}

func (s *Server) handlePathJoin(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := s.app.Matching.JoinPath(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/lernpfade/"+strconv.FormatInt(id, 10)+"?hinweis=lernpfad-begonnen")
}

func (s *Server) handlePathLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Matching.LeavePath(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/lernpfade/"+strconv.FormatInt(id, 10)+"?hinweis=lernpfad-verlassen")
}

// pathFormPage is the form of a path: its fields and the steps as rows
// (the path's steps and two empty rows to add more).
type pathFormPage struct {
	Page
	ID       int64 // 0: a new path
	Owners   []domain.Organisation
	Platform bool // the platform may own it (admins)
	In       pathFormInput
	// Owner is the owner a form without the field keeps: the path's, or
	// for a new path the actor's first association (the platform for admins).
	Owner  int64
	Tracks []trackOption
	Kinds  []stepKind
}

type stepKind struct{ Value, Label string }

// pathFormInput is what the form shows: the values as typed.
type pathFormInput struct {
	Title, Description, Status string
	Owner                      int64
	Rows                       []pathStepRow
}

// pathStepRow is a step as the form shows it.
type pathStepRow struct {
	N                                                int
	Title, Kind, Offers, Track, Area, Code, Requires string
	MinLevel, MinCount                               string
	Distinct                                         bool
}

const pathFormSpare = 2 // empty rows below the steps

func (s *Server) pathForm(r *http.Request, title string, id int64) (*pathFormPage, error) {
	owners, platform, err := s.app.Matching.PathOwners(r.Context())
	if err != nil {
		return nil, err
	}
	if !platform && len(owners) == 0 {
		return nil, domain.ErrPathForbidden
	}
	progs, err := s.app.Funding.Programmes(r.Context())
	if err != nil {
		return nil, err
	}
	p := &pathFormPage{Page: s.newPage(r, title), ID: id, Owners: owners, Platform: platform, Kinds: stepKindOptions}
	for _, prog := range progs {
		for _, t := range prog.Tracks {
			label := t.Name
			if len(progs) > 1 {
				label += " (" + prog.Name + ")"
			}
			p.Tracks = append(p.Tracks, trackOption{prog.ID + "/" + t.Key, label})
		}
	}
	return p, nil
}

func rowsOf(steps []domain.PathStep) []pathStepRow {
	var rows []pathStepRow
	for i, st := range steps {
		row := pathStepRow{N: i + 1, Title: st.Title, Kind: st.Kind, Track: st.Track, Area: st.Area, Code: st.Code, Distinct: st.DistinctAreas}
		var ids, req []string
		for _, id := range st.OfferIDs {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		for _, n := range st.Requires {
			req = append(req, strconv.Itoa(n))
		}
		row.Offers, row.Requires = strings.Join(ids, ", "), strings.Join(req, ", ")
		if st.MinLevel > 0 {
			row.MinLevel = strconv.Itoa(st.MinLevel)
		}
		if st.MinCount > 0 {
			row.MinCount = strconv.Itoa(st.MinCount)
		}
		rows = append(rows, row)
	}
	return rows
}

func withSpareRows(rows []pathStepRow) []pathStepRow {
	for i := 0; i < pathFormSpare; i++ {
		rows = append(rows, pathStepRow{N: len(rows) + 1, Kind: domain.StepChoice})
	}
	return rows
}

// readPathForm reads the form into rows and a path; trailing rows without
// a title or offers are left out. Numbers that are not numbers are
// reported by field.
func readPathForm(f url.Values) (pathFormInput, *domain.Path, domain.Validation) {
	v := domain.Validation{}
	in := pathFormInput{Title: f.Get("title"), Description: f.Get("description"), Status: f.Get("status")}
	in.Owner, _ = strconv.ParseInt(f.Get("owner_org_id"), 10, 64)
	p := &domain.Path{Title: in.Title, Description: in.Description, Status: in.Status, OwnerOrgID: in.Owner}
	n, _ := strconv.Atoi(f.Get("rows"))
	n = min(max(n, 0), 40)
	last := 0
	for i := 1; i <= n; i++ {
		k := func(name string) string { return "steps." + strconv.Itoa(i) + "." + name }
		row := pathStepRow{N: i, Title: strings.TrimSpace(f.Get(k("title"))), Kind: f.Get(k("kind")), Offers: f.Get(k("offer_ids")),
			Track: f.Get(k("track")), Area: f.Get(k("area")), Code: f.Get(k("code")), Requires: f.Get(k("requires")),
			MinLevel: f.Get(k("min_level")), MinCount: f.Get(k("min_count")), Distinct: f.Get(k("distinct_areas")) != ""}
		in.Rows = append(in.Rows, row)
		if row.Title != "" || strings.TrimSpace(row.Offers) != "" || strings.TrimSpace(row.Area+row.Code) != "" {
			last = i
		}
	}
	in.Rows = in.Rows[:last]
	for _, row := range in.Rows {
		k := func(name string) string { return "steps." + strconv.Itoa(row.N) + "." + name }
		st := domain.PathStep{Title: row.Title, Kind: row.Kind, Track: row.Track, Area: row.Area, Code: row.Code, DistinctAreas: row.Distinct}
		for _, part := range splitList(row.Offers) {
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				v.Add(k("offer_ids"), "Bitte geben Sie Angebotsnummern an, durch Komma getrennt.")
				break
			}
			st.OfferIDs = append(st.OfferIDs, id)
		}
		for _, part := range splitList(row.Requires) {
			n, err := strconv.Atoi(part)
			if err != nil {
				v.Add(k("requires"), "Bitte geben Sie die Nummern früherer Schritte an, durch Komma getrennt.")
				break
			}
			st.Requires = append(st.Requires, n)
		}
		var err error
		if s := strings.TrimSpace(row.MinLevel); s != "" {
			if st.MinLevel, err = strconv.Atoi(s); err != nil {
				v.Add(k("min_level"), "Die Mindeststufe muss zwischen 0 und 3 liegen.")
			}
		}
		if s := strings.TrimSpace(row.MinCount); s != "" {
			if st.MinCount, err = strconv.Atoi(s); err != nil {
				v.Add(k("min_count"), "Die Mindestzahl muss zwischen 1 und 10 liegen.")
			}
		}
		p.Steps = append(p.Steps, st)
	}
	return in, p, v
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (s *Server) handlePathNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pathForm(r, "Lernpfad anlegen", 0)
	if err != nil {
		return err
	}
	if len(p.Owners) > 0 && !p.Platform {
		p.Owner = p.Owners[0].ID
	}
	if r.Method == http.MethodGet {
		p.In = pathFormInput{Status: domain.PathDraft, Owner: p.Owner, Rows: withSpareRows(nil)}
		s.render(w, r, http.StatusOK, "path_form", p)
		return nil
	}
	return s.savePath(w, r, p)
}

func (s *Server) handlePathEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Matching.Path(r.Context(), id)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return domain.ErrPathForbidden
	}
	p, err := s.pathForm(r, "Lernpfad bearbeiten", id)
	if err != nil {
		return err
	}
	p.Owner = v.Path.OwnerOrgID
	if r.Method == http.MethodGet {
		p.In = pathFormInput{Title: v.Path.Title, Description: v.Path.Description, Status: v.Path.Status, Owner: v.Path.OwnerOrgID,
			Rows: withSpareRows(rowsOf(v.Path.Steps))}
		s.render(w, r, http.StatusOK, "path_form", p)
		return nil
	}
	return s.savePath(w, r, p)
}

// savePath creates or updates the path of the form; refused input comes
// back with the messages next to the fields.
func (s *Server) savePath(w http.ResponseWriter, r *http.Request, p *pathFormPage) error {
	if err := form(r); err != nil {
		return err
	}
	if r.PostForm.Get("owner_org_id") == "" {
		r.PostForm.Set("owner_org_id", strconv.FormatInt(p.Owner, 10))
	}
	in, path, v := readPathForm(r.PostForm)
	p.In = in
	err := v.Err()
	if err == nil {
		if p.ID == 0 {
			path, err = s.app.Matching.CreatePath(r.Context(), path)
		} else {
			path.ID = p.ID
			path, err = s.app.Matching.UpdatePath(r.Context(), path)
		}
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid {
			return err
		}
		p.Errors = domain.ErrorFields(err)
		if len(p.Errors) == 0 {
			p.Message = domain.ErrorMessage(err)
		}
		p.In.Rows = withSpareRows(p.In.Rows)
		s.render(w, r, httpx.Status(code), "path_form", p)
		return nil
	}
	return redirect(w, r, "/lernpfade/"+strconv.FormatInt(path.ID, 10)+"?hinweis=lernpfad-gespeichert")
}

type pathMembersPage struct {
	Page
	P       *domain.Path
	Members []matching.PathMember
	Events  []int // the numbers of the event steps
}

func (s *Server) handlePathMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	path, ms, err := s.app.Matching.PathMembers(r.Context(), id)
	if err != nil {
		return err
	}
	p := &pathMembersPage{Page: s.newPage(r, "Teilnehmende: "+path.Title), P: path, Members: ms}
	for i, st := range path.Steps {
		if st.Kind == domain.StepEvent {
			p.Events = append(p.Events, i+1)
		}
	}
	s.render(w, r, http.StatusOK, "path_members", p)
	return nil
}

func (s *Server) handlePathEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	step, _ := strconv.Atoi(r.PostForm.Get("step"))
	if err := s.app.Matching.ConfirmPathEvent(r.Context(), id, person, step); err != nil {
		return err
	}
	return redirect(w, r, "/lernpfade/"+strconv.FormatInt(id, 10)+"/teilnehmende?hinweis=treffen-bestaetigt")
}

type verifyPathCertPage struct {
	Page
	C pathCertificateView
}

func (s *Server) handleVerifyPathCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Matching.PathCertificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := &verifyPathCertPage{Page: s.newPage(r, "Lernpfad-Zertifikat prüfen"), C: s.pathCertificateView(c)}
	s.render(w, r, http.StatusOK, "verify_path_certificate", p)
	return nil
}

// handlePathCertificatePDF is the printable composite certificate, for
// its holder, the path's editors and admins.
func (s *Server) handlePathCertificatePDF(w http.ResponseWriter, r *http.Request) error {
	c, b, err := s.app.Matching.PathCertificatePDF(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="lernpfad-zertifikat-`+c.ID+`.pdf"`)
	_, err = w.Write(b)
	return err
}

// stepKindOptions are the kinds of step the form offers.
var stepKindOptions = []stepKind{
	{domain.StepChoice, "Auswahl unter Angeboten"}, {domain.StepOffer, "ein bestimmtes Angebot"}, {domain.StepEvent, "Vernetzungstreffen"},
}
