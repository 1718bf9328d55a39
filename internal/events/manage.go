package events

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Create creates an event as a draft of the association e.OrganiserID (0:
// the actor's first association they organise events for). Only its
// event organisers may.
func (s *Service) Create(ctx context.Context, e *domain.Event) (out *domain.Event, err error) {
	defer domain.Wrap(&err, "events.Create")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if e.OrganiserID == 0 {
		if orgs := OrganiserOrgs(a); len(orgs) > 0 {
			e.OrganiserID = orgs[0].OrgID
		}
	}
	if e.OrganiserID == 0 || !authz.Allowed(a, authz.EventManage, authz.Resource{OrgID: e.OrganiserID}) {
		return nil, domain.ErrEventNoOrganiser
	}
	if err := validate(ctx, e, s.db.Municipality); err != nil {
		return nil, err
	}
	states, err := s.db.AssociationStates(ctx, e.OrganiserID)
	if err != nil {
		return nil, err
	}
	e.State = ""
	if len(states) > 0 {
		e.State = states[0]
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.InsertEvent(ctx, e); err != nil {
			return err
		}
		return tx.Audit(ctx, e.OrganiserID, "event.create", "event", e.ID, map[string]any{"title": e.Title, "audience": e.Audience})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Event(ctx, e.ID)
}

// validate checks the fields and that the place's AGS names a
// municipality of the directory, looked up by municipality (inside a
// transaction through it: a second connection of the pool could wait for
// ever while the transaction holds the first).
func validate(ctx context.Context, e *domain.Event, municipality func(context.Context, string) (*domain.Municipality, error)) error {
	err := e.Validate()
	if e.Online || !domain.ValidAGS(e.AGS) || len(e.AGS) != 8 {
		return err
	}
	if _, merr := municipality(ctx, e.AGS); merr != nil {
		if domain.ErrorCode(merr) != domain.ENotFound {
			return merr
		}
		v := domain.Validation(domain.ErrorFields(err))
		if v == nil {
			v = domain.Validation{}
		}
		v.Add("ags", "Diesen Gemeindeschlüssel gibt es im Gemeindeverzeichnis nicht.")
		return v.Err()
	}
	return err
}

// lockManaged locks an event the actor organises; for others it does not
// exist.
func lockManaged(ctx context.Context, tx *store.Tx, id int64) (*domain.Event, error) {
	e, err := tx.LockEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.Allowed(domain.ActorFrom(ctx), authz.EventManage, authz.Resource{OrgID: e.OrganiserID}) {
		return nil, domain.ErrEventNotFound
	}
	return e, nil
}

// Update changes an event: cur carries every field (the API merges a
// partial change into the event first). The organiser, audience state and
// status stay. Registered people are told what changed; more places move
// the waiting list up.
func (s *Service) Update(ctx context.Context, cur *domain.Event) (out *domain.Event, err error) {
	defer domain.Wrap(&err, "events.Update(%d)", cur.ID)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		old, err := lockManaged(ctx, tx, cur.ID)
		if err != nil {
			return err
		}
		switch {
		case old.Status == domain.EventCancelled:
			return domain.ErrEventAlreadyCancel
		case !old.EndsAt.After(tx.Now()):
			return domain.ErrEventEnded
		}
		cur.OrganiserID, cur.State, cur.Status = old.OrganiserID, old.State, old.Status
		if err := validate(ctx, cur, tx.Municipality); err != nil {
			return err
		}
		if cur.Capacity < old.Confirmed {
			return domain.ErrEventCapacityBelow(old.Confirmed)
		}
		if err := tx.UpdateEvent(ctx, cur); err != nil {
			return err
		}
		changes := domain.EventChanges(old, cur)
		if old.Status == domain.EventPublished {
			if err := s.tellChanged(ctx, tx, cur.ID, changes); err != nil {
				return err
			}
			if free := cur.Capacity - old.Confirmed; free > 0 && old.Waitlisted > 0 {
				fresh, err := tx.LockEvent(ctx, cur.ID)
				if err != nil {
					return err
				}
				if err := s.moveUp(ctx, tx, fresh, free); err != nil {
					return err
				}
			}
		}
		return tx.Audit(ctx, old.OrganiserID, "event.update", "event", cur.ID, map[string]any{"changes": changes, "capacity": cur.Capacity})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Event(ctx, cur.ID)
}

// tellChanged mails everyone registered what changed, with the calendar
// file that replaces the old one.
func (s *Service) tellChanged(ctx context.Context, tx *store.Tx, id int64, changes []string) error {
	if len(changes) == 0 {
		return nil
	}
	ev, err := tx.LockEvent(ctx, id)
	if err != nil {
		return err
	}
	regs, err := tx.ActiveRegistrations(ctx, id)
	if err != nil {
		return err
	}
	for _, r := range regs {
		data := map[string]any{"Name": r.Name, "Title": ev.Title, "Start": ev.StartsAt, "End": ev.EndsAt, "Place": ev.Place(),
			"Changes": changes, "Waitlisted": r.Status == domain.RegWaitlisted, "ID": ev.ID, "Link": ""}
		if r.Status == domain.RegConfirmed && ev.Online {
			data["Link"] = ev.OnlineURL
		}
		var att *domain.Attachment
		if r.Status == domain.RegConfirmed {
			att = s.attachment(ev, &r)
		}
		if err := s.notify.EnqueueWith(ctx, tx, r.Email, "event-changed", data, att); err != nil {
			return err
		}
	}
	return nil
}

// Publish publishes a draft: it appears to its audience.
func (s *Service) Publish(ctx context.Context, id int64) (out *domain.Event, err error) {
	defer domain.Wrap(&err, "events.Publish(%d)", id)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		e, err := lockManaged(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Status != domain.EventDraft {
			return domain.ErrEventNotDraft
		}
		if !e.EndsAt.After(tx.Now()) {
			return domain.ErrEventEnded
		}
		if err := tx.PublishEvent(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, e.OrganiserID, "event.publish", "event", id, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.db.Event(ctx, id)
}

// maxReason is the longest cancellation reason, in characters.
const maxReason = 2000

// Cancel cancels an event; everyone registered is told, with the reason.
func (s *Service) Cancel(ctx context.Context, id int64, reason string) (out *domain.Event, err error) {
	defer domain.Wrap(&err, "events.Cancel(%d)", id)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	reason = strings.TrimSpace(reason)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		e, err := lockManaged(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Status == domain.EventCancelled {
			return domain.ErrEventAlreadyCancel
		}
		if utf8.RuneCountInString(reason) > maxReason {
			return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
				Fields: map[string]string{"reason": "Der Grund darf höchstens 2.000 Zeichen lang sein."}}
		}
		if err := tx.CancelEvent(ctx, id, reason); err != nil {
			return err
		}
		regs, err := tx.ActiveRegistrations(ctx, id)
		if err != nil {
			return err
		}
		for _, r := range regs {
			data := map[string]any{"Name": r.Name, "Title": e.Title, "Start": e.StartsAt, "Reason": reason, "Organiser": e.OrganiserName}
			e.Status = domain.EventCancelled
			if err := s.notify.EnqueueWith(ctx, tx, r.Email, "event-cancelled", data, s.attachment(e, &r)); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, e.OrganiserID, "event.cancel", "event", id, map[string]any{"reason": reason, "told": len(regs)})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Event(ctx, id)
}

// Message writes to everyone registered for an event (confirmed and
// waiting); it returns how many it wrote to.
func (s *Service) Message(ctx context.Context, id int64, subject, body string) (n int, err error) {
	defer domain.Wrap(&err, "events.Message(%d)", id)
	if domain.ActorFrom(ctx).Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		e, err := lockManaged(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case subject == "" || utf8.RuneCountInString(subject) > 200 || strings.ContainsAny(subject, "\r\n"):
			return domain.ErrEventSubject
		case body == "" || utf8.RuneCountInString(body) > domain.MaxEventMessage:
			return domain.ErrEventMessage
		}
		regs, err := tx.ActiveRegistrations(ctx, id)
		if err != nil {
			return err
		}
		from := domain.ActorFrom(ctx).Person.Name
		for _, r := range regs {
			data := map[string]any{"Name": r.Name, "Title": e.Title, "Subject": subject, "Body": body, "From": from,
				"Organiser": e.OrganiserName, "ID": e.ID}
			if err := s.notify.Enqueue(ctx, tx, r.Email, "event-message", data); err != nil {
				return err
			}
		}
		n = len(regs)
		return tx.Audit(ctx, e.OrganiserID, "event.message", "event", id, map[string]any{"subject": subject, "recipients": n})
	})
	return n, err
}
