package matching

import "context"

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

// pathNeeds returns the next open steps of the paths the person follows.
// The learning paths (paths.go) fill it in.
func (s *Service) pathNeeds(ctx context.Context, personID int64) ([]PathNeed, error) {
	return nil, nil
}
