package matching

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// PathNeed is the next open step of a learning path a person follows: what
// the recommendations favour ("path" reasons). Offers that complete the
// step are OfferIDs, or any offer teaching Code (or a competence of Area)
// at MinLevel or above; Track is the funding track the step expects ("" any).
type PathNeed struct {
	PathID    int64
	PathTitle string
	StepTitle string
	OfferIDs  []int64
	Area      string
	Code      string
	MinLevel  int
	Track     string
}

// trackOnly reports whether any offer of the need's track completes it:
// the step names neither offers nor a competence.
func (n *PathNeed) trackOnly() bool {
	return n.Track != "" && len(n.OfferIDs) == 0 && n.Code == "" && n.Area == ""
}

// pathNeeds returns the next open steps of the paths the person follows:
// the steps in state next that take offers (networking events are left
// out), in the order of the paths and their steps.
func (s *Service) pathNeeds(ctx context.Context, personID int64) ([]PathNeed, error) {
	var out []PathNeed
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		return followedPaths(ctx, tx, personID, func(_ domain.PathMember, p *domain.Path, pr *domain.PathProgress, _ []domain.PathBooking) error {
			for _, sp := range pr.NextSteps() {
				st := sp.Step
				if st.Kind == domain.StepEvent {
					continue
				}
				out = append(out, PathNeed{PathID: p.ID, PathTitle: p.Title, StepTitle: st.Title, OfferIDs: st.OfferIDs, Area: st.Area,
					Code: st.Code, MinLevel: st.MinLevel, Track: st.Track})
			}
			return nil
		})
	})
	return out, err
}

// followedPaths calls fn for each path the person follows, with their
// progress on it and the bookings it was computed from.
func followedPaths(ctx context.Context, tx *store.Tx, personID int64,
	fn func(m domain.PathMember, p *domain.Path, pr *domain.PathProgress, bs []domain.PathBooking) error) error {
	ms, err := tx.PersonPaths(ctx, personID)
	if err != nil || len(ms) == 0 {
		return err
	}
	bs, err := tx.PathBookings(ctx, personID, ms[0].Email)
	if err != nil {
		return err
	}
	evs, err := tx.PathEvents(ctx, personID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		p, err := tx.Path(ctx, m.PathID)
		if err != nil {
			return err
		}
		if err := fn(m, p, p.Progress(bs, evs[p.ID]), bs); err != nil {
			return err
		}
	}
	return nil
}
