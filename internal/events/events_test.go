package events_test

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
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	petra  = "pruefung@staedtetag-bw.example"
	lilly  = "lilly@futurehausen.example"
	niklas = "niklas@futurehausen.example"
	anna   = "anna@futurehausen.example"
	paula  = "pilot@kleinbach.example"
	vera   = "kurse@vwa-bw.example"
)

func setup(t testing.TB, db *store.DB) *app.App {
	t.Helper()
	if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, "https://lotse.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func as(t testing.TB, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

// newEvent is a valid in-person event a month ahead for the audience.
func newEvent(db *store.DB, audience domain.EventAudience, capacity int) *domain.Event {
	start := db.Now().AddDate(0, 1, 0)
	return &domain.Event{Title: "Vernetzungstreffen Nord", Description: "Austausch der Digitallotsen.", Agenda: "14 Uhr Begrüßung",
		StartsAt: start, EndsAt: start.Add(3 * time.Hour), AGS: demo.FuturehausenAGS, Address: "Rathausplatz 1",
		Capacity: capacity, RegistrationDeadline: start.Add(-24 * time.Hour), Audience: audience,
		Questions: []string{"Essenswünsche?", "Welche Themen möchten Sie besprechen?"}}
}

func published(t testing.TB, a *app.App, db *store.DB, e *domain.Event) *domain.Event {
	t.Helper()
	ctx := as(t, db, petra)
	got, err := a.Events.Create(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = a.Events.Publish(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCreateRefusesBadInputWithGermanFieldMessages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ctx := as(t, db, petra)
		e := newEvent(db, "everyone", 0)
		e.Title, e.EndsAt, e.AGS, e.RegistrationDeadline = " ", e.StartsAt.Add(-time.Hour), "08999999", e.StartsAt.Add(time.Hour)
		_, err := a.Events.Create(ctx, e)
		storetest.WantCode(t, err, domain.EInvalid)
		f := domain.ErrorFields(err)
		for _, k := range []string{"title", "ends_at", "capacity", "audience", "registration_deadline", "ags"} {
			if f[k] == "" {
				t.Errorf("no message for %s: %v", k, f)
			}
		}
		if !strings.Contains(f["ends_at"], "nach dem Beginn") {
			t.Errorf("ends_at message %q", f["ends_at"])
		}
		// Online without a link.
		e = newEvent(db, domain.AudiencePublic, 5)
		e.Online = true
		_, err = a.Events.Create(ctx, e)
		if domain.ErrorFields(err)["online_url"] == "" {
			t.Errorf("online without link: %v", err)
		}
		// Not an organiser.
		_, err = a.Events.Create(as(t, db, lilly), newEvent(db, domain.AudiencePublic, 5))
		storetest.WantCode(t, err, domain.EForbidden)
	})
}

func TestDraftsAreSeenOnlyByTheAssociationsOrganisers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		e, err := a.Events.Create(as(t, db, petra), newEvent(db, domain.AudiencePublic, 5))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Events.Get(as(t, db, petra), e.ID); err != nil {
			t.Fatalf("organiser: %v", err)
		}
		for _, who := range []string{lilly, paula, vera} {
			_, err := a.Events.Get(as(t, db, who), e.ID)
			storetest.WantCode(t, err, domain.ENotFound)
			list, err := a.Events.List(as(t, db, who), false)
			if err != nil || len(list) != 0 {
				t.Errorf("%s lists %d events (%v)", who, len(list), err)
			}
		}
		_, err = a.Events.Get(context.Background(), e.ID)
		storetest.WantCode(t, err, domain.ENotFound)
		_, err = a.Events.Register(as(t, db, lilly), domain.EventRegistrationInput{EventID: e.ID})
		storetest.WantCode(t, err, domain.ENotFound)
	})
}

