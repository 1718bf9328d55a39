package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

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
