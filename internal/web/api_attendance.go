package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

type attendanceRequest struct {
	Day    int    `json:"day"`
	Days   []int  `json:"days"`
	Status string `json:"status"`
}

// recordAttendance is for the staff of the offer's provider only.
func (s *Server) recordAttendance(r *http.Request, req attendanceRequest) (*domain.Booking, error) {
	b, prov, err := s.loadBooking(r)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: prov}); err != nil {
		return nil, domain.Errorf(domain.EForbidden, "Die Anwesenheit erfasst der Bildungsträger des Angebots.")
	}
	days := req.Days
	if req.Day != 0 {
		days = append(days, req.Day)
	}
	return s.db.RecordAttendance(r.Context(), b.ID, days, req.Status)
}

func (s *Server) apiAttendance(w http.ResponseWriter, r *http.Request) error {
	var req attendanceRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	b, err := s.recordAttendance(r, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiRating(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	if b.PersonID != actor(r).PersonID() {
		return domain.Errorf(domain.EForbidden, "Bewerten kann nur die Person, die teilgenommen hat.")
	}
	var in struct {
		Stars   int    `json:"stars"`
		Comment string `json:"comment"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.db.Rate(r.Context(), b.ID, in.Stars, in.Comment); err != nil {
		return err
	}
	s.refreshCatalog(r.Context())
	return writeJSON(w, http.StatusCreated, map[string]any{"booking_id": b.ID, "stars": in.Stars})
}

type participantsPage struct {
	Page
	Offer    *domain.Offer
	Session  domain.Session
	Bookings []domain.Booking
	Days     []int
	Marks    map[int64]map[int]string
}

// handleParticipants is the provider's list of a session's participants,
// with attendance per day.
func (s *Server) handleParticipants(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	offers, _, err := s.db.Offers(r.Context(), store.OfferFilter{SessionIDs: []int64{id}})
	if err != nil {
		return err
	}
	if len(offers) == 0 {
		return domain.Errorf(domain.ENotFound, "Diesen Termin gibt es nicht.")
	}
	o := &offers[0]
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}); err != nil {
		return err
	}
	p := &participantsPage{Page: s.newPage(r, "Teilnehmende"), Offer: o, Marks: map[int64]map[int]string{}}
	for _, ses := range o.Sessions {
		if ses.ID == id {
			p.Session = ses
		}
	}
	for d := 1; d <= p.Session.Days; d++ {
		p.Days = append(p.Days, d)
	}
	if p.Bookings, err = s.db.SessionBookings(r.Context(), id); err != nil {
		return err
	}
	for _, b := range p.Bookings {
		if p.Marks[b.ID], err = s.db.Attendance(r.Context(), b.ID); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "participants", p)
	return nil
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
	return redirect(w, r, fmt.Sprintf("/anbieter/termine/%d?hinweis=anwesenheit", b.SessionID))
}

func (s *Server) handleRatingForm(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	if b.PersonID != actor(r).PersonID() {
		return domain.Errorf(domain.EForbidden, "Bewerten kann nur die Person, die teilgenommen hat.")
	}
	if err := form(r); err != nil {
		return err
	}
	stars, _ := strconv.Atoi(r.PostForm.Get("stars"))
	if err := s.db.Rate(r.Context(), b.ID, stars, r.PostForm.Get("comment")); err != nil {
		return err
	}
	s.refreshCatalog(r.Context())
	return redirect(w, r, "/buchungen?hinweis=bewertet")
}

// attendanceCSV reads lines "email;day;status" (day a number or "alle";
// status anwesend, abwesend, entschuldigt or present, absent, excused) for
// a session. Every line is checked before anything is recorded.
func (s *Server) attendanceCSV(r *http.Request, sessionID int64, body io.Reader) (int, error) {
	prov, err := s.sessionProvider(r, sessionID)
	if err != nil {
		return 0, err
	}
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: prov}); err != nil {
		return 0, domain.Errorf(domain.EForbidden, "Die Anwesenheit erfasst der Bildungsträger des Angebots.")
	}
	bookings, err := s.db.SessionBookings(r.Context(), sessionID)
	if err != nil {
		return 0, err
	}
	byEmail := map[string]int64{}
	for _, b := range bookings {
		if b.Status == domain.BookingConfirmed || b.Status == domain.BookingCompleted {
			byEmail[b.ParticipantEmail] = b.ID
		}
	}
	cr := csv.NewReader(body)
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = ';', 3, true
	rows, err := cr.ReadAll()
	if err != nil {
		return 0, domain.Errorf(domain.EInvalid, "Die CSV-Datei ist fehlerhaft: %v", err)
	}
	statuses := map[string]string{"anwesend": "present", "abwesend": "absent", "entschuldigt": "excused", "present": "present", "absent": "absent", "excused": "excused"}
	type entry struct {
		booking int64
		days    []int
		status  string
	}
	var entries []entry
	for i, row := range rows {
		email := domain.NormalizeEmail(strings.TrimPrefix(row[0], "\ufeff"))
		if i == 0 && (email == "email" || email == "e-mail") {
			continue
		}
		id, ok := byEmail[email]
		if !ok {
			return 0, domain.Errorf(domain.EInvalid, "Zeile %d: %s hat keine bestätigte Buchung für diesen Termin.", i+1, email)
		}
		st, ok := statuses[strings.ToLower(strings.TrimSpace(row[2]))]
		if !ok {
			return 0, domain.Errorf(domain.EInvalid, "Zeile %d: Status „%s“ ist unbekannt (anwesend, abwesend, entschuldigt).", i+1, row[2])
		}
		var days []int
		if d := strings.ToLower(strings.TrimSpace(row[1])); d != "alle" && d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 1 {
				return 0, domain.Errorf(domain.EInvalid, "Zeile %d: Tag „%s“ ist keine Zahl.", i+1, row[1])
			}
			days = []int{n}
		}
		entries = append(entries, entry{id, days, st})
	}
	for _, en := range entries {
		if _, err := s.db.RecordAttendance(r.Context(), en.booking, en.days, en.status); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}

func (s *Server) apiAttendanceCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.attendanceCSV(r, id, r.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"recorded": n})
}

func (s *Server) handleAttendanceUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	prov, err := s.sessionProvider(r, id)
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: prov}); err != nil {
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
	if _, err := s.attendanceCSV(r, id, io.LimitReader(f, 1<<20)); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/anbieter/termine/%d?hinweis=anwesenheit", id))
}
