package events

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// participant is the person a registration is for, with what the
// audience rules need of them and the municipality the list shows.
type participant struct {
	person *domain.Person
	viewer authz.EventViewer
	orgID  int64
}

// whoFor resolves the person of a registration: the actor, or (HR) a
// member of a municipality where the actor is HR.
func (s *Service) whoFor(ctx context.Context, a *domain.Actor, email string) (*participant, error) {
	email = domain.NormalizeEmail(email)
	if email == "" || email == a.Person.Email {
		v, err := s.viewer(ctx, a)
		if err != nil {
			return nil, err
		}
		org, err := s.db.PersonMunicipality(ctx, a.Person.ID)
		if err != nil {
			return nil, err
		}
		return &participant{person: a.Person, viewer: v, orgID: org}, nil
	}
	if !a.HasAnyRole(domain.RoleHR) {
		return nil, domain.ErrEventForOthers
	}
	p, err := s.db.PersonByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.ErrEventPersonUnknown
	} else if err != nil {
		return nil, err
	}
	ms, err := s.db.Memberships(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var org int64
	for _, m := range ms {
		if m.OrgKind == domain.OrgMunicipality && authz.Allowed(a, authz.EventRegisterFor, authz.Resource{OrgID: m.OrgID}) {
			org = m.OrgID
			break
		}
	}
	if org == 0 {
		return nil, domain.ErrEventPersonUnknown
	}
	v, err := s.viewer(ctx, &domain.Actor{Person: p, Memberships: ms})
	if err != nil {
		return nil, err
	}
	return &participant{person: p, viewer: v, orgID: org}, nil
}

// Register registers a person for an event: oneself, or (HR) a member of
// one's municipality. Under the event's lock it checks status, deadline
// and audience, that the person holds no registration yet, counts the
// places from the rows and confirms or puts on the waiting list; the mail
// (with the calendar file when confirmed) is enqueued in the same
// transaction. Capacity is never exceeded, whatever runs at once.
func (s *Service) Register(ctx context.Context, in domain.EventRegistrationInput) (r *domain.EventRegistration, err error) {
	defer domain.Wrap(&err, "events.Register(event %d)", in.EventID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.EventRegister, authz.Resource{}); err != nil {
		return nil, err
	}
	who, err := s.whoFor(ctx, a, in.PersonEmail)
	if err != nil {
		return nil, err
	}
	actorView := who.viewer
	if who.person.ID != a.Person.ID {
		if actorView, err = s.viewer(ctx, a); err != nil {
			return nil, err
		}
	}
	var id int64
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		// privacy: the person's row first (shared), then the event, in
		// the order the deletion of an account takes them; an account
		// deleted meanwhile gets no registration.
		if ok, err := tx.PersonActive(ctx, who.person.ID); err != nil {
			return err
		} else if !ok {
			if who.person.ID == a.Person.ID {
				return domain.ErrUnauthorized
			}
			return domain.ErrEventPersonUnknown
		}
		ev, err := tx.LockEvent(ctx, in.EventID)
		if err != nil {
			return err
		}
		if !authz.EventVisible(actorView, access(ev)) || ev.Status == domain.EventDraft {
			if ev.Status == domain.EventDraft && authz.EventOrganiser(actorView, access(ev)) {
				return domain.ErrEventNotPublished
			}
			return domain.ErrEventNotFound
		}
		if ev.Status == domain.EventCancelled {
			return domain.ErrEventCancelled
		}
		if !tx.Now().Before(ev.RegistrationDeadline) {
			return domain.ErrEventRegistrationClosed(ev.RegistrationDeadline)
		}
		if !authz.EventMayRegister(who.viewer, access(ev)) {
			return domain.ErrEventAudience
		}
		answers, err := domain.ValidateAnswers(ev.Questions, in.Answers)
		if err != nil {
			return err
		}
		if cur, err := tx.ActiveRegistration(ctx, ev.ID, who.person.ID); err != nil {
			return err
		} else if cur != nil {
			return domain.ErrAlreadyRegistered
		}
		status := domain.RegConfirmed
		if ev.Confirmed >= ev.Capacity || ev.Waitlisted > 0 {
			status = domain.RegWaitlisted
		}
		reg := &domain.EventRegistration{EventID: ev.ID, PersonID: who.person.ID, Name: who.person.Name, Email: who.person.Email,
			OrgID: who.orgID, Status: status, Answers: answers, ShowName: in.ShowName}
		if err := tx.InsertRegistration(ctx, reg); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return domain.ErrAlreadyRegistered
			}
			return err
		}
		id = reg.ID
		data := map[string]any{"Name": reg.Name, "Title": ev.Title, "Start": ev.StartsAt, "End": ev.EndsAt, "Place": ev.Place(),
			"Organiser": ev.OrganiserName, "ID": ev.ID, "Link": "", "Position": ev.Waitlisted + 1}
		if status == domain.RegConfirmed {
			if ev.Online {
				data["Link"] = ev.OnlineURL
			}
			err = s.notify.EnqueueWith(ctx, tx, reg.Email, "event-confirmed", data, s.attachment(ev, reg))
		} else {
			err = s.notify.Enqueue(ctx, tx, reg.Email, "event-waitlisted", data)
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, ev.OrganiserID, "event.register", "event_registration", id,
			map[string]any{"event": ev.ID, "person": who.person.ID, "status": status})
	})
	if err != nil {
		return nil, err
	}
	return s.registration(ctx, id)
}

