package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

type bookingRequest struct {
	Participant *booking.Participant `json:"participant"`
	Payment     string               `json:"payment"`
	Voucher     string               `json:"voucher"`
	Employer    int64                `json:"employer"`
}

// sessionProvider returns the provider of a session's offer.
func (s *Server) sessionProvider(r *http.Request, sessionID int64) (int64, error) {
	return s.app.Booking.SessionProvider(r.Context(), sessionID)
}

func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	var req bookingRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 200 {
		return domain.Errorf(domain.EBadRequest, "Der Idempotency-Key darf höchstens 200 Zeichen lang sein.")
	}
	b, err := s.app.Booking.Book(r.Context(), booking.Request{SessionID: id, Participant: req.Participant, Payment: req.Payment,
		Voucher: req.Voucher, Employer: req.Employer, IdempotencyKey: key})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, b)
}

// loadBooking reads the booking of the path for someone allowed to manage
// it; for others it does not exist.
func (s *Server) loadBooking(r *http.Request) (*domain.Booking, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, 0, err
	}
	return s.app.Booking.Get(r.Context(), id)
}

// apiBookings lists the bookings the caller may see (authz.BookingScope).
func (s *Server) apiBookings(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.app.Booking.List(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(bs, len(bs), 1))
}

type bookingView struct {
	*domain.Booking
	Certificates []certificateView `json:"certificates"`
}

