package booking_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

func codeOf(display string) voucher.Code { return voucher.Code(strings.ReplaceAll(display, "-", "")) }

func TestConcurrentBookingsNeverExceedCapacity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, _ := bookingtest.Fixture(t, db, 20, 0)
		// Two handles on the database, as two server processes would have.
		dbs := []*store.DB{db}
		if db.Dialect == store.Postgres {
			second, err := store.Open(ctx, db.DSN())
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			dbs = append(dbs, second)
		}
		const n = 500
		statuses := make([]domain.BookingStatus, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := bookingtest.Book(ctx, dbs[i%len(dbs)], domain.BookingInput{SessionID: s.ID, ParticipantName: fmt.Sprintf("Person %d", i),
					ParticipantEmail: fmt.Sprintf("person%d@futurehausen.example", i), Payment: domain.PayPrivate})
				errs[i] = err
				if err == nil {
					statuses[i] = b.Status
				}
			}()
		}
		wg.Wait()
		count := map[domain.BookingStatus]int{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("booking %d: %v", i, err)
			}
			count[statuses[i]]++
		}
		if count[domain.BookingConfirmed] != 20 || count[domain.BookingWaitlisted] != 480 {
			t.Fatalf("%v; want 20 confirmed and 480 waitlisted", count)
		}
		// A cancellation moves the first on the waiting list up.
		bs, err := db.SessionBookings(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var firstConfirmed, firstWaiting int64
		for _, b := range bs {
			if b.Status == domain.BookingConfirmed && firstConfirmed == 0 {
				firstConfirmed = b.ID
			}
			if b.Status == domain.BookingWaitlisted && firstWaiting == 0 {
				firstWaiting = b.ID
			}
		}
		if _, err := bookingtest.Cancel(t, db, firstConfirmed); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.Booking(ctx, firstWaiting); b.Status != domain.BookingConfirmed {
			t.Fatalf("first on the waiting list is %s after a cancellation", b.Status)
		}
	})
}

func TestAVoucherBacksOneBookingUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingtest.Fixture(t, db, 200, 1)
		code := vs[0].Code
		const n = 100
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann",
					ParticipantEmail: "niklas@futurehausen.example", Payment: domain.PayVoucher, Voucher: code})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EConflict:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d bookings with one voucher, want 1", ok)
		}
		v, err := db.Voucher(ctx, codeOf(code))
		if err != nil || v.State != domain.VoucherReserved {
			t.Fatalf("voucher after booking: %+v, %v", v, err)
		}
	})
}

func TestVoucherRulesAndRelease(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingtest.Fixture(t, db, 10, 1)
		code := vs[0].Code
		bookWith := func(c string) (*domain.Booking, error) {
			return bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
				Payment: domain.PayVoucher, Voucher: c})
		}
		typo := []byte(code)
		if typo[len(typo)-1] == 'X' {
			typo[len(typo)-1] = 'Y'
		} else {
			typo[len(typo)-1] = 'X'
		}
		if _, err := bookWith(string(typo)); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorFields(err)["voucher"], "Prüfziffer") {
			t.Fatalf("typo: %v", err)
		}
		b, err := bookWith(strings.ToLower(code))
		if err != nil || b.Status != domain.BookingConfirmed {
			t.Fatalf("booking with the voucher: %+v, %v", b, err)
		}
		if _, err := bookWith(code); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("second use: %v", err)
		}
		// Cancelling before the start frees the voucher for a new booking.
		if _, err := bookingtest.Cancel(t, db, b.ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Voucher(ctx, codeOf(code)); v.State != domain.VoucherIssued {
			t.Fatalf("voucher after cancellation: %s", v.State)
		}
		if _, err := bookWith(code); err != nil {
			t.Fatalf("booking again after cancellation: %v", err)
		}
		// Idempotent retries give the first booking.
		in := domain.BookingInput{SessionID: s.ID, ParticipantName: "Anna", ParticipantEmail: "anna@futurehausen.example", Payment: domain.PayPrivate,
			IdempotencyKey: "retry-1"}
		b1, err1 := bookingtest.Book(ctx, db, in)
		b2, err2 := bookingtest.Book(ctx, db, in)
		if err1 != nil || err2 != nil || b1.ID != b2.ID {
			t.Fatalf("idempotent retry: %v %v %v %v", b1, b2, err1, err2)
		}
	})
}

