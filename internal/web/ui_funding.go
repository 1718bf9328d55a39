package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// contingentBox is the data of the "contingent" partial.
type contingentBox struct {
	Contingent    *domain.Contingent
	Chart         contingentChart
	ProgrammeName string
}

// contingentFor returns the box for an applicant, or nil when the default
// programme does not apply to it.
func (s *Server) contingentFor(r *http.Request, ags string) (*contingentBox, error) {
	p, err := s.app.Funding.Programme(r.Context(), programmes.BWID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c, err := s.app.Funding.Contingent(r.Context(), p.ID, ags)
	if code := domain.ErrorCode(err); code == domain.EInvalid || code == domain.EBadRequest || code == domain.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &contingentBox{Contingent: c, Chart: newContingentChart(p, c), ProgrammeName: p.Name}, nil
}

// --- Programme ---------------------------------------------------------------

type programmePage struct {
	Page
	P       *programmeView
	CanEdit bool
}

func (s *Server) handleProgramme(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Funding.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderProgramme(w, r, p, http.StatusOK, nil)
}

func (s *Server) renderProgramme(w http.ResponseWriter, r *http.Request, p *domain.Programme, st int, formErr error) error {
	v, err := s.programmeView(r, p)
	if err != nil {
		return err
	}
	pg := &programmePage{Page: s.newPage(r, p.Name), P: v, CanEdit: s.app.Funding.CanEditProgramme(r.Context(), p)}
	if formErr != nil {
		pg.Errors, pg.Message = domain.ErrorFields(formErr), domain.ErrorMessage(formErr)
	}
	s.render(w, r, st, "programme", pg)
	return nil
}

// euroCents reads an amount in euros ("300", "300,00", "1.234,50") as cents.
func euroCents(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(s, ".", "")
	s = strings.Replace(s, ",", ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e7 {
		return 0, false
	}
	return int64(f*100 + 0.5), true
}

func (s *Server) handleProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
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
	if err := form(r); err != nil {
		return err
	}
	f := r.PostForm
	v := domain.Validation{}
	p.Open = f.Get("open") == "true"
	if n, err := strconv.Atoi(f.Get("voucher_validity_days")); err == nil {
		p.VoucherValidityDays = n
	} else {
		v.Add("voucher_validity_days", "Bitte geben Sie die Gültigkeit in ganzen Tagen an.")
	}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if c, ok := euroCents(f.Get("amount_" + t.Key)); ok {
			t.AmountCents = c
		} else {
			v.Add("amount_"+t.Key, "Bitte geben Sie einen Betrag in Euro an, z. B. 300,00.")
		}
		if t.Rule == domain.RulePerDay {
			if c, ok := euroCents(f.Get("max_" + t.Key)); ok {
				t.MaxCents = c
			} else {
				v.Add("max_"+t.Key, "Bitte geben Sie einen Höchstbetrag in Euro an.")
			}
		} else {
			t.MaxCents = t.AmountCents
		}
	}
	for i := range p.Contingent {
		if n, err := strconv.Atoi(f.Get(fmt.Sprintf("people_%d", i))); err == nil {
			p.Contingent[i].People = n
		} else {
			v.Add(fmt.Sprintf("people_%d", i), "Bitte geben Sie eine ganze Zahl an.")
		}
	}
	err = v.Err()
	if err == nil {
		err = s.app.Funding.SaveProgramme(r.Context(), p.ID, p)
	}
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid && c != domain.EConflict {
			return err
		}
		return s.renderProgramme(w, r, p, httpx.Status(domain.ErrorCode(err)), err)
	}
	return redirect(w, r, "/programme/"+url.PathEscape(p.ID)+"?hinweis=gespeichert")
}

// --- Applications --------------------------------------------------------------

type applicationsPage struct {
	Page
	Items     []domain.Application
	Total     int
	Pager     pager
	Status    string
	AGS       string
	OlderThan string
	Statuses  []string
	// Orgs are the municipalities the person may apply for.
	Orgs []domain.Membership
}

