package matching_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// signal returns the signal of kind in the area of d.
func signal(t *testing.T, d *domain.Demand, area, kind string) domain.DemandSignal {
	t.Helper()
	for _, a := range d.Areas {
		if a.Code != area {
			continue
		}
		for _, s := range a.Signals {
			if s.Kind == kind {
				return s
			}
		}
	}
	t.Fatalf("no %s signal in area %s of %+v", kind, area, d.Areas)
	return domain.DemandSignal{}
}

// TestDemandHidesCountsBelowFive: the provider sees, for Futurehausen's
// district, how many people have shared gaps, role gaps and empty searches
// in an area it teaches, but only from five people (searches) on; fewer
// are "below threshold" without a number. Other providers' staff and
// municipalities are refused.
func TestDemandHidesCountsBelowFive(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ctx := context.Background()
		hr, vw := as(t, db, anna), as(t, db, vera)
		org := orgOf(t, hr)
		vwa := orgOf(t, vw)
		fh, err := db.Organisation(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		district := fh.AGS[:5]
		d, err := a.Matching.Demand(vw, vwa, district)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Areas) == 0 || d.District != district || !d.To.After(d.From) || d.MinGroupSize != 5 {
			t.Fatalf("demand %+v", d)
		}
		area := d.Areas[0].Code
		framework, err := a.Matching.Framework(ctx)
		if err != nil {
			t.Fatal(err)
		}
		code := ""
		for _, c := range framework {
			if c.Area == area && c.Code != area {
				code = c.Code
				break
			}
		}
		for _, s := range d.Areas[0].Signals {
			if !s.BelowThreshold || s.Count != nil {
				t.Fatalf("a signal before any demand: %+v", s)
			}
		}
		people := colleagues(t, db, org, "demand", 5)
		assignedProfile(t, a, hr, org, "Nachfrage", []domain.RoleTarget{{Code: code, Level: 3}}, people)
		for _, c := range people[:4] {
			assessShared(t, a, c, org, domain.AssessmentItem{Code: code, Level: 1, Target: 2})
			if err := a.Matching.LogEmptySearch(c, "Kurs zu "+area+" im Mondschein", []string{area}); err != nil {
				t.Fatal(err)
			}
		}
		d, err = a.Matching.Demand(vw, vwa, district)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{domain.DemandAssessmentGaps, domain.DemandRoleGaps, domain.DemandEmptySearches} {
			if s := signal(t, d, area, k); !s.BelowThreshold || s.Count != nil {
				t.Fatalf("four people shown: %+v", s)
			}
		}
		assessShared(t, a, people[4], org, domain.AssessmentItem{Code: code, Level: 0, Target: 1})
		if err := a.Matching.LogEmptySearch(people[4], "kurs zu  "+area+" IM Mondschein ", []string{area}); err != nil {
			t.Fatal(err)
		}
		d, err = a.Matching.Demand(vw, vwa, district)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{domain.DemandAssessmentGaps, domain.DemandRoleGaps, domain.DemandEmptySearches} {
			if s := signal(t, d, area, k); s.BelowThreshold || s.Count == nil || *s.Count != 5 {
				t.Fatalf("five people: %+v", s)
			}
		}
		for _, a := range d.Areas {
			if a.Code == area && (len(a.Queries) != 1 || a.Queries[0] != "kurs zu "+lower(area)+" im mondschein") {
				t.Fatalf("queries %q", a.Queries)
			}
		}
		// Another district: nothing.
		choices := d.Choices
		for _, c := range choices {
			if c.AGS == district {
				continue
			}
			other, err := a.Matching.Demand(vw, vwa, c.AGS)
			if err != nil {
				t.Fatal(err)
			}
			if s := signal(t, other, area, domain.DemandAssessmentGaps); s.Count != nil {
				t.Fatalf("district %s shows Futurehausen's demand: %+v", c.AGS, s)
			}
			break
		}
		if _, err := a.Matching.Demand(vw, vwa, "99999"); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("unknown district: %v", err)
		}
		// Only the provider's own demand.
		karl := as(t, db, "kurse@verwaltungsschule-bw.example")
		if _, err := a.Matching.Demand(karl, vwa, ""); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("another provider sees the VWA's demand: %v", err)
		}
		if _, err := a.Matching.Demand(hr, vwa, ""); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("HR sees the VWA's demand: %v", err)
		}
		if _, err := a.Matching.Demand(as(t, db, "admin@lotse.example"), vwa, district); err != nil {
			t.Fatalf("admin: %v", err)
		}
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// TestEmptySearchLogKeepsNoPerson: an empty search is counted by day,
// the district of the searcher's municipality (none when anonymous), the
// normalised text and the areas; nothing names the person.
func TestEmptySearchLogKeepsNoPerson(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ctx := context.Background()
		nk := as(t, db, niklas)
		fh, err := db.Organisation(ctx, orgOf(t, nk))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := a.Matching.LogEmptySearch(nk, "  Niklas   sucht Quantenverwaltung ", []string{"KI", "PM", "KI"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Matching.LogEmptySearch(ctx, "Quantenverwaltung", nil); err != nil {
			t.Fatal(err)
		}
		if err := a.Matching.LogEmptySearch(ctx, "   ", nil); err != nil {
			t.Fatal(err)
		}
		rows, err := db.SearchMisses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		day := db.Now().UTC().Format("2006-01-02")
		want := [][5]string{{day, "", "quantenverwaltung", "", "1"}, {day, fh.AGS[:5], "niklas sucht quantenverwaltung", "KI,PM", "2"}}
		if len(rows) != len(want) {
			t.Fatalf("rows %v, want %v", rows, want)
		}
		for i := range want {
			if rows[i] != want[i] {
				t.Errorf("row %d: %v, want %v", i, rows[i], want[i])
			}
		}
		for _, r := range rows {
			for _, v := range r {
				if v == niklas || v == "Niklas Neumann" {
					t.Fatalf("the log names the person: %v", r)
				}
			}
		}
	})
}

