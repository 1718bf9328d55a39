package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The steps of the application form.
var formSteps = []string{"Qualifizierung", "Personen", "Erklärungen", "Zusammenfassung"}

type applicationFormPage struct {
	Page
	App       *domain.Application
	Org       *domain.Organisation
	P         *programmeView
	Step      int
	Steps     []string
	Box       *contingentBox
	Track     domain.Track
	CanSubmit bool
	// Form values shown again after an error.
	People     string
	PeopleHint string
	// NewSlots are the positions of people without a certificate yet.
	NewSlots []int
	// Sent is the form as it was sent, when the page shows it again after
	// an error.
	Sent url.Values
}

// Value is what the field showed: as it was sent after an error, else as
// it is stored.
func (p *applicationFormPage) Value(key, stored string) string {
	if p.Sent != nil {
		return p.Sent.Get(key)
	}
	return stored
}

// ErrorList links each error to its field: on this step's page, or on the
// step that asks for it.
func (p *applicationFormPage) ErrorList() []fieldError {
	return applicationErrors(&p.Page, p.App.ID, p.Step)
}

// applicationErrors lists the errors of an application form for the error
// summary. An error about a field of another step (the message "Der Antrag
// ist noch nicht vollständig" names them all) says the step and links to it.
func applicationErrors(p *Page, appID int64, current int) []fieldError {
	out := p.ErrorList()
	for i, k := range slices.Sorted(maps.Keys(p.Errors)) {
		step := applicationStep(k)
		if step == 0 || step == current || appID == 0 {
			continue
		}
		out[i].Href = fmt.Sprintf("/antraege/%d/bearbeiten?schritt=%d%s", appID, step, out[i].Href)
		out[i].Text = fmt.Sprintf("Schritt %d (%s): %s", step, formSteps[step-1], out[i].Text)
	}
	return out
}

// applicationStep is the step of the application form that asks for the
// field, or 0.
func applicationStep(key string) int {
	switch {
	case key == "track" || key == "provider":
		return 1
	case key == "people" || strings.HasPrefix(key, "certificates") || strings.HasPrefix(key, "name_") ||
		strings.HasPrefix(key, "cert_") || strings.HasPrefix(key, "file_"):
		return 2
	case key == "declarations":
		return 3
	}
	return 0
}

func (s *Server) formPage(r *http.Request, a *domain.Application, org *domain.Organisation, step int) (*applicationFormPage, error) {
	p, err := s.app.Funding.Programme(r.Context(), a.ProgrammeID)
	if err != nil {
		return nil, err
	}
	v, err := s.programmeView(r, p)
	if err != nil {
		return nil, err
	}
	box, err := s.contingentFor(r, a.ProgrammeID, org.AGS)
	if err != nil {
		return nil, err
	}
	t, _ := p.Track(a.Track)
	pg := &applicationFormPage{Page: s.newPage(r, "Weitergabevertrag"), App: a, Org: org, P: v, Step: step, Steps: formSteps, Box: box, Track: t,
		CanSubmit: s.app.Funding.CanSubmitFor(r.Context(), org.ID)}
	if a.People > 0 {
		pg.People = strconv.Itoa(a.People)
	}
	switch {
	case t.RequiresBaseCertificate:
		pg.PeopleHint = "Für jede Person braucht es ein Teilnahmezertifikat der Basisqualifizierung."
	case box != nil && t.CountsAgainstContingent && box.Contingent.Remaining <= 0:
		pg.PeopleHint = "Im Kontingent ist kein Platz mehr frei."
	case box != nil && t.CountsAgainstContingent && box.Contingent.Remaining == 1:
		pg.PeopleHint = "Im Kontingent ist noch 1 Platz frei."
	case box != nil && t.CountsAgainstContingent:
		pg.PeopleHint = fmt.Sprintf("1 bis %d: so viele Plätze sind im Kontingent noch frei.", box.Contingent.Remaining)
	}
	for i := len(a.Certificates); i < max(a.People, 1); i++ {
		pg.NewSlots = append(pg.NewSlots, i)
	}
	return pg, nil
}

