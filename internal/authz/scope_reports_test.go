package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestReportScopeMatrix(t *testing.T) {
	p := &domain.Programme{FunderID: 4, Reviewers: []domain.ReviewerRule{
		{AssociationID: 2, TypeCodes: []int{63}}, {AssociationID: 3, TypeCodes: []int{64}}}}
	member := func(id, org int64, kind domain.OrgKind, roles ...domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: id}, Memberships: []domain.Membership{
			{OrgID: org, OrgKind: kind, PersonID: id, Roles: roles}}}
	}
	admin := member(1, 9, domain.OrgPlatform, domain.RoleAdmin)
	funder := member(2, 4, domain.OrgFunder, domain.RoleFunder)
	funderNoRole := member(3, 4, domain.OrgFunder)
	reviewer := member(4, 2, domain.OrgAssociation, domain.RoleReviewer)
	plainMember := member(5, 3, domain.OrgAssociation)
	otherAssoc := member(6, 8, domain.OrgAssociation, domain.RoleReviewer)
	hr := member(7, 5, domain.OrgMunicipality, domain.RoleHR)
	both := &domain.Actor{Person: &domain.Person{ID: 8}, Memberships: []domain.Membership{
		{OrgID: 2, OrgKind: domain.OrgAssociation, PersonID: 8}, {OrgID: 3, OrgKind: domain.OrgAssociation, PersonID: 8}}}
	cases := []struct {
		name    string
		a       *domain.Actor
		asked   int64
		want    int64
		fixed   bool
		errCode string
	}{
		{"admin sees all", admin, 0, 0, false, ""},
		{"admin narrows to an association", admin, 3, 3, false, ""},
		{"funder sees all", funder, 0, 0, false, ""},
		{"funder narrows", funder, 2, 2, false, ""},
		{"funder member without the role", funderNoRole, 0, 0, false, domain.EForbidden},
		{"reviewer sees own association", reviewer, 0, 2, true, ""},
		{"reviewer cannot ask for another", reviewer, 3, 2, true, ""},
		{"any member of an association", plainMember, 0, 3, true, ""},
		{"member of two chooses", both, 3, 3, true, ""},
		{"association outside the programme", otherAssoc, 8, 0, false, domain.EForbidden},
		{"municipality staff", hr, 0, 0, false, domain.EForbidden},
		{"anonymous", &domain.Actor{}, 0, 0, false, domain.EUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, fixed, err := ReportScope(c.a, p, c.asked)
			code := ""
			if err != nil {
				code = domain.ErrorCode(err)
			}
			if code != c.errCode {
				t.Fatalf("error %v (code %q), want code %q", err, code, c.errCode)
			}
			if got != c.want || fixed != c.fixed {
				t.Errorf("ReportScope = %d, %v; want %d, %v", got, fixed, c.want, c.fixed)
			}
		})
	}
}
