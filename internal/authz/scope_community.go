package authz

import "github.com/lotse-oss/lotse/internal/domain"

// community: the members' space (Austausch) of an association. Who may
// read it depends on data the actor does not carry (which municipalities
// are members of the association), so the service resolves it into a
// SpaceScope and this policy decides on it. Nobody outside a space learns
// that its objects exist: CommunityCheck answers ErrSpaceNotFound to
// them.

// Community actions.
const (
	CommunityRead     Action = "community.read"     // read a space, its channels, threads, posts, attachments; search it: its members, admins
	CommunityWrite    Action = "community.write"    // start threads, reply, report, follow: members who are not suspended, admins
	CommunityModerate Action = "community.moderate" // reports, hide and restore posts, lock threads, suspend members: the association's moderators, admins
	CommunityChannels Action = "community.channels" // create channels, edit the rules: the association's moderators and account admins, admins
)

// SpaceScope is what the policy needs to know about a space and the actor.
type SpaceScope struct {
	AssociationID int64
	// MemberOrgs are those of the actor's organisations that are member
	// municipalities of the association (resolved by the service).
	MemberOrgs []int64
	// Suspended: the moderation barred the actor from writing for now.
	Suspended bool
}

// CommunityAllowed reports whether a may perform act in the space s.
func CommunityAllowed(a *domain.Actor, act Action, s SpaceScope) bool {
	if a.Anonymous() || s.AssociationID == 0 || !scopeAllows(a, act) {
		return false
	}
	admin := IsAdmin(a)
	read := admin || a.MemberOf(s.AssociationID)
	for _, id := range s.MemberOrgs {
		for _, m := range a.Memberships {
			if m.OrgID == id && m.OrgKind == domain.OrgMunicipality {
				read = true
			}
		}
	}
	moderate := admin || a.HasRole(s.AssociationID, domain.RoleModerator)
	switch act {
	case CommunityRead:
		return read
	case CommunityWrite:
		return read && !s.Suspended
	case CommunityModerate:
		return moderate
	case CommunityChannels:
		return moderate || a.HasRole(s.AssociationID, domain.RoleAccountAdmin)
	}
	return false
}

// CommunityCheck is CommunityAllowed as an error: ErrUnauthorized for
// anonymous visitors, ErrSpaceNotFound for those who may not read the
// space (it does not exist for them), and for members the action's own
// refusal.
func CommunityCheck(a *domain.Actor, act Action, s SpaceScope) error {
	if CommunityAllowed(a, act, s) {
		return nil
	}
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	if !CommunityAllowed(a, CommunityRead, s) {
		return domain.ErrSpaceNotFound
	}
	switch act {
	case CommunityModerate:
		return domain.ErrSpaceModerate
	case CommunityChannels:
		return domain.ErrSpaceChannels
	}
	return domain.ErrForbidden
}

// CommunityInMenu reports whether the main navigation offers the spaces
// (Austausch): to people of a municipality or an association, and admins.
// Whether a municipality belongs to an association is data; the list page
// says when there is no space.
func CommunityInMenu(a *domain.Actor) bool {
	if a.Anonymous() {
		return false
	}
	if IsAdmin(a) {
		return true
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality || m.OrgKind == domain.OrgAssociation {
			return true
		}
	}
	return false
}
