package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ReportScope says which part of programme p's report a reads, given the
// association the reader asked for (0: none). The programme's funder and
// admins read all of it, narrowed to the association they ask for; the
// members of an association the programme assigns applicants to (any role)
// read only their association's share, whatever they asked for (fixed is
// true). Anyone else gets ErrUnauthorized or ErrForbidden.
func ReportScope(a *domain.Actor, p *domain.Programme, asked int64) (association int64, fixed bool, err error) {
	if Allowed(a, ReportView, Resource{OrgID: p.FunderID}) {
		return asked, false, nil
	}
	var own []int64
	for _, r := range p.Reviewers {
		if Allowed(a, ReportView, Resource{ReviewerID: r.AssociationID}) {
			own = append(own, r.AssociationID)
		}
	}
	if len(own) == 0 {
		return 0, false, Check(a, ReportView, Resource{OrgID: p.FunderID})
	}
	for _, id := range own {
		if id == asked {
			return id, true, nil
		}
	}
	return own[0], true, nil
}
