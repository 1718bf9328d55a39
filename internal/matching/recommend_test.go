package matching_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// niklasAssessment: project management, AI and the base topics.
var niklasAssessment = &domain.Assessment{
	Items: []domain.AssessmentItem{{Code: "PM.1", Level: 1, Target: 2}, {Code: "KI.1", Level: 0, Target: 2}, {Code: "KI.2", Level: 0, Target: 1},
		{Code: "STRAT.1", Level: 0, Target: 1}, {Code: "EGOV.1", Level: 0, Target: 2}},
	Goals: "Digitallotse werden", Preferences: domain.Preferences{Region: domain.RegionAny}}

// handNiklasTheFreeVoucher: Anna hands the story's third base voucher to
// Niklas, who asked for it.
func handNiklasTheFreeVoucher(t *testing.T, a *app.App, db *store.DB) domain.Voucher {
	t.Helper()
	hr := as(t, db, anna)
	free, err := a.Funding.FreeVouchers(hr, orgOf(t, hr), programmes.BWID, domain.TrackBasis)
	if err != nil || len(free) == 0 {
		t.Fatalf("free vouchers of Futurehausen: %v %v", free, err)
	}
	v, err := a.Funding.HandVoucher(hr, free[0].Code, domain.HandingInput{Email: niklas})
	if err != nil {
		t.Fatal(err)
	}
	return *v
}