func TestCancellationAfterTheDeadlineKeepsTheVoucher(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, first, vs := bookingtest.Fixture(t, db, 10, 2)
		start := first.StartsAt.Add(24 * time.Hour)
		s := &domain.Session{OfferID: first.OfferID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 10, Online: true,
			RegistrationDeadline: start.Add(-7 * 24 * time.Hour)}
		if err := catalog.AddSession(ctx, db, s); err != nil {
			t.Fatal(err)
		}
		var bs []*domain.Booking
		for i, v := range vs {
			b, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: fmt.Sprintf("niklas%d@futurehausen.example", i),
				Payment: domain.PayVoucher, Voucher: v.Code})
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
		// Three days before the start: after the registration deadline.
		real := db.Now
		db.Now = func() time.Time { return start.Add(-3 * 24 * time.Hour) }
		defer func() { db.Now = real }()
		if _, err := bookingtest.Cancel(t, db, bs[0].ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Voucher(ctx, codeOf(vs[0].Code)); v.State != domain.VoucherReserved {
			t.Fatalf("voucher after a late cancellation by the participant: %s, want reserved", v.State)
		}
	})
}

// TestCancelReleasesVoucherSaysWhatCancelDoes: what the page tells before a
// cancellation (CancelReleasesVoucher) is what Cancel then does with the
// voucher, before and after the registration deadline.
func TestCancelReleasesVoucherSaysWhatCancelDoes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, first, vs := bookingtest.Fixture(t, db, 10, 2)
		start := first.StartsAt.Add(24 * time.Hour)
		s := &domain.Session{OfferID: first.OfferID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 10, Online: true,
			RegistrationDeadline: start.Add(-7 * 24 * time.Hour)}
		if err := catalog.AddSession(ctx, db, s); err != nil {
			t.Fatal(err)
		}
		// Niklas books and cancels himself: not the provider, so after the
		// deadline his voucher stays reserved.
		niklas := fundingtest.As(t, db, "niklas@futurehausen.example")
		person := domain.ActorFrom(niklas).Person
		svc := bookingtest.Service(db)
		for i, when := range []time.Time{start.Add(-10 * 24 * time.Hour), start.Add(-3 * 24 * time.Hour)} {
			b, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, PersonID: person.ID, ParticipantName: person.Name,
				ParticipantEmail: person.Email, Payment: domain.PayVoucher, Voucher: vs[i].Code})
			if err != nil {
				t.Fatal(err)
			}
			real := db.Now
			db.Now = func() time.Time { return when }
			d, err := svc.Detail(niklas, b.ID)
			if err != nil {
				db.Now = real
				t.Fatal(err)
			}
			says := svc.CancelReleasesVoucher(niklas, d)
			_, err = svc.Cancel(niklas, b.ID)
			db.Now = real
			if err != nil {
				t.Fatal(err)
			}
			v, err := db.Voucher(ctx, codeOf(vs[i].Code))
			if err != nil {
				t.Fatal(err)
			}
			if released := v.State == domain.VoucherIssued; says != released || says != (i == 0) {
				t.Errorf("%d days before the start: the page says the voucher comes back: %v; after Cancel it is %s", int(start.Sub(when).Hours()/24), says, v.State)
			}
		}
	})
}

// TestANewBookingIsAnsweredAndMailedAsStored: Place answers and mails from
// what its transaction locked and wrote, without reading the booking
// back; the answer is the booking as stored (voucher state included), and
// the confirmation names the session's place and address as the stored
// booking's details do.
func TestANewBookingIsAnsweredAndMailedAsStored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, first, vs := bookingtest.Fixture(t, db, 10, 1)
		start := first.StartsAt.Add(48 * time.Hour)
		s := &domain.Session{OfferID: first.OfferID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 1,
			AGS: "08111000", Address: "Rathausplatz 1"}
		if err := catalog.AddSession(ctx, db, s); err != nil {
			t.Fatal(err)
		}
		for i, in := range []domain.BookingInput{
			{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example", Payment: domain.PayVoucher, Voucher: vs[0].Code},
			{SessionID: s.ID, ParticipantName: "Ada A", ParticipantEmail: "ada@example.org", Payment: domain.PayPrivate},
		} {
			b, err := bookingtest.Book(ctx, db, in)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := db.Booking(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(b, stored) {
				t.Fatalf("booking %d answered\n%+v\nstored\n%+v", i, b, stored)
			}
			m := storetest.LastMail(t, db, in.ParticipantEmail)
			if i == 1 {
				if b.Status != domain.BookingWaitlisted || !strings.Contains(m.Body, "auf Platz 1") {
					t.Fatalf("second booking: %s, mail\n%s", b.Status, m.Body)
				}
				continue
			}
			d, err := db.BookingDetails(ctx, domain.BookingFilter{Email: in.ParticipantEmail})
			if err != nil || len(d) != 1 {
				t.Fatalf("details: %v %v", d, err)
			}
			if d[0].Session.Place == "" || !strings.Contains(m.Body, d[0].Session.Place+", Rathausplatz 1") {
				t.Fatalf("mail of booking %d does not name the place %q:\n%s", i, d[0].Session.Place, m.Body)
			}
		}
	})
}
