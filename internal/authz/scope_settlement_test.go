package authz

import (
	"slices"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// TestSettlementPolicy is the settlement's row of the policy as a matrix:
// provider 20 claims in a programme funded by organisation 30.
func TestSettlementPolicy(t *testing.T) {
	const provider, funder, other = 20, 30, 40
	res := Resource{OrgID: funder, ProviderID: provider}
	actors := map[string]*domain.Actor{
		"anonymous":       {},
		"staff":           actorWith(domain.Membership{OrgID: provider, Roles: []domain.Role{domain.RoleProviderStaff}}),
		"other staff":     actorWith(domain.Membership{OrgID: other, Roles: []domain.Role{domain.RoleProviderStaff}}),
		"funder":          actorWith(domain.Membership{OrgID: funder, Roles: []domain.Role{domain.RoleFunder}}),
		"reviewer":        actorWith(domain.Membership{OrgID: funder, Roles: []domain.Role{domain.RoleReviewer}}),
		"admin":           actorWith(domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}}),
		"municipal staff": actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleSignatory, domain.RoleHR}}),
	}
	want := map[Action][]string{
		ClaimPrepare:  {"staff"},
		ClaimView:     {"staff", "funder", "admin"},
		ClaimReview:   {"funder"},
		ClaimInternal: {"funder", "admin"},
		ClaimList:     {"staff", "other staff", "funder", "reviewer", "admin", "municipal staff"},
		BudgetView:    {"funder", "admin"},
		BudgetEdit:    {"funder"},
	}
	for act, allowed := range want {
		for name, a := range actors {
			if got := Allowed(a, act, res); got != slices.Contains(allowed, name) {
				t.Errorf("%s × %s: %v", name, act, got)
			}
		}
	}
}

func TestClaimScope(t *testing.T) {
	funders := map[string]int64{"bw": 30, "by": 31}
	f := ClaimScope(actorWith(domain.Membership{OrgID: 20, Roles: []domain.Role{domain.RoleProviderStaff}},
		domain.Membership{OrgID: 30, Roles: []domain.Role{domain.RoleFunder}}), funders)
	if f.All || !slices.Equal(f.ProviderIDs, []int64{20}) || !slices.Equal(f.ProgrammeIDs, []string{"bw"}) {
		t.Fatalf("staff and funder: %+v", f)
	}
	if f := ClaimScope(&domain.Actor{}, funders); f.All || f.ProviderIDs == nil || len(f.ProviderIDs)+len(f.ProgrammeIDs) != 0 {
		t.Fatalf("anonymous: %+v", f)
	}
	if f := ClaimScope(actorWith(domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}}), funders); !f.All {
		t.Fatalf("admin: %+v", f)
	}
}