func TestAudienceDecidesWhoSeesAndRegisters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		members := published(t, a, db, newEvent(db, domain.AudienceMembers, 5))
		pilots := published(t, a, db, newEvent(db, domain.AudiencePilots, 5))
		public := published(t, a, db, newEvent(db, domain.AudiencePublic, 5))
		cases := []struct {
			who   string
			event *domain.Event
			see   bool
			reg   bool
		}{
			{lilly, members, true, true},   // Futurehausen is a Städtetag member
			{paula, members, false, false}, // Kleinbach belongs to the Gemeindetag
			{paula, pilots, true, true},    // but is a municipality of the state
			{vera, pilots, false, false},   // provider staff are no digital pilots
			{vera, public, true, true},     // everyone logged in
			{petra, members, true, true},   // the association's own people
			{"", public, true, false},      // anonymous: sees, must log in
			{"", members, false, false},    // anonymous
			{paula, public, true, true},    // public
			{niklas, pilots, true, true},   // Futurehausen lies in the state too
			{vera, members, false, false},  // not a member
		}
		for _, c := range cases {
			ctx := context.Background()
			if c.who != "" {
				ctx = as(t, db, c.who)
			}
			v, err := a.Events.Get(ctx, c.event.ID)
			if (err == nil) != c.see {
				t.Errorf("%s sees %s event: %v, want %v", c.who, c.event.Audience, err == nil, c.see)
			}
			if err == nil && v.MayRegister != c.reg {
				t.Errorf("%s may register for %s event: %v, want %v", c.who, c.event.Audience, v.MayRegister, c.reg)
			}
		}
		_, err := a.Events.Register(as(t, db, paula), domain.EventRegistrationInput{EventID: members.ID})
		storetest.WantCode(t, err, domain.ENotFound)
		_, err = a.Events.Register(context.Background(), domain.EventRegistrationInput{EventID: public.ID})
		storetest.WantCode(t, err, domain.EUnauthorized)
		r, err := a.Events.Register(as(t, db, paula), domain.EventRegistrationInput{EventID: pilots.ID})
		if err != nil || r.Status != domain.RegConfirmed {
			t.Fatalf("Paula for the pilots' event: %+v, %v", r, err)
		}
	})
}

func TestWaitingListMovesUpWhenAConfirmedPersonCancels(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		e := newEvent(db, domain.AudienceMembers, 1)
		e.Online, e.OnlineURL = true, "https://meet.example/treffen"
		ev := published(t, a, db, e)
		lr, err := a.Events.Register(as(t, db, lilly), domain.EventRegistrationInput{EventID: ev.ID, Answers: []string{"vegetarisch"}})
		if err != nil || lr.Status != domain.RegConfirmed {
			t.Fatalf("Lilly: %+v %v", lr, err)
		}
		m := storetest.LastMail(t, db, lilly)
		if !strings.Contains(m.Body, "https://meet.example/treffen") || m.Attachment == nil || !strings.Contains(m.Attachment.Content, "BEGIN:VEVENT") {
			t.Errorf("confirmation lacks link or calendar file: %+v", m)
		}
		nr, err := a.Events.Register(as(t, db, niklas), domain.EventRegistrationInput{EventID: ev.ID, ShowName: true})
		if err != nil || nr.Status != domain.RegWaitlisted || nr.Position != 1 {
			t.Fatalf("Niklas: %+v %v", nr, err)
		}
		if m := storetest.LastMail(t, db, niklas); strings.Contains(m.Body, "meet.example") {
			t.Errorf("the waiting list is told the link: %s", m.Body)
		}
		// The waitlisted person does not see the link; a second
		// registration is refused.
		v, err := a.Events.Get(as(t, db, niklas), ev.ID)
		if err != nil || v.Event.OnlineURL != "" || v.Own == nil || v.Own.Position != 1 {
			t.Fatalf("Niklas's view: %+v %v", v, err)
		}
		_, err = a.Events.Register(as(t, db, niklas), domain.EventRegistrationInput{EventID: ev.ID})
		storetest.WantCode(t, err, domain.EConflict)
		// Somebody else cannot cancel Lilly's registration.
		_, err = a.Events.CancelRegistration(as(t, db, paula), lr.ID)
		storetest.WantCode(t, err, domain.ENotFound)
		if _, err := a.Events.CancelRegistration(as(t, db, lilly), lr.ID); err != nil {
			t.Fatal(err)
		}
		m = storetest.LastMail(t, db, niklas)
		if !strings.Contains(m.Subject, "Platz ist bestätigt") || m.Attachment == nil {
			t.Errorf("moved-up mail: %+v", m)
		}
		v, err = a.Events.Get(as(t, db, niklas), ev.ID)
		if err != nil || v.Own.Status != domain.RegConfirmed || v.Event.OnlineURL == "" || v.Event.Confirmed != 1 {
			t.Fatalf("after move-up: %+v %v", v, err)
		}
		if len(v.Shown) != 1 || v.Shown[0].Name != "Niklas Neumann" {
			t.Errorf("participant list: %+v", v.Shown)
		}
		_, err = a.Events.CancelRegistration(as(t, db, lilly), lr.ID)
		storetest.WantCode(t, err, domain.EConflict)
	})
}

