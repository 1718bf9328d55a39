package booking

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// ReminderLead is how long before a session's start its participants are
// reminded.
const ReminderLead = 3 * 24 * time.Hour

// reminderBatch bounds the reminders one round (one transaction) sends;
// a variable for the tests.
var reminderBatch = 200

// SendReminders mails a reminder to each confirmed participant whose
// session starts within ReminderLead, once per booking. It is the body of
// the booking-reminders job and acts for nobody. Each booking is claimed by
// setting its reminded_at where it is still empty, in the transaction that
// enqueues the mail: two instances running the job at once send one
// reminder. It returns how many it enqueued.
func (s *Service) SendReminders(ctx context.Context) (n int, err error) {
	defer domain.Wrap(&err, "booking.SendReminders")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n = 0
		due, err := tx.DueReminders(ctx, tx.Now(), tx.Now().Add(ReminderLead), reminderBatch)
		if err != nil {
			return err
		}
		for i := range due {
			d := &due[i]
			ok, err := tx.ClaimReminder(ctx, d.ID)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			data := map[string]any{"Name": d.ParticipantName, "Title": d.OfferTitle, "Start": d.Session.StartsAt, "Place": place(d),
				"Provider": d.Provider}
			if err := s.notify.Enqueue(ctx, tx, d.ParticipantEmail, "booking-reminder", data); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RunReminders is SendReminders as a job's body: round after round until
// one is not full, so that a backlog goes out in one run of the hourly job
// (at state scale more than a round's worth of sessions start in a day).
func (s *Service) RunReminders(ctx context.Context) error {
	return domain.Rounds(ctx, reminderBatch, s.SendReminders)
}
