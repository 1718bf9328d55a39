package desk

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
)

// Development is the desk's section on the person's own learning: whether
// they have assessed themselves and how many gaps they named.
type Development struct {
	Assessed bool `json:"assessed"`
	Gaps     int  `json:"gaps"`
}

// WithMatching lets the desk show the person's development; without it the
// desk has no such section.
func (s *Service) WithMatching(m *matching.Service) *Service {
	s.matching = m
	return s
}

// development reads the section for staff of a municipality; nil for
// everyone else.
func (s *Service) development(ctx context.Context, a *domain.Actor) (*Development, error) {
	if s.matching == nil || a.Anonymous() {
		return nil, nil
	}
	staff := false
	for _, m := range a.Memberships {
		staff = staff || m.OrgKind == domain.OrgMunicipality
	}
	if !staff {
		return nil, nil
	}
	as, err := s.matching.MyAssessment(ctx)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		return &Development{}, nil
	case err != nil:
		return nil, err
	}
	return &Development{Assessed: true, Gaps: len(as.Gaps())}, nil
}
