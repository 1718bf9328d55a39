package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestCanBookFor(t *testing.T) {
	const fh, kb, vwa, ministry = 1, 2, 3, 4
	actor := func(org int64, roles ...domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: 9}, Memberships: []domain.Membership{{OrgID: org, Roles: roles}}}
	}
	hr, staff := actor(fh, domain.RoleHR), actor(vwa, domain.RoleProviderStaff)
	tests := []struct {
		name string
		a    *domain.Actor
		t    BookingTarget
		want bool
	}{
		{"HR for a member of the employer", hr, BookingTarget{ProviderID: vwa, EmployerID: fh, ParticipantOrgs: []int64{fh}}, true},
		{"HR for a member of another municipality", hr, BookingTarget{ProviderID: vwa, EmployerID: fh, ParticipantOrgs: []int64{kb}}, false},
		{"HR for someone without an account", hr, BookingTarget{ProviderID: vwa, EmployerID: fh}, false},
		{"HR for a colleague, billed elsewhere", hr, BookingTarget{ProviderID: vwa, EmployerID: kb, ParticipantOrgs: []int64{fh, kb}}, false},
		{"a participant for a colleague", actor(fh, domain.RoleParticipant), BookingTarget{ProviderID: vwa, EmployerID: fh, ParticipantOrgs: []int64{fh}}, false},
		{"provider staff in their own session", staff, BookingTarget{ProviderID: vwa}, true},
		{"provider staff in another provider's session", staff, BookingTarget{ProviderID: 5}, false},
		{"anonymous", &domain.Actor{}, BookingTarget{ProviderID: vwa, EmployerID: fh, ParticipantOrgs: []int64{fh}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanBookFor(tt.a, tt.t); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	funder := actor(ministry, domain.RoleFunder)
	if !ReleasesVoucherLate(staff, vwa, ministry) || !ReleasesVoucherLate(funder, vwa, ministry) || ReleasesVoucherLate(hr, vwa, ministry) ||
		ReleasesVoucherLate(staff, 5, ministry) {
		t.Error("ReleasesVoucherLate")
	}
	if NeedsApproval(hr, fh) || !NeedsApproval(actor(fh, domain.RoleParticipant), fh) {
		t.Error("NeedsApproval")
	}
	if f := BookingScope(hr); f.PersonID != 9 || len(f.EmployerIDs) != 1 || len(f.ProviderIDs) != 0 {
		t.Errorf("BookingScope(hr) = %+v", f)
	}
	if f := BookingScope(&domain.Actor{}); !f.None {
		t.Errorf("BookingScope(anonymous) = %+v", f)
	}
}

func TestCanUseVoucher(t *testing.T) {
	const fh, kb, vwa = 1, 2, 3
	actor := func(org int64, roles ...domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: 9}, Memberships: []domain.Membership{{OrgID: org, Roles: roles}}}
	}
	hr, sig, member, staff := actor(fh, domain.RoleHR), actor(fh, domain.RoleSignatory), actor(fh, domain.RoleParticipant), actor(vwa, domain.RoleProviderStaff)
	held := func(p string, orgs ...int64) VoucherUse {
		return VoucherUse{VoucherOrg: fh, Holder: "niklas@fh.example", ParticipantEmail: p, ParticipantOrgs: orgs}
	}
	free := func(orgs ...int64) VoucherUse {
		return VoucherUse{VoucherOrg: fh, ParticipantEmail: "niklas@fh.example", ParticipantOrgs: orgs}
	}
	tests := []struct {
		name string
		a    *domain.Actor
		u    VoucherUse
		want error
	}{
		{"the holder books", member, held("Niklas@FH.example ", fh), nil},
		{"HR books for the holder", hr, held("niklas@fh.example", fh), nil},
		{"provider staff book for the holder", staff, held("niklas@fh.example", fh), nil},
		{"the holder who has not joined yet", member, held("niklas@fh.example"), nil},
		{"a colleague of the holder", member, held("lena@fh.example", fh), domain.ErrVoucherHeldByOther},
		{"HR for someone else than the holder", hr, held("lena@fh.example", fh), domain.ErrVoucherHeldByOther},
		{"an unheld voucher: HR", hr, free(fh), nil},
		{"an unheld voucher: signatory", sig, free(fh), nil},
		{"an unheld voucher: provider staff", staff, free(fh), nil},
		{"an unheld voucher: a member", member, free(fh), domain.ErrVoucherNotHanded},
		{"an unheld voucher for another municipality's member", hr, free(kb), domain.ErrVoucherNotForParticipant("")},
		{"anonymous", &domain.Actor{}, free(fh), domain.ErrVoucherNotHanded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CanUseVoucher(tt.a, tt.u, vwa)
			if (got == nil) != (tt.want == nil) || (got != nil && domain.ErrorMessage(got) != domain.ErrorMessage(tt.want)) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