// handleApplicationNew shows step 1 for a new application, or creates the
// draft when step 1 is posted.
func (s *Server) handleApplicationNew(w http.ResponseWriter, r *http.Request) error {
	orgID, err := strconv.ParseInt(r.URL.Query().Get("organisation"), 10, 64)
	if err != nil {
		return s.chooseApplicant(w, r)
	}
	org, err := s.app.Funding.Applicant(r.Context(), orgID)
	if err != nil {
		return err
	}
	prog, err := s.applicantProgramme(r, org.AGS)
	if err != nil {
		return err
	}
	draft := &domain.Application{ProgrammeID: prog, OrgID: org.ID, OrgName: org.Name, AGS: org.AGS, Status: domain.AppDraft}
	if r.Method == http.MethodGet {
		// A funding request accepted by an application chooses its track.
		if t := r.URL.Query().Get("track"); t == domain.TrackBasis || t == domain.TrackAdvanced {
			draft.Track = t
		}
		pg, err := s.formPage(r, draft, org, 1)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "application_form", pg)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	in := stepInput(r, 1)
	in.ProgrammeID = &prog
	a, err := s.app.Funding.CreateApplication(r.Context(), org.ID, in)
	if err != nil {
		return s.formError(w, r, draft, org, 1, err)
	}
	return redirect(w, r, fmt.Sprintf("/antraege/%d/bearbeiten?schritt=2", a.ID))
}

// chooseApplicant answers a new application without its municipality: the
// form of the only one the person prepares applications for, or the list
// of applications with a button for each of theirs.
func (s *Server) chooseApplicant(w http.ResponseWriter, r *http.Request) error {
	orgs := s.app.Funding.ApplicantMemberships(r.Context())
	switch {
	case r.Method != http.MethodGet || len(orgs) == 0:
		return domain.Errorf(domain.EBadRequest, "Bitte wählen Sie die Kommune, für die Sie den Antrag stellen.")
	case len(orgs) > 1:
		return redirect(w, r, "/antraege")
	}
	q := url.Values{"organisation": {strconv.FormatInt(orgs[0].OrgID, 10)}}
	if t := r.URL.Query().Get("track"); t != "" {
		q.Set("track", t)
	}
	return redirect(w, r, "/antraege/neu?"+q.Encode())
}

// stepInput reads the fields of one step of the form.
func stepInput(r *http.Request, step int) domain.ApplicationInput {
	f := r.PostForm
	var in domain.ApplicationInput
	switch step {
	case 1:
		track := f.Get("track")
		in.Track = &track
		if id, err := strconv.ParseInt(f.Get("provider"), 10, 64); err == nil {
			in.ProviderID = &id
		} else {
			zero := int64(0)
			in.ProviderID = &zero
		}
	case 2:
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("people")))
		if err != nil {
			n = -1
		}
		in.People = &n
	case 3:
		d := f.Get("declarations") == "ja"
		in.Declarations = &d
	}
	return in
}

func (s *Server) formError(w http.ResponseWriter, r *http.Request, a *domain.Application, org *domain.Organisation, step int, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict && code != domain.ETooLarge {
		return err
	}
	// The page shows the choices as they were sent, not as stored.
	sent := *a
	f := r.PostForm
	switch step {
	case 1:
		sent.Track = f.Get("track")
		sent.ProviderID, _ = strconv.ParseInt(f.Get("provider"), 10, 64)
	case 3:
		sent.Declarations = f.Get("declarations") == "ja"
	}
	pg, perr := s.formPage(r, &sent, org, step)
	if perr != nil {
		return perr
	}
	pg.Errors, pg.Message, pg.Sent = domain.ErrorFields(err), domain.ErrorMessage(err), f
	if step == 2 {
		pg.People = f.Get("people")
		if n, err := strconv.Atoi(strings.TrimSpace(pg.People)); err == nil && n > len(a.Certificates) && n <= 20 {
			pg.NewSlots = pg.NewSlots[:0]
			for i := len(a.Certificates); i < n; i++ {
				pg.NewSlots = append(pg.NewSlots, i)
			}
		}
	}
	s.render(w, r, httpx.Status(code), "application_form", pg)
	return nil
}

func formStep(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("schritt"))
	if err != nil || n < 1 || n > len(formSteps) {
		return 1
	}
	return n
}

