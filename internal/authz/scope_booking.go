package authz

import (
	"slices"

	"github.com/lotse-oss/lotse/internal/domain"
)

// BookingTarget is a booking for someone else as the policy sees it.
type BookingTarget struct {
	// ProviderID is the provider of the session.
	ProviderID int64
	// EmployerID is the municipality the booking person acts for.
	EmployerID int64
	// ParticipantOrgs are the organisations the participant is a member
	// of; none when the participant has no account.
	ParticipantOrgs []int64
}

// CanBookFor reports whether a may book a place for another person: the
// staff of the session's provider for anyone in their own sessions, HR of a
// municipality only for the members of that municipality.
func CanBookFor(a *domain.Actor, t BookingTarget) bool {
	if a.Anonymous() {
		return false
	}
	if t.ProviderID != 0 && a.HasRole(t.ProviderID, domain.RoleProviderStaff) {
		return true
	}
	return t.EmployerID != 0 && a.HasRole(t.EmployerID, domain.RoleHR) && slices.Contains(t.ParticipantOrgs, t.EmployerID)
}

// CanBillEmployer reports whether a may have their own booking billed to
// the municipality employer: only as its member.
func CanBillEmployer(a *domain.Actor, employer int64) bool {
	return !a.Anonymous() && employer != 0 && a.MemberOf(employer)
}

// NeedsApproval reports whether a booking by a billed to employer waits for
// HR: unless a is HR of the employer themself.
func NeedsApproval(a *domain.Actor, employer int64) bool {
	return !Allowed(a, BookingApprove, Resource{OrgID: employer})
}

// VoucherUse is a booking with a voucher as the policy sees it.
type VoucherUse struct {
	// VoucherOrg is the voucher's municipality, Municipality its name.
	VoucherOrg   int64
	Municipality string
	// Holder is the address the voucher was handed to, "" while nobody
	// holds it.
	Holder           string
	ParticipantEmail string
	// ParticipantOrgs are the organisations the participant is a member of.
	ParticipantOrgs []int64
}

// CanUseVoucher returns nil when a may book a place with the voucher for
// the participant, or the German reason why not. A voucher handed to a
// person books only for that person, whoever books (the person, HR, the
// provider's staff). While nobody holds it, it books for members of its
// municipality, and only HR and signatories of the municipality (or the
// provider's staff, who got the code from them) may use it.
func CanUseVoucher(a *domain.Actor, u VoucherUse, providerID int64) error {
	if u.VoucherOrg == 0 || !slices.Contains(u.ParticipantOrgs, u.VoucherOrg) {
		if u.Holder == "" || domain.NormalizeEmail(u.ParticipantEmail) != u.Holder {
			return domain.ErrVoucherNotForParticipant(u.Municipality)
		}
	}
	if u.Holder != "" {
		if domain.NormalizeEmail(u.ParticipantEmail) != u.Holder {
			return domain.ErrVoucherHeldByOther
		}
		return nil
	}
	if Allowed(a, VoucherManage, Resource{OrgID: u.VoucherOrg}) ||
		(providerID != 0 && a.HasRole(providerID, domain.RoleProviderStaff)) {
		return nil
	}
	return domain.ErrVoucherNotHanded
}

// DecidesLateVouchers reports whether a is someone who may, for some
// vouchers, release or forfeit them after a late cancellation: staff of a
// provider or a funder. Which vouchers, ReleasesVoucherLate decides.
func DecidesLateVouchers(a *domain.Actor) bool {
	return !a.Anonymous() && lateVoucherScope(a) && (a.HasAnyRole(domain.RoleProviderStaff) || a.HasAnyRole(domain.RoleFunder))
}

// ReleasesVoucherLate reports whether a may release or forfeit a voucher
// that a late cancellation left reserved: the staff of the voucher's
// provider, and the funder of its programme.
func ReleasesVoucherLate(a *domain.Actor, providerID, funderID int64) bool {
	if a.Anonymous() || !lateVoucherScope(a) {
		return false
	}
	return (providerID != 0 && a.HasRole(providerID, domain.RoleProviderStaff)) ||
		(funderID != 0 && a.HasRole(funderID, domain.RoleFunder))
}

// BookingScope is which bookings a person may list: their own (by account
// or address), those of the sessions of providers they work for, and those
// billed to municipalities where they are HR.
func BookingScope(a *domain.Actor) domain.BookingFilter {
	if a.Anonymous() {
		return domain.BookingFilter{None: true}
	}
	f := domain.BookingFilter{PersonID: a.Person.ID, Email: a.Person.Email}
	for _, m := range a.Memberships {
		if m.Has(domain.RoleProviderStaff) {
			f.ProviderIDs = append(f.ProviderIDs, m.OrgID)
		}
		if m.Has(domain.RoleHR) {
			f.EmployerIDs = append(f.EmployerIDs, m.OrgID)
		}
	}
	return f
}

// OwnBookings is the scope of a person's own bookings.
func OwnBookings(a *domain.Actor) domain.BookingFilter {
	if a.Anonymous() {
		return domain.BookingFilter{None: true}
	}
	return domain.BookingFilter{PersonID: a.Person.ID, Email: a.Person.Email}
}

// ApprovalScope is which bookings waiting for approval a person may
// decide: those billed to the municipalities where they are HR.
func ApprovalScope(a *domain.Actor) domain.BookingFilter {
	f := domain.BookingFilter{Status: domain.BookingAwaitingApproval, None: true}
	if a.Anonymous() {
		return f
	}
	for _, m := range a.Memberships {
		if m.Has(domain.RoleHR) {
			f.EmployerIDs = append(f.EmployerIDs, m.OrgID)
		}
	}
	f.None = len(f.EmployerIDs) == 0
	return f
}

// DecidesApprovals reports whether a is HR somewhere, and so has a desk of
// bookings to approve.
func DecidesApprovals(a *domain.Actor) bool {
	return !a.Anonymous() && a.HasAnyRole(domain.RoleHR)
}
