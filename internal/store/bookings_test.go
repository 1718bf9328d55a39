package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// bookingFixture publishes a basis offer with one session of capacity
// places and returns the session and vouchers of an approved application.
func bookingFixture(t testing.TB, db *store.DB, capacity, vouchers int) (context.Context, *domain.Session, []domain.Voucher) {
	t.Helper()
	return bookingtest.Fixture(t, db, capacity, vouchers)
}

// book writes a booking through the booking service.
func book(ctx context.Context, db *store.DB, in domain.BookingInput) (*domain.Booking, error) {
	return bookingtest.Book(ctx, db, in)
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
		if err := catalog.CreateOffer(ctx, db, o); err != nil {
			t.Fatal(err)
		}
		catalog.ReviewOffer(ctx, db, o.ID, true, "")
		start := db.Now().AddDate(0, 1, 0)
		s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(32 * time.Hour), Days: 2, Capacity: 10, Online: true}
		if err := catalog.AddSession(ctx, db, s); err != nil {
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
		if _, err := book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
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
		b, err := book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
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
