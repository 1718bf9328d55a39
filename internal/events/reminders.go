package events

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// ReminderLead is how long before an event its confirmed registrants are
// reminded: the day before.
const ReminderLead = 24 * time.Hour

// reminderBatch bounds the reminders one round (one transaction) sends;
// a variable for the tests.
var reminderBatch = 200

// SendReminders mails each confirmed registrant of an event that starts
// within ReminderLead a reminder with the calendar file, once per
// registration. It is the body of the event-reminders job and acts for
// nobody; each registration is claimed (reminded_at) in the transaction
// that enqueues its mail, so two instances send one reminder.
func (s *Service) SendReminders(ctx context.Context) (n int, err error) {
	defer domain.Wrap(&err, "events.SendReminders")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n = 0
		due, err := tx.DueEventReminders(ctx, tx.Now(), tx.Now().Add(ReminderLead), reminderBatch)
		if err != nil {
			return err
		}
		for i := range due {
			e, r := &due[i].Event, &due[i].Registration
			ok, err := tx.ClaimEventReminder(ctx, r.ID)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			data := map[string]any{"Name": r.Name, "Title": e.Title, "Start": e.StartsAt, "End": e.EndsAt, "Place": e.Place(),
				"ID": e.ID, "Link": ""}
			if e.Online {
				data["Link"] = e.OnlineURL
			}
			if err := s.notify.EnqueueWith(ctx, tx, r.Email, "event-reminder", data, s.attachment(e, r)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RunReminders is SendReminders as a job's body, round after round until
// one is not full (a backlog goes out in one run).
func (s *Service) RunReminders(ctx context.Context) error {
	return domain.Rounds(ctx, reminderBatch, s.SendReminders)
}
