// Package events is the home of the networking events (Vernetzungstreffen)
// of associations: their event organisers create, change, publish and
// cancel events and see, export and write to the attendees and record who
// came; people register (HR for its staff) and cancel, with a waiting list
// that moves up inside the cancelling transaction; confirmation, change,
// cancellation and reminder mails carry the calendar file. Who sees an
// event follows its audience (authz.EventVisible). Each method takes the
// actor from the context, asks authz and writes through store in one
// transaction with its audit entry and mails. It holds no SQL and no HTTP.
package events

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the events use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
	// attended runs inside the transaction that records a person's
	// attendance (matching: the path's networking step).
	attended func(ctx context.Context, tx *store.Tx, personID, by int64) error
}

// New returns the events service.
func New(db *store.DB, n *notify.Notifier) *Service {
	return &Service{db: db, notify: n}
}

// OnAttended sets fn to run inside the transaction that records a
// confirmed registrant's attendance; an error rolls it back. The app wires
// matching's NetworkingEventAttended; events imports none of its listeners.
func (s *Service) OnAttended(fn func(ctx context.Context, tx *store.Tx, personID, by int64) error) {
	s.attended = fn
}

// Now is the service's clock (the database's).
func (s *Service) Now() time.Time { return s.db.Now() }

// viewer reads what the audience rules need of the actor.
func (s *Service) viewer(ctx context.Context, a *domain.Actor) (authz.EventViewer, error) {
	v := authz.EventViewer{Actor: a}
	if a.Anonymous() {
		return v, nil
	}
	ags, assocs, err := s.db.EventViewer(ctx, a.Person.ID)
	if err != nil {
		return v, err
	}
	v.AGS, v.Associations = ags, assocs
	return v, nil
}

func access(e *domain.Event) authz.EventAccess {
	return authz.EventAccess{OrganiserID: e.OrganiserID, Audience: e.Audience, State: e.State, Status: e.Status}
}

// OrganiserOrgs are the associations the actor organises events for.
func OrganiserOrgs(a *domain.Actor) []domain.Membership {
	var out []domain.Membership
	if a.Anonymous() {
		return out
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgAssociation && authz.Allowed(a, authz.EventManage, authz.Resource{OrgID: m.OrgID}) {
			out = append(out, m)
		}
	}
	return out
}

func orgIDs(ms []domain.Membership) []int64 {
	out := make([]int64, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.OrgID)
	}
	return out
}
