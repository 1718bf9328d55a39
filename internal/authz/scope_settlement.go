package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ClaimScope is the part of all claims a may list: admins all; a
// provider's staff their provider's claims (drafts included); a funder the
// claims of the programmes it funds that were submitted at least once
// (programmes maps a programme's ID to its funder). Anyone else gets an
// empty scope.
func ClaimScope(a *domain.Actor, programmes map[string]int64) domain.ClaimFilter {
	var f domain.ClaimFilter
	if IsAdmin(a) {
		f.All = true
		return f
	}
	f.ProviderIDs, f.ProgrammeIDs = []int64{}, []string{}
	if a.Anonymous() {
		return f
	}
	for _, m := range a.Memberships {
		if m.Has(domain.RoleProviderStaff) {
			f.ProviderIDs = append(f.ProviderIDs, m.OrgID)
		}
	}
	for id, funder := range programmes {
		if a.HasRole(funder, domain.RoleFunder) {
			f.ProgrammeIDs = append(f.ProgrammeIDs, id)
		}
	}
	return f
}
