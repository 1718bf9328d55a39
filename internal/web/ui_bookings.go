package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

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

// calendar builds an iCalendar file of bookings (booking.Calendar).
func (s *Server) calendar(bookings []domain.BookingDetail) string {
	return booking.Calendar(s.cfg.BaseURL, bookings)
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
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	bs, err := s.app.Booking.CalendarFeed(r.Context(), token)
	if err != nil {
		return err
	}
	// events: the person's networking events are in the same feed.
	regs, err := s.app.Events.Feed(r.Context(), token)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	return httpx.WriteICS(w, "lotse.ics", booking.Calendar(s.cfg.BaseURL, bs, events.CalendarAdder(s.cfg.BaseURL, regs)))
}

type bookingsPage struct {
	Page
	Bookings []domain.BookingDetail
	// Releases tells per booking whether cancelling it now gives its
	// voucher back; the cancel button says so before.
	Releases map[int64]bool
	FeedURL  string
	Now      time.Time
	// More links the next page of bookings.
	More moreLink
}

// myBookingsPage is the number of bookings /buchungen shows at once.
const myBookingsPage = 50

func (s *Server) handleMyBookings(w http.ResponseWriter, r *http.Request) error {
	bs, next, err := s.app.Booking.MinePage(r.Context(), pageCursor(r, "nach"), myBookingsPage)
	if err != nil {
		return err
	}
	rel := map[int64]bool{}
	for i := range bs {
		rel[bs[i].ID] = s.app.Booking.CancelReleasesVoucher(r.Context(), &bs[i])
	}
	s.render(w, r, http.StatusOK, "bookings", &bookingsPage{Page: s.newPage(r, "Meine Buchungen"), Bookings: bs, Releases: rel, Now: s.now(),
		More: newMoreLink(r.URL, "nach", next, "Weitere Buchungen", "Weitere Buchungen anzeigen", "Zurück zu den ersten Buchungen", "buchungen")})
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
	bs, next, err := s.app.Booking.MinePage(r.Context(), 0, myBookingsPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bookings", &bookingsPage{Page: s.newPage(r, "Meine Buchungen"), Bookings: bs, Now: s.now(),
		FeedURL: s.cfg.BaseURL + "/kalender/" + token + ".ics",
		More:    newMoreLink(&url.URL{Path: "/buchungen"}, "nach", next, "Weitere Buchungen", "Weitere Buchungen anzeigen", "", "buchungen")})
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
		return s.renderOfferBooked(w, r, o, httpx.Status(code), &domain.Error{Code: code, Message: "Die Buchung ist nicht möglich: " + msg,
			Fields: map[string]string{fmt.Sprintf("book_%d", id): msg}}, bookedForm{Session: id, Payment: r.PostForm.Get("payment"), Voucher: r.PostForm.Get("voucher")})
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
