package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestAdminAreaAndOrgListScope(t *testing.T) {
	admin := &domain.Actor{Person: &domain.Person{ID: 1}, Memberships: []domain.Membership{
		{OrgID: 9, OrgKind: domain.OrgPlatform, PersonID: 1, Roles: []domain.Role{domain.RoleAdmin}}}}
	hr := &domain.Actor{Person: &domain.Person{ID: 2}, Memberships: []domain.Membership{
		{OrgID: 5, OrgKind: domain.OrgMunicipality, PersonID: 2, Roles: []domain.Role{domain.RoleHR, domain.RoleAccountAdmin}}}}
	nobody := &domain.Actor{}
	cases := []struct {
		name      string
		a         *domain.Actor
		area, all bool
		personID  int64
	}{
		{"platform admin", admin, true, true, 0},
		{"municipality staff", hr, false, false, 2},
		{"anonymous", nobody, false, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Allowed(c.a, AdminArea, Resource{}); got != c.area {
				t.Errorf("AdminArea = %v, want %v", got, c.area)
			}
			all, id := OrgListScope(c.a)
			if all != c.all || id != c.personID {
				t.Errorf("OrgListScope = %v, %d; want %v, %d", all, id, c.all, c.personID)
			}
		})
	}
}