func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	f, page, err := applicationFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.app.Funding.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	p := &applicationsPage{Page: s.newPage(r, "Anträge"), Items: items, Total: total, Pager: newPager(r.URL, page, total, pageSize),
		Status: string(f.Status), AGS: f.AGS, OlderThan: r.URL.Query().Get("older_than_days"), Statuses: appStatuses}
	p.Orgs = s.app.Funding.ApplicantMemberships(r.Context())
	s.render(w, r, http.StatusOK, "applications", p)
	return nil
}

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
	box, err := s.contingentFor(r, org.AGS)
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
		return domain.Errorf(domain.EBadRequest, "Bitte wählen Sie die Kommune, für die Sie den Antrag stellen.")
	}
	org, err := s.app.Funding.Applicant(r.Context(), orgID)
	if err != nil {
		return err
	}
	draft := &domain.Application{ProgrammeID: programmes.BWID, OrgID: org.ID, OrgName: org.Name, AGS: org.AGS, Status: domain.AppDraft}
	if r.Method == http.MethodGet {
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
	prog := programmes.BWID
	in.ProgrammeID = &prog
	a, err := s.app.Funding.CreateApplication(r.Context(), org.ID, in)
	if err != nil {
		return s.formError(w, r, draft, org, 1, err)
	}
	return redirect(w, r, fmt.Sprintf("/antraege/%d/bearbeiten?schritt=2", a.ID))
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
	pg, perr := s.formPage(r, a, org, step)
	if perr != nil {
		return perr
	}
	pg.Errors, pg.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	if step == 2 {
		pg.People = r.PostForm.Get("people")
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

// pageApplication loads the application of the path for a page, like
// loadApplication does for the API.
func (s *Server) pageApplication(r *http.Request, act authz.Action) (*domain.Application, *domain.Organisation, error) {
	a, err := s.loadApplication(r, act)
	if err != nil {
		return nil, nil, err
	}
	org, err := s.app.Funding.Organisation(r.Context(), a.OrgID)
	return a, org, err
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

type applicationPage struct {
	Page
	App       *domain.Application
	Org       *domain.Organisation
	Track     domain.Track
	CanEdit   bool
	CanSubmit bool
	CanReview bool
	Reviewing bool // the viewer is the reviewer
	Box       *contingentBox
}

func (s *Server) applicationPage(r *http.Request, a *domain.Application, org *domain.Organisation) (*applicationPage, error) {
	p, err := s.app.Funding.Programme(r.Context(), a.ProgrammeID)
	if err != nil {
		return nil, err
	}
	t, _ := p.Track(a.Track)
	can := s.app.Funding.Rights(r.Context(), a)
	pg := &applicationPage{Page: s.newPage(r, fmt.Sprintf("Antrag %d", a.ID)), App: a, Org: org, Track: t,
		CanEdit: can.Edit, CanSubmit: can.Submit, CanReview: can.Review, Reviewing: can.Reviewing}
	if pg.Box, err = s.contingentFor(r, a.AGS); err != nil {
		return nil, err
	}
	return pg, nil
}

func (s *Server) handleApplication(w http.ResponseWriter, r *http.Request) error {
	a, org, err := s.pageApplication(r, authz.ApplicationView)
	if err != nil {
		return err
	}
	pg, err := s.applicationPage(r, a, org)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "application", pg)
	return nil
}

// handleApplicationAction runs submit, withdraw, approve, reject and return
// from the application page.
func (s *Server) handleApplicationAction(w http.ResponseWriter, r *http.Request) error {
	var act authz.Action
	var step func(*http.Request, *domain.Application, string) (*domain.Application, error)
	notice := ""
	switch r.PathValue("action") {
	case "einreichen":
		act, step, notice = authz.ApplicationSubmit, s.submitApplication, "eingereicht"
	case "zurueckziehen":
		act, step, notice = authz.ApplicationSubmit, s.withdrawApplication, "zurueckgezogen"
	case "genehmigen":
		act, step, notice = authz.ApplicationReview, s.approveApplication, "genehmigt"
	case "ablehnen":
		act, step, notice = authz.ApplicationReview, s.rejectApplication, "abgelehnt"
	case "zurueckgeben":
		act, step, notice = authz.ApplicationReview, s.returnApplication, "zurueckgegeben"
	default:
		return errNotFoundPage
	}
	a, org, err := s.pageApplication(r, act)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := step(r, a, r.PostForm.Get("reason")+r.PostForm.Get("comment")); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		pg, perr := s.applicationPage(r, a, org)
		if perr != nil {
			return perr
		}
		pg.Errors, pg.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "application", pg)
		return nil
	}
	return redirect(w, r, fmt.Sprintf("/antraege/%d?hinweis=%s", a.ID, notice))
}

// --- Documents, mailbox, vouchers ----------------------------------------------

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
}

type mailboxPage struct {
	Page
	Messages []domain.Message
	Unread   int
	Total    int
	Pager    pager
	Archived bool
	Orgs     []domain.Membership
	OrgID    string
}

func (s *Server) handleMailbox(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	org, err := mailboxOrg(r)
	if err != nil {
		return err
	}
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	archived := r.URL.Query().Get("archiv") == "1"
	msgs, total, unread, err := s.app.Funding.Mailbox(r.Context(), org, archived, pageSize, (page-1)*pageSize)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mailbox", &mailboxPage{Page: s.newPage(r, "Behördenpostfach"), Messages: msgs, Unread: unread, Total: total,
		Pager: newPager(r.URL, page, total, pageSize), Archived: archived, Orgs: actor(r).Memberships, OrgID: r.URL.Query().Get("organisation")})
	return nil
}

type messagePage struct {
	Page
	M       *domain.Message
	OrgName string
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.app.Funding.ReadMessage(r.Context(), id)
	if err != nil {
		return err
	}
	org, err := s.app.Funding.Organisation(r.Context(), m.OrgID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "message", &messagePage{Page: s.newPage(r, m.Subject), M: m, OrgName: org.Name})
	return nil
}

func (s *Server) handleMessageArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	archive := r.PostForm.Get("archiv") != "0"
	if err := s.app.Funding.ArchiveMessage(r.Context(), id, archive); err != nil {
		return err
	}
	if archive {
		return redirect(w, r, "/postfach?hinweis=archiviert")
	}
	return redirect(w, r, fmt.Sprintf("/postfach/%d", id))
}

func (s *Server) handleMessageAttachment(w http.ResponseWriter, r *http.Request) error {
	return s.apiMessageAttachment(w, r)
}

type voucherPage struct {
	Page
	Code    string
	Voucher *domain.Voucher
}

func (s *Server) handleVoucherLookup(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Funding.CanLookUpVouchers(r.Context()); err != nil {
		return err
	}
	pg := &voucherPage{Page: s.newPage(r, "Gutschein prüfen"), Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	st := http.StatusOK
	if pg.Code != "" {
		v, err := s.app.Funding.LookUpVoucher(r.Context(), pg.Code, clientAddr(r))
		switch code := domain.ErrorCode(err); {
		case err == nil:
			pg.Voucher = v
		case code == domain.EInvalid || code == domain.ENotFound || code == domain.ERateLimited:
			pg.Errors = map[string]string{"code": domain.ErrorMessage(err)}
			st = httpx.Status(code)
		default:
			return err
		}
	}
	s.render(w, r, st, "voucher_lookup", pg)
	return nil
}