func TestRegistrationClosesAtTheDeadlineAndWithTheCancellation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		travel := storetest.Freeze(db)
		a := setup(t, db)
		ev := published(t, a, db, newEvent(db, domain.AudiencePublic, 3))
		lr, err := a.Events.Register(as(t, db, lilly), domain.EventRegistrationInput{EventID: ev.ID})
		if err != nil {
			t.Fatal(err)
		}
		// A change is told to the registered person.
		cur := *ev
		cur.StartsAt, cur.EndsAt = cur.StartsAt.Add(time.Hour), cur.EndsAt.Add(time.Hour)
		if _, err := a.Events.Update(as(t, db, petra), &cur); err != nil {
			t.Fatal(err)
		}
		if m := storetest.LastMail(t, db, lilly); !strings.Contains(m.Body, "hat sich geändert") || !strings.Contains(m.Body, "Zeit:") {
			t.Errorf("change mail: %s", m.Body)
		}
		cur.Capacity = 0
		_, err = a.Events.Update(as(t, db, petra), &cur)
		storetest.WantCode(t, err, domain.EInvalid)
		travel(31 * 24 * time.Hour)
		_, err = a.Events.Register(as(t, db, niklas), domain.EventRegistrationInput{EventID: ev.ID})
		storetest.WantCode(t, err, domain.EConflict)
		if !strings.Contains(domain.ErrorMessage(err), "Anmeldefrist ist abgelaufen") {
			t.Errorf("message %q", domain.ErrorMessage(err))
		}
		travel(-31 * 24 * time.Hour)
		if _, err := a.Events.Cancel(as(t, db, petra), ev.ID, "Der Saal ist nicht frei."); err != nil {
			t.Fatal(err)
		}
		m := storetest.LastMail(t, db, lilly)
		if !strings.Contains(m.Body, "Der Saal ist nicht frei.") || m.Attachment == nil || !strings.Contains(m.Attachment.Content, "STATUS:CANCELLED") {
			t.Errorf("cancel mail: %+v", m)
		}
		_, err = a.Events.Register(as(t, db, niklas), domain.EventRegistrationInput{EventID: ev.ID})
		storetest.WantCode(t, err, domain.EConflict)
		if !strings.Contains(domain.ErrorMessage(err), "abgesagt") {
			t.Errorf("message %q", domain.ErrorMessage(err))
		}
		_ = lr
	})
}

func TestHRRegistersStaffOfItsOwnMunicipalityOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ev := published(t, a, db, newEvent(db, domain.AudiencePilots, 3))
		r, err := a.Events.Register(as(t, db, anna), domain.EventRegistrationInput{EventID: ev.ID, PersonEmail: niklas})
		if err != nil || r.Email != niklas || r.OrgName == "" {
			t.Fatalf("HR for Niklas: %+v %v", r, err)
		}
		_, err = a.Events.Register(as(t, db, anna), domain.EventRegistrationInput{EventID: ev.ID, PersonEmail: paula})
		storetest.WantCode(t, err, domain.EInvalid)
		_, err = a.Events.Register(as(t, db, lilly), domain.EventRegistrationInput{EventID: ev.ID, PersonEmail: niklas})
		storetest.WantCode(t, err, domain.EForbidden)
		// HR may cancel it too.
		if _, err := a.Events.CancelRegistration(as(t, db, anna), r.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestConcurrentRegistrationsNeverExceedTheCapacity: N people register at
// once for K places: exactly K are confirmed, the rest wait; then all
// confirmed cancel at once and exactly K of the waiting move up.
func TestConcurrentRegistrationsNeverExceedTheCapacity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		const n, k = 16, 5
		ev := published(t, a, db, newEvent(db, domain.AudiencePilots, k))
		org, err := db.OrganisationByAGS(context.Background(), demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		ctxs := make([]context.Context, n)
		for i := range ctxs {
			email := fmt.Sprintf("person%d@futurehausen.example", i)
			p := storetest.MustCreatePerson(t, db, email, fmt.Sprintf("Person %d", i))
			if err := db.SetRoles(context.Background(), org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
				t.Fatal(err)
			}
			ctxs[i] = as(t, db, email)
		}
		var wg sync.WaitGroup
		regs := make([]*domain.EventRegistration, n)
		errs := make([]error, n)
		for i := range ctxs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				regs[i], errs[i] = a.Events.Register(ctxs[i], domain.EventRegistrationInput{EventID: ev.ID})
			}()
		}
		wg.Wait()
		confirmed := 0
		for i := range regs {
			if errs[i] != nil {
				t.Fatalf("register %d: %v", i, errs[i])
			}
			if regs[i].Status == domain.RegConfirmed {
				confirmed++
			}
		}
		got, err := db.Event(context.Background(), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if confirmed != k || got.Confirmed != k || got.Waitlisted != n-k {
			t.Fatalf("confirmed %d (stored %d), waiting %d; want %d and %d", confirmed, got.Confirmed, got.Waitlisted, k, n-k)
		}
		// Every confirmed person cancels, twice at once.
		for i := range regs {
			if regs[i].Status != domain.RegConfirmed {
				continue
			}
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := a.Events.CancelRegistration(ctxs[i], regs[i].ID)
					if err != nil && domain.ErrorCode(err) != domain.EConflict {
						t.Errorf("cancel: %v", err)
					}
				}()
			}
		}
		wg.Wait()
		if got, err = db.Event(context.Background(), ev.ID); err != nil {
			t.Fatal(err)
		}
		if got.Confirmed != k || got.Waitlisted != n-2*k {
			t.Fatalf("after cancellations: confirmed %d, waiting %d; want %d and %d", got.Confirmed, got.Waitlisted, k, n-2*k)
		}
	})
}

