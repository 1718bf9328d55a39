package privacy_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestBookingsAndDeletionsOfTheBookingPeopleAtOnce: the booking service
// takes the participant's account (shared) before the session, in the
// order a deletion takes them, so a deletion running at the same time as
// the person's booking cannot leave a booking behind. Many people book
// places of a small session while their accounts are deleted, others book
// alongside; afterwards each of the deleted has no active booking (their
// booking was refused as their account was gone, or came first and then
// refused the deletion), no active booking belongs to a deleted or
// anonymised person, and the session's places are consistent: at most its
// capacity confirmed, nobody waiting while a place is free, and exactly
// the bookings that succeeded hold a place.
func TestBookingsAndDeletionsOfTheBookingPeopleAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, session, _ := bookingtest.Fixture(t, db, 4, 0)
		a := app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		doomedCtx, doomed := staff(t, db, "geht", 12)
		stayCtx, stay := staff(t, db, "bleibt", 6)
		adm := as(t, db, admin)

		var wg sync.WaitGroup
		var mu sync.Mutex
		booked := map[int64]bool{}  // people whose booking succeeded
		deleted := map[int64]bool{} // people whose deletion succeeded
		errs := make(chan error, 64)
		book := func(ctx context.Context, p *domain.Person) {
			defer wg.Done()
			_, err := a.Booking.Book(ctx, booking.Request{SessionID: session.ID, Payment: domain.PayPrivate})
			switch {
			case err == nil:
				mu.Lock()
				booked[p.ID] = true
				mu.Unlock()
			case domain.ErrorCode(err) != domain.EUnauthorized:
				// The only refusal expected: the account is gone.
				errs <- fmt.Errorf("booking of %s: %w", p.Email, err)
			}
		}
		// The deletions start first for half the people, the bookings
		// for the other half, so that both orders happen.
		for i := range doomed {
			wg.Add(2)
			if i%2 == 1 {
				go book(doomedCtx[i], doomed[i])
			}
			go func() {
				defer wg.Done()
				_, err := a.Privacy.DeletePerson(adm, doomed[i].ID)
				switch {
				case err == nil:
					mu.Lock()
					deleted[doomed[i].ID] = true
					mu.Unlock()
				case domain.ErrorCode(err) != domain.EConflict:
					// The only refusal expected: the person booked first.
					errs <- fmt.Errorf("deletion of %s: %w", doomed[i].Email, err)
				}
			}()
			if i%2 == 0 {
				go book(doomedCtx[i], doomed[i])
			}
		}
		for i := range stay {
			wg.Add(1)
			go book(stayCtx[i], stay[i])
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}

		for _, p := range doomed {
			if booked[p.ID] == deleted[p.ID] {
				t.Errorf("%s: booked %v, deleted %v; want exactly one", p.Email, booked[p.ID], deleted[p.ID])
			}
		}
		for _, p := range stay {
			if !booked[p.ID] {
				t.Errorf("%s, not deleted, has no booking", p.Email)
			}
		}
		var orphans, anonymous, confirmed, waiting, active int
		var capacity int
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `SELECT
				(SELECT count(*) FROM bookings b JOIN persons p ON p.id = b.person_id
					WHERE b.session_id = $1 AND b.status IN ('confirmed', 'waitlisted', 'awaiting_approval') AND p.deleted_at IS NOT NULL),
				(SELECT count(*) FROM bookings WHERE session_id = $1 AND status IN ('confirmed', 'waitlisted', 'awaiting_approval')
					AND (participant_name = $2 OR participant_email = '' OR person_id IS NULL)),
				(SELECT count(*) FROM bookings WHERE session_id = $1 AND status = 'confirmed'),
				(SELECT count(*) FROM bookings WHERE session_id = $1 AND status = 'waitlisted'),
				(SELECT count(*) FROM bookings WHERE session_id = $1 AND status IN ('confirmed', 'waitlisted', 'awaiting_approval')),
				(SELECT capacity FROM offer_sessions WHERE id = $1)`, session.ID, domain.DeletedPersonName).
				Scan(&orphans, &anonymous, &confirmed, &waiting, &active, &capacity)
		})
		if err != nil {
			t.Fatal(err)
		}
		if orphans != 0 || anonymous != 0 {
			t.Errorf("%d active bookings of deleted people, %d anonymised", orphans, anonymous)
		}
		if confirmed > capacity || (waiting > 0 && confirmed != capacity) || active != len(booked) {
			t.Errorf("places: %d confirmed of %d, %d waiting, %d active; %d bookings succeeded", confirmed, capacity, waiting, active, len(booked))
		}
		// Every deleted account is deleted, and the others are not.
		for _, p := range doomed {
			var gone bool
			if err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRowContext(context.Background(), `SELECT deleted_at IS NOT NULL FROM persons WHERE id = $1`, p.ID).Scan(&gone)
			}); err != nil {
				t.Fatal(err)
			}
			if gone != deleted[p.ID] {
				t.Errorf("%s: gone %v, deletion succeeded %v", p.Email, gone, deleted[p.ID])
			}
		}
		t.Logf("%s: %d of %d deleted, %d booked (%d confirmed, %d waiting)", db.Dialect, len(deleted), len(doomed), len(booked), confirmed, waiting)
	})
}
