package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
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
		o, err := s.app.Funding.Organisation(r.Context(), id)
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
	ps, err := s.app.Funding.Programmes(r.Context())
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
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, len(out), 1))
}

func (s *Server) apiProgramme(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Funding.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.programmeView(r, p)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}

func (s *Server) apiProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
	var p domain.Programme
	if err := httpx.ReadJSON(r, &p); err != nil {
		return err
	}
	if err := s.app.Funding.SaveProgramme(r.Context(), r.PathValue("id"), &p); err != nil {
		return err
	}
	return s.apiProgramme(w, r)
}

func (s *Server) apiContingent(w http.ResponseWriter, r *http.Request) error {
	prog := r.URL.Query().Get("programme")
	if prog == "" {
		return domain.Errorf(domain.EBadRequest, "Bitte geben Sie das Förderprogramm an: ?programme= mit der Kennung eines Programms aus /api/v1/programmes.")
	}
	c, err := s.app.Funding.Contingent(r.Context(), prog, r.PathValue("ags"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, c)
}

// loadApplication reads the application of the path for act; someone who
// may not even see it gets a 404, so IDs reveal nothing.
func (s *Server) loadApplication(r *http.Request, act authz.Action) (*domain.Application, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.app.Funding.Application(r.Context(), id, act)
}

var appStatuses = func() []string {
	out := make([]string, len(domain.AppStatuses))
	for i, st := range domain.AppStatuses {
		out[i] = string(st)
	}
	return out
}()

// applicationFilter reads status, ags and age filters from the query; the
// service narrows them to what the actor may see.
func applicationFilter(r *http.Request) (domain.ApplicationFilter, error) {
	var f domain.ApplicationFilter
	q := r.URL.Query()
	if st := q.Get("status"); st != "" {
		if !slices.Contains(appStatuses, st) {
			return f, domain.Errorf(domain.EBadRequest, "Unbekannter Status „%s“. Möglich: %s.", st, strings.Join(appStatuses, ", "))
		}
		f.Status = domain.AppStatus(st)
	}
	if ags := q.Get("ags"); ags != "" {
		if !isDigits(ags) || len(ags) > 8 {
			return f, domain.Errorf(domain.EBadRequest, "Der Gemeindeschlüssel besteht aus bis zu 8 Ziffern.")
		}
		f.AGS = ags
	}
	if d := q.Get("older_than_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 3650 {
			return f, domain.Errorf(domain.EBadRequest, "„older_than_days“ muss eine Zahl von 0 bis 3650 sein.")
		}
		f.OlderThan = time.Duration(n) * 24 * time.Hour
	}
	f.Limit = pageSize
	return f, nil
}

// apiApplications is a page of the applications the actor may see, the
// latest change first: further pages with "cursor" ("page" stays for
// older clients); total counts up to 10,000 and one more.
func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	f, err := applicationFilter(r)
	if err != nil {
		return err
	}
	win, err := apiListWindow(r, pageSize)
	if err != nil {
		return err
	}
	f.After, f.Limit, f.Offset = win.After, win.Limit+1, win.Offset
	apps, total, err := s.app.Funding.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	apps, next := cutPage(apps, win.Limit, appCursor)
	return httpx.WriteJSON(w, http.StatusOK, keyList(apps, total, win.Page, next))
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadApplication(r, authz.ApplicationView)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	var in domain.ApplicationInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	a, err := s.app.Funding.CreateApplicationFor(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+itoa(a.ID))
	return httpx.WriteJSON(w, http.StatusCreated, a)
}

func (s *Server) apiApplicationUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadApplication(r, authz.ApplicationPrepare)
	if err != nil {
		return err
	}
	var in domain.ApplicationInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if a, err = s.app.Funding.UpdateApplication(r.Context(), a.ID, in); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
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
			if err := httpx.ReadJSON(r, &in); err != nil {
				return err
			}
		}
		a, err = step(r, a, in.Reason+in.Comment)
		if err != nil {
			return err
		}
		if act == authz.ApplicationReview && a.Status == domain.AppSubmitted && a.Pending != nil {
			// Four eyes: prepared, waiting for a second reviewer.
			return httpx.WriteJSON(w, http.StatusAccepted, a)
		}
		return httpx.WriteJSON(w, http.StatusOK, a)
	}
}

func (s *Server) submitApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.app.Funding.SubmitApplication(r.Context(), a.ID)
}

func (s *Server) withdrawApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.app.Funding.WithdrawApplication(r.Context(), a.ID)
}

func (s *Server) approveApplication(r *http.Request, a *domain.Application, _ string) (*domain.Application, error) {
	return s.app.Funding.ApproveApplication(r.Context(), a.ID)
}

func (s *Server) rejectApplication(r *http.Request, a *domain.Application, reason string) (*domain.Application, error) {
	return s.app.Funding.RejectApplication(r.Context(), a.ID, reason)
}

func (s *Server) returnApplication(r *http.Request, a *domain.Application, comment string) (*domain.Application, error) {
	return s.app.Funding.ReturnApplication(r.Context(), a.ID, comment)
}

func (s *Server) apiUploadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.app.Funding.Applicant(r.Context(), id); err != nil {
		return err
	}
	name, content, err := readUpload(r)
	if err != nil {
		return err
	}
	d, err := s.app.Funding.UploadDocument(r.Context(), id, name, content)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, d)
}

// serveDocument sends a document the actor may read as a download.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, id int64) error {
	d, rc, err := s.app.Funding.OpenDocument(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.SendDocument(w, d, rc)
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, id)
}

func (s *Server) apiVoucher(w http.ResponseWriter, r *http.Request) error {
	v, err := s.app.Funding.LookUpVoucher(r.Context(), r.PathValue("code"), clientAddr(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}
