package booking_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	anna   = "anna@futurehausen.example"   // HR of Futurehausen
	niklas = "niklas@futurehausen.example" // participant of Futurehausen
)

// decisionEnv is a session with Niklas's employer-paid booking waiting for
// HR, and Kleinbach with an HR person and a member of its own.
type decisionEnv struct {
	db              *store.DB
	session         *domain.Session
	fh, kb          *domain.Organisation
	waiting         *domain.Booking // Niklas's, billed to Futurehausen
	kbHR, kbMember  context.Context
	kbMemberPerson  *domain.Person
	annaCtx, niklas context.Context
}

func newDecisionEnv(t *testing.T, db *store.DB, capacity int) *decisionEnv {
	t.Helper()
	ctx, s, _ := bookingtest.Fixture(t, db, capacity, 0)
	e := &decisionEnv{db: db, session: s}
	var err error
	if e.fh, err = db.OrganisationByAGS(ctx, "08999001"); err != nil {
		t.Fatal(err)
	}
	if e.kb, err = db.OrganisationByAGS(ctx, "08999002"); err != nil {
		t.Fatal(err)
	}
	hr := storetest.MustCreatePerson(t, db, "personal@kleinbach.example", "Karla Personal")
	if err := db.SetRoles(ctx, e.kb.ID, hr.ID, []domain.Role{domain.RoleHR}); err != nil {
		t.Fatal(err)
	}
	e.kbMemberPerson = storetest.MustCreatePerson(t, db, "kai@kleinbach.example", "Kai Klein")
	if err := db.SetRoles(ctx, e.kb.ID, e.kbMemberPerson.ID, []domain.Role{domain.RoleParticipant}); err != nil {
		t.Fatal(err)
	}
	e.kbHR, e.kbMember = fundingtest.As(t, db, hr.Email), fundingtest.As(t, db, e.kbMemberPerson.Email)
	e.annaCtx, e.niklas = fundingtest.As(t, db, anna), fundingtest.As(t, db, niklas)
	p := domain.ActorFrom(e.niklas).Person
	e.waiting, err = bookingtest.Book(e.niklas, db, domain.BookingInput{SessionID: s.ID, PersonID: p.ID, ParticipantName: p.Name,
		ParticipantEmail: p.Email, Payment: domain.PayEmployer, EmployerID: e.fh.ID, NeedsApproval: true})
	if err != nil || e.waiting.Status != domain.BookingAwaitingApproval {
		t.Fatalf("waiting booking: %+v, %v", e.waiting, err)
	}
	return e
}

func TestHRDeclinesWithAReasonAndTheParticipantIsTold(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newDecisionEnv(t, db, 5)
		svc := bookingtest.Service(db)
		_, err := svc.Decline(e.annaCtx, e.waiting.ID, "   ")
		storetest.WantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("missing reason: no message for the field: %v", domain.ErrorFields(err))
		}
		_, err = svc.Decline(e.niklas, e.waiting.ID, "selbst")
		storetest.WantCode(t, err, domain.EForbidden)
		_, err = svc.Decline(e.kbHR, e.waiting.ID, "fremd")
		storetest.WantCode(t, err, domain.ENotFound)

		b, err := svc.Decline(e.annaCtx, e.waiting.ID, "  Das Budget ist ausgeschöpft. ")
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != domain.BookingCancelled || b.DeclineReason != "Das Budget ist ausgeschöpft." || !b.Declined() || b.CancelledAt == nil {
			t.Fatalf("declined booking: %+v", b)
		}
		m := storetest.LastMail(t, db, niklas)
		if !strings.Contains(m.Subject, "nicht freigegeben") || !strings.Contains(m.Body, "Begründung: Das Budget ist ausgeschöpft.") {
			t.Fatalf("decline mail: %s\n%s", m.Subject, m.Body)
		}
		_, err = svc.Decline(e.annaCtx, e.waiting.ID, "noch mal")
		storetest.WantCode(t, err, domain.EConflict)
		_, err = svc.Approve(e.annaCtx, e.waiting.ID, "")
		storetest.WantCode(t, err, domain.EConflict)
		// The place is free again: Niklas may book the session anew.
		if taken := activeBookings(t, db, e.session.ID); taken != 0 {
			t.Fatalf("%d active bookings after the decline", taken)
		}
	})
}

