package authz

import "github.com/lotse-oss/lotse/internal/domain"

// ApplicationScope is the part of all applications a may list, as a filter
// the store applies: admins see all; signatories, HR and account admins the
// applications of their municipalities; reviewers those submitted to their
// association (the store never shows a reviewer a first draft). Anyone else
// gets an empty scope.
func ApplicationScope(a *domain.Actor) domain.ApplicationFilter {
	var f domain.ApplicationFilter
	if IsAdmin(a) {
		return f
	}
	f.OrgIDs, f.ReviewBy = []int64{}, []int64{}
	if a.Anonymous() {
		return f
	}
	for _, m := range a.Memberships {
		if m.Has(domain.RoleSignatory) || m.Has(domain.RoleHR) || m.Has(domain.RoleAccountAdmin) {
			f.OrgIDs = append(f.OrgIDs, m.OrgID)
		}
		if m.Has(domain.RoleReviewer) {
			f.ReviewBy = append(f.ReviewBy, m.OrgID)
		}
	}
	return f
}

// MailboxScope is the organisations whose mailbox a reads: every
// organisation a is a member of.
func MailboxScope(a *domain.Actor) []int64 {
	ids := []int64{}
	if a.Anonymous() {
		return ids
	}
	for _, m := range a.Memberships {
		if Allowed(a, MailboxRead, Resource{OrgID: m.OrgID}) {
			ids = append(ids, m.OrgID)
		}
	}
	return ids
}

// DocumentReadable reports whether a may read a document of organisation
// orgID that the applications uses (as contract or certificate): members of
// the organisation and admins always; a reviewer once one of those
// applications was submitted to their association.
func DocumentReadable(a *domain.Actor, orgID int64, uses []domain.Application) bool {
	if Allowed(a, DocumentRead, Resource{OrgID: orgID}) {
		return true
	}
	for _, app := range uses {
		if app.Status != domain.AppDraft && Allowed(a, DocumentRead, Resource{ReviewerID: app.ReviewerID}) {
			return true
		}
	}
	return false
}

// CommentVisibilities are the parts of an application's conversation a
// reads: the reviewing association and admins everything, the applicant's
// signatories, HR and account admins what is visible to the applicant,
// anyone else nothing. Internal notes never reach the applicant.
func CommentVisibilities(a *domain.Actor, res Resource) []string {
	switch {
	case Allowed(a, ApplicationInternal, res):
		return []string{domain.CommentInternal, domain.CommentApplicant}
	case Allowed(a, ApplicationView, res):
		return []string{domain.CommentApplicant}
	}
	return []string{}
}
