package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/contracts"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// maxUpload is the largest certificate PDF accepted; maxFormUpload the
// largest multipart request (the form may carry several certificates).
const (
	maxUpload     = 10 << 20
	maxFormUpload = 6 * maxUpload
)

type orgRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type reviewerRef struct {
	orgRef
	TypeCodes []int `json:"type_codes"`
}

// programmeView is a programme with the names of the organisations it names.
type programmeView struct {
	*domain.Programme
	Funder          orgRef        `json:"funder"`
	Providers       []orgRef      `json:"providers"`
	ReviewingBodies []reviewerRef `json:"reviewing_associations"`
}

func (s *Server) programmeView(r *http.Request, p *domain.Programme) (*programmeView, error) {
	name := func(id int64) (orgRef, error) {
		o, err := s.db.Organisation(r.Context(), id)
		if err != nil {
			return orgRef{}, err
		}
		return orgRef{ID: o.ID, Name: o.Name}, nil
	}
	v := &programmeView{Programme: p, Providers: []orgRef{}, ReviewingBodies: []reviewerRef{}}
	var err error
	if v.Funder, err = name(p.FunderID); err != nil {
		return nil, err
	}
	for _, id := range p.ProviderIDs {
		o, err := name(id)
		if err != nil {
			return nil, err
		}
		v.Providers = append(v.Providers, o)
	}
	for _, rr := range p.Reviewers {
		o, err := name(rr.AssociationID)
		if err != nil {
			return nil, err
		}
		v.ReviewingBodies = append(v.ReviewingBodies, reviewerRef{orgRef: o, TypeCodes: rr.TypeCodes})
	}
	return v, nil
}

