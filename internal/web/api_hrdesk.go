package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// HR's desk: deciding employer-paid bookings, the team overview.

// apiBookingDecline declines a booking waiting for approval: {"reason"}.
func (s *Server) apiBookingDecline(w http.ResponseWriter, r *http.Request) error {
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
	b, err := s.app.Booking.Decline(r.Context(), id, req.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}

// readOptionalJSON reads a JSON body into v; an empty body leaves v as it
// is.
func readOptionalJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return domain.Errorf(domain.ETooLarge, "Die Anfrage ist zu groß.")
		}
		return &domain.Error{Code: domain.EBadRequest, Message: "Die Anfrage konnte nicht gelesen werden.", Err: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return httpx.ReadJSON(r, v)
}

// apiOrgTeam is a municipality's team overview with the filters of the
// query: name, status, offer, certificate (true/false).
func (s *Server) apiOrgTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := teamFilter(id, r.URL.Query(), "name", "status", "offer", "certificate")
	if err != nil {
		return err
	}
	rows, err := s.app.Booking.Team(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(rows, len(rows), 1))
}

// teamFilter reads the team filters from a query under the given parameter
// names (the page uses German ones, the API English). The certificate
// filter takes true/false or ja/nein.
func teamFilter(orgID int64, q url.Values, name, status, offer, cert string) (domain.TeamFilter, error) {
	f := domain.TeamFilter{OrgID: orgID, Name: q.Get(name), Status: q.Get(status)}
	v := domain.Validation{}
	if o := strings.TrimSpace(q.Get(offer)); o != "" {
		n, err := strconv.ParseInt(o, 10, 64)
		if err != nil || n <= 0 {
			v.Add(offer, "Bitte wählen Sie ein Angebot aus der Liste.")
		}
		f.OfferID = n
	}
	switch q.Get(cert) {
	case "":
	case "true", "ja":
		yes := true
		f.Certificate = &yes
	case "false", "nein":
		no := false
		f.Certificate = &no
	default:
		v.Add(cert, "Bitte wählen Sie „mit Zertifikat“ oder „ohne Zertifikat“.")
	}
	if !domain.ValidTeamStatus(f.Status) {
		v.Add(status, "Bitte wählen Sie einen Status aus der Liste.")
	}
	return f, v.Err()
}
