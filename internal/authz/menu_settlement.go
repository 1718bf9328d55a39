package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ClaimsInMenu reports whether the main navigation offers the claims
// (Abrechnungen) to a: the staff of a provider, who prepare them, and the
// funder side, who reviews them.
func ClaimsInMenu(a *domain.Actor) bool {
	return !a.Anonymous() && (a.HasAnyRole(domain.RoleProviderStaff) || a.HasAnyRole(domain.RoleFunder))
}

// ClaimProviders are the memberships of a in whose name a may prepare
// claims and keep the billing data.
func ClaimProviders(a *domain.Actor) []domain.Membership {
	if a.Anonymous() {
		return nil
	}
	var out []domain.Membership
	for _, m := range a.Memberships {
		if Allowed(a, ClaimPrepare, Resource{ProviderID: m.OrgID}) {
			out = append(out, m)
		}
	}
	return out
}
