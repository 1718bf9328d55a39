// Package authz decides who may do what. Every handler asks this policy; no
// other code decides on permissions. The policy is a pure function of the
// actor (person and memberships), the action and the resource, so it can be
// read and tested on its own.
package authz

import "github.com/lotse-oss/lotse/internal/domain"

// Action names something a person wants to do.
type Action string

const (
	// Public.
	DirectoryView Action = "directory.view" // municipality directory and pages

	// Any logged-in person.
	AccountView   Action = "account.view"   // own profile, memberships
	AccountTokens Action = "account.tokens" // own API tokens

	// Organisation-scoped.
	OrgView          Action = "org.view"           // organisation page, member list
	OrgManageMembers Action = "org.manage_members" // invite, change roles, remove
	OrgAudit         Action = "org.audit"          // the organisation's audit log

	// Funding programme.
	ProgrammeView      Action = "programme.view"      // public: settings, contingent table
	ProgrammeEdit      Action = "programme.edit"      // the programme's funder, admins
	ApplicationList    Action = "application.list"    // any logged-in person; the list is scoped
	ApplicationPrepare Action = "application.prepare" // create and change drafts, upload certificates
	ApplicationSubmit  Action = "application.submit"  // submit and withdraw: signatories only
	ApplicationView    Action = "application.view"    // the applicant, its reviewer, admins
	ApplicationReview  Action = "application.review"  // approve, reject, return
	MailboxRead        Action = "mailbox.read"        // members of the organisation
	DocumentRead       Action = "document.read"       // the owner, the reviewer of a using application, admins
	VoucherLookup      Action = "voucher.lookup"      // staff of the voucher's provider
	VoucherSearch      Action = "voucher.search"      // open the look-up at all: staff of any provider
	ProgrammeFunder    Action = "programme.funder"    // give a programme another funder: admins

	// Review with four eyes and a conversation.
	ApplicationDiscuss  Action = "application.discuss"  // write in an application's thread: the reviewers, signatory, HR, account admin of the applicant
	ApplicationInternal Action = "application.internal" // read internal notes and prepared decisions: the reviewers, admins

	// Catalog.
	CatalogView      Action = "catalog.view"      // public: search, published offers, compare, MOOChub feed
	OfferManage      Action = "offer.manage"      // staff of the offer's provider: create, edit, sessions, import
	OfferReview      Action = "offer.review"      // admins: quality review
	CompetenceImport Action = "competence.import" // admins: replace the competence framework

	// Bookings.
	BookingCreate  Action = "booking.create"  // book a place for oneself: any logged-in person
	BookingFor     Action = "booking.for"     // book for someone else: the provider's staff, HR of the employer
	BookingManage  Action = "booking.manage"  // see and cancel: the participant, HR of the employer, the provider's staff, admins
	BookingApprove Action = "booking.approve" // approve employer-paid bookings: HR of the employer

	// Attendance, ratings and certificates.
	AttendanceRecord  Action = "attendance.record"  // record attendance, see the participant list: staff of the offer's provider
	BookingRate       Action = "booking.rate"       // rate the offer of a booking: its participant
	CertificateView   Action = "certificate.view"   // the printable certificate: the participant, the provider's staff, admins
	CertificateRevoke Action = "certificate.revoke" // the staff of the issuing provider, admins

	// Platform administration.
	OrgAdmin        Action = "admin.organisations" // list all, create organisations
	OutboxView      Action = "admin.outbox"
	AuditView       Action = "admin.audit" // the whole audit log
	DirectoryImport Action = "admin.directory_import"
	AdminArea       Action = "admin.area" // the administration area and its place in the menu

	// Own account and legal pages.
	AccountEdit       Action = "account.edit"          // own name, password, address
	BarrierReportView Action = "admin.barrier_reports" // the reports of the accessibility feedback form
	// HR's desk.
	TeamView Action = "team.view" // a municipality's team overview: its HR, signatories, account admins; admins
	// Vouchers to people and funding requests.
	VoucherManage        Action = "voucher.manage"         // see a municipality's vouchers and their holders, hand them: its HR and signatories
	VoucherCodesRead     Action = "document.voucher_codes" // documents that list voucher codes: HR and signatories of the municipality
	FundingRequestCreate Action = "funding_request.create" // ask one's municipality for funding: its members
	FundingRequestDecide Action = "funding_request.decide" // answer a municipality's requests: its HR and signatories
	// Reports.
	ReportView Action = "report.view" // a programme's report: its funder (OrgID), admins; the members of a reviewing association (ReviewerID) for their share
	// Settlement: the programme's budget and the providers' claims.
	ClaimPrepare  Action = "claim.prepare"  // collect, submit, withdraw claims and credit notes, keep the billing data: staff of the provider
	ClaimView     Action = "claim.view"     // a claim with its documents: staff of its provider, the programme's funder, admins
	ClaimReview   Action = "claim.review"   // check, release or return a claim: the programme's funder
	ClaimList     Action = "claim.list"     // any logged-in person; the list is scoped (ClaimScope)
	ClaimInternal Action = "claim.internal" // read the funder side's internal notes on a claim: the programme's funder, admins
	BudgetView    Action = "budget.view"    // a programme's budget and ledger: its funder, admins
	BudgetEdit    Action = "budget.edit"    // set the budget of a year: the programme's funder
	// Search thesaurus: the entries administrators add.
	SearchTermsEdit Action = "admin.search_terms" // see, add and delete the added entries: admins
	// Matching: self-assessment, role profiles, recommendations, paths, demand.
	AssessmentOwn        Action = "assessment.own"         // one's own assessment, recommendations and paths: any logged-in person
	AssessmentShare      Action = "assessment.share"       // share one's assessment with an organisation: its members
	AssessmentListShared Action = "assessment.list_shared" // the assessments shared with an organisation: its HR
	// matching: paths
	PathJoin         Action = "path.join"          // join, leave and follow a path: the person themselves
	PathEdit         Action = "path.edit"          // create, edit and publish a path of OrgID (0: the platform's): admins, the association's reviewers and event organisers
	PathEventConfirm Action = "path.event_confirm" // confirm a networking event, see the members: admins, the owning association's event organisers
	// matching: roles and demand
	RoleProfileEdit Action = "role_profile.edit" // a municipality's role profiles and who is assigned to them: its HR
	TeamGapsView    Action = "team_gaps.view"    // a municipality's team gaps by role: its HR
	DemandView      Action = "demand.view"       // a provider's demand signals: its staff, admins
)

