package booking

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// resource is a booking as the policy sees it.
func resource(b *domain.Booking, providerID int64) authz.Resource {
	return authz.Resource{PersonID: b.PersonID, ProviderID: providerID, OrgID: b.EmployerID}
}

// Get returns a booking and the provider of its session to someone who may
// manage it (the participant, HR of the employer, the provider's staff,
// admins); for others it does not exist.
func (s *Service) Get(ctx context.Context, id int64) (b *domain.Booking, providerID int64, err error) {
	defer domain.Wrap(&err, "booking.Get(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, 0, domain.ErrUnauthorized
	}
	b, providerID, err = s.db.BookingProvider(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if !authz.Allowed(a, authz.BookingManage, resource(b, providerID)) {
		return nil, 0, domain.ErrBookingNotFound
	}
	return b, providerID, nil
}

// Cancel cancels a booking. Everything it decides on (the booking's status,
// the first on the waiting list) is read under the session's lock, so ten
// cancellations of one booking at once succeed once and free one place.
// Whether the voucher is freed follows domain.CancellationReleasesVoucher;
// the first person on the waiting list moves up into a freed place and is
// told by e-mail.
func (s *Service) Cancel(ctx context.Context, id int64) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.Cancel(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		b, ses, o, err := tx.LockBooking(ctx, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.BookingManage, resource(b, o.ProviderID)) {
			return domain.ErrBookingNotFound
		}
		if err := domain.CanCancel(b.Status); err != nil {
			return err
		}
		if err := tx.SetBookingStatus(ctx, id, domain.BookingCancelled); err != nil {
			return err
		}
		byProvider := authz.Allowed(a, authz.OfferManage, authz.Resource{ProviderID: o.ProviderID})
		kept := false
		if b.VoucherCode != "" && b.VoucherState == domain.VoucherReserved {
			kept = !domain.CancellationReleasesVoucher(tx.Now(), ses, byProvider)
			if !kept {
				err := tx.ChangeVoucher(ctx, store.VoucherChange{Code: voucher.Code(strings.ReplaceAll(b.VoucherCode, "-", "")), OrgID: o.ProviderID,
					From: domain.VoucherReserved, To: domain.VoucherIssued})
				if err != nil {
					return err
				}
			}
		}
		data := map[string]any{"Name": b.ParticipantName, "Title": o.Title, "Start": ses.StartsAt, "VoucherKept": kept}
		if err := s.notify.Enqueue(ctx, tx, b.ParticipantEmail, "booking-cancelled", data); err != nil {
			return err
		}
		if b.Status == domain.BookingConfirmed {
			if err := s.moveUp(ctx, tx, ses, o); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, o.ProviderID, "booking.cancel", "booking", id, map[string]string{"from": string(b.Status)})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Booking(ctx, id)
}

// moveUp gives a freed place to the first on the waiting list and tells
// them.
func (s *Service) moveUp(ctx context.Context, tx *store.Tx, ses *domain.Session, o *domain.Offer) error {
	next, err := tx.FirstWaiting(ctx, ses.ID)
	if err != nil || next == nil {
		return err
	}
	if err := tx.SetBookingStatus(ctx, next.ID, domain.BookingConfirmed); err != nil {
		return err
	}
	d, err := tx.BookingDetail(ctx, next.ID)
	if err != nil {
		return err
	}
	data := map[string]any{"Name": next.ParticipantName, "Title": o.Title, "Start": ses.StartsAt}
	if err := s.notify.EnqueueWith(ctx, tx, next.ParticipantEmail, "booking-moved-up", data, calendarAttachment(s.notify.BaseURL(), d)); err != nil {
		return err
	}
	return tx.Audit(ctx, o.ProviderID, "booking.move_up", "booking", next.ID, nil)
}

// Approve lets HR of the employer approve a booking billed to it, with an
// optional note; it then takes a free place or joins the waiting list,
// counted under the lock. The participant is told either way.
func (s *Service) Approve(ctx context.Context, id int64, note string) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.Approve(%d)", id)
	note = strings.TrimSpace(note)
	err = s.decide(ctx, id, func(tx *store.Tx, b *domain.Booking, ses *domain.Session, o *domain.Offer) error {
		if utf8.RuneCountInString(note) > maxReason {
			return domain.ErrApprovalNoteLong
		}
		confirmed, waiting, err := tx.PlaceCounts(ctx, ses.ID)
		if err != nil {
			return err
		}
		status := domain.PlaceStatus(ses.Capacity, confirmed, waiting)
		if err := tx.SetBookingStatus(ctx, id, status); err != nil {
			return err
		}
		if err := tx.SetApprovalNote(ctx, id, note); err != nil {
			return err
		}
		data := map[string]any{"Name": b.ParticipantName, "Title": o.Title, "Start": ses.StartsAt, "Waitlisted": status == domain.BookingWaitlisted,
			"Note": note}
		var att *domain.Attachment
		if status == domain.BookingConfirmed {
			d, err := tx.BookingDetail(ctx, id)
			if err != nil {
				return err
			}
			att = calendarAttachment(s.notify.BaseURL(), d)
		}
		if err := s.notify.EnqueueWith(ctx, tx, b.ParticipantEmail, "booking-approved", data, att); err != nil {
			return err
		}
		return tx.Audit(ctx, o.ProviderID, "booking.approve", "booking", id, map[string]string{"status": string(status), "note": note})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Booking(ctx, id)
}

// Decline lets HR of the employer decline a booking billed to it, with a
// reason the participant is told by e-mail. The booking is cancelled (a
// voucher it reserved is free again) and keeps the reason.
func (s *Service) Decline(ctx context.Context, id int64, reason string) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.Decline(%d)", id)
	reason = strings.TrimSpace(reason)
	err = s.decide(ctx, id, func(tx *store.Tx, b *domain.Booking, ses *domain.Session, o *domain.Offer) error {
		// Checked after the permission and the status, so that the answer
		// tells nothing to those who may not decide.
		switch {
		case reason == "":
			return domain.ErrDeclineReason
		case utf8.RuneCountInString(reason) > maxReason:
			return domain.ErrDeclineReasonLong
		}
		if err := tx.DeclineBooking(ctx, id, reason); err != nil {
			return err
		}
		if b.VoucherCode != "" && b.VoucherState == domain.VoucherReserved {
			err := tx.ChangeVoucher(ctx, store.VoucherChange{Code: voucher.Code(strings.ReplaceAll(b.VoucherCode, "-", "")), OrgID: o.ProviderID,
				From: domain.VoucherReserved, To: domain.VoucherIssued, Reason: "Buchung von der Personalabteilung abgelehnt"})
			if err != nil {
				return err
			}
		}
		data := map[string]any{"Name": b.ParticipantName, "Title": o.Title, "Start": ses.StartsAt, "Reason": reason}
		if err := s.notify.Enqueue(ctx, tx, b.ParticipantEmail, "booking-declined", data); err != nil {
			return err
		}
		return tx.Audit(ctx, o.ProviderID, "booking.decline", "booking", id, map[string]string{"reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Booking(ctx, id)
}

// maxReason is the longest decline reason or approval note, in characters.
const maxReason = 1000

// decide runs HR's decision on a booking waiting for approval: under the
// session's lock it reads the booking, which must be visible to the actor
// (else it does not exist), billed to a municipality where the actor is HR
// and still waiting.
func (s *Service) decide(ctx context.Context, id int64, do func(*store.Tx, *domain.Booking, *domain.Session, *domain.Offer) error) error {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		b, ses, o, err := tx.LockBooking(ctx, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.BookingManage, resource(b, o.ProviderID)) {
			return domain.ErrBookingNotFound
		}
		if !authz.Allowed(a, authz.BookingApprove, authz.Resource{OrgID: b.EmployerID}) {
			return domain.ErrApproveOnlyHR
		}
		if err := domain.CanApprove(b.Status); err != nil {
			return err
		}
		return do(tx, b, ses, o)
	})
}

// SessionBookings lists a session's bookings for the staff of its provider.
func (s *Service) SessionBookings(ctx context.Context, sessionID int64) (bs []domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.SessionBookings(%d)", sessionID)
	_, provider, _, err := s.db.SessionProvider(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: provider}); err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			return nil, err
		}
		return nil, domain.ErrParticipantsOnly
	}
	return s.db.SessionBookings(ctx, sessionID)
}

// CancelReleasesVoucher tells whether cancelling the booking now, by the
// logged-in person, would give its reserved voucher back: the page asks
// before the cancellation and says so. The rule is
// domain.CancellationReleasesVoucher, the one Cancel follows.
func (s *Service) CancelReleasesVoucher(ctx context.Context, d *domain.BookingDetail) bool {
	if d.VoucherCode == "" || d.VoucherState != domain.VoucherReserved {
		return false
	}
	byProvider := authz.Allowed(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: d.ProviderID})
	return domain.CancellationReleasesVoucher(s.db.Now(), &d.Session, byProvider)
}