func (s *Server) apiProgrammes(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	out := make([]*programmeView, 0, len(ps))
	for i := range ps {
		v, err := s.programmeView(r, &ps[i])
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return writeJSON(w, http.StatusOK, newList(out, len(out), 1))
}

func (s *Server) apiProgramme(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.programmeView(r, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.db.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.ProgrammeEdit, authz.Resource{OrgID: old.FunderID}); err != nil {
		return err
	}
	var p domain.Programme
	if err := readJSON(r, &p); err != nil {
		return err
	}
	p.ID = old.ID
	if p.FunderID == 0 {
		p.FunderID = old.FunderID
	}
	if !authz.IsAdmin(actor(r)) && p.FunderID != old.FunderID {
		return domain.Errorf(domain.EForbidden, "Nur die Plattformadministration kann den Fördergeber eines Programms ändern.")
	}
	if err := s.db.SaveProgramme(r.Context(), &p); err != nil {
		return err
	}
	return s.apiProgramme(w, r)
}

func (s *Server) apiContingent(w http.ResponseWriter, r *http.Request) error {
	prog := r.URL.Query().Get("programme")
	if prog == "" {
		return domain.Errorf(domain.EBadRequest, "Bitte geben Sie das Förderprogramm an, z. B. ?programme=digitallotsen-bw.")
	}
	c, err := s.db.Contingent(r.Context(), prog, r.PathValue("ags"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// applicationResource is what the policy needs to know of an application.
func applicationResource(a *domain.Application) authz.Resource {
	return authz.Resource{OrgID: a.OrgID, ReviewerID: a.ReviewerID}
}

// loadApplication reads the application of the path and checks act on it.
// Someone who may not even see it gets a 404, so IDs reveal nothing.
func (s *Server) loadApplication(r *http.Request, act authz.Action) (*domain.Application, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.db.Application(r.Context(), id)
	if err != nil {
		return nil, err
	}
	who := actor(r)
	if !authz.Allowed(who, authz.ApplicationView, applicationResource(a)) {
		if who.Anonymous() {
			return nil, domain.ErrUnauthorized
		}
		return nil, domain.Errorf(domain.ENotFound, "Diesen Antrag gibt es nicht.")
	}
	if err := authz.Check(who, act, applicationResource(a)); err != nil {
		return nil, applicationRefusal(act, err)
	}
	return a, nil
}

// applicationRefusal says in German why a role may not take a step.
func applicationRefusal(act authz.Action, err error) error {
	switch act {
	case authz.ApplicationSubmit:
		return domain.Errorf(domain.EForbidden, "Nur zeichnungsberechtigte Personen der Kommune können einen Weitergabevertrag einreichen oder zurückziehen.")
	case authz.ApplicationPrepare:
		return domain.Errorf(domain.EForbidden, "Nur zeichnungsberechtigte Personen und die Personalabteilung der Kommune können Anträge bearbeiten.")
	case authz.ApplicationReview:
		return domain.Errorf(domain.EForbidden, "Nur die prüfende Stelle des zuständigen Verbands kann über den Antrag entscheiden.")
	}
	return err
}

// applicationScope is the part of all applications the actor may list.
func applicationScope(a *domain.Actor) domain.ApplicationFilter {
	var f domain.ApplicationFilter
	if authz.IsAdmin(a) {
		return f
	}
	f.OrgIDs, f.ReviewBy = []int64{}, []int64{}
	for _, m := range a.Memberships {
		if m.Has(domain.RoleSignatory) || m.Has(domain.RoleHR) || m.Has(domain.RoleAccountAdmin) {
			f.OrgIDs = append(f.OrgIDs, m.OrgID)
		}
		if m.Has(domain.RoleReviewer) {
			f.ReviewBy = append(f.ReviewBy, m.OrgID)
		}
	}
	return f
}

var appStatuses = []string{domain.AppDraft, domain.AppSubmitted, domain.AppReturned, domain.AppApproved, domain.AppRejected, domain.AppWithdrawn}

// applicationFilter reads status, ags and age filters from the query.
func applicationFilter(r *http.Request) (domain.ApplicationFilter, int, error) {
	f := applicationScope(actor(r))
	q := r.URL.Query()
	if st := q.Get("status"); st != "" {
		if !slices.Contains(appStatuses, st) {
			return f, 0, domain.Errorf(domain.EBadRequest, "Unbekannter Status „%s“. Möglich: %s.", st, strings.Join(appStatuses, ", "))
		}
		f.Status = st
	}
	if ags := q.Get("ags"); ags != "" {
		if !isDigits(ags) || len(ags) > 8 {
			return f, 0, domain.Errorf(domain.EBadRequest, "Der Gemeindeschlüssel besteht aus bis zu 8 Ziffern.")
		}
		f.AGS = ags
	}
	if d := q.Get("older_than_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 3650 {
			return f, 0, domain.Errorf(domain.EBadRequest, "„older_than_days“ muss eine Zahl von 0 bis 3650 sein.")
		}
		f.OlderThan = time.Duration(n) * 24 * time.Hour
	}
	page, err := pageParam(r)
	if err != nil {
		return f, 0, err
	}
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	return f, page, nil
}

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	if err := authz.Check(actor(r), authz.ApplicationList, authz.Resource{}); err != nil {
		return err
	}
	f, page, err := applicationFilter(r)
	if err != nil {
		return err
	}
	apps, total, err := s.db.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(apps, total, page))
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadApplication(r, authz.ApplicationView)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	var in domain.ApplicationInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.AGS == nil || *in.AGS == "" {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte geben Sie den Gemeindeschlüssel der Kommune an.",
			Fields: map[string]string{"ags": "Bitte geben Sie den Gemeindeschlüssel der Kommune an."}}
	}
	org, err := s.db.OrganisationByAGS(r.Context(), *in.AGS)
	if domain.ErrorCode(err) == domain.ENotFound {
		return &domain.Error{Code: domain.EInvalid, Message: "Für diesen Gemeindeschlüssel gibt es kein Behördenkonto auf Lotse.",
			Fields: map[string]string{"ags": "Für diesen Gemeindeschlüssel gibt es kein Behördenkonto auf Lotse."}}
	} else if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.ApplicationPrepare, authz.Resource{OrgID: org.ID}); err != nil {
		return applicationRefusal(authz.ApplicationPrepare, err)
	}
	a, err := s.db.CreateApplication(r.Context(), org.ID, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+itoa(a.ID))
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiApplicationUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadApplication(r, authz.ApplicationPrepare)
	if err != nil {
		return err
	}
	var in domain.ApplicationInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if a, err = s.db.UpdateApplication(r.Context(), a.ID, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

// applicationStep runs one workflow step after the policy allowed act.
func (s *Server) applicationStep(act authz.Action, step func(r *http.Request, a *domain.Application, text string) (*domain.Application, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.loadApplication(r, act)
		if err != nil {
			return err
		}
		var in struct {
			Reason  string `json:"reason"`
			Comment string `json:"comment"`
		}
		if r.ContentLength != 0 {
			if err := readJSON(r, &in); err != nil {
				return err
			}
		}
		a, err = step(r, a, in.Reason+in.Comment)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, a)
	}
}