// pilots: the directory of digital pilots and their project briefs.
const (
	PilotsView       Action = "pilots.view"       // the directory, entries, briefs, the contact form: members of a municipality or association
	PilotEntryEdit   Action = "pilots.entry_edit" // create, change, hide and delete one's own entry: the person themselves (PersonID)
	ProjectBriefEdit Action = "pilots.brief_edit" // change and delete a project brief: its author (PersonID)
)

// events: networking events of associations. Who sees an event and may
// register follows its audience (EventVisible, scope_events.go).
const (
	EventManage      Action = "event.manage"       // create, edit, publish, cancel, see drafts and attendees, record attendance, write to all: the association's event organisers
	EventRegister    Action = "event.register"     // register oneself: any logged-in person (the audience decides per event)
	EventRegisterFor Action = "event.register_for" // register a member of the municipality OrgID: its HR
)

// programmes: a programme as data (create, clone, export, import).
const (
	ProgrammeCreate Action = "programme.create" // create, clone or import a programme funded by OrgID: its funders, admins
	ProgrammeExport Action = "programme.export" // export the programme of funder OrgID: its funders, admins
)

// privacy: the data download and the deletion of an account.
const (
	PrivacyExport Action = "privacy.export" // download a person's data: the person themselves (PersonID), admins on request
	PrivacyDelete Action = "privacy.delete" // delete a person's account: the person themselves (PersonID), admins on request
)

