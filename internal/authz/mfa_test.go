package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The second factor at login as a matrix: role × requirement × enrolled.
// Organisations: 1 a municipality, 2 an association reviewing programme
// "p", 3 the programme's funder, 4 the platform, 5 a provider, 6 another
// association (not reviewing "p").
func TestSecondFactorAtLoginMatrix(t *testing.T) {
	member := func(org int64, kind domain.OrgKind, r domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: 7}, Memberships: []domain.Membership{{OrgID: org, OrgKind: kind, Roles: []domain.Role{r}}}}
	}
	roles := []struct {
		name  string
		actor *domain.Actor
		org   int64 // the organisation whose own requirement covers the role
		// covered: the role falls under a requirement (of its organisation,
		// or of programme "p").
		covered bool
	}{
		{"signatory", member(1, domain.OrgMunicipality, domain.RoleSignatory), 1, true},
		{"hr", member(1, domain.OrgMunicipality, domain.RoleHR), 1, false},
		{"participant", member(1, domain.OrgMunicipality, domain.RoleParticipant), 1, false},
		{"account_admin", member(1, domain.OrgMunicipality, domain.RoleAccountAdmin), 1, false},
		{"reviewer", member(2, domain.OrgAssociation, domain.RoleReviewer), 2, true},
		{"funder", member(3, domain.OrgFunder, domain.RoleFunder), 3, true},
		{"admin", member(4, domain.OrgPlatform, domain.RoleAdmin), 4, true},
		{"provider_staff", member(5, domain.OrgProvider, domain.RoleProviderStaff), 5, false},
	}
	programme := domain.ProgrammeMFA{ID: "p", FunderID: 3, ReviewerIDs: []int64{2}}
	requirements := []struct {
		name string
		req  func(org int64) domain.MFARequirements
		// applies: the requirement reaches a covered role
		applies bool
	}{
		{"none", func(int64) domain.MFARequirements { return domain.MFARequirements{} }, false},
		{"own organisation", func(org int64) domain.MFARequirements { return domain.MFARequirements{Orgs: []int64{org}} }, true},
		{"another organisation", func(org int64) domain.MFARequirements { return domain.MFARequirements{Orgs: []int64{org + 100}} }, false},
		{"programme", func(int64) domain.MFARequirements {
			return domain.MFARequirements{Programmes: []domain.ProgrammeMFA{programme}}
		}, true},
	}
	for _, r := range roles {
		for _, q := range requirements {
			for _, enrolled := range []bool{false, true} {
				required := r.covered && q.applies
				pending, enrol := SecondFactorAtLogin(r.actor, q.req(r.org), enrolled)
				if pending != (enrolled || required) || enrol != (required && !enrolled) {
					t.Errorf("%s × %s × enrolled=%v: pending=%v enrol=%v, want pending=%v enrol=%v",
						r.name, q.name, enrolled, pending, enrol, enrolled || required, required && !enrolled)
				}
			}
		}
	}
}

// A programme's requirement reaches reviewers of its own reviewing
// associations and its own funder only.
func TestProgrammeRequirementReachesOnlyItsBodies(t *testing.T) {
	req := domain.MFARequirements{Programmes: []domain.ProgrammeMFA{{ID: "p", FunderID: 3, ReviewerIDs: []int64{2}}}}
	otherReviewer := &domain.Actor{Person: &domain.Person{ID: 1}, Memberships: []domain.Membership{{OrgID: 6, OrgKind: domain.OrgAssociation, Roles: []domain.Role{domain.RoleReviewer}}}}
	otherFunder := &domain.Actor{Person: &domain.Person{ID: 1}, Memberships: []domain.Membership{{OrgID: 9, OrgKind: domain.OrgFunder, Roles: []domain.Role{domain.RoleFunder}}}}
	if SecondFactorRequired(otherReviewer, req) || SecondFactorRequired(otherFunder, req) {
		t.Error("the programme's requirement reached a body that takes no part in it")
	}
	if SecondFactorRequired(&domain.Actor{}, req) {
		t.Error("nobody must have a second factor")
	}
}

// Token scopes: reading requests pass; changing requests pass only with
// reading actions and the scope's own; a token limited to reading cannot
// change anything at all; sessions and full tokens are not limited.
func TestTokenScopes(t *testing.T) {
	tok := func(changes bool, s ...domain.TokenScope) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: 1}, TokenID: 1, Scopes: s, Changes: changes}
	}
	cases := []struct {
		name string
		a    *domain.Actor
		act  Action
		want bool
	}{
		{"read-only reads bookings", tok(false, domain.ScopeRead), BookingManage, true},
		{"read-only cannot cancel", tok(true, domain.ScopeRead), BookingManage, false},
		{"read-only may read while changing", tok(true, domain.ScopeRead), CatalogView, true},
		{"bookings books", tok(true, domain.ScopeBookings), BookingCreate, true},
		{"bookings cannot hand vouchers", tok(true, domain.ScopeBookings), VoucherManage, false},
		{"vouchers hands vouchers", tok(true, domain.ScopeVouchers), VoucherManage, true},
		{"vouchers cannot book", tok(true, domain.ScopeVouchers), BookingCreate, false},
		{"both", tok(true, domain.ScopeBookings, domain.ScopeVouchers), FundingRequestDecide, true},
		{"scoped token cannot make tokens", tok(true, domain.ScopeBookings), AccountTokens, false},
		{"full token makes tokens", tok(true), AccountTokens, true},
		{"scoped token cannot edit the account", tok(true, domain.ScopeVouchers), AccountEdit, false},
	}
	for _, c := range cases {
		if got := scopeAllows(c.a, c.act); got != c.want {
			t.Errorf("%s: scopeAllows=%v, want %v", c.name, got, c.want)
		}
	}
	requests := []struct {
		name  string
		a     *domain.Actor
		class domain.TokenScope
		ok    bool
	}{
		{"read-only changes a booking", tok(true, domain.ScopeRead), domain.ScopeBookings, false},
		{"read-only reads", tok(false, domain.ScopeRead), "", true},
		{"bookings books", tok(true, domain.ScopeBookings), domain.ScopeBookings, true},
		{"bookings hands a voucher", tok(true, domain.ScopeBookings), domain.ScopeVouchers, false},
		{"bookings changes something else", tok(true, domain.ScopeBookings), "", false},
		{"both hand a voucher", tok(true, domain.ScopeBookings, domain.ScopeVouchers), domain.ScopeVouchers, true},
		{"full access changes anything", tok(true), "", true},
		{"a session changes anything", &domain.Actor{Person: &domain.Person{ID: 1}, Changes: true}, "", true},
	}
	for _, r := range requests {
		if err := CheckTokenRequest(r.a, r.class); (err == nil) != r.ok {
			t.Errorf("%s: %v, want allowed=%v", r.name, err, r.ok)
		}
	}
	if Allowed(&domain.Actor{Person: &domain.Person{ID: 1}, TokenID: 1, Scopes: []domain.TokenScope{domain.ScopeRead}}, AccountSecondFactor, Resource{}) {
		t.Error("an API token may manage the second factor")
	}
}
