package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// bookingFixture publishes a basis offer of the first programme provider
// with one session of capacity places, and returns the session and vouchers
// of an approved application for vouchers people.
func bookingFixture(t testing.TB, db *store.DB, capacity, vouchers int) (context.Context, *domain.Session, []domain.Voucher) {
	t.Helper()
	ctx, org, provider := fundingFixture(t, db)
	o := &domain.Offer{ProviderID: provider, Code: "BASIS-TEST", Title: "Basisqualifizierung Kommunale Digitallotsen (Test)",
		Summary:     "Drei Tage Grundlagen der Verwaltungsdigitalisierung für künftige Digitallotsen.",
		Description: strings.Repeat("Chancen der Digitalisierung, rechtliche Grundlagen und Change-Management. ", 2),
		Outcomes:    []string{"Digitalisierungsvorhaben anstoßen"}, Competences: []domain.OfferCompetence{{Code: "STRAT.1", Level: 1}},
		Level: domain.LevelBasic, Format: domain.FormatInPerson, Language: "de", Hours: 24, Days: 3, Certificate: domain.CertParticipation,
		PriceCents: 30000, FundingTracks: []string{programmes.BWID + "/basis"}}
	if err := db.CreateOffer(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.ReviewOffer(ctx, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := db.Now().AddDate(0, 1, 0)
	s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: capacity, Online: true}
	if err := db.AddSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if vouchers == 0 {
		return ctx, s, nil
	}
	a := draft(t, ctx, db, org, provider, vouchers)
	if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	got, err := approve(t, db, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, s, got.Vouchers
}

func TestConcurrentBookingsNeverExceedCapacity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, _ := bookingFixture(t, db, 20, 0)
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
		statuses := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := dbs[i%len(dbs)].Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: fmt.Sprintf("Person %d", i),
					ParticipantEmail: fmt.Sprintf("person%d@futurehausen.example", i), Payment: domain.PayPrivate})
				errs[i] = err
				if err == nil {
					statuses[i] = b.Status
				}
			}()
		}
		wg.Wait()
		count := map[string]int{}
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
		if _, err := db.CancelBooking(ctx, firstConfirmed); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.Booking(ctx, firstWaiting); b.Status != domain.BookingConfirmed {
			t.Fatalf("first on the waiting list is %s after a cancellation", b.Status)
		}
	})
}

func TestAVoucherBacksOneBookingUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingFixture(t, db, 200, 1)
		code := vs[0].Code
		const n = 100
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann",
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
		ctx, s, vs := bookingFixture(t, db, 10, 1)
		code := vs[0].Code
		book := func(c string) (*domain.Booking, error) {
			return db.Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
				Payment: domain.PayVoucher, Voucher: c})
		}
		typo := []byte(code)
		if typo[len(typo)-1] == 'X' {
			typo[len(typo)-1] = 'Y'
		} else {
			typo[len(typo)-1] = 'X'
		}
		if _, err := book(string(typo)); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorFields(err)["voucher"], "Prüfziffer") {
			t.Fatalf("typo: %v", err)
		}
		b, err := book(strings.ToLower(code))
		if err != nil || b.Status != domain.BookingConfirmed {
			t.Fatalf("booking with the voucher: %+v, %v", b, err)
		}
		if _, err := book(code); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("second use: %v", err)
		}
		// Cancelling before the start frees the voucher for a new booking.
		if _, err := db.CancelBooking(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Voucher(ctx, codeOf(code)); v.State != domain.VoucherIssued {
			t.Fatalf("voucher after cancellation: %s", v.State)
		}
		if _, err := book(code); err != nil {
			t.Fatalf("booking again after cancellation: %v", err)
		}
		// Idempotent retries give the first booking.
		in := domain.BookingInput{SessionID: s.ID, ParticipantName: "Anna", ParticipantEmail: "anna@futurehausen.example", Payment: domain.PayPrivate,
			IdempotencyKey: "retry-1"}
		b1, err1 := db.Book(ctx, in)
		b2, err2 := db.Book(ctx, in)
		if err1 != nil || err2 != nil || b1.ID != b2.ID {
			t.Fatalf("idempotent retry: %v %v %v %v", b1, b2, err1, err2)
		}
	})
}

func codeOf(display string) voucher.Code { return voucher.Code(strings.ReplaceAll(display, "-", "")) }

