package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Vouchers to people and funding requests: the JSON API.

// apiVoucherHolder hands a voucher to a person, or changes its holder.
func (s *Server) apiVoucherHolder(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Email  string `json:"email"`
		Reason string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	v, err := s.app.Funding.HandVoucher(r.Context(), r.PathValue("code"), domain.HandingInput{Email: req.Email, Reason: req.Reason})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}

// apiMyVouchers lists the vouchers handed to the caller.
func (s *Server) apiMyVouchers(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Funding.MyVouchers(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(vs, len(vs), 1))
}

// apiOrgVouchers lists a municipality's vouchers with their holders.
func (s *Server) apiOrgVouchers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := s.app.Funding.MunicipalityVouchers(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(vs, len(vs), 1))
}

func (s *Server) apiFundingRequestCreate(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Organisation int64  `json:"organisation"`
		Programme    string `json:"programme"`
		Track        string `json:"track"`
		OfferID      int64  `json:"offer_id"`
		Reason       string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	fr, err := s.app.Funding.RequestFunding(r.Context(), funding.FundingRequestInput{OrgID: req.Organisation, Programme: req.Programme,
		Track: req.Track, OfferID: req.OfferID, Reason: req.Reason})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, fr)
}

func (s *Server) apiFundingRequests(w http.ResponseWriter, r *http.Request) error {
	status := domain.FundingRequestStatus(r.URL.Query().Get("status"))
	switch status {
	case "", domain.RequestOpen, domain.RequestVoucher, domain.RequestApplication, domain.RequestDeclined:
	default:
		return &domain.Error{Code: domain.EInvalid, Message: "Diesen Stand einer Förderanfrage gibt es nicht.",
			Fields: map[string]string{"status": "Erlaubt sind open, voucher, application und declined."}}
	}
	rs, err := s.app.Funding.FundingRequests(r.Context(), status)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(rs, len(rs), 1))
}

func (s *Server) apiFundingRequestAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Voucher     string `json:"voucher"`
		Application bool   `json:"application"`
	}
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	fr, err := s.app.Funding.AnswerFundingRequest(r.Context(), id, funding.FundingAnswer{Voucher: req.Voucher, Application: req.Application})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, fr)
}

func (s *Server) apiFundingRequestDecline(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	fr, err := s.app.Funding.AnswerFundingRequest(r.Context(), id, funding.FundingAnswer{Decline: true, Reason: req.Reason})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, fr)
}
