package authz

import "github.com/lotse-oss/lotse/internal/domain"

// EventViewer is what the audience rules know of a person besides their
// memberships: the AGS of their municipalities and the associations
// whose member municipalities include one of them (the store reads both).
type EventViewer struct {
	Actor        *domain.Actor
	AGS          []string
	Associations []int64
}

// EventAccess is an event as the audience rules see it.
type EventAccess struct {
	OrganiserID int64
	Audience    domain.EventAudience
	State       string
	Status      domain.EventStatus
}

// EventOrganiser reports whether the viewer organises events of the
// event's association: they see its drafts and manage it.
func EventOrganiser(v EventViewer, e EventAccess) bool {
	return Allowed(v.Actor, EventManage, Resource{OrgID: e.OrganiserID})
}

// EventVisible decides whether the viewer may see an event. A draft only
// the association's event organisers see. A published or cancelled event:
// "public" everyone (also without login), "pilots" the digital pilots of
// the event's state (domain.DigitalPilotOf), "members" the staff of the
// association's member municipalities; the association's own people and
// admins see every audience.
func EventVisible(v EventViewer, e EventAccess) bool {
	if EventOrganiser(v, e) {
		return true
	}
	if e.Status == domain.EventDraft {
		return false
	}
	if e.Audience == domain.AudiencePublic {
		return true
	}
	a := v.Actor
	if a.Anonymous() {
		return false
	}
	if IsAdmin(a) || a.MemberOf(e.OrganiserID) {
		return true
	}
	switch e.Audience {
	case domain.AudiencePilots:
		return domain.DigitalPilotOf(e.State, v.AGS)
	case domain.AudienceMembers:
		for _, id := range v.Associations {
			if id == e.OrganiserID {
				return true
			}
		}
	}
	return false
}

// EventMayRegister decides whether the person v may hold a place: a
// logged-in person of the event's audience. Admins, who see every event,
// register only where the audience includes them.
func EventMayRegister(v EventViewer, e EventAccess) bool {
	a := v.Actor
	if a.Anonymous() || e.Status != domain.EventPublished {
		return false
	}
	switch e.Audience {
	case domain.AudiencePublic:
		return true
	case domain.AudiencePilots:
		return a.MemberOf(e.OrganiserID) || domain.DigitalPilotOf(e.State, v.AGS)
	case domain.AudienceMembers:
		if a.MemberOf(e.OrganiserID) {
			return true
		}
		for _, id := range v.Associations {
			if id == e.OrganiserID {
				return true
			}
		}
	}
	return false
}
