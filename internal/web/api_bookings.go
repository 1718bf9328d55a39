package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
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
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	var req bookingRequest
	if err := httpx.ReadJSON(r, &req); err != nil {
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
	return httpx.WriteJSON(w, http.StatusCreated, b)
}

// loadBooking reads the booking of the path for someone allowed to manage
// it; for others it does not exist.
func (s *Server) loadBooking(r *http.Request) (*domain.Booking, int64, error) {
	id, err := httpx.PathID(r, "id")
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
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(bs, len(bs), 1))
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
	certs, err := s.app.Certify.BookingCertificates(r.Context(), b.ID)
	if err != nil {
		return err
	}
	v := bookingView{Booking: b, Certificates: []certificateView{}}
	for i := range certs {
		v.Certificates = append(v.Certificates, s.certificateView(&certs[i]))
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
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
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := do(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, b)
}

func (s *Server) apiSessionBookings(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	bs, err := s.app.Booking.SessionBookings(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(bs, len(bs), 1))
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
	if err := httpx.ReadJSON(r, &req); err != nil {
		return err
	}
	v, err := do(r.Context(), r.PathValue("code"), req.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
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

// handleBookingICS is one booking as a calendar file.
func (s *Server) handleBookingICS(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Booking.Detail(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteICS(w, fmt.Sprintf("buchung-%d.ics", d.ID), s.calendar([]domain.BookingDetail{*d}))
}

// handleCalendarFeed serves a person's calendar to calendar apps, which
// cannot log in: the secret in the address identifies the person.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.app.Booking.CalendarFeed(r.Context(), strings.TrimSuffix(r.PathValue("token"), ".ics"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	return httpx.WriteICS(w, "lotse.ics", s.calendar(bs))
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
	id, err := httpx.PathID(r, "id")
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
		return s.renderOffer(w, r, o, httpx.Status(code), &domain.Error{Code: code, Message: "Die Buchung ist nicht möglich: " + msg,
			Fields: map[string]string{fmt.Sprintf("book_%d", id): msg}})
	}
	return redirect(w, r, "/buchungen?hinweis=gebucht")
}

func (s *Server) handleBookingCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
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
