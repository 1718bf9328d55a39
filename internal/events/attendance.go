package events

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// RecordAttendance records who came (present) and takes back marks
// (absent), by registration ID, for the event's organisers. A confirmed
// registrant marked present for the first time completes the networking
// step of their learning paths in the same transaction (OnAttended). It
// returns how many marks changed.
func (s *Service) RecordAttendance(ctx context.Context, id int64, present, absent []int64) (n int, err error) {
	defer domain.Wrap(&err, "events.RecordAttendance(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n = 0
		ev, err := lockManaged(ctx, tx, id)
		if err != nil {
			return err
		}
		if ev.Status != domain.EventPublished {
			return domain.ErrEventNotPublished
		}
		if len(present)+len(absent) == 0 {
			return &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie mindestens eine Person aus.",
				Fields: map[string]string{"present": "Bitte wählen Sie mindestens eine Person aus."}}
		}
		mark := func(regID int64, attended bool) error {
			r, err := tx.Registration(ctx, regID)
			if err != nil {
				return err
			}
			if r.EventID != id {
				return domain.ErrRegistrationNotFound
			}
			if attended && r.Status != domain.RegConfirmed {
				return &domain.Error{Code: domain.EConflict, Message: "Anwesenheit lässt sich nur für bestätigte Anmeldungen erfassen."}
			}
			changed, err := tx.SetAttended(ctx, regID, attended)
			if err != nil || !changed {
				return err
			}
			n++
			if attended && s.attended != nil {
				return s.attended(ctx, tx, r.PersonID, a.Person.ID)
			}
			return nil
		}
		for _, r := range present {
			if err := mark(r, true); err != nil {
				return err
			}
		}
		for _, r := range absent {
			if err := mark(r, false); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, ev.OrganiserID, "event.attendance", "event", id, map[string]any{"present": present, "absent": absent})
	})
	return n, err
}
