package authz

import "github.com/lotse-oss/lotse/internal/domain"

// OrgListScope says which organisations a may list: all for the platform's
// admins (all is true), otherwise those of which personID is a member.
func OrgListScope(a *domain.Actor) (all bool, personID int64) {
	if Allowed(a, OrgAdmin, Resource{}) {
		return true, 0
	}
	return false, a.PersonID()
}
