package desk

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/settlement"
)

// ClaimsDue is a person's settlement work: for a provider's staff the
// redeemed vouchers in no claim yet and the claims returned for
// correction; for the funder side the claims to check and to release.
type ClaimsDue struct {
	Claimable      int   `json:"claimable_vouchers"`
	ClaimableCents int64 `json:"claimable_cents"`
	Returned       int   `json:"returned_claims"`
	ToCheck        int   `json:"claims_to_check"`
	ToRelease      int   `json:"claims_to_release"`
}

// WithSettlement lets the desk show the settlement work; without it the
// desk has no such section.
func (s *Service) WithSettlement(st *settlement.Service) *Service {
	s.settlement = st
	return s
}

// claims counts the settlement work of the actor; nil when there is none.
func (s *Service) claims(ctx context.Context, a *domain.Actor) (*ClaimsDue, error) {
	if s.settlement == nil || !authz.ClaimsInMenu(a) {
		return nil, nil
	}
	ps, err := s.funding.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	funders := map[string]int64{}
	for _, p := range ps {
		funders[p.ID] = p.FunderID
	}
	d := &ClaimsDue{}
	for _, m := range authz.ClaimProviders(a) {
		for _, p := range ps {
			if !p.FundsProvider(m.OrgID) {
				continue
			}
			items, err := s.settlement.Claimable(ctx, p.ID, m.OrgID)
			if err != nil {
				return nil, err
			}
			d.Claimable += len(items)
			for _, it := range items {
				d.ClaimableCents += it.ValueCents
			}
		}
	}
	cs, err := s.settlement.Claims(ctx, domain.ClaimFilter{})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		review := authz.Allowed(a, authz.ClaimReview, authz.Resource{OrgID: funders[c.ProgrammeID], ProviderID: c.ProviderID})
		switch {
		case c.Status == domain.ClaimSubmitted && review:
			d.ToCheck++
		case c.Status == domain.ClaimChecked && review:
			d.ToRelease++
		case c.Status == domain.ClaimReturned && authz.Allowed(a, authz.ClaimPrepare, authz.Resource{ProviderID: c.ProviderID}):
			d.Returned++
		}
	}
	if *d == (ClaimsDue{}) {
		return nil, nil
	}
	return d, nil
}
