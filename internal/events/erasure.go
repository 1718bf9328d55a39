package events

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// ReleaseForErasure gives up the person's registrations for events that
// have not begun, inside tx: the deletion of their account
// (internal/privacy), which has locked the person's row. Each event is
// locked in the order of its ID and handled as CancelRegistration does: the
// registration is cancelled, a freed place goes to the first on the
// waiting list, who is told by mail with the calendar file, and both steps
// are in the audit log. The deleted person gets no mail (their mails are
// deleted with the account). It returns how many registrations it
// cancelled.
func (s *Service) ReleaseForErasure(ctx context.Context, tx *store.Tx, personID int64) (n int64, err error) {
	defer domain.Wrap(&err, "events.ReleaseForErasure(%d)", personID)
	ids, err := tx.PersonUpcomingEvents(ctx, personID)
	if err != nil {
		return 0, err
	}
	for _, evID := range ids {
		ev, err := tx.LockEvent(ctx, evID)
		if err != nil {
			return n, err
		}
		// Read again under the event's lock: a cancellation that ran
		// before the lock was taken has already freed the place.
		reg, err := tx.ActiveRegistration(ctx, ev.ID, personID)
		if err != nil {
			return n, err
		}
		if reg == nil {
			continue
		}
		if err := tx.SetRegistrationStatus(ctx, reg.ID, domain.RegCancelled); err != nil {
			return n, err
		}
		n++
		if reg.Status == domain.RegConfirmed && ev.Status == domain.EventPublished {
			ev.Confirmed--
			if err := s.moveUp(ctx, tx, ev, ev.Capacity-ev.Confirmed); err != nil {
				return n, err
			}
		}
		if err := tx.Audit(ctx, ev.OrganiserID, "event.unregister", "event_registration", reg.ID,
			map[string]any{"event": ev.ID, "from": reg.Status, "account_deleted": true}); err != nil {
			return n, err
		}
	}
	return n, nil
}
