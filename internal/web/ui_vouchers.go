package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Vouchers to people and funding requests: the pages.

type myVouchersPage struct {
	Page
	Vouchers   []domain.HeldVoucher
	CanRequest bool
}

// handleMyVouchers shows the vouchers handed to the person, with the
// sessions each can book.
func (s *Server) handleMyVouchers(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Funding.MyVouchers(r.Context())
	if err != nil {
		return err
	}
	p := &myVouchersPage{Page: s.newPage(r, "Meine Gutscheine"), Vouchers: vs, CanRequest: len(authz.RequestableOrgs(actor(r))) > 0}
	s.render(w, r, http.StatusOK, "my_vouchers", p)
	return nil
}

type orgVouchersPage struct {
	Page
	Org      *domain.Organisation
	Vouchers []domain.Voucher
	// The handing form that failed: its code and input, kept.
	FormCode, FormEmail, FormReason string
}

func (s *Server) orgVouchersPage(r *http.Request) (*orgVouchersPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	vs, err := s.app.Funding.MunicipalityVouchers(r.Context(), id)
	if err != nil {
		return nil, err
	}
	org, err := s.app.Funding.Organisation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &orgVouchersPage{Page: s.newPage(r, "Gutscheine der Kommune"), Org: org, Vouchers: vs}, nil
}

// handleOrgVouchers shows a municipality's vouchers, who holds them and
// their state, with a form to hand each unused one.
func (s *Server) handleOrgVouchers(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgVouchersPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org_vouchers", p)
	return nil
}

// handleOrgVoucherHand hands a voucher to a person or changes its holder.
func (s *Server) handleOrgVoucherHand(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	code := r.PathValue("code")
	in := domain.HandingInput{Email: r.PostForm.Get("email"), Reason: r.PostForm.Get("reason")}
	v, err := s.app.Funding.HandVoucher(r.Context(), code, in)
	if err == nil && v.OrgID != id {
		return errNotFoundPage
	}
	if err != nil {
		c := domain.ErrorCode(err)
		if c != domain.EInvalid && c != domain.EConflict {
			return err
		}
		p, perr := s.orgVouchersPage(r)
		if perr != nil {
			return perr
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		p.FormCode, p.FormEmail, p.FormReason = code, in.Email, in.Reason
		s.render(w, r, httpx.Status(c), "org_vouchers", p)
		return nil
	}
	return redirect(w, r, "/organisationen/"+itoa(id)+"/gutscheine?hinweis=zugeteilt")
}

type trackOption struct{ Value, Label string }

type requestFormPage struct {
	Page
	Orgs     []domain.Membership
	Tracks   []trackOption
	Offer    *domain.Offer
	In       funding.FundingRequestInput
	Track    string // the chosen option's value
	Requests []domain.FundingRequest
}

func (s *Server) requestFormPage(r *http.Request) (*requestFormPage, error) {
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	p := &requestFormPage{Page: s.newPage(r, "Förderung anfragen")}
	orgs := authz.RequestableOrgs(a)
	for _, m := range a.Memberships {
		if slices.Contains(orgs, m.OrgID) {
			p.Orgs = append(p.Orgs, m)
		}
	}
	ps, err := s.app.Funding.Programmes(r.Context())
	if err != nil {
		return nil, err
	}
	for _, pr := range ps {
		for _, t := range pr.Tracks {
			label := t.Name
			if len(ps) > 1 {
				label += " (" + pr.Name + ")"
			}
			p.Tracks = append(p.Tracks, trackOption{Value: pr.ID + "/" + t.Key, Label: label})
		}
	}
	all, err := s.app.Funding.FundingRequests(r.Context(), "")
	if err != nil {
		return nil, err
	}
	for _, fr := range all {
		if fr.PersonID == a.PersonID() {
			p.Requests = append(p.Requests, fr)
		}
	}
	return p, nil
}

// handleFundingRequestForm shows the form to ask one's municipality for
// funding (an offer named with ?angebot= is the wished one) and the
// person's requests with their state.
func (s *Server) handleFundingRequestForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requestFormPage(r)
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("angebot"), 10, 64); err == nil && id > 0 {
		if o, err := s.app.Catalog.Offer(r.Context(), id); err == nil && o.Status == domain.OfferPublished {
			p.Offer, p.In.OfferID = o, o.ID
			if len(o.FundingTracks) > 0 {
				p.Track = o.FundingTracks[0]
			}
		}
	}
	s.render(w, r, http.StatusOK, "funding_request", p)
	return nil
}

