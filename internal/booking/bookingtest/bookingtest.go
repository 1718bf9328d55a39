// Package bookingtest holds helpers for tests that need bookings: a
// published basis session with vouchers of Futurehausen, and the booking
// service on a test database.
package bookingtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// Service is the booking service on db, as the platform wires it.
func Service(db *store.DB) *booking.Service {
	return booking.New(db, notify.MustNew("http://lotse.test"), certify.New(db, storetest.BaseURL))
}

// Fixture loads the demo data, publishes a basis offer of the programme's
// first provider with one session of capacity places a month ahead, and
// returns a context acting as Lilly, the session and the vouchers of an
// approved application of Futurehausen for vouchers people.
func Fixture(t testing.TB, db *store.DB, capacity, vouchers int) (context.Context, *domain.Session, []domain.Voucher) {
	t.Helper()
	ctx, org, provider := fundingtest.Fixture(t, db)
	o := &domain.Offer{ProviderID: provider, Code: "BASIS-TEST", Title: "Basisqualifizierung Kommunale Digitallotsen (Test)",
		Summary:     "Drei Tage Grundlagen der Verwaltungsdigitalisierung für künftige Digitallotsen.",
		Description: strings.Repeat("Chancen der Digitalisierung, rechtliche Grundlagen und Change-Management. ", 2),
		Outcomes:    []string{"Digitalisierungsvorhaben anstoßen"}, Competences: []domain.OfferCompetence{{Code: "STRAT.1", Level: 1}},
		Level: domain.LevelBasic, Format: domain.FormatInPerson, Language: "de", Hours: 24, Days: 3, Certificate: domain.CertParticipation,
		PriceCents: 30000, FundingTracks: []string{programmes.BWID + "/basis"}}
	if err := catalog.CreateOffer(ctx, db, o); err != nil {
		t.Fatal(err)
	}
	if err := catalog.ReviewOffer(ctx, db, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := db.Now().AddDate(0, 1, 0)
	s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: capacity, Online: true}
	if err := catalog.AddSession(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	if vouchers == 0 {
		return ctx, s, nil
	}
	a := fundingtest.Draft(t, ctx, db, org, provider, vouchers)
	if _, err := fundingtest.Service(db).SubmitApplication(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	got, err := fundingtest.Approve(t, db, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, s, got.Vouchers
}

// Book writes a booking through the booking service without the rules on
// who books for whom. The participants of these tests work for
// Futurehausen, the municipality of the vouchers.
func Book(ctx context.Context, db *store.DB, in domain.BookingInput) (*domain.Booking, error) {
	if in.Payment == domain.PayVoucher && in.ParticipantOrgs == nil {
		org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		if err != nil {
			return nil, err
		}
		in.ParticipantOrgs = []int64{org.ID}
	}
	return Service(db).Place(ctx, in)
}

// Cancel cancels a booking as the platform's admin.
func Cancel(t testing.TB, db *store.DB, id int64) (*domain.Booking, error) {
	t.Helper()
	return Service(db).Cancel(fundingtest.As(t, db, "admin@lotse.example"), id)
}
