package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ProgrammeFunders are the funder organisations whose programmes a may
// create, clone and import (programmes: a programme as data); admins may
// for every funder, which this list does not spell out.
func ProgrammeFunders(a *domain.Actor) []int64 {
	if a.Anonymous() {
		return nil
	}
	var out []int64
	for _, m := range a.Memberships {
		if Allowed(a, ProgrammeCreate, Resource{OrgID: m.OrgID}) && m.OrgKind == domain.OrgFunder {
			out = append(out, m.OrgID)
		}
	}
	return out
}