func (s *Server) apiBooking(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	certs, err := s.db.BookingCertificates(r.Context(), b.ID)
	if err != nil {
		return err
	}
	v := bookingView{Booking: b, Certificates: []certificateView{}}
	for i := range certs {
		v.Certificates = append(v.Certificates, s.certificateView(&certs[i]))
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiBookingCancel(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAction(w, r, s.app.Booking.Cancel)
}

func (s *Server) apiBookingApprove(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAction(w, r, s.app.Booking.Approve)
}

// bookingAction runs a change of the booking in the path and answers with
// the booking.
func (s *Server) bookingAction(w http.ResponseWriter, r *http.Request, do func(context.Context, int64) (*domain.Booking, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := do(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiSessionBookings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	bs, err := s.app.Booking.SessionBookings(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(bs, len(bs), 1))
}

// apiVoucherRelease frees a voucher a late cancellation left reserved.
func (s *Server) apiVoucherRelease(w http.ResponseWriter, r *http.Request) error {
	return s.voucherDecision(w, r, s.app.Booking.ReleaseVoucher)
}

// apiVoucherForfeit lets such a voucher lapse, with a reason.
func (s *Server) apiVoucherForfeit(w http.ResponseWriter, r *http.Request) error {
	return s.voucherDecision(w, r, s.app.Booking.ForfeitVoucher)
}

// voucherDecision reads {"reason": ...}, decides about the voucher in the
// path and answers with the voucher.
func (s *Server) voucherDecision(w http.ResponseWriter, r *http.Request, do func(context.Context, string, string) (*domain.Voucher, error)) error {
	var req struct {
		Reason string `json:"reason"`
	}
	if err := readJSON(r, &req); err != nil {
		return err
	}
	v, err := do(r.Context(), r.PathValue("code"), req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// handleVoucherDecision is the provider's release or forfeit button on the
// participants page.
func (s *Server) handleVoucherDecision(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	code, reason := r.PathValue("code"), r.PostForm.Get("reason")
	var err error
	switch r.PostForm.Get("decision") {
	case "freigeben":
		_, err = s.app.Booking.ReleaseVoucher(r.Context(), code, reason)
	case "verfallen":
		_, err = s.app.Booking.ForfeitVoucher(r.Context(), code, reason)
	default:
		return domain.Errorf(domain.EBadRequest, "Bitte wählen Sie „freigeben“ oder „verfallen lassen“.")
	}
	if err != nil {
		return err
	}
	back := "/buchungen"
	if sid, perr := strconv.ParseInt(r.PostForm.Get("session"), 10, 64); perr == nil && sid > 0 {
		back = fmt.Sprintf("/anbieter/termine/%d", sid)
	}
	return redirect(w, r, back+"?hinweis=gutschein")
}

// calendar builds an iCalendar file (RFC 5545, CRLF line ends) of bookings.
func (s *Server) calendar(bookings []domain.BookingDetail) string {
	cal := ics.NewCalendarFor("Lotse")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Lotse: meine Weiterbildungen")
	for _, b := range bookings {
		if b.Status == domain.BookingCancelled {
			continue
		}
		ev := cal.AddEvent(fmt.Sprintf("booking-%d@lotse", b.ID))
		ev.SetDtStampTime(b.CreatedAt)
		ev.SetStartAt(b.Session.StartsAt)
		ev.SetEndAt(b.Session.EndsAt)
		summary := b.OfferTitle
		if b.Status == domain.BookingWaitlisted {
			summary += " (Warteliste)"
		}
		ev.SetSummary(summary)
		place := "online"
		if !b.Session.Online {
			place = strings.TrimSpace(b.Session.Place + ", " + b.Session.Address)
		}
		ev.SetLocation(place)
		ev.SetDescription("Bildungsträger: " + b.Provider + "\n" + s.cfg.BaseURL + "/angebote/" + itoa(b.OfferID))
		ev.SetURL(s.cfg.BaseURL + "/angebote/" + itoa(b.OfferID))
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

func writeICS(w http.ResponseWriter, name, body string) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write([]byte(body))
	return err
}

// handleBookingICS is one booking as a calendar file.
func (s *Server) handleBookingICS(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Booking.Detail(r.Context(), id)
	if err != nil {
		return err
	}
	return writeICS(w, fmt.Sprintf("buchung-%d.ics", d.ID), s.calendar([]domain.BookingDetail{*d}))
}

// handleCalendarFeed serves a person's calendar to calendar apps, which
// cannot log in: the secret in the address identifies the person.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.app.Booking.CalendarFeed(r.Context(), strings.TrimSuffix(r.PathValue("token"), ".ics"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	return writeICS(w, "lotse.ics", s.calendar(bs))
}

type bookingsPage struct {
	Page
	Bookings []domain.BookingDetail
	FeedURL  string
	Now      time.Time
}

func (s *Server) handleMyBookings(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.app.Booking.Mine(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bookings", &bookingsPage{Page: s.newPage(r, "Meine Buchungen"), Bookings: bs, Now: s.now()})
	return nil
}

// handleCalendarLink makes a new feed address and shows it once.
func (s *Server) handleCalendarLink(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	token, err := s.app.Booking.CalendarLink(r.Context())
	if err != nil {
		return err
	}
	bs, err := s.app.Booking.Mine(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bookings", &bookingsPage{Page: s.newPage(r, "Meine Buchungen"), Bookings: bs, Now: s.now(),
		FeedURL: s.cfg.BaseURL + "/kalender/" + token + ".ics"})
	return nil
}

// handleBookForm books from the offer page.
func (s *Server) handleBookForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	offerID, err := s.app.Booking.SessionOffer(r.Context(), id)
	if err != nil {
		return err
	}
	_, err = s.app.Booking.Book(r.Context(), booking.Request{SessionID: id, Payment: r.PostForm.Get("payment"), Voucher: r.PostForm.Get("voucher")})
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		o, lerr := s.app.Catalog.Offer(r.Context(), offerID)
		if lerr != nil {
			return lerr
		}
		msg := domain.ErrorMessage(err)
		for _, m := range domain.ErrorFields(err) {
			msg = m
		}
		return s.renderOffer(w, r, o, status(code), &domain.Error{Code: code, Message: "Die Buchung ist nicht möglich: " + msg,
			Fields: map[string]string{fmt.Sprintf("book_%d", id): msg}})
	}
	return redirect(w, r, "/buchungen?hinweis=gebucht")
}

func (s *Server) handleBookingCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := s.app.Booking.Cancel(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/buchungen?hinweis=storniert")
}

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
