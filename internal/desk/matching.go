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
	// Paths are the learning paths the person follows.
	Paths []PathProgress `json:"paths"`
}

// PathProgress is a followed learning path on the desk.
type PathProgress struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Percent  int    `json:"percent"`
	Complete bool   `json:"complete"`
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
	d := &Development{Paths: []PathProgress{}}
	as, err := s.matching.MyAssessment(ctx)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
	case err != nil:
		return nil, err
	default:
		d.Assessed, d.Gaps = true, len(as.Gaps())
	}
	views, err := s.matching.MyPathProgress(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		pp := PathProgress{ID: v.Path.ID, Title: v.Path.Title, Complete: v.CompletedAt != nil}
		if v.Progress != nil {
			pp.Percent = v.Progress.Percent
		}
		d.Paths = append(d.Paths, pp)
	}
	return d, nil
}
