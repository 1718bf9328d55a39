package authz

import (
	"slices"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Second factor and API token scopes: who must have a second factor, and
// what a limited API token may do. Both are decided here and nowhere else.

// SecondFactorRequired reports whether the person of a must have a second
// factor under the requirements req. An organisation's requirement covers
// its own members holding one of domain.MFARoles. A programme's requirement
// covers everyone taking part in it in one of those roles: the platform's
// admins, the funders of its funding body, the reviewers of its reviewing
// associations and the signatories of every municipality (any municipality
// may apply).
func SecondFactorRequired(a *domain.Actor, req domain.MFARequirements) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		for _, r := range domain.MFARoles {
			if !m.Has(r) {
				continue
			}
			if slices.Contains(req.Orgs, m.OrgID) {
				return true
			}
			for _, p := range req.Programmes {
				switch {
				case r == domain.RoleAdmin && m.OrgKind == domain.OrgPlatform,
					r == domain.RoleFunder && m.OrgID == p.FunderID,
					r == domain.RoleReviewer && slices.Contains(p.ReviewerIDs, m.OrgID),
					r == domain.RoleSignatory && m.OrgKind == domain.OrgMunicipality:
					return true
				}
			}
		}
	}
	return false
}

// SecondFactorAtLogin decides how a login of the person of a goes on:
// pending (the session waits for a second factor) when the person has one
// (enrolled) or must have one; enrol when the person must have one and has
// none, so the login can do nothing but set one up.
func SecondFactorAtLogin(a *domain.Actor, req domain.MFARequirements, enrolled bool) (pending, enrol bool) {
	required := SecondFactorRequired(a, req)
	return enrolled || required, required && !enrolled
}

// SecondFactorSettings: who may switch the requirement on or off.
const (
	OrgRequireMFA       Action = "org.require_mfa"       // an organisation's requirement: its account admins, admins
	ProgrammeRequireMFA Action = "programme.require_mfa" // a programme's requirement: its funder, admins (as ProgrammeEdit)
	AccountSecondFactor Action = "account.second_factor" // one's own second factor: any logged-in person (not a token)
)

// readActions only read: any token may use them, also in a request that
// changes something (a change often reads first).
var readActions = map[Action]bool{
	DirectoryView: true, AccountView: true, OrgView: true, ProgrammeView: true, ApplicationList: true,
	ApplicationView: true, MailboxRead: true, DocumentRead: true, CatalogView: true, CertificateView: true,
	ReportView: true, ClaimView: true, ClaimList: true, BudgetView: true, TeamView: true, PilotsView: true,
	DemandView: true, VoucherSearch: true, VoucherLookup: true, VoucherCodesRead: true,
}

// scopeActions are the actions a scope adds to reading.
var scopeActions = map[domain.TokenScope]map[Action]bool{
	domain.ScopeBookings: {BookingCreate: true, BookingFor: true, BookingManage: true, BookingApprove: true,
		BookingRate: true, AttendanceRecord: true},
	domain.ScopeVouchers: {VoucherManage: true, FundingRequestCreate: true, FundingRequestDecide: true},
}

// scopeAllows reports whether the token scopes of a allow act: always for
// a session or a token with full access, and for a request that only
// reads; otherwise the action must read or belong to one of the scopes.
func scopeAllows(a *domain.Actor, act Action) bool {
	if a == nil || len(a.Scopes) == 0 || !a.Changes {
		return true
	}
	if readActions[act] {
		return true
	}
	for _, s := range a.Scopes {
		if scopeActions[s][act] {
			return true
		}
	}
	return false
}

// CheckTokenRequest decides, before any handler runs, whether a request
// that changes something may go on with a token limited to scopes: only
// when the route belongs to one of the token's scopes (class: the scope
// the web's route table gives the route; "" for none). Reading requests,
// sessions and tokens with full access pass; the actions decide further.
func CheckTokenRequest(a *domain.Actor, class domain.TokenScope) error {
	if a == nil || len(a.Scopes) == 0 || !a.Changes {
		return nil
	}
	if class != "" && slices.Contains(a.Scopes, class) {
		return nil
	}
	return domain.ErrTokenScope
}

// lateVoucherScope: releasing or forfeiting a voucher late is a voucher
// action.
func lateVoucherScope(a *domain.Actor) bool { return scopeAllows(a, VoucherManage) }