func (s *Server) submitApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.db.SubmitApplication(r.Context(), a.ID)
}

func (s *Server) withdrawApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.db.WithdrawApplication(r.Context(), a.ID)
}

func (s *Server) approveApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.db.ApproveApplication(r.Context(), a.ID, s.approvalFiles)
}

func (s *Server) rejectApplication(r *http.Request, a *domain.Application, reason string) (*domain.Application, error) {
	return s.db.RejectApplication(r.Context(), a.ID, reason)
}

func (s *Server) returnApplication(r *http.Request, a *domain.Application, comment string) (*domain.Application, error) {
	return s.db.ReturnApplication(r.Context(), a.ID, comment)
}

// readUpload reads a PDF from a multipart form's "file" field and checks
// it by content.
func readUpload(r *http.Request) (name string, content []byte, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, domain.Errorf(domain.EBadRequest, "Bitte senden Sie die Datei als multipart/form-data im Feld „file“.")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie eine Datei aus.", Fields: map[string]string{"file": "Bitte wählen Sie eine Datei aus."}}
		}
		if err != nil {
			return "", nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		if part.FormName() != "file" {
			continue
		}
		content, over, err := readAll(part)
		if err != nil {
			return "", nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		if over {
			return "", nil, &domain.Error{Code: domain.ETooLarge, Message: "Die Datei ist größer als 10 MB.", Fields: map[string]string{"file": "Die Datei ist größer als 10 MB."}}
		}
		if msg := checkPDF(content); msg != "" {
			return "", nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
		}
		name = cleanFileName(part.FileName())
		return name, content, nil
	}
}

// cleanFileName keeps a file name short and free of paths and control characters.
func cleanFileName(n string) string {
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' {
			return -1
		}
		return r
	}, n)
	if n == "" {
		n = "dokument.pdf"
	}
	if len([]rune(n)) > 120 {
		n = string([]rune(n)[:120])
	}
	return n
}

func (s *Server) apiUploadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.ApplicationPrepare, authz.Resource{OrgID: id}); err != nil {
		return applicationRefusal(authz.ApplicationPrepare, err)
	}
	name, content, err := readUpload(r)
	if err != nil {
		return err
	}
	d, err := s.db.CreateDocument(r.Context(), id, name, "application/pdf", content)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

// documentAllowed reports whether the actor may read the document: members
// of its organisation, reviewers of an application that uses it, admins.
func (s *Server) documentAllowed(r *http.Request, d *domain.Document) (bool, error) {
	a := actor(r)
	if authz.Allowed(a, authz.DocumentRead, authz.Resource{OrgID: d.OrgID}) {
		return true, nil
	}
	apps, err := s.db.DocumentApplications(r.Context(), d.ID)
	if err != nil {
		return false, err
	}
	for _, id := range apps {
		app, err := s.db.Application(r.Context(), id)
		if err != nil {
			return false, err
		}
		if authz.Allowed(a, authz.DocumentRead, authz.Resource{ReviewerID: app.ReviewerID}) && app.Status != domain.AppDraft {
			return true, nil
		}
	}
	return false, nil
}

// serveDocument sends a document as a download after asking the policy.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, id int64) error {
	d, err := s.db.Document(r.Context(), id)
	if err != nil {
		return err
	}
	ok, err := s.documentAllowed(r, d)
	if err != nil {
		return err
	}
	if !ok {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.Errorf(domain.ENotFound, "Dieses Dokument gibt es nicht.")
	}
	rc, err := s.db.OpenDocument(r.Context(), d)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", d.MediaType)
	w.Header().Set("Content-Length", strconv.FormatInt(d.Size, 10))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, rc)
	return err
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
}

