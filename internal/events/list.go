package events

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// List lists the events the actor may see: upcoming ones (not yet ended)
// next first, or past ones newest first; an organiser's drafts among
// them. The online link is never in a list.
func (s *Service) List(ctx context.Context, past bool) (out []domain.Event, err error) {
	defer domain.Wrap(&err, "events.List")
	a := domain.ActorFrom(ctx)
	v, err := s.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	all, err := s.db.Events(ctx, domain.EventFilter{Past: past, OrganiserIDs: orgIDs(OrganiserOrgs(a)), Now: s.db.Now()})
	if err != nil {
		return nil, err
	}
	out = make([]domain.Event, 0, len(all))
	for _, e := range all {
		if authz.EventVisible(v, access(&e)) {
			e.OnlineURL = ""
			out = append(out, e)
		}
	}
	return out, nil
}

// Organised lists the upcoming events of the associations the actor
// organises events for, with their counts (the desk's section).
func (s *Service) Organised(ctx context.Context) (out []domain.Event, err error) {
	defer domain.Wrap(&err, "events.Organised")
	ids := orgIDs(OrganiserOrgs(domain.ActorFrom(ctx)))
	if len(ids) == 0 {
		return []domain.Event{}, nil
	}
	return s.db.Events(ctx, domain.EventFilter{OrganiserIDs: ids, Only: ids, Now: s.db.Now(), Limit: 50})
}

// View is an event as one person sees it.
type View struct {
	Event domain.Event
	// Own is the actor's active registration, or nil.
	Own *domain.EventRegistration
	// CanManage: the actor organises the event.
	CanManage bool
	// MayRegister: the actor may register now (audience, status, deadline).
	MayRegister bool
	// InAudience: the actor belongs to the audience (registration may
	// still be closed).
	InAudience bool
	// Shown are the confirmed participants who agreed to appear on the
	// list, for confirmed registrants and organisers (nil for others);
	// ShownTotal counts them all.
	Shown      []domain.EventRegistration
	ShownTotal int
}

// shownLimit bounds the participant list on the event page.
const shownLimit = 200

// Get returns an event as the actor sees it; drafts and events outside the
// actor's audience do not exist for them. The online link is kept only for
// confirmed registrants and organisers.
func (s *Service) Get(ctx context.Context, id int64) (v *View, err error) {
	defer domain.Wrap(&err, "events.Get(%d)", id)
	a := domain.ActorFrom(ctx)
	e, err := s.db.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	ev, err := s.viewer(ctx, a)
	if err != nil {
		return nil, err
	}
	if !authz.EventVisible(ev, access(e)) {
		return nil, domain.ErrEventNotFound
	}
	v = &View{Event: *e, CanManage: authz.EventOrganiser(ev, access(e))}
	v.InAudience = authz.EventMayRegister(ev, access(e))
	v.MayRegister = v.InAudience && e.RegistrationOpen(s.db.Now())
	if !a.Anonymous() {
		if v.Own, err = s.db.ActiveRegistration(ctx, id, a.Person.ID); err != nil {
			return nil, err
		}
		if v.Own != nil && v.Own.Status == domain.RegWaitlisted {
			if v.Own.Position, err = s.db.WaitingPosition(ctx, id, v.Own.ID, domain.WaitingPositionLimit); err != nil {
				return nil, err
			}
		}
	}
	confirmed := v.Own != nil && v.Own.Status == domain.RegConfirmed
	if !v.CanManage && !confirmed {
		v.Event.OnlineURL = ""
	}
	if v.CanManage || confirmed {
		v.Shown, v.ShownTotal, err = s.db.Registrations(ctx, store.RegistrationFilter{EventID: id, ShownOnly: true, Limit: shownLimit})
		if err != nil {
			return nil, err
		}
		for i := range v.Shown {
			v.Shown[i].Email, v.Shown[i].Answers = "", nil
		}
	}
	return v, nil
}

// PageSize is the number of registrations per page of the organiser's list.
const PageSize = 100

// Registrations returns an event and one page of its active
// registrations with their total, to its organisers: those after the
// registration after (keyset paging), or with after 0 the page (from 1)
// of older API clients; next is the last registration of the page when
// more follow.
func (s *Service) Registrations(ctx context.Context, id, after int64, page int) (e *domain.Event, regs []domain.EventRegistration, next int64, total int, err error) {
	defer domain.Wrap(&err, "events.Registrations(%d)", id)
	e, err = s.managed(ctx, id)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	f := store.RegistrationFilter{EventID: id, Limit: PageSize + 1, After: after}
	if after <= 0 {
		f.Offset = (max(page, 1) - 1) * PageSize
	}
	regs, total, err = s.db.Registrations(ctx, f)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	if len(regs) > PageSize {
		regs = regs[:PageSize]
		next = regs[PageSize-1].ID
	}
	return e, regs, next, total, nil
}

// managed reads an event the actor organises; for others it does not
// exist.
func (s *Service) managed(ctx context.Context, id int64) (*domain.Event, error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	e, err := s.db.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.EventManage, authz.Resource{OrgID: e.OrganiserID}) {
		return nil, domain.ErrEventNotFound
	}
	return e, nil
}

// Managed returns an event to its organisers (the form to change it).
func (s *Service) Managed(ctx context.Context, id int64) (e *domain.Event, err error) {
	defer domain.Wrap(&err, "events.Managed(%d)", id)
	return s.managed(ctx, id)
}

// Mine lists the actor's registrations of events that have not ended.
func (s *Service) Mine(ctx context.Context) (out []domain.EventEntry, err error) {
	defer domain.Wrap(&err, "events.Mine")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	out, err = s.db.PersonRegistrations(ctx, a.Person.ID, s.db.Now())
	for i := range out {
		hideLink(&out[i])
	}
	return out, err
}

func hideLink(en *domain.EventEntry) {
	if en.Registration.Status != domain.RegConfirmed || en.Event.Status != domain.EventPublished {
		en.Event.OnlineURL = ""
	}
}

// feedPast is how far back the calendar feed reaches.
const feedPast = 90 * 24 * time.Hour

// Feed returns the registrations of the person a calendar feed token
// belongs to: calendar apps cannot log in, the secret identifies the person.
func (s *Service) Feed(ctx context.Context, token string) (out []domain.EventEntry, err error) {
	defer domain.Wrap(&err, "events.Feed")
	p, err := s.db.CalendarPerson(ctx, token)
	if err != nil {
		return nil, err
	}
	out, err = s.db.PersonRegistrations(ctx, p.ID, s.db.Now().Add(-feedPast))
	for i := range out {
		hideLink(&out[i])
	}
	return out, err
}

// OrganiserOptions are the associations the actor may create events for.
func (s *Service) OrganiserOptions(ctx context.Context) []domain.Membership {
	return OrganiserOrgs(domain.ActorFrom(ctx))
}