// TestDemandCountsWaitingListsAndFundingRequests: people waitlisted for a
// full session in the district and people asking their municipality there
// to fund an offer of the area count, from five on.
func TestDemandCountsWaitingListsAndFundingRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ctx := context.Background()
		hr, vw := as(t, db, anna), as(t, db, vera)
		org, vwa := orgOf(t, hr), orgOf(t, vw)
		fh, err := db.Organisation(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		_, offers, _, err := a.Catalog.ProviderOffers(vw, domain.KeyCursor{}, 199)
		if err != nil {
			t.Fatal(err)
		}
		var offer *domain.Offer
		for i := range offers {
			o := &offers[i]
			if o.Status == domain.OfferPublished && len(o.Competences) > 0 && len(o.FundingTracks) > 0 {
				offer = o
				break
			}
		}
		if offer == nil {
			t.Fatal("the VWA has no published, funded offer with competences")
		}
		area, _, _ := strings.Cut(offer.Competences[0].Code, ".")
		start := db.Now().AddDate(0, 0, 30)
		ses := &domain.Session{OfferID: offer.ID, StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 1, Capacity: 1, AGS: fh.AGS, Address: "Rathaus"}
		if err := a.Catalog.AddSession(vw, ses); err != nil {
			t.Fatal(err)
		}
		people := colleagues(t, db, org, "wait", 6)
		for i, c := range people {
			b, err := a.Booking.Book(c, booking.Request{SessionID: ses.ID, Payment: domain.PayPrivate})
			if err != nil {
				t.Fatal(err)
			}
			if want := domain.BookingWaitlisted; i > 0 && b.Status != want {
				t.Fatalf("booking %d: %s, want %s", i, b.Status, want)
			}
		}
		ask := func(c context.Context) {
			t.Helper()
			if _, err := a.Funding.RequestFunding(c, funding.FundingRequestInput{Track: offer.FundingTracks[0], OfferID: offer.ID, Reason: "Für meine Aufgaben"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range people[:4] {
			ask(c)
		}
		district := fh.AGS[:5]
		d, err := a.Matching.Demand(vw, vwa, district)
		if err != nil {
			t.Fatal(err)
		}
		if s := signal(t, d, area, domain.DemandWaitingLists); s.Count == nil || *s.Count != 5 {
			t.Fatalf("five waitlisted: %+v", s)
		}
		if s := signal(t, d, area, domain.DemandFundingRequests); !s.BelowThreshold || s.Count != nil {
			t.Fatalf("four requests shown: %+v", s)
		}
		ask(people[4])
		if d, err = a.Matching.Demand(vw, vwa, district); err != nil {
			t.Fatal(err)
		}
		if s := signal(t, d, area, domain.DemandFundingRequests); s.Count == nil || *s.Count != 5 {
			t.Fatalf("five requests: %+v", s)
		}
		// The provider's region (its session districts) now includes
		// Futurehausen's district.
		if d, err = a.Matching.Demand(vw, vwa, ""); err != nil {
			t.Fatal(err)
		}
		if s := signal(t, d, area, domain.DemandWaitingLists); s.Count == nil || *s.Count != 5 {
			t.Fatalf("region: %+v (districts %+v)", s, d.Districts)
		}
	})
}
