package booking

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// page reads one page of the bookings f selects: up to limit after the
// booking after, and the ID to continue from (0 on the last page).
func (s *Service) page(ctx context.Context, f domain.BookingFilter, after int64, limit int) ([]domain.BookingDetail, int64, error) {
	if limit <= 0 || limit > store.MaxPage {
		limit = 50
	}
	f.After, f.Limit = after, limit+1
	bs, err := s.db.BookingDetails(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if len(bs) <= limit {
		return bs, 0, nil
	}
	bs = bs[:limit]
	return bs, bs[limit-1].ID, nil
}

// MinePage is a page of Mine: up to limit bookings after the booking
// after (0: from the start), and where the next page starts (0: none).
func (s *Service) MinePage(ctx context.Context, after int64, limit int) (bs []domain.BookingDetail, next int64, err error) {
	defer domain.Wrap(&err, "booking.MinePage")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, 0, domain.ErrUnauthorized
	}
	return s.page(ctx, authz.OwnBookings(a), after, limit)
}

// ListPage is a page of List.
func (s *Service) ListPage(ctx context.Context, status domain.BookingStatus, after int64, limit int) (bs []domain.BookingDetail, next int64, err error) {
	defer domain.Wrap(&err, "booking.ListPage")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, 0, domain.ErrUnauthorized
	}
	if status != "" && !domain.ValidTeamStatus(string(status)) || status == domain.TeamStatusNone {
		return nil, 0, domain.Errorf(domain.EInvalid, "Diesen Status gibt es nicht.")
	}
	f := authz.BookingScope(a)
	f.Status = status
	return s.page(ctx, f, after, limit)
}

// SessionBookingsPage is a page of SessionBookings: up to limit bookings
// after the booking after, and where the next page starts (0: none).
func (s *Service) SessionBookingsPage(ctx context.Context, sessionID, after int64, limit int) (bs []domain.Booking, next int64, err error) {
	defer domain.Wrap(&err, "booking.SessionBookingsPage(%d)", sessionID)
	_, provider, _, err := s.db.SessionProvider(ctx, sessionID)
	if err != nil {
		return nil, 0, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: provider}); err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			return nil, 0, err
		}
		return nil, 0, domain.ErrParticipantsOnly
	}
	if limit <= 0 || limit > store.MaxPage {
		limit = 50
	}
	bs, err = s.db.SessionBookingsPage(ctx, sessionID, after, limit+1)
	if err != nil || len(bs) <= limit {
		return bs, 0, err
	}
	bs = bs[:limit]
	return bs, bs[limit-1].ID, nil
}
