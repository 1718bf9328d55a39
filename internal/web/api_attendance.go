package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type attendanceRequest struct {
	Day    int    `json:"day"`
	Days   []int  `json:"days"`
	Status string `json:"status"`
}

// recordAttendance records the attendance of the booking of the path.
func (s *Server) recordAttendance(r *http.Request, req attendanceRequest) (*domain.Booking, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	days := req.Days
	if req.Day != 0 {
		days = append(days, req.Day)
	}
	return s.app.Booking.RecordAttendance(r.Context(), id, days, req.Status)
}

func (s *Server) apiAttendance(w http.ResponseWriter, r *http.Request) error {
	var req attendanceRequest
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	b, err := s.recordAttendance(r, req)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}

func (s *Server) apiRating(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Stars   int    `json:"stars"`
		Comment string `json:"comment"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Booking.Rate(r.Context(), id, in.Stars, in.Comment); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"booking_id": id, "stars": in.Stars})
}

func (s *Server) apiAttendanceCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.app.Booking.ImportAttendance(r.Context(), id, r.Body)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]int{"recorded": n})
}
