package booking

import (
	"context"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Rate records the participant's rating of the offer of a completed
// booking: 1 to 5 stars and an optional comment, once per booking.
func (s *Service) Rate(ctx context.Context, id int64, stars int, comment string) (err error) {
	defer domain.Wrap(&err, "booking.Rate(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	comment = strings.TrimSpace(comment)
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		b, _, _, err := lockAttendee(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.BookingRate, authz.Resource{PersonID: b.PersonID}) {
			return domain.ErrRatingForbidden
		}
		if err := domain.ValidateRating(stars, comment); err != nil {
			return err
		}
		if b.Status != domain.BookingCompleted {
			return domain.ErrRatingNotCompleted
		}
		if err := tx.InsertRating(ctx, b.ID, b.OfferID, stars, comment); domain.ErrorCode(err) == domain.EConflict {
			return domain.ErrRatedAlready
		} else if err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "offer.rate", "offer", b.OfferID, map[string]int{"stars": stars})
	})
}
