package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type participantsPage struct {
	Page
	Offer    *domain.Offer
	Session  domain.Session
	Bookings []domain.Booking
	Days     []int
	Marks    map[int64]map[int]string
	// After is the booking the page starts after (0: the first page);
	// More links the next page.
	After int64
	More  moreLink
}

// handleParticipants is the provider's list of a session's participants,
// with attendance per day.
func (s *Server) handleParticipants(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	after := pageCursor(r, "nach")
	ps, next, err := s.app.Booking.ParticipantsPage(r.Context(), id, after, booking.ParticipantsPageSize)
	if err != nil {
		return err
	}
	p := &participantsPage{Page: s.newPage(r, "Teilnehmende"), Offer: ps.Offer, Session: ps.Session, Bookings: ps.Bookings,
		Days: ps.Days(), Marks: ps.Marks, After: after,
		More: newMoreLink(r.URL, "nach", next, "Weitere Teilnehmende", "Weitere Teilnehmende anzeigen", "Zurück zum Anfang der Liste", "teilnehmende")}
	s.render(w, r, http.StatusOK, "participants", p)
	return nil
}

// handleAttendanceExport is the participant list with attendance as CSV,
// in the form the upload reads back, streamed as it is read.
func (s *Server) handleAttendanceExport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	dw := &downloadWriter{w: w, typ: "text/csv; charset=utf-8", name: booking.ExportName(id)}
	err = s.app.Booking.ExportAttendance(r.Context(), id, dw)
	if err != nil && dw.started {
		s.log.ErrorContext(r.Context(), "attendance export cut short", "session", id, "err", err)
		return nil
	}
	return err
}

func (s *Server) handleAttendanceForm(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	var req attendanceRequest
	req.Status = r.PostForm.Get("status")
	if d := r.PostForm.Get("day"); d != "" && d != "alle" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return domain.Errorf(domain.EBadRequest, "Unbekannter Schulungstag.")
		}
		req.Day = n
	}
	b, err := s.recordAttendance(r, req)
	if err != nil {
		return err
	}
	// Back to the page of the list the form was on.
	page := ""
	if n, err := strconv.ParseInt(r.PostForm.Get("nach"), 10, 64); err == nil && n > 0 {
		page = "&nach=" + strconv.FormatInt(n, 10)
	}
	return redirect(w, r, fmt.Sprintf("/anbieter/termine/%d?hinweis=anwesenheit%s", b.SessionID, page))
}

func (s *Server) handleRatingForm(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	stars, _ := strconv.Atoi(r.PostForm.Get("stars"))
	if err := s.app.Booking.Rate(r.Context(), id, stars, r.PostForm.Get("comment")); err != nil {
		return err
	}
	return redirect(w, r, "/buchungen?hinweis=bewertet")
}

func (s *Server) handleAttendanceUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	// Ask first, so that someone who may not record attendance learns so
	// rather than that the upload was malformed.
	if err := s.app.Booking.MayRecordAttendance(r.Context(), id); err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return classify(&domain.Error{Code: domain.EBadRequest, Message: "Bitte wählen Sie eine CSV-Datei aus.", Err: err})
	}
	if st := state(r); st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return errCSRF
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return domain.Errorf(domain.EInvalid, "Bitte wählen Sie eine CSV-Datei aus.")
	}
	defer f.Close()
	if _, err := s.app.Booking.ImportAttendance(r.Context(), id, io.LimitReader(f, 1<<20)); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/anbieter/termine/%d?hinweis=anwesenheit", id))
}