func (s *Server) handleFundingRequestCreate(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	f := r.PostForm
	in := funding.FundingRequestInput{Track: f.Get("track"), Reason: f.Get("reason")}
	in.OrgID, _ = strconv.ParseInt(f.Get("organisation"), 10, 64)
	in.OfferID, _ = strconv.ParseInt(f.Get("offer_id"), 10, 64)
	_, err := s.app.Funding.RequestFunding(r.Context(), in)
	if err == nil {
		return redirect(w, r, "/foerderung-anfragen?hinweis=angefragt")
	}
	c := domain.ErrorCode(err)
	if c != domain.EInvalid && c != domain.EConflict {
		return err
	}
	p, perr := s.requestFormPage(r)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message, p.In, p.Track = domain.ErrorFields(err), domain.ErrorMessage(err), in, in.Track
	if in.OfferID != 0 {
		if o, err := s.app.Catalog.Offer(r.Context(), in.OfferID); err == nil && o.Status == domain.OfferPublished {
			p.Offer = o
		}
	}
	s.render(w, r, httpx.Status(c), "funding_request", p)
	return nil
}

type requestsPage struct {
	Page
	Requests []domain.FundingRequest
	Free     map[int64][]domain.Voucher // free vouchers by request
	FormID   int64
	Form     url.Values
}

func (s *Server) requestsPage(r *http.Request) (*requestsPage, error) {
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if len(authz.FundingRequestScope(a).OrgIDs) == 0 {
		return nil, domain.Errorf(domain.EForbidden, "Förderanfragen beantworten die Personalabteilung und die Zeichnungsberechtigten einer Kommune.")
	}
	all, err := s.app.Funding.FundingRequests(r.Context(), "")
	if err != nil {
		return nil, err
	}
	p := &requestsPage{Page: s.newPage(r, "Förderanfragen"), Free: map[int64][]domain.Voucher{}, Form: url.Values{}}
	free := map[string][]domain.Voucher{}
	for _, fr := range all {
		if !authz.Allowed(a, authz.FundingRequestDecide, authz.Resource{OrgID: fr.OrgID}) {
			continue
		}
		p.Requests = append(p.Requests, fr)
		if fr.Status != domain.RequestOpen {
			continue
		}
		k := itoa(fr.OrgID) + "|" + fr.ProgrammeID + "|" + fr.Track
		if _, ok := free[k]; !ok {
			if free[k], err = s.app.Funding.FreeVouchers(r.Context(), fr.OrgID, fr.ProgrammeID, fr.Track); err != nil {
				return nil, err
			}
		}
		p.Free[fr.ID] = free[k]
	}
	// Open requests first, then the answered ones, newest first in each.
	slices.SortStableFunc(p.Requests, func(x, y domain.FundingRequest) int {
		xo, yo := x.Status == domain.RequestOpen, y.Status == domain.RequestOpen
		switch {
		case xo && !yo:
			return -1
		case yo && !xo:
			return 1
		}
		return 0
	})
	return p, nil
}

// handleFundingRequests lists the requests HR and signatories answer.
func (s *Server) handleFundingRequests(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requestsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "funding_requests", p)
	return nil
}

// handleFundingRequestAnswer accepts (with a voucher or by an application)
// or declines a request.
func (s *Server) handleFundingRequestAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	var ans funding.FundingAnswer
	switch r.PathValue("action") {
	case "annehmen":
		if r.PostForm.Get("voucher") == "antrag" {
			ans.Application = true
		} else {
			ans.Voucher = r.PostForm.Get("voucher")
		}
	case "ablehnen":
		ans.Decline, ans.Reason = true, r.PostForm.Get("reason")
	default:
		return errNotFoundPage
	}
	fr, err := s.app.Funding.AnswerFundingRequest(r.Context(), id, ans)
	if err != nil {
		return s.requestsError(w, r, id, err)
	}
	if fr.Status == domain.RequestApplication {
		track := "basis"
		if fr.Track == domain.TrackAdvanced {
			track = domain.TrackAdvanced
		}
		return redirect(w, r, "/antraege/neu?organisation="+itoa(fr.OrgID)+"&track="+track)
	}
	return redirect(w, r, "/foerderanfragen?hinweis=beantwortet")
}

func (s *Server) requestsError(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	c := domain.ErrorCode(err)
	if c != domain.EInvalid && c != domain.EConflict {
		return err
	}
	p, perr := s.requestsPage(r)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message, p.FormID, p.Form = domain.ErrorFields(err), domain.ErrorMessage(err), id, r.PostForm
	s.render(w, r, httpx.Status(c), "funding_requests", p)
	return nil
}
