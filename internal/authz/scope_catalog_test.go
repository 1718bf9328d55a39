package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestManagedProvidersAndOfferVisibility(t *testing.T) {
	staff := &domain.Actor{Person: &domain.Person{ID: 1}, Memberships: []domain.Membership{
		{OrgID: 7, OrgKind: domain.OrgProvider, Roles: []domain.Role{domain.RoleProviderStaff}},
		{OrgID: 8, OrgKind: domain.OrgProvider, Roles: []domain.Role{domain.RoleAccountAdmin}},
		{OrgID: 9, OrgKind: domain.OrgMunicipality, Roles: []domain.Role{domain.RoleProviderStaff}},
	}}
	ms := ManagedProviders(staff)
	if len(ms) != 1 || ms[0].OrgID != 7 {
		t.Fatalf("managed providers %+v", ms)
	}
	if ManagedProviders(&domain.Actor{}) != nil {
		t.Fatal("anonymous manages providers")
	}
	admin := &domain.Actor{Person: &domain.Person{ID: 2}, Memberships: []domain.Membership{
		{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}}}}
	for _, c := range []struct {
		a        *domain.Actor
		provider int64
		status   string
		want     bool
	}{
		{&domain.Actor{}, 7, domain.OfferPublished, true},
		{&domain.Actor{}, 7, domain.OfferInReview, false},
		{staff, 7, domain.OfferDraft, true},
		{staff, 8, domain.OfferReturned, false},
		{admin, 8, domain.OfferInReview, true},
	} {
		if got := OfferVisible(c.a, c.provider, c.status); got != c.want {
			t.Errorf("OfferVisible(%v, %d, %s) = %v", c.a.Person, c.provider, c.status, got)
		}
	}
}