func TestAdvancedVoucherValueFollowsTheSessionDays(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		o := &domain.Offer{ProviderID: provider, Code: "KI-TAG", Title: "KI in der Verwaltung (Aufbau)",
			Summary: "Ein Tag zu Chancen, Grenzen und Recht von KI-Anwendungen in Kommunen.", Description: strings.Repeat("Sprachmodelle und Assistenzsysteme im Verwaltungsalltag. ", 2),
			Outcomes: []string{"KI-Einsatz bewerten"}, Competences: []domain.OfferCompetence{{Code: "KI.2", Level: 2}}, Level: domain.LevelIntermediate,
			Format: domain.FormatLiveOnline, Language: "de", Hours: 12, Days: 2, Certificate: domain.CertParticipation, PriceCents: 15000,
			FundingTracks: []string{programmes.BWID + "/advanced"}}
		if err := db.CreateOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
		db.ReviewOffer(ctx, o.ID, true, "")
		start := db.Now().AddDate(0, 1, 0)
		s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(32 * time.Hour), Days: 2, Capacity: 10, Online: true}
		if err := db.AddSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		doc, err := db.CreateDocument(ctx, org.ID, "zertifikat.pdf", "application/pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		prog, track, people, yes := programmes.BWID, domain.TrackAdvanced, 1, true
		certs := []domain.ApplicationCertificate{{PersonName: "Niklas Neumann", DocumentID: doc.ID}}
		a, err := fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &provider, People: &people,
			Declarations: &yes, Certificates: &certs})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, err := approve(t, db, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Vouchers[0].ValueCents != 15000 {
			t.Fatalf("advanced voucher issued at %d, want the programme maximum 15000", got.Vouchers[0].ValueCents)
		}
		if _, err := db.Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
			Payment: domain.PayVoucher, Voucher: got.Vouchers[0].Code}); err != nil {
			t.Fatal(err)
		}
		v, _ := db.Voucher(ctx, codeOf(got.Vouchers[0].Code))
		if v.ValueCents != 10000 {
			t.Fatalf("advanced voucher for 2 days is worth %d cents, want 10000 (2 × 50 €)", v.ValueCents)
		}
	})
}

func TestPlatformCertificateAsBaseProof(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingFixture(t, db, 10, 1)
		b, err := db.Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
			Payment: domain.PayVoucher, Voucher: vs[0].Code})
		if err != nil {
			t.Fatal(err)
		}
		realNow := db.Now
		db.Now = func() time.Time { return s.EndsAt.Add(time.Hour) }
		defer func() { db.Now = realNow }()
		completeAttendance(t, ctx, db, b.ID)
		db.Now = realNow
		certs, _ := db.BookingCertificates(ctx, b.ID)
		org, _ := db.OrganisationByAGS(ctx, "08999001")
		p, _ := db.Programme(ctx, programmes.BWID)
		prog, track, people, yes := programmes.BWID, domain.TrackAdvanced, 1, true
		apply := func(name, cert string) (*domain.Application, error) {
			cs := []domain.ApplicationCertificate{{PersonName: name, CertificateID: cert}}
			return fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &p.ProviderIDs[0],
				People: &people, Declarations: &yes, Certificates: &cs})
		}
		if _, err := apply("Anna Albrecht", certs[0].ID); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("someone else's certificate: %v", err)
		}
		if _, err := apply("Niklas Neumann", "c0ffee00-0000-4000-8000-000000000000"); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("unknown certificate: %v", err)
		}
		a, err := apply("niklas neumann", certs[0].ID)
		if err != nil || len(a.Certificates) != 1 || a.Certificates[0].Check != "verified" {
			t.Fatalf("own certificate: %+v, %v", a, err)
		}
		// Revoked before submission: the submission says so.
		if err := revokeCertificate(t, ctx, db, certs[0].ID, "Test"); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).SubmitApplication(ctx, a.ID); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(fmt.Sprint(domain.ErrorFields(err)), "widerrufen") {
			t.Fatalf("submission with a revoked certificate: %v", err)
		}
	})
}

func TestCancellationAfterTheDeadlineKeepsTheVoucher(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, first, vs := bookingFixture(t, db, 10, 2)
		start := first.StartsAt.Add(24 * time.Hour)
		s := &domain.Session{OfferID: first.OfferID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 10, Online: true,
			RegistrationDeadline: start.Add(-7 * 24 * time.Hour)}
		if err := db.AddSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		var bs []*domain.Booking
		for _, v := range vs {
			b, err := db.Book(ctx, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
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
		if _, err := db.CancelBooking(ctx, bs[0].ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Voucher(ctx, codeOf(vs[0].Code)); v.State != domain.VoucherReserved {
			t.Fatalf("voucher after a late cancellation by the participant: %s, want reserved", v.State)
		}
	})
}