// sso: single sign-on.
const (
	OrgLoginSettings Action = "org.login_settings" // switch the members' password login on or off: the organisation's account admins, admins
)

// privacy: finding a person whose data an admin downloads or whose account
// an admin deletes on request.
const (
	PersonSearch Action = "person.search" // search people by address or name: admins
)

// Resource is what an action applies to. OrgID is 0 for actions that are not
// scoped to an organisation.
type Resource struct {
	OrgID int64
	// ReviewerID is the association reviewing an application.
	ReviewerID int64
	// ProviderID is the provider a voucher or offer belongs to.
	ProviderID int64
	// PersonID is the person an object belongs to (a booking's participant).
	PersonID int64
}

// IsAdmin reports whether a holds the admin role in a platform organisation.
func IsAdmin(a *domain.Actor) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgPlatform && m.Has(domain.RoleAdmin) {
			return true
		}
	}
	return false
}

// Allowed reports whether a may perform act on res.
func Allowed(a *domain.Actor, act Action, res Resource) bool {
	if act == DirectoryView || act == ProgrammeView || act == CatalogView {
		return true
	}
	if a.Anonymous() || !scopeAllows(a, act) {
		return false
	}
	admin := IsAdmin(a)
	switch act {
	case AccountView, AccountTokens:
		return true
	case OrgView:
		return admin || a.MemberOf(res.OrgID)
	case OrgManageMembers, OrgAudit:
		return admin || a.HasRole(res.OrgID, domain.RoleAccountAdmin)
	case OfferManage:
		return res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)
	case BookingCreate:
		return true
	case BookingFor:
		return (res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)) ||
			(res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR))
	case BookingManage:
		return admin || (res.PersonID != 0 && res.PersonID == a.PersonID()) ||
			(res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)) ||
			(res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR))
	case BookingApprove:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR)
	case AttendanceRecord:
		return res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)
	case BookingRate:
		return res.PersonID != 0 && res.PersonID == a.PersonID()
	case CertificateView:
		return admin || (res.PersonID != 0 && res.PersonID == a.PersonID()) ||
			(res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff))
	case CertificateRevoke:
		return admin || (res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff))
	case OfferReview, CompetenceImport:
		return admin
	case OrgAdmin, OutboxView, AuditView, DirectoryImport, AdminArea:
		return admin
	case ProgrammeEdit:
		return admin || a.HasRole(res.OrgID, domain.RoleFunder)
	case ApplicationList:
		return true
	case ApplicationPrepare:
		return a.HasRole(res.OrgID, domain.RoleSignatory) || a.HasRole(res.OrgID, domain.RoleHR)
	case ApplicationSubmit:
		return a.HasRole(res.OrgID, domain.RoleSignatory)
	case ApplicationView:
		return admin || a.HasRole(res.OrgID, domain.RoleSignatory) || a.HasRole(res.OrgID, domain.RoleHR) ||
			a.HasRole(res.OrgID, domain.RoleAccountAdmin) || (res.ReviewerID != 0 && a.HasRole(res.ReviewerID, domain.RoleReviewer))
	case ApplicationReview:
		return res.ReviewerID != 0 && a.HasRole(res.ReviewerID, domain.RoleReviewer)
	case MailboxRead:
		return a.MemberOf(res.OrgID)
	case DocumentRead:
		return admin || a.MemberOf(res.OrgID) || (res.ReviewerID != 0 && a.HasRole(res.ReviewerID, domain.RoleReviewer))
	case VoucherLookup:
		return res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)
	case VoucherSearch:
		return a.HasAnyRole(domain.RoleProviderStaff)
	case ProgrammeFunder:
		return admin
	// Own account and legal pages.
	case AccountEdit:
		return true
	case BarrierReportView:
		return admin
	// Review with four eyes and a conversation.
	case ApplicationDiscuss:
		return a.HasRole(res.OrgID, domain.RoleSignatory) || a.HasRole(res.OrgID, domain.RoleHR) ||
			a.HasRole(res.OrgID, domain.RoleAccountAdmin) || (res.ReviewerID != 0 && a.HasRole(res.ReviewerID, domain.RoleReviewer))
	case ApplicationInternal:
		return admin || (res.ReviewerID != 0 && a.HasRole(res.ReviewerID, domain.RoleReviewer))
	// HR's desk.
	case TeamView:
		return admin || (res.OrgID != 0 && (a.HasRole(res.OrgID, domain.RoleHR) || a.HasRole(res.OrgID, domain.RoleSignatory) ||
			a.HasRole(res.OrgID, domain.RoleAccountAdmin)))
	case VoucherManage, VoucherCodesRead, FundingRequestDecide:
		return res.OrgID != 0 && (a.HasRole(res.OrgID, domain.RoleHR) || a.HasRole(res.OrgID, domain.RoleSignatory))
	case FundingRequestCreate:
		return res.OrgID != 0 && a.MemberOf(res.OrgID)
	// Reports.
	case ReportView:
		return admin || (res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleFunder)) || (res.ReviewerID != 0 && a.MemberOf(res.ReviewerID))
	// Settlement. For claims and budgets OrgID is the programme's funder.
	case ClaimPrepare:
		return res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)
	case ClaimView:
		return admin || (res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff)) ||
			(res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleFunder))
	case ClaimReview, BudgetEdit:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleFunder)
	case ClaimList:
		return true
	case BudgetView, ClaimInternal:
		return admin || (res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleFunder))
	// Search thesaurus.
	case SearchTermsEdit:
		return admin
	// Matching.
	case AssessmentOwn:
		return res.PersonID != 0 && res.PersonID == a.PersonID()
	case AssessmentShare:
		return res.OrgID != 0 && a.MemberOf(res.OrgID)
	case AssessmentListShared:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR)
	// matching: paths
	case PathJoin:
		return res.PersonID != 0 && res.PersonID == a.PersonID()
	case PathEdit:
		return admin || (res.OrgID != 0 && (a.HasRole(res.OrgID, domain.RoleReviewer) || a.HasRole(res.OrgID, domain.RoleEventOrganiser)))
	case PathEventConfirm:
		return admin || (res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleEventOrganiser))
	// matching: roles and demand
	case RoleProfileEdit, TeamGapsView:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR)
	case DemandView:
		return admin || (res.ProviderID != 0 && a.HasRole(res.ProviderID, domain.RoleProviderStaff))
	// pilots: the directory of digital pilots.
	case PilotsView:
		return PilotsMember(a)
	case PilotEntryEdit, ProjectBriefEdit:
		return res.PersonID != 0 && res.PersonID == a.PersonID() && PilotsMember(a)
	// events
	case EventManage:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleEventOrganiser)
	case EventRegister:
		return true
	case EventRegisterFor:
		return res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleHR)
	// programmes: a programme as data
	case ProgrammeCreate, ProgrammeExport:
		return admin || (res.OrgID != 0 && a.HasRole(res.OrgID, domain.RoleFunder))
	// privacy
	case PrivacyExport, PrivacyDelete:
		return res.PersonID != 0 && (res.PersonID == a.PersonID() || admin)
	// sso: single sign-on
	case OrgLoginSettings:
		return admin || a.HasRole(res.OrgID, domain.RoleAccountAdmin)
	// mfa: the second factor and its requirement
	case OrgRequireMFA:
		return admin || a.HasRole(res.OrgID, domain.RoleAccountAdmin)
	case ProgrammeRequireMFA:
		return admin || a.HasRole(res.OrgID, domain.RoleFunder)
	case AccountSecondFactor:
		return a.TokenID == 0
	// privacy: the admin's person search
	case PersonSearch:
		return admin
	}
	return false
}

// Check returns nil when a may perform act on res, domain.ErrUnauthorized
// when nobody is logged in and domain.ErrForbidden otherwise.
func Check(a *domain.Actor, act Action, res Resource) error {
	if Allowed(a, act, res) {
		return nil
	}
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return domain.ErrForbidden
}
