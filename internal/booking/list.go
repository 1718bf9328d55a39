package booking

import (
	"context"
	"slices"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Mine lists the bookings of the logged-in person (by account or address),
// next session first.
func (s *Service) Mine(ctx context.Context) (bs []domain.BookingDetail, err error) {
	defer domain.Wrap(&err, "booking.Mine")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	return s.db.BookingDetails(ctx, authz.OwnBookings(a))
}

// List lists every booking the logged-in person may see (authz.BookingScope),
// only those in status when it is not empty. With status awaiting_approval
// HR gets the bookings it may decide, a participant their own, provider
// staff those of their sessions.
func (s *Service) List(ctx context.Context, status domain.BookingStatus) (bs []domain.BookingDetail, err error) {
	defer domain.Wrap(&err, "booking.List")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if status != "" && !domain.ValidTeamStatus(string(status)) || status == domain.TeamStatusNone {
		return nil, domain.Errorf(domain.EInvalid, "Diesen Status gibt es nicht.")
	}
	f := authz.BookingScope(a)
	f.Status = status
	return s.db.BookingDetails(ctx, f)
}

// Awaiting lists the bookings waiting for approval that the logged-in
// person may decide as HR (authz.ApprovalScope), oldest request first.
func (s *Service) Awaiting(ctx context.Context) (bs []domain.BookingDetail, err error) {
	defer domain.Wrap(&err, "booking.Awaiting")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if !authz.DecidesApprovals(a) {
		return nil, domain.ErrApproveOnlyHR
	}
	bs, err = s.db.BookingDetails(ctx, authz.ApprovalScope(a))
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(bs, func(x, y domain.BookingDetail) int { return x.CreatedAt.Compare(y.CreatedAt) })
	return bs, nil
}

// Detail returns one booking with its offer and session, for someone who
// may manage it.
func (s *Service) Detail(ctx context.Context, id int64) (d *domain.BookingDetail, err error) {
	defer domain.Wrap(&err, "booking.Detail(%d)", id)
	b, _, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	all, err := s.db.BookingDetails(ctx, domain.BookingFilter{PersonID: b.PersonID, Email: b.ParticipantEmail})
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == b.ID {
			return &all[i], nil
		}
	}
	return nil, domain.ErrBookingNotFound
}

// CalendarLink makes a new secret feed address for the logged-in person's
// calendar, replacing an earlier one, and returns its token.
func (s *Service) CalendarLink(ctx context.Context) (token string, err error) {
	defer domain.Wrap(&err, "booking.CalendarLink")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return "", domain.ErrUnauthorized
	}
	return s.db.CalendarToken(ctx, a.Person.ID)
}

// CalendarFeed returns the bookings of the person a feed token belongs to:
// calendar apps cannot log in, the secret identifies the person.
func (s *Service) CalendarFeed(ctx context.Context, token string) (bs []domain.BookingDetail, err error) {
	defer domain.Wrap(&err, "booking.CalendarFeed")
	p, err := s.db.CalendarPerson(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.db.BookingDetails(ctx, domain.BookingFilter{PersonID: p.ID, Email: p.Email})
}

// SessionOffer returns the published offer a session belongs to.
func (s *Service) SessionOffer(ctx context.Context, sessionID int64) (offerID int64, err error) {
	defer domain.Wrap(&err, "booking.SessionOffer(%d)", sessionID)
	offerID, _, published, err := s.db.SessionProvider(ctx, sessionID)
	if err != nil {
		return 0, err
	}
	if !published {
		return 0, domain.ErrSessionNotFound
	}
	return offerID, nil
}

// SessionProvider returns the provider of a session's offer.
func (s *Service) SessionProvider(ctx context.Context, sessionID int64) (providerID int64, err error) {
	defer domain.Wrap(&err, "booking.SessionProvider(%d)", sessionID)
	_, providerID, _, err = s.db.SessionProvider(ctx, sessionID)
	return providerID, err
}

// ProviderSessions lists the sessions that need the staff of the actor's
// providers: those still to come, with places and waiting list, and those
// of the last 60 days whose attendance is still to be recorded.
func (s *Service) ProviderSessions(ctx context.Context, limit int) (ps []domain.ProviderSession, err error) {
	defer domain.Wrap(&err, "booking.ProviderSessions")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	var ids []int64
	for _, m := range authz.ManagedProviders(a) {
		ids = append(ids, m.OrgID)
	}
	now := s.db.Now()
	return s.db.ProviderSessions(ctx, ids, now, now.AddDate(0, 0, -60), limit)
}
