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

	// Platform administration.
	OrgAdmin        Action = "admin.organisations" // list all, create organisations
	OutboxView      Action = "admin.outbox"
	AuditView       Action = "admin.audit" // the whole audit log
	DirectoryImport Action = "admin.directory_import"
)

// Resource is what an action applies to. OrgID is 0 for actions that are not
// scoped to an organisation.
type Resource struct {
	OrgID int64
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
	if act == DirectoryView {
		return true
	}
	if a.Anonymous() {
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
	case OrgAdmin, OutboxView, AuditView, DirectoryImport:
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