// story loads the demo with its catalog and story.
func story(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	a := setup(t, db)
	if err := demo.LoadCatalog(context.Background(), db, db.Now()); err != nil {
		t.Fatal(err)
	}
	if err := demo.Story(context.Background(), db, "https://lotse.example", demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := a.Catalog.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

func recommend(t *testing.T, a *app.App, ctx context.Context) *domain.Recommendations {
	t.Helper()
	rs, err := a.Matching.Recommendations(ctx, matching.RecommendOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

var (
	gapRE     = regexp.MustCompile(`^(?:Schließt Ihre Lücke in (.+) \(Stufe (\d) → Ziel (\d)\)|Bringt Sie in (.+) von Stufe (\d) auf Stufe (\d) \(Ziel (\d)\))$`)
	dateRE    = regexp.MustCompile(`^Beginnt am (\d\d\.\d\d\.\d{4}), Anmeldung bis (\d\d\.\d\d\.\d{4})$`)
	priceRE   = regexp.MustCompile(`^Kostet Sie nach Förderung ([\d.]+(?:,\d\d)?) € statt ([\d.]+(?:,\d\d)?) €$`)
	voucherRE = regexp.MustCompile(`^Mit Ihrem Gutschein bezahlt \((.+), (.+)\)$`)
)

func euros(s string) int64 {
	whole, cents, _ := strings.Cut(strings.ReplaceAll(s, ".", ""), ",")
	n, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt(cents, 10, 64)
	return n*100 + c
}

// checkReasons checks every reason of rec against the offer in the
// database, the person's assessment and vouchers.
func checkReasons(t *testing.T, db *store.DB, as *domain.Assessment, held []domain.Voucher, rec domain.Recommendation) {
	t.Helper()
	o, err := db.Offer(context.Background(), rec.Offer.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	cs, _ := db.Competences(context.Background())
	for _, c := range cs {
		names[c.Name] = c.Code
	}
	teaches := func(code string) int {
		for _, c := range o.Competences {
			if c.Code == code {
				return c.Level
			}
		}
		return 0
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, r := range rec.Reasons {
		bad := func(why string) { t.Errorf("offer %d %q: reason %q is not true: %s", o.ID, o.Title, r.Text, why) }
		switch r.Kind {
		case domain.ReasonGap:
			m := gapRE.FindStringSubmatch(r.Text)
			if m == nil {
				bad("unknown form")
				continue
			}
			name, level, target, reach := m[1], m[2], m[3], m[3]
			if name == "" {
				name, level, reach, target = m[4], m[5], m[6], m[7]
			}
			code := names[name]
			it, ok := as.Item(code)
			l, _ := strconv.Atoi(level)
			tg, _ := strconv.Atoi(target)
			rc, _ := strconv.Atoi(reach)
			if !ok || it.Level != l || it.Target != tg {
				bad("not the assessment's gap")
			}
			if ol := teaches(code); ol <= l || min(ol, tg) != rc {
				bad("the offer teaches " + code + " at " + strconv.Itoa(ol))
			}
		case domain.ReasonDate:
			m := dateRE.FindStringSubmatch(r.Text)
			if m == nil || m[1] != rec.Session.StartsAt.In(berlin).Format("02.01.2006") || m[2] != rec.Session.RegistrationDeadline.In(berlin).Format("02.01.2006") {
				bad("not the session's dates")
			}
			found := false
			for _, s := range o.Sessions {
				found = found || (s.ID == rec.Session.ID && s.StartsAt.Equal(rec.Session.StartsAt))
			}
			if !found {
				bad("no such session of the offer")
			}
		case domain.ReasonDistance:
			if (r.Text == "Online – keine Anreise") != rec.Session.Online {
				bad("online or not")
			}
		case domain.ReasonPrice:
			if m := priceRE.FindStringSubmatch(r.Text); m == nil || euros(m[1]) != rec.Offer.PriceAfterFundingCents || euros(m[2]) != o.PriceCents {
				bad("not the price")
			}
		case domain.ReasonFunding:
			if m := voucherRE.FindStringSubmatch(r.Text); m != nil {
				ok := false
				for _, v := range held {
					ok = ok || (v.ProviderID == o.ProviderID && slices.Contains(o.FundingTracks, v.ProgrammeID+"/"+v.Track) && v.ProviderName == m[2])
				}
				if !ok || rec.Offer.PriceAfterFundingCents != 0 {
					bad("no such voucher held")
				}
			}
		}
	}
}

// TestRecommendationsSayWhyForNiklas: after his self-assessment Niklas
// gets offers that close his gaps, one paid by the voucher Anna handed
// him, with reasons that are all true; the seminar he booked and the
// advanced modules he lacks the base certificate for are left out, and
// the answer is the same twice.
func TestRecommendationsSayWhyForNiklas(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		nk := as(t, db, niklas)
		if _, err := a.Matching.Recommendations(nk, matching.RecommendOptions{}); !errors.Is(err, domain.ErrAssessmentMissing) {
			t.Fatalf("without an assessment: %v, want ErrAssessmentMissing", err)
		}
		v := handNiklasTheFreeVoucher(t, a, db)
		saved, err := a.Matching.SaveAssessment(nk, niklasAssessment)
		if err != nil {
			t.Fatal(err)
		}
		rs := recommend(t, a, nk)
		if len(rs.Items) < 5 {
			t.Fatalf("%d recommendations", len(rs.Items))
		}
		booked, err := db.BookingDetails(context.Background(), domain.BookingFilter{PersonID: domain.ActorFrom(nk).PersonID()})
		if err != nil || len(booked) == 0 {
			t.Fatalf("Niklas's bookings: %v %v", booked, err)
		}
		paid := 0
		for i, rec := range rs.Items {
			checkReasons(t, db, saved, []domain.Voucher{v}, rec)
			if rec.Offer.ID == booked[0].OfferID {
				t.Errorf("the booked offer %q is recommended", rec.Offer.Title)
			}
			if strings.HasPrefix(rec.Offer.Title, "Aufbaumodul") {
				t.Errorf("advanced module %q recommended without a base certificate", rec.Offer.Title)
			}
			if i > 0 && (rec.Score > rs.Items[i-1].Score || rec.Score == rs.Items[i-1].Score && rec.Offer.ID < rs.Items[i-1].Offer.ID) {
				t.Errorf("item %d out of order", i)
			}
			if len(rec.Reasons) == 0 || rec.Reasons[0].Kind != domain.ReasonGap || rec.Session == nil {
				t.Errorf("offer %q: reasons %v session %v", rec.Offer.Title, rec.Reasons, rec.Session)
			}
			for _, r := range rec.Reasons {
				if strings.HasPrefix(r.Text, "Mit Ihrem Gutschein bezahlt") {
					paid++
					if rec.Offer.ProviderID != v.ProviderID || rec.Offer.PriceAfterFundingCents != 0 || rec.Offer.PriceCents == 0 {
						t.Errorf("paid by the voucher: %+v", rec.Offer)
					}
				}
			}
		}
		if paid == 0 {
			t.Errorf("no recommendation paid by Niklas's voucher: %+v", rs.Items)
		}
		if !slices.ContainsFunc(rs.Notes, func(n string) bool { return strings.Contains(n, "Basisqualifizierung voraus") }) {
			t.Errorf("notes %q do not explain the advanced modules left out", rs.Notes)
		}
		again := recommend(t, a, nk)
		j1, _ := json.Marshal(rs)
		j2, _ := json.Marshal(again)
		if string(j1) != string(j2) {
			t.Errorf("two answers differ:\n%s\n%s", j1, j2)
		}
	})
}

// TestAdvancedModulesWithTheBaseCertificate: Lilly completed the base
// qualification; the advanced modules are recommended to her as fundable.
func TestAdvancedModulesWithTheBaseCertificate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ll := as(t, db, lilly)
		saved, err := a.Matching.SaveAssessment(ll, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "KI.1", Level: 0, Target: 2},
			{Code: "PROZ.1", Level: 1, Target: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		rs := recommend(t, a, ll)
		advanced := 0
		for _, rec := range rs.Items {
			checkReasons(t, db, saved, nil, rec)
			if strings.HasPrefix(rec.Offer.Title, "Aufbaumodul") {
				advanced++
				if !slices.ContainsFunc(rec.Reasons, func(r domain.Reason) bool {
					return r.Text == "Förderfähig im Aufbauprogramm – Ihre Basisqualifizierung liegt vor"
				}) || rec.Offer.PriceAfterFundingCents >= rec.Offer.PriceCents {
					t.Errorf("advanced module %q: %+v %v", rec.Offer.Title, rec.Offer, rec.Reasons)
				}
			}
		}
		if advanced == 0 {
			t.Errorf("no advanced module for Lilly: %+v", rs.Items)
		}
		if slices.ContainsFunc(rs.Notes, func(n string) bool { return strings.Contains(n, "Basisqualifizierung voraus") }) {
			t.Errorf("notes %q", rs.Notes)
		}
	})
}

// TestRecommendationsSkipFullSessions: the VWA's session in four days is
// full with a waiting list; its offer is recommended with a later session.
func TestRecommendationsSkipFullSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		nk := as(t, db, niklas)
		if _, err := a.Matching.SaveAssessment(nk, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "KI.2", Level: 0, Target: 2}}}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var kiRecht *domain.Offer
		if err := db.PublishedOffers(ctx, func(o *domain.Offer) error {
			if o.Code == "VWA-KI-RECHT" {
				kiRecht = o
			}
			return nil
		}); err != nil || kiRecht == nil {
			t.Fatalf("VWA-KI-RECHT: %v", err)
		}
		soonest := slices.MinFunc(kiRecht.Sessions, func(x, y domain.Session) int { return x.StartsAt.Compare(y.StartsAt) })
		places, err := db.SessionPlaces(ctx, []int64{soonest.ID})
		if err != nil || places[soonest.ID].Confirmed < soonest.Capacity {
			t.Fatalf("the story's session %d is not full: %+v %v", soonest.ID, places, err)
		}
		rs := recommend(t, a, nk)
		i := slices.IndexFunc(rs.Items, func(r domain.Recommendation) bool { return r.Offer.ID == kiRecht.ID })
		if i < 0 {
			t.Fatalf("VWA-KI-RECHT not recommended: %+v", rs.Items)
		}
		if rs.Items[i].Session.ID == soonest.ID {
			t.Errorf("the full session %d is recommended", soonest.ID)
		}
	})
}

