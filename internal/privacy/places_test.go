package privacy_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// organiser is the Städtetag's event organiser of the demo.
const organiser = "pruefung@staedtetag-bw.example"

// places loads the demo (without its story) and returns the app.
func places(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// staff creates n members of Futurehausen (digital pilots' audience) and
// returns their contexts and people.
func staff(t *testing.T, db *store.DB, prefix string, n int) ([]context.Context, []*domain.Person) {
	t.Helper()
	org, err := db.OrganisationByAGS(context.Background(), demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	ctxs, ps := make([]context.Context, n), make([]*domain.Person, n)
	for i := range n {
		email := fmt.Sprintf("%s%d@futurehausen.example", prefix, i)
		p := storetest.MustCreatePerson(t, db, email, fmt.Sprintf("Person %s %d", prefix, i))
		if err := db.SetRoles(context.Background(), org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		ctxs[i], ps[i] = as(t, db, email), p
	}
	return ctxs, ps
}

// openEvent publishes an event a month ahead for the digital pilots with
// capacity places.
func openEvent(t *testing.T, a *app.App, db *store.DB, capacity int) *domain.Event {
	t.Helper()
	start := db.Now().AddDate(0, 1, 0)
	ctx := as(t, db, organiser)
	ev, err := a.Events.Create(ctx, &domain.Event{Title: "Vernetzungstreffen Süd", Description: "Austausch der Digitallotsen.",
		StartsAt: start, EndsAt: start.Add(3 * time.Hour), AGS: demo.FuturehausenAGS, Address: "Rathausplatz 1", Capacity: capacity,
		RegistrationDeadline: start.Add(-24 * time.Hour), Audience: domain.AudiencePilots})
	if err != nil {
		t.Fatal(err)
	}
	if ev, err = a.Events.Publish(ctx, ev.ID); err != nil {
		t.Fatal(err)
	}
	return ev
}

// eventCounts are an event's places counted from the rows and as kept on
// the event.
func eventCounts(t *testing.T, db *store.DB, eventID int64) (confirmed, waiting, keptConfirmed, keptWaiting int) {
	t.Helper()
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT
			(SELECT count(*) FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'),
			(SELECT count(*) FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'),
			confirmed_count, waitlisted_count FROM events WHERE id = $1`, eventID).Scan(&confirmed, &waiting, &keptConfirmed, &keptWaiting)
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func regStatus(t *testing.T, db *store.DB, eventID, personID int64) string {
	t.Helper()
	var s string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT COALESCE(MAX(CASE status WHEN 'confirmed' THEN 'confirmed' WHEN 'waitlisted' THEN 'waitlisted' END), '')
			FROM event_registrations WHERE event_id = $1 AND person_id = $2`, eventID, personID).Scan(&s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDeletingAnAccountGivesItsEventPlaceToTheWaitingList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := places(t, db)
		ev := openEvent(t, a, db, 1)
		ctxs, ps := staff(t, db, "warteliste", 3)
		for i, want := range []domain.RegistrationStatus{domain.RegConfirmed, domain.RegWaitlisted, domain.RegWaitlisted} {
			r, err := a.Events.Register(ctxs[i], domain.EventRegistrationInput{EventID: ev.ID, ShowName: i == 0})
			if err != nil || r.Status != want {
				t.Fatalf("registration %d: %+v, %v", i, r, err)
			}
		}
		counts, err := a.Privacy.DeleteSelf(ctxs[0], storetest.Password, "")
		if err != nil {
			t.Fatal(err)
		}
		if counts["event_registrations_released"] != 1 || counts["event_registrations"] != 1 {
			t.Errorf("deletion counts %v", counts)
		}
		// The first on the waiting list has the place and is told, with
		// the calendar file; the second still waits, now first.
		if s := regStatus(t, db, ev.ID, ps[1].ID); s != "confirmed" {
			t.Errorf("first waiting: %q, want confirmed", s)
		}
		if s := regStatus(t, db, ev.ID, ps[2].ID); s != "waitlisted" {
			t.Errorf("second waiting: %q, want waitlisted", s)
		}
		m := storetest.LastMail(t, db, ps[1].Email)
		if !strings.Contains(m.Subject, "Platz ist bestätigt") || m.Attachment == nil || !strings.Contains(m.Attachment.Content, "BEGIN:VEVENT") {
			t.Errorf("moved-up mail: %+v", m)
		}
		c, w, kc, kw := eventCounts(t, db, ev.ID)
		if c != 1 || w != 1 || kc != 1 || kw != 1 {
			t.Errorf("places: confirmed %d (kept %d), waiting %d (kept %d); want 1 and 1", c, kc, w, kw)
		}
		// Nothing goes to the deleted address; the audit log has the
		// release and the move-up, by ID only.
		for _, m := range storetest.Mails(t, db) {
			if m.To == ps[0].Email {
				t.Errorf("a mail to the deleted address stays: %s", m.Subject)
			}
		}
		var unregister, moveUp int
		for k, d := range auditDetails(t, db) {
			switch {
			case strings.HasPrefix(k, "event.unregister#") && strings.Contains(d, `"account_deleted":true`):
				unregister++
			case strings.HasPrefix(k, "event.move_up#"):
				moveUp++
			}
			if strings.Contains(d, ps[0].Email) || strings.Contains(d, ps[0].Name) {
				t.Errorf("audit %s names the deleted person: %s", k, d)
			}
		}
		if unregister != 1 || moveUp != 1 {
			t.Errorf("audit: %d releases, %d move-ups; want 1 and 1", unregister, moveUp)
		}
		// The consent to the participant list is withdrawn in its record.
		var withdrawn int
		db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `SELECT count(*) FROM event_consents WHERE person_id = $1 AND event = 'withdrawn'`,
				ps[0].ID).Scan(&withdrawn)
		})
		if withdrawn != 1 {
			t.Errorf("%d withdrawals recorded, want 1", withdrawn)
		}
	})
}

