package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ManagedProviders are the providers whose offers a may manage (create,
// edit, add sessions, import): those a works for as provider staff.
func ManagedProviders(a *domain.Actor) []domain.Membership {
	if a.Anonymous() {
		return nil
	}
	var out []domain.Membership
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgProvider && m.Has(domain.RoleProviderStaff) && Allowed(a, OfferManage, Resource{ProviderID: m.OrgID}) {
			out = append(out, m)
		}
	}
	return out
}

// OfferVisible reports whether a may see an offer in a state: published
// offers are public, others only their provider's staff and the reviewers
// see.
func OfferVisible(a *domain.Actor, providerID int64, status string) bool {
	return status == domain.OfferPublished || Allowed(a, OfferManage, Resource{ProviderID: providerID}) ||
		Allowed(a, OfferReview, Resource{})
}
