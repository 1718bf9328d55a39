package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestCommunityMatrix(t *testing.T) {
	const staedtetag, gemeindetag, futurehausen, kleinbach = 2, 3, 10, 11
	member := func(id, org int64, kind domain.OrgKind, roles ...domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: id}, Memberships: []domain.Membership{{OrgID: org, OrgKind: kind, PersonID: id, Roles: roles}}}
	}
	lilly := member(1, futurehausen, domain.OrgMunicipality, domain.RoleSignatory)
	paula := member(2, kleinbach, domain.OrgMunicipality, domain.RoleParticipant)
	petra := member(3, staedtetag, domain.OrgAssociation, domain.RoleModerator)
	reviewer := member(4, staedtetag, domain.OrgAssociation, domain.RoleReviewer)
	assocAdmin := member(5, staedtetag, domain.OrgAssociation, domain.RoleAccountAdmin)
	otherModerator := member(6, gemeindetag, domain.OrgAssociation, domain.RoleModerator)
	admin := member(7, 99, domain.OrgPlatform, domain.RoleAdmin)
	provider := member(8, 50, domain.OrgProvider, domain.RoleProviderStaff)
	// A municipality's ID handed in as a member org, but the actor's
	// membership there is of another kind, cannot open the space.
	wrongKind := member(9, futurehausen, domain.OrgProvider)

	st := func(orgs ...int64) SpaceScope { return SpaceScope{AssociationID: staedtetag, MemberOrgs: orgs} }
	cases := []struct {
		name                         string
		a                            *domain.Actor
		s                            SpaceScope
		read, write, moderate, chans bool
		code                         string // of CommunityCheck(read)
	}{
		{"member municipality staff", lilly, st(futurehausen), true, true, false, false, ""},
		{"suspended member reads, does not write", lilly, SpaceScope{AssociationID: staedtetag, MemberOrgs: []int64{futurehausen}, Suspended: true}, true, false, false, false, ""},
		{"municipality of another association", paula, st(), false, false, false, false, domain.ENotFound},
		{"association moderator", petra, st(), true, true, true, true, ""},
		{"association reviewer", reviewer, st(), true, true, false, false, ""},
		{"association account admin makes channels", assocAdmin, st(), true, true, false, true, ""},
		{"moderator of another association", otherModerator, st(), false, false, false, false, domain.ENotFound},
		{"platform admin moderates", admin, st(), true, true, true, true, ""},
		{"provider staff", provider, st(), false, false, false, false, domain.ENotFound},
		{"membership of the wrong kind", wrongKind, st(futurehausen), false, false, false, false, domain.ENotFound},
		{"anonymous", &domain.Actor{}, st(), false, false, false, false, domain.EUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := [4]bool{CommunityAllowed(c.a, CommunityRead, c.s), CommunityAllowed(c.a, CommunityWrite, c.s),
				CommunityAllowed(c.a, CommunityModerate, c.s), CommunityAllowed(c.a, CommunityChannels, c.s)}
			if want := [4]bool{c.read, c.write, c.moderate, c.chans}; got != want {
				t.Errorf("read, write, moderate, channels = %v, want %v", got, want)
			}
			err := CommunityCheck(c.a, CommunityRead, c.s)
			code := ""
			if err != nil {
				code = domain.ErrorCode(err)
			}
			if code != c.code {
				t.Errorf("CommunityCheck(read) = %v, want code %q", err, c.code)
			}
		})
	}
	if err := CommunityCheck(lilly, CommunityModerate, st(futurehausen)); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("a member who may not moderate is told so (403), got %v", err)
	}
	if !CommunityInMenu(lilly) || !CommunityInMenu(petra) || CommunityInMenu(provider) || CommunityInMenu(&domain.Actor{}) {
		t.Error("the menu offers the spaces to people of municipalities and associations only")
	}
}