// TestDeletionsAndRegistrationsAtOnceKeepTheCapacityExact: confirmed
// people delete their accounts while others register and cancel at once;
// the waiting list moves up in its order, the places are exact and the
// kept counts agree with the rows. A person who registers while their own
// account is deleted ends up with no registration.
func TestDeletionsAndRegistrationsAtOnceKeepTheCapacityExact(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := places(t, db)
		const capacity = 4
		ev := openEvent(t, a, db, capacity)
		other := openEvent(t, a, db, 10)
		early, eps := staff(t, db, "frueh", capacity+2) // 4 confirmed, 2 waiting
		late, lps := staff(t, db, "spaet", 6)           // register during the deletions
		regs := make([]*domain.EventRegistration, len(early))
		for i := range early {
			r, err := a.Events.Register(early[i], domain.EventRegistrationInput{EventID: ev.ID})
			if err != nil {
				t.Fatal(err)
			}
			regs[i] = r
		}
		if regs[capacity-1].Status != domain.RegConfirmed || regs[capacity].Status != domain.RegWaitlisted {
			t.Fatalf("before: %v, %v", regs[capacity-1].Status, regs[capacity].Status)
		}
		adm := as(t, db, admin)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		// Three of the confirmed are deleted (one registers elsewhere at
		// the same moment), the fourth cancels.
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Privacy.DeletePerson(adm, eps[i].ID); err != nil {
					errs <- fmt.Errorf("delete %d: %w", i, err)
				}
			}()
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := a.Events.CancelRegistration(early[3], regs[3].ID); err != nil {
				errs <- fmt.Errorf("cancel: %w", err)
			}
		}()
		go func() {
			defer wg.Done()
			_, err := a.Events.Register(early[0], domain.EventRegistrationInput{EventID: other.ID})
			if err != nil && domain.ErrorCode(err) != domain.EUnauthorized {
				errs <- fmt.Errorf("register while deleted: %w", err)
			}
		}()
		for i := range late {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Events.Register(late[i], domain.EventRegistrationInput{EventID: ev.ID}); err != nil {
					errs <- fmt.Errorf("register %d: %w", i, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		// 4 places were freed: the two waiting first, then two of the
		// late ones (whoever came first); 4 of the late ones wait.
		c, w, kc, kw := eventCounts(t, db, ev.ID)
		if c != capacity || w != len(late)-2 || kc != c || kw != w {
			t.Fatalf("places: confirmed %d (kept %d), waiting %d (kept %d); want %d and %d", c, kc, w, kw, capacity, len(late)-2)
		}
		for _, p := range eps[capacity:] {
			if s := regStatus(t, db, ev.ID, p.ID); s != "confirmed" {
				t.Errorf("%s was waiting first and is %q", p.Email, s)
			}
		}
		confirmedLate := 0
		for _, p := range lps {
			if regStatus(t, db, ev.ID, p.ID) == "confirmed" {
				confirmedLate++
			}
		}
		if confirmedLate != 2 {
			t.Errorf("%d late registrations confirmed, want 2", confirmedLate)
		}
		for _, p := range eps[:3] {
			for _, e := range []int64{ev.ID, other.ID} {
				if s := regStatus(t, db, e, p.ID); s != "" {
					t.Errorf("deleted %d still %s for event %d", p.ID, s, e)
				}
			}
		}
	})
}
