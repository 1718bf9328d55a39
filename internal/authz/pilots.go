package authz

import "github.com/lotse-oss/lotse/internal/domain"

// PilotsMember reports whether a sees the directory of digital pilots: a
// member of a municipality or an association. The public, and people who
// belong only to providers, the funder or the platform, do not.
func PilotsMember(a *domain.Actor) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality || m.OrgKind == domain.OrgAssociation {
			return true
		}
	}
	return false
}
