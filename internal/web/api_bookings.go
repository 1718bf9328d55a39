package web

import (
	"context"
	"net/http"

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

// apiBookings lists the bookings the caller may see (authz.BookingScope),
// with ?status= only those in that status (awaiting_approval: HR's desk).
func (s *Server) apiBookings(w http.ResponseWriter, r *http.Request) error {
	after, limit, err := apiCursor(r, 100)
	if err != nil {
		return err
	}
	bs, next, err := s.app.Booking.ListPage(r.Context(), domain.BookingStatus(r.URL.Query().Get("status")), after, limit)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, newCursorList(bs, len(bs), next))
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

// apiBookingApprove approves a booking waiting for approval, with an
// optional {"note"}.
func (s *Server) apiBookingApprove(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Note string `json:"note"`
	}
	if err := readOptionalJSON(r, &req); err != nil {
		return err
	}
	return s.bookingAction(w, r, func(ctx context.Context, id int64) (*domain.Booking, error) {
		return s.app.Booking.Approve(ctx, id, req.Note)
	})
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
	after, limit, err := apiCursor(r, domain.MaxPage)
	if err != nil {
		return err
	}
	bs, next, err := s.app.Booking.SessionBookingsPage(r.Context(), id, after, limit)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, newCursorList(bs, len(bs), next))
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