// registration reads a registration with its place on the waiting list.
func (s *Service) registration(ctx context.Context, id int64) (*domain.EventRegistration, error) {
	var r *domain.EventRegistration
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.Registration(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if r.Status == domain.RegWaitlisted {
		if r.Position, err = s.db.WaitingPosition(ctx, r.EventID, r.ID, domain.WaitingPositionLimit); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// mayManageRegistration: the person, HR of the municipality it names,
// the event's organisers.
func mayManageRegistration(a *domain.Actor, r *domain.EventRegistration, ev *domain.Event) bool {
	return r.PersonID == a.PersonID() ||
		(r.OrgID != 0 && authz.Allowed(a, authz.EventRegisterFor, authz.Resource{OrgID: r.OrgID})) ||
		authz.Allowed(a, authz.EventManage, authz.Resource{OrgID: ev.OrganiserID})
}

// CancelRegistration cancels a registration. Its event is locked before
// the registration is read, so ten cancellations at once succeed once; a
// freed place goes to the first on the waiting list in the same
// transaction, and they are told.
func (s *Service) CancelRegistration(ctx context.Context, id int64) (r *domain.EventRegistration, err error) {
	defer domain.Wrap(&err, "events.CancelRegistration(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		evID, err := tx.RegistrationEvent(ctx, id)
		if err != nil {
			return err
		}
		ev, err := tx.LockEvent(ctx, evID)
		if err != nil {
			return err
		}
		reg, err := tx.Registration(ctx, id)
		if err != nil {
			return err
		}
		if !mayManageRegistration(a, reg, ev) {
			return domain.ErrRegistrationNotFound
		}
		if reg.Status == domain.RegCancelled {
			return domain.ErrRegistrationDone
		}
		if err := tx.SetRegistrationStatus(ctx, id, domain.RegCancelled); err != nil {
			return err
		}
		if ev.Status != domain.EventCancelled {
			data := map[string]any{"Name": reg.Name, "Title": ev.Title, "Start": ev.StartsAt, "ID": ev.ID}
			if err := s.notify.Enqueue(ctx, tx, reg.Email, "event-registration-cancelled", data); err != nil {
				return err
			}
		}
		if reg.Status == domain.RegConfirmed && ev.Status == domain.EventPublished {
			ev.Confirmed--
			if err := s.moveUp(ctx, tx, ev, ev.Capacity-ev.Confirmed); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, ev.OrganiserID, "event.unregister", "event_registration", id,
			map[string]any{"event": ev.ID, "from": reg.Status})
	})
	if err != nil {
		return nil, err
	}
	return s.registration(ctx, id)
}

// moveUp gives up to n free places to the first on the waiting list and
// tells them, with the calendar file. The caller holds the event's lock.
func (s *Service) moveUp(ctx context.Context, tx *store.Tx, ev *domain.Event, n int) error {
	if n <= 0 {
		return nil
	}
	next, err := tx.FirstWaitingRegistrations(ctx, ev.ID, n)
	if err != nil {
		return err
	}
	for i := range next {
		r := &next[i]
		if err := tx.SetRegistrationStatus(ctx, r.ID, domain.RegConfirmed); err != nil {
			return err
		}
		r.Status = domain.RegConfirmed
		data := map[string]any{"Name": r.Name, "Title": ev.Title, "Start": ev.StartsAt, "End": ev.EndsAt, "Place": ev.Place(),
			"ID": ev.ID, "Link": ""}
		if ev.Online {
			data["Link"] = ev.OnlineURL
		}
		if err := s.notify.EnqueueWith(ctx, tx, r.Email, "event-moved-up", data, s.attachment(ev, r)); err != nil {
			return err
		}
		if err := tx.Audit(ctx, ev.OrganiserID, "event.move_up", "event_registration", r.ID, map[string]any{"event": ev.ID}); err != nil {
			return err
		}
	}
	return nil
}