func (s *Server) handleApplicationEdit(w http.ResponseWriter, r *http.Request) error {
	a, org, err := s.pageApplication(r, authz.ApplicationPrepare)
	if err != nil {
		return err
	}
	if !a.Editable() {
		return redirect(w, r, fmt.Sprintf("/antraege/%d", a.ID))
	}
	step := formStep(r)
	if r.Method == http.MethodGet {
		pg, err := s.formPage(r, a, org, step)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "application_form", pg)
		return nil
	}
	var in domain.ApplicationInput
	if step == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		in, err = s.certificateStep(w, r, a)
		if err != nil {
			return s.formError(w, r, a, org, step, err)
		}
	} else {
		if err := form(r); err != nil {
			return err
		}
		in = stepInput(r, step)
	}
	if step == 2 && in.People != nil && *in.People > 0 && r.PostForm.Get("zurueck") == "" {
		if err := s.app.Funding.CheckPeople(r.Context(), a.ID, *in.People); err != nil {
			return s.formError(w, r, a, org, step, err)
		}
	}
	if _, err := s.app.Funding.UpdateApplication(r.Context(), a.ID, in); err != nil {
		return s.formError(w, r, a, org, step, err)
	}
	next := step + 1
	if r.PostForm.Get("zurueck") != "" {
		next = max(step-1, 1)
	}
	return redirect(w, r, fmt.Sprintf("/antraege/%d/bearbeiten?schritt=%d", a.ID, next))
}

// certificateStep reads step 2 of an advanced-track application: the number
// of people and, per person, a name and a base certificate PDF. Persons
// already listed keep their certificate unless a new file is given.
func (s *Server) certificateStep(w http.ResponseWriter, r *http.Request, a *domain.Application) (domain.ApplicationInput, error) {
	var in domain.ApplicationInput
	if err := r.ParseMultipartForm(2 << 20); err != nil {
		return in, classify(&domain.Error{Code: domain.EBadRequest, Message: "Das Formular konnte nicht gelesen werden.", Err: err})
	}
	if st := state(r); st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return in, errCSRF
	}
	in = stepInput(r, 2)
	n := *in.People
	if n < 1 || n > 20 {
		return in, nil // the store explains the number
	}
	certs := make([]domain.ApplicationCertificate, 0, n)
	v := domain.Validation{}
	for i := 0; i < n; i++ {
		c := domain.ApplicationCertificate{PersonName: strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("name_%d", i)))}
		if i < len(a.Certificates) {
			c.DocumentID, c.CertificateID = a.Certificates[i].DocumentID, a.Certificates[i].CertificateID
		}
		if id := strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("cert_%d", i))); id != "" {
			// A certificate on the platform, checked automatically.
			c.CertificateID, c.DocumentID = id, 0
			if c.PersonName == "" {
				v.Add(fmt.Sprintf("name_%d", i), "Bitte geben Sie den Namen der Person an.")
			}
			certs = append(certs, c)
			continue
		}
		if fh, ok := r.MultipartForm.File[fmt.Sprintf("file_%d", i)]; ok && len(fh) > 0 && fh[0].Size > 0 {
			f, err := fh[0].Open()
			if err != nil {
				return in, err
			}
			content, over, err := readAll(f)
			f.Close()
			if err != nil {
				return in, err
			}
			msg := ""
			if over {
				msg = "Die Datei ist größer als 10 MB."
			} else if err := checkPDF(content); err != "" {
				msg = err
			}
			if msg != "" {
				v.Add(fmt.Sprintf("file_%d", i), msg)
				certs = append(certs, c)
				continue
			}
			d, err := s.app.Funding.UploadDocument(r.Context(), a.OrgID, cleanFileName(fh[0].Filename), content)
			if err != nil {
				return in, err
			}
			c.DocumentID = d.ID
		}
		if c.DocumentID == 0 && c.CertificateID == "" {
			v.Add(fmt.Sprintf("file_%d", i), "Bitte laden Sie das Teilnahmezertifikat der Basisqualifizierung als PDF hoch oder geben Sie die Nummer eines Lotse-Zertifikats an.")
		}
		if c.PersonName == "" {
			v.Add(fmt.Sprintf("name_%d", i), "Bitte geben Sie den Namen der Person an.")
		}
		certs = append(certs, c)
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	in.Certificates = &certs
	return in, nil
}

// applicantProgramme is the programme a new application is for: the one
// the link names (?programme=), or else the programme of the applicant's
// state.
func (s *Server) applicantProgramme(r *http.Request, ags string) (string, error) {
	if id := r.URL.Query().Get("programme"); id != "" {
		return id, nil
	}
	p, err := s.app.Funding.ProgrammeFor(r.Context(), ags)
	if err != nil {
		return "", err
	}
	return p.ID, nil
}
