package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

type bookingRequest struct {
	Participant *struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"participant"`
	Payment  string `json:"payment"`
	Voucher  string `json:"voucher"`
	Employer int64  `json:"employer"`
}

// municipalityOf returns the first municipality the person is a member of.
func municipalityOf(a *domain.Actor) int64 {
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality {
			return m.OrgID
		}
	}
	return 0
}

// book turns a request into a booking input after asking the policy: one
// books for oneself; the provider's staff and HR of the employer also for
// others. Employer invoices of staff who book for themselves wait for HR.
func (s *Server) book(r *http.Request, sessionID int64, req bookingRequest, idem string) (*domain.Booking, error) {
	a := actor(r)
	if err := authz.Check(a, authz.BookingCreate, authz.Resource{}); err != nil {
		return nil, err
	}
	in := domain.BookingInput{SessionID: sessionID, Payment: req.Payment, Voucher: req.Voucher, IdempotencyKey: idem}
	employer := req.Employer
	if employer == 0 {
		employer = municipalityOf(a)
	}
	if req.Participant == nil || domain.NormalizeEmail(req.Participant.Email) == a.Person.Email {
		in.PersonID, in.ParticipantName, in.ParticipantEmail = a.Person.ID, a.Person.Name, a.Person.Email
		if req.Payment == domain.PayEmployer {
			if employer == 0 || !a.MemberOf(employer) {
				return nil, &domain.Error{Code: domain.EInvalid, Message: "Eine Rechnung an den Arbeitgeber geht nur, wenn Sie Mitglied einer Kommune auf Lotse sind.",
					Fields: map[string]string{"payment": "Bitte wählen Sie Gutschein oder privat."}}
			}
			in.EmployerID = employer
			in.NeedsApproval = !a.HasRole(employer, domain.RoleHR)
		}
	} else {
		prov, err := s.sessionProvider(r, sessionID)
		if err != nil {
			return nil, err
		}
		if !authz.Allowed(a, authz.BookingFor, authz.Resource{ProviderID: prov, OrgID: employer}) {
			return nil, domain.Errorf(domain.EForbidden, "Für andere buchen können nur die Personalabteilung der Kommune und der Bildungsträger.")
		}
		in.ParticipantName, in.ParticipantEmail = req.Participant.Name, req.Participant.Email
		if p, err := s.db.PersonByEmail(r.Context(), req.Participant.Email); err == nil {
			in.PersonID = p.ID
		}
		if req.Payment == domain.PayEmployer && a.HasRole(employer, domain.RoleHR) {
			in.EmployerID = employer
		}
	}
	b, err := s.db.Book(r.Context(), in)
	if err == nil {
		s.refreshCatalog(r.Context())
	}
	return b, err
}

func (s *Server) sessionProvider(r *http.Request, sessionID int64) (int64, error) {
	b, _, err := s.db.Offers(r.Context(), store.OfferFilter{SessionIDs: []int64{sessionID}})
	if err != nil {
		return 0, err
	}
	if len(b) == 0 {
		return 0, domain.Errorf(domain.ENotFound, "Diesen Termin gibt es nicht.")
	}
	return b[0].ProviderID, nil
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
	b, err := s.book(r, id, req, key)
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
	a := actor(r)
	if a.Anonymous() {
		return nil, 0, domain.ErrUnauthorized
	}
	b, err := s.db.Booking(r.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	prov, err := s.sessionProvider(r, b.SessionID)
	if err != nil {
		return nil, 0, err
	}
	if !authz.Allowed(a, authz.BookingManage, authz.Resource{PersonID: b.PersonID, ProviderID: prov, OrgID: b.EmployerID}) {
		return nil, 0, domain.Errorf(domain.ENotFound, "Diese Buchung gibt es nicht.")
	}
	return b, prov, nil
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
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	if b, err = s.db.CancelBooking(r.Context(), b.ID); err != nil {
		return err
	}
	s.refreshCatalog(r.Context())
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiBookingApprove(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.BookingApprove, authz.Resource{OrgID: b.EmployerID}); err != nil {
		return domain.Errorf(domain.EForbidden, "Buchungen auf Rechnung des Arbeitgebers gibt die Personalabteilung frei.")
	}
	if b, err = s.db.ApproveBooking(r.Context(), b.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiSessionBookings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	prov, err := s.sessionProvider(r, id)
	if err != nil {
		return err
	}
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: prov}); err != nil {
		return domain.Errorf(domain.EForbidden, "Die Teilnehmerliste sieht nur der Bildungsträger des Angebots.")
	}
	bs, err := s.db.SessionBookings(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(bs, len(bs), 1))
}

// calendar builds an iCalendar file (RFC 5545, CRLF line ends) of bookings.
func (s *Server) calendar(bookings []store.BookingDetail) string {
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
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	all, err := s.db.PersonBookings(r.Context(), b.PersonID, b.ParticipantEmail)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.ID == b.ID {
			return writeICS(w, fmt.Sprintf("buchung-%d.ics", b.ID), s.calendar([]store.BookingDetail{d}))
		}
	}
	return domain.Errorf(domain.ENotFound, "Diese Buchung gibt es nicht.")
}

// handleCalendarFeed serves a person's calendar to calendar apps, which
// cannot log in: the secret in the address identifies the person.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	p, err := s.db.CalendarPerson(r.Context(), token)
	if err != nil {
		return err
	}
	bs, err := s.db.PersonBookings(r.Context(), p.ID, p.Email)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	return writeICS(w, "lotse.ics", s.calendar(bs))
}

type bookingsPage struct {
	Page
	Bookings []store.BookingDetail
	FeedURL  string
	Now      time.Time
}

func (s *Server) handleMyBookings(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	bs, err := s.db.PersonBookings(r.Context(), a.Person.ID, a.Person.Email)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bookings", &bookingsPage{Page: s.newPage(r, "Meine Buchungen"), Bookings: bs, Now: s.now()})
	return nil
}

// handleCalendarLink makes a new feed address and shows it once.
func (s *Server) handleCalendarLink(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	token, err := s.db.CalendarToken(r.Context(), a.Person.ID)
	if err != nil {
		return err
	}
	bs, err := s.db.PersonBookings(r.Context(), a.Person.ID, a.Person.Email)
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
	offerID, err := s.sessionOffer(r, id)
	if err != nil {
		return err
	}
	_, err = s.book(r, id, bookingRequest{Payment: r.PostForm.Get("payment"), Voucher: r.PostForm.Get("voucher")}, "")
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		o, lerr := s.db.Offer(r.Context(), offerID)
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

func (s *Server) sessionOffer(r *http.Request, sessionID int64) (int64, error) {
	b, _, err := s.db.Offers(r.Context(), store.OfferFilter{SessionIDs: []int64{sessionID}})
	if err != nil {
		return 0, err
	}
	if len(b) == 0 || b[0].Status != domain.OfferPublished {
		return 0, domain.Errorf(domain.ENotFound, "Diesen Termin gibt es nicht.")
	}
	return b[0].ID, nil
}

func (s *Server) handleBookingCancel(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.loadBooking(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := s.db.CancelBooking(r.Context(), b.ID); err != nil {
		return err
	}
	s.refreshCatalog(r.Context())
	return redirect(w, r, "/buchungen?hinweis=storniert")
}