// TestRecommendationsFollowCatalogChanges: a new offer shows up at once,
// a withdrawn one is gone.
func TestRecommendationsFollowCatalogChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		nk := as(t, db, niklas)
		if _, err := a.Matching.SaveAssessment(nk, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "SMART.2", Level: 0, Target: 2}}}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		karl := as(t, db, "kurse@verwaltungsschule-bw.example")
		pid, err := a.Catalog.ProviderFor(karl, 0)
		if err != nil {
			t.Fatal(err)
		}
		o := &domain.Offer{ProviderID: pid, Code: "SMART-DATEN", Title: "Sensordaten in der Gemeinde nutzen", Summary: "Messdaten auswerten.",
			Description: strings.Repeat("Sensoren, Messdaten und ihre Auswertung in der Gemeinde. ", 2), Outcomes: []string{"Daten auswerten"},
			Competences: []domain.OfferCompetence{{Code: "SMART.2", Level: 2}}, Level: domain.LevelIntermediate, Format: domain.FormatLiveOnline,
			Language: "de", Hours: 6, Days: 1, Certificate: domain.CertParticipation, PriceCents: 0}
		if err := catalog.CreateOffer(ctx, db, o); err != nil {
			t.Fatal(err)
		}
		if err := catalog.ReviewOffer(ctx, db, o.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		start := db.Now().Add(10 * 24 * time.Hour).Truncate(time.Hour)
		if err := catalog.AddSession(ctx, db, &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(6 * time.Hour), Days: 1,
			Capacity: 20, Online: true, RegistrationDeadline: start.Add(-48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := a.Catalog.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		rs := recommend(t, a, nk)
		if len(rs.Items) == 0 || rs.Items[0].Offer.ID != o.ID {
			t.Fatalf("the new offer %d is not first: %+v", o.ID, rs.Items)
		}
		if !slices.Contains(rs.Items[0].Reasons, domain.Reason{Kind: domain.ReasonPrice, Text: "Kostenfrei"}) {
			t.Errorf("reasons %v", rs.Items[0].Reasons)
		}
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = 'archived' WHERE id = $1`, o.ID); err != nil {
				return err
			}
			return tx.CatalogChanged(ctx, o.ID)
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.Catalog.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if rs := recommend(t, a, nk); slices.ContainsFunc(rs.Items, func(r domain.Recommendation) bool { return r.Offer.ID == o.ID }) {
			t.Errorf("the withdrawn offer is still recommended")
		}
	})
}