// mailboxOrgs are the organisations whose mailbox the actor reads, limited
// to one with ?organisation=.
func mailboxOrgs(r *http.Request) ([]int64, error) {
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	var ids []int64
	for _, m := range a.Memberships {
		ids = append(ids, m.OrgID)
	}
	if v := r.URL.Query().Get("organisation"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.Contains(ids, id) {
			return nil, domain.Errorf(domain.EForbidden, "Sie sind nicht Mitglied dieser Organisation.")
		}
		return []int64{id}, nil
	}
	return ids, nil
}

type mailboxList struct {
	list[domain.Message]
	Unread int `json:"unread"`
}

func (s *Server) apiMailbox(w http.ResponseWriter, r *http.Request) error {
	orgs, err := mailboxOrgs(r)
	if err != nil {
		return err
	}
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	msgs, total, unread, err := s.db.Messages(r.Context(), store.MailboxFilter{OrgIDs: orgs, PersonID: actor(r).PersonID(),
		Archived: r.URL.Query().Get("archived") == "true", Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, mailboxList{list: newList(msgs, total, page), Unread: unread})
}

// loadMessage reads the message of the path after checking membership;
// messages of other organisations answer 404.
func (s *Server) loadMessage(r *http.Request) (*domain.Message, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	m, err := s.db.Message(r.Context(), id, a.PersonID())
	if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.MailboxRead, authz.Resource{OrgID: m.OrgID}) {
		return nil, domain.Errorf(domain.ENotFound, "Diese Nachricht gibt es nicht.")
	}
	return m, nil
}

func (s *Server) apiMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.loadMessage(r)
	if err != nil {
		return err
	}
	if err := s.db.MarkRead(r.Context(), m.ID, actor(r).PersonID()); err != nil {
		return err
	}
	m.Read = true
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiMessageArchive(archive bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		m, err := s.loadMessage(r)
		if err != nil {
			return err
		}
		if err := s.db.ArchiveMessage(r.Context(), m.ID, archive); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Server) apiMessageAttachment(w http.ResponseWriter, r *http.Request) error {
	m, err := s.loadMessage(r)
	if err != nil {
		return err
	}
	doc, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	for _, d := range m.Attachments {
		if d.ID == doc {
			return s.serveDocument(w, r, doc)
		}
	}
	return domain.Errorf(domain.ENotFound, "Diese Nachricht hat keinen solchen Anhang.")
}

// Voucher look-ups are limited per caller (token or person) and per address.
const (
	lookupLimit  = 30
	lookupWindow = time.Minute
)

var errNoVoucher = domain.Errorf(domain.ENotFound, "Diesen Gutscheincode gibt es nicht, oder er gehört nicht zu Ihrem Bildungsträger.")

// lookupVoucher parses a code and finds it for a provider's staff. A code
// that exists but is bound to another provider is reported as not found.
func (s *Server) lookupVoucher(r *http.Request, raw string) (*domain.Voucher, error) {
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if !a.HasAnyRole(domain.RoleProviderStaff) {
		return nil, domain.Errorf(domain.EForbidden, "Gutscheincodes können nur Mitarbeitende von Bildungsträgern nachschlagen.")
	}
	caller := fmt.Sprintf("person:%d", a.PersonID())
	if a.TokenID != 0 {
		caller = fmt.Sprintf("token:%d", a.TokenID)
	}
	for _, b := range []string{"voucher-lookup:" + caller, "voucher-lookup:addr:" + clientAddr(r)} {
		if err := s.db.Hit(r.Context(), b, lookupLimit, lookupWindow); err != nil {
			return nil, err
		}
	}
	code, err := voucher.Parse(raw)
	if err != nil {
		msg := "Der Gutscheincode ist ungültig."
		if ve, ok := err.(*voucher.Error); ok {
			msg = ve.Message
		}
		return nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"code": msg}}
	}
	v, err := s.db.Voucher(r.Context(), code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, errNoVoucher
	} else if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.VoucherLookup, authz.Resource{ProviderID: v.ProviderID}) {
		return nil, errNoVoucher
	}
	return v, nil
}

func (s *Server) apiVoucher(w http.ResponseWriter, r *http.Request) error {
	v, err := s.lookupVoucher(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// approvalFiles renders the documents of an approval.
func (s *Server) approvalFiles(d *store.ApprovalData) ([]store.GeneratedFile, error) {
	return contracts.Files(d)
}