func activeBookings(t *testing.T, db *store.DB, session int64) int {
	t.Helper()
	bs, err := db.SessionBookings(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bs {
		if b.Status.Active() {
			n++
		}
	}
	return n
}

func TestHRApprovesWithANoteAndTheMailCarriesTheCalendarFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newDecisionEnv(t, db, 5)
		svc := bookingtest.Service(db)
		_, err := svc.Approve(e.annaCtx, e.waiting.ID, strings.Repeat("x", 1001))
		storetest.WantCode(t, err, domain.EInvalid)
		b, err := svc.Approve(e.annaCtx, e.waiting.ID, "Viel Erfolg!")
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != domain.BookingConfirmed || b.ApprovalNote != "Viel Erfolg!" {
			t.Fatalf("approved booking: %+v", b)
		}
		m := storetest.LastMail(t, db, niklas)
		if !strings.Contains(m.Body, "Notiz der Personalabteilung: Viel Erfolg!") || !strings.Contains(m.Body, "Ihr Platz ist bestätigt.") {
			t.Fatalf("approval mail:\n%s", m.Body)
		}
		if m.Attachment == nil || !strings.HasSuffix(m.Attachment.Name, ".ics") || !strings.Contains(m.Attachment.Content, "BEGIN:VEVENT") ||
			!strings.HasPrefix(m.Attachment.ContentType, "text/calendar") {
			t.Fatalf("approval mail attachment: %+v", m.Attachment)
		}
	})
}

func TestWaitingBookingsAreScopedToHRsMunicipality(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newDecisionEnv(t, db, 5)
		svc := bookingtest.Service(db)
		kai := e.kbMemberPerson
		kbBooking, err := bookingtest.Book(e.kbMember, db, domain.BookingInput{SessionID: e.session.ID, PersonID: kai.ID, ParticipantName: kai.Name,
			ParticipantEmail: kai.Email, Payment: domain.PayEmployer, EmployerID: e.kb.ID, NeedsApproval: true})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(bs []domain.BookingDetail) []int64 {
			out := []int64{}
			for _, b := range bs {
				out = append(out, b.ID)
			}
			return out
		}
		want := func(name string, got []domain.BookingDetail, err error, ids_ ...int64) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			g := ids(got)
			if len(g) != len(ids_) {
				t.Fatalf("%s: got %v, want %v", name, g, ids_)
			}
			for i := range g {
				if g[i] != ids_[i] {
					t.Fatalf("%s: got %v, want %v", name, g, ids_)
				}
			}
		}
		bs, err := svc.Awaiting(e.annaCtx)
		want("Futurehausen's HR desk", bs, err, e.waiting.ID)
		bs, err = svc.Awaiting(e.kbHR)
		want("Kleinbach's HR desk", bs, err, kbBooking.ID)
		bs, err = svc.List(e.annaCtx, domain.BookingAwaitingApproval)
		want("Futurehausen's HR list", bs, err, e.waiting.ID)
		bs, err = svc.List(e.kbHR, domain.BookingAwaitingApproval)
		want("Kleinbach's HR list", bs, err, kbBooking.ID)
		bs, err = svc.List(e.niklas, domain.BookingAwaitingApproval)
		want("participant's list", bs, err, e.waiting.ID)
		bs, err = svc.List(e.niklas, domain.BookingConfirmed)
		want("participant's confirmed", bs, err)
		_, err = svc.Awaiting(e.niklas)
		storetest.WantCode(t, err, domain.EForbidden)
		_, err = svc.List(e.niklas, "kaputt")
		storetest.WantCode(t, err, domain.EInvalid)
		// HR of Kleinbach can neither approve nor decline Futurehausen's.
		_, err = svc.Approve(e.kbHR, e.waiting.ID, "")
		storetest.WantCode(t, err, domain.ENotFound)
	})
}

func TestBookingMailsConfirmWaitlistCancelAndMoveUp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newDecisionEnv(t, db, 2) // Niklas's booking waits for HR and takes no place
		book := func(name, email string) *domain.Booking {
			t.Helper()
			b, err := bookingtest.Book(e.annaCtx, db, domain.BookingInput{SessionID: e.session.ID, ParticipantName: name, ParticipantEmail: email,
				Payment: domain.PayPrivate})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		a := book("Ada A", "ada@example.org")
		m := storetest.LastMail(t, db, "ada@example.org")
		if !strings.Contains(m.Subject, "Anmeldung ist bestätigt") || m.Attachment == nil || !strings.Contains(m.Attachment.Content, "BEGIN:VCALENDAR") {
			t.Fatalf("confirmation: %s %+v", m.Subject, m.Attachment)
		}
		book("Ben B", "ben@example.org")
		book("Cem C", "cem@example.org")
		m = storetest.LastMail(t, db, "cem@example.org")
		if !strings.Contains(m.Subject, "Warteliste") || !strings.Contains(m.Body, "auf Platz 1") || m.Attachment != nil {
			t.Fatalf("waiting list mail: %s\n%s", m.Subject, m.Body)
		}
		if _, err := bookingtest.Cancel(t, db, a.ID); err != nil {
			t.Fatal(err)
		}
		var cancelled, movedUp bool
		for _, m := range storetest.Mails(t, db) {
			cancelled = cancelled || m.To == "ada@example.org" && strings.Contains(m.Subject, "storniert")
			movedUp = movedUp || m.To == "cem@example.org" && strings.Contains(m.Subject, "Platz ist bestätigt") && m.Attachment != nil
		}
		if !cancelled || !movedUp {
			t.Fatalf("after the cancellation: cancellation mail %v, moved-up mail %v", cancelled, movedUp)
		}
	})
}

