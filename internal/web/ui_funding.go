package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// contingentBox is the data of the "contingent" partial.
type contingentBox struct {
	Contingent    *domain.Contingent
	Chart         contingentChart
	ProgrammeName string
}

// contingentFor returns the box for an applicant in the programme (""
// the programme of its state), or nil when no programme applies to it.
func (s *Server) contingentFor(r *http.Request, programme, ags string) (*contingentBox, error) {
	var p *domain.Programme
	var err error
	if programme != "" {
		p, err = s.app.Funding.Programme(r.Context(), programme)
	} else {
		p, err = s.app.Funding.ProgrammeFor(r.Context(), ags)
	}
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
	// CanBudget: the page links the programme's budget (settlement).
	CanBudget bool
	// MayReport: the reader may open the programme's report (reports).
	MayReport bool
	// MayClone, MayExport: programmes as data.
	MayClone, MayExport bool
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
	pg := &programmePage{Page: s.newPage(r, p.Name), P: v, CanEdit: s.app.Funding.CanEditProgramme(r.Context(), p),
		CanBudget: authz.Allowed(actor(r), authz.BudgetView, authz.Resource{OrgID: p.FunderID}),
		MayReport: s.app.Reports.MayView(r.Context(), p), MayClone: s.app.Funding.MayCreateProgramme(r.Context()),
		MayExport: s.app.Funding.MayExportProgramme(r.Context(), p)}
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
	if fe, ok := f["four_eyes"]; ok && len(fe) > 0 { // four eyes
		p.FourEyes = fe[0]
	}
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
	Items []domain.Application
	// TotalText is the number of applications in words, counted up to
	// 10,000.
	TotalText string
	// More links the next applications (keyset paging).
	More      moreLink
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
	f, err := applicationFilter(r)
	if err != nil {
		return err
	}
	after, broken := pageKeyCursor(r, "nach")
	f.After, f.Limit = after, pageSize+1
	items, total, err := s.app.Funding.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	items, next := cutPage(items, pageSize, appCursor)
	p := &applicationsPage{Page: s.newPage(r, "Anträge"), Items: items, TotalText: domain.CountText(total, "Antrag", "Anträge"),
		More: newKeyMoreLink(withoutPage(r.URL), "nach", next.String(), "Weitere Anträge", "Weitere Anträge anzeigen",
			"Zurück zum Anfang der Liste", "antraege"),
		Status: string(f.Status), AGS: f.AGS, OlderThan: r.URL.Query().Get("older_than_days"), Statuses: appStatuses}
	if broken {
		p.Notice = badCursorNotice
	}
	p.Orgs = s.app.Funding.ApplicantMemberships(r.Context())
	s.render(w, r, http.StatusOK, "applications", p)
	return nil
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
	// Review with four eyes and a conversation.
	Confirm, Waiting bool // a prepared decision waits for the viewer, or the viewer's for someone else
	Discuss          bool // the viewer may write in the thread
	Comments         []domain.ApplicationComment
	CommentBody      string // kept after a refused post
	CommentInternal  bool
}

// ErrorList links the errors of a failed submission to the steps of the
// form that ask for the missing fields.
func (p *applicationPage) ErrorList() []fieldError {
	return applicationErrors(&p.Page, p.App.ID, 0)
}

func (s *Server) applicationPage(r *http.Request, a *domain.Application, org *domain.Organisation) (*applicationPage, error) {
	p, err := s.app.Funding.Programme(r.Context(), a.ProgrammeID)
	if err != nil {
		return nil, err
	}
	t, _ := p.Track(a.Track)
	can := s.app.Funding.Rights(r.Context(), a)
	pg := &applicationPage{Page: s.newPage(r, fmt.Sprintf("Antrag %d", a.ID)), App: a, Org: org, Track: t,
		CanEdit: can.Edit, CanSubmit: can.Submit, CanReview: can.Review, Reviewing: can.Reviewing,
		Confirm: can.Confirm, Waiting: can.Waiting, Discuss: can.Discuss}
	if pg.Box, err = s.contingentFor(r, a.ProgrammeID, a.AGS); err != nil {
		return nil, err
	}
	if pg.Comments, err = s.app.Funding.Comments(r.Context(), a.ID); err != nil {
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

// handleContractPreview sends the contract an approval would make now, as a
// PDF to read, for the reviewer before approving.
func (s *Server) handleContractPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.app.Funding.ContractPreview(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": f.Name}))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(f.Content)
	return err
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
	case "bestaetigen": // four eyes
		act, step = authz.ApplicationReview, s.confirmDecision
	case "verwerfen":
		act, step, notice = authz.ApplicationReview, s.discardDecision, "verworfen"
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
	done, err := step(r, a, r.PostForm.Get("reason")+r.PostForm.Get("comment"))
	if err != nil {
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
	return redirect(w, r, fmt.Sprintf("/antraege/%d?hinweis=%s", a.ID, decisionNotice(act, done, notice)))
}

// --- Documents and vouchers ---------------------------------------------------

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
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