func TestAttendanceCompletesThePathsNetworkingStep(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		nk := as(t, db, niklas)
		p, err := db.PathByShippedKey(context.Background(), programmes.DigitallotsePath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Matching.JoinPath(nk, p.ID); err != nil {
			t.Fatal(err)
		}
		ev := published(t, a, db, newEvent(db, domain.AudienceMembers, 3))
		r, err := a.Events.Register(nk, domain.EventRegistrationInput{EventID: ev.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Events.RecordAttendance(nk, ev.ID, []int64{r.ID}, nil)
		storetest.WantCode(t, err, domain.ENotFound)
		n, err := a.Events.RecordAttendance(as(t, db, petra), ev.ID, []int64{r.ID}, nil)
		if err != nil || n != 1 {
			t.Fatalf("attendance: %d %v", n, err)
		}
		v, err := a.Matching.Path(nk, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		done := false
		for _, st := range v.Progress.Steps {
			if st.Step.Kind == domain.StepEvent {
				done = st.EventConfirmedAt != nil
			}
		}
		if !done {
			t.Error("the path's networking step is not confirmed")
		}
		// Recording again changes nothing.
		if n, err := a.Events.RecordAttendance(as(t, db, petra), ev.ID, []int64{r.ID}, nil); err != nil || n != 0 {
			t.Errorf("second record: %d %v", n, err)
		}
	})
}

func TestRemindersGoOutOnceTheDayBefore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		travel := storetest.Freeze(db)
		a := setup(t, db)
		ev := published(t, a, db, newEvent(db, domain.AudiencePublic, 3))
		if _, err := a.Events.Register(as(t, db, lilly), domain.EventRegistrationInput{EventID: ev.ID}); err != nil {
			t.Fatal(err)
		}
		if n, err := a.Events.SendReminders(context.Background()); err != nil || n != 0 {
			t.Fatalf("a month ahead: %d %v", n, err)
		}
		travel(ev.StartsAt.Sub(db.Now()) - 20*time.Hour)
		var wg sync.WaitGroup
		total := make([]int, 2)
		for i := range total {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := a.Events.SendReminders(context.Background())
				if err != nil {
					t.Error(err)
				}
				total[i] = n
			}()
		}
		wg.Wait()
		if total[0]+total[1] != 1 {
			t.Fatalf("reminders sent: %v", total)
		}
		if m := storetest.LastMail(t, db, lilly); !strings.HasPrefix(m.Subject, "Morgen:") || m.Attachment == nil {
			t.Errorf("reminder: %+v", m)
		}
	})
}

// TestTheReminderJobSendsABacklogInOneRun: more registrants are due than a
// round reminds; one run of the job reminds them all.
func TestTheReminderJobSendsABacklogInOneRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		defer events.SetReminderBatch(1)()
		travel := storetest.Freeze(db)
		a := setup(t, db)
		ev := published(t, a, db, newEvent(db, domain.AudiencePublic, 5))
		for _, who := range []string{lilly, niklas, anna} {
			if _, err := a.Events.Register(as(t, db, who), domain.EventRegistrationInput{EventID: ev.ID}); err != nil {
				t.Fatal(err)
			}
		}
		travel(ev.StartsAt.Sub(db.Now()) - 20*time.Hour)
		if err := a.Events.RunReminders(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, m := range storetest.Mails(t, db) {
			if strings.HasPrefix(m.Subject, "Morgen:") {
				got[m.To]++
			}
		}
		if len(got) != 3 || got[lilly] != 1 || got[niklas] != 1 || got[anna] != 1 {
			t.Errorf("reminders sent by one run in rounds of 1: %v", got)
		}
	})
}