func TestRemindersGoOutOncePerBookingEvenWhenTheJobRunsConcurrently(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newDecisionEnv(t, db, 4)
		svc := bookingtest.Service(db)
		for _, p := range []string{"a", "b", "c", "d", "e"} { // four places, one on the waiting list
			if _, err := bookingtest.Book(e.annaCtx, db, domain.BookingInput{SessionID: e.session.ID, ParticipantName: "Person " + p,
				ParticipantEmail: p + "@example.org", Payment: domain.PayPrivate}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := svc.SendReminders(context.Background()); err != nil || n != 0 {
			t.Fatalf("a month ahead: %d reminders, %v", n, err)
		}
		realNow := db.Now
		db.Now = func() time.Time { return e.session.StartsAt.Add(-48 * time.Hour) }
		t.Cleanup(func() { db.Now = realNow })
		dbs := []*store.DB{db}
		if db.Dialect == store.Postgres {
			second, err := store.Open(context.Background(), db.DSN())
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			second.Now = db.Now
			dbs = append(dbs, second)
		}
		var wg sync.WaitGroup
		counts := make([]int, 6)
		errs := make([]error, 6)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = bookingtest.Service(dbs[i%len(dbs)]).SendReminders(context.Background())
			}()
		}
		wg.Wait()
		total := 0
		for i := range counts {
			if errs[i] != nil {
				t.Fatalf("run %d: %v", i, errs[i])
			}
			total += counts[i]
		}
		if total != 4 {
			t.Fatalf("%d reminders sent by six runs, want 4 (the confirmed places)", total)
		}
		if n, err := svc.SendReminders(context.Background()); err != nil || n != 0 {
			t.Fatalf("another run: %d reminders, %v", n, err)
		}
		per := map[string]int{}
		for _, m := range storetest.Mails(t, db) {
			if strings.HasPrefix(m.Subject, "Erinnerung:") {
				per[m.To]++
			}
		}
		if len(per) != 4 || per["e@example.org"] != 0 {
			t.Fatalf("reminders per address: %v", per)
		}
		for to, n := range per {
			if n != 1 {
				t.Fatalf("%s got %d reminders", to, n)
			}
		}
	})
}

func TestHRIsToldWhenABookingWaitsForApproval(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		newDecisionEnv(t, db, 5)
		var toAnna, toOthers int
		for _, m := range storetest.Mails(t, db) {
			if !strings.HasPrefix(m.Subject, "Eine Buchung wartet auf Ihre Freigabe") {
				continue
			}
			if m.To == anna && strings.Contains(m.Body, "Niklas Neumann") && strings.Contains(m.Body, "/freigaben") {
				toAnna++
			} else {
				toOthers++
			}
		}
		// Only Futurehausen's HR: not Kleinbach's, not Niklas himself.
		if toAnna != 1 || toOthers != 0 {
			t.Fatalf("approval notices: %d to Anna, %d to others", toAnna, toOthers)
		}
	})
}

// TestTheReminderJobSendsABacklogInOneRun: more reminders are due than a
// round sends; one run of the job sends them all, round after round.
func TestTheReminderJobSendsABacklogInOneRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		defer booking.SetReminderBatch(2)()
		e := newDecisionEnv(t, db, 5)
		for _, p := range []string{"a", "b", "c", "d", "e"} {
			if _, err := bookingtest.Book(e.annaCtx, db, domain.BookingInput{SessionID: e.session.ID, ParticipantName: "Person " + p,
				ParticipantEmail: p + "@example.org", Payment: domain.PayPrivate}); err != nil {
				t.Fatal(err)
			}
		}
		realNow := db.Now
		db.Now = func() time.Time { return e.session.StartsAt.Add(-48 * time.Hour) }
		t.Cleanup(func() { db.Now = realNow })
		if err := bookingtest.Service(db).RunReminders(context.Background()); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range storetest.Mails(t, db) {
			if strings.HasPrefix(m.Subject, "Erinnerung:") {
				n++
			}
		}
		if n != 5 {
			t.Fatalf("one run sent %d reminders, want 5 in rounds of 2", n)
		}
	})
}
