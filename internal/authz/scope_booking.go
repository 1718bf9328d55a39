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

// CanUseVoucher reports whether a participant who is a member of orgs may
// use a voucher issued to the municipality voucherOrg. Until vouchers are
// handed to named persons, a voucher is for the members of its
// municipality.
func CanUseVoucher(participantOrgs []int64, voucherOrg int64) bool {
	return voucherOrg != 0 && slices.Contains(participantOrgs, voucherOrg)
}

// DecidesLateVouchers reports whether a is someone who may, for some
// vouchers, release or forfeit them after a late cancellation: staff of a
// provider or a funder. Which vouchers, ReleasesVoucherLate decides.
func DecidesLateVouchers(a *domain.Actor) bool {
	return !a.Anonymous() && (a.HasAnyRole(domain.RoleProviderStaff) || a.HasAnyRole(domain.RoleFunder))
}

// ReleasesVoucherLate reports whether a may release or forfeit a voucher
// that a late cancellation left reserved: the staff of the voucher's
// provider, and the funder of its programme.
func ReleasesVoucherLate(a *domain.Actor, providerID, funderID int64) bool {
	if a.Anonymous() {
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
