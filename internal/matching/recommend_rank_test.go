package matching_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/store"
)

// TestRankLeavesOutWhatCannotBeTakenAndSaysSo: an offer whose only
// session is full and an advanced module without the base certificate are
// left out, and the notes say so in the right number; an offer whose
// first session is full gets its next one.
func TestRankLeavesOutWhatCannotBeTakenAndSaysSo(t *testing.T) {
	now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	ses := func(id int64, days int, capacity int) domain.Session {
		start := now.AddDate(0, 0, days)
		return domain.Session{ID: id, StartsAt: start, EndsAt: start.Add(7 * time.Hour), Days: 1, Capacity: capacity, Online: true,
			RegistrationDeadline: start.AddDate(0, 0, -3)}
	}
	offer := func(id int64, tracks []string, ss ...domain.Session) *domain.Offer {
		return &domain.Offer{ID: id, Title: "Angebot", ProviderID: 1, ProviderName: "VWA", Level: domain.LevelBasic, Format: domain.FormatLiveOnline,
			Days: 1, PriceCents: 10000, Competences: []domain.OfferCompetence{{Code: "PM.1", Level: 2}}, FundingTracks: tracks, Sessions: ss}
	}
	adv := []string{"p/advanced"}
	src := catalog.NewMemorySearcher([]*domain.Offer{
		offer(1, nil, ses(11, 10, 5)),                // full
		offer(2, adv, ses(21, 10, 5)),                // needs the base certificate
		offer(3, nil, ses(31, 5, 5), ses(32, 40, 5)), // first session full
		offer(4, adv, ses(41, 12, 5)),                // needs the base certificate
		offer(5, nil, ses(51, 20, 5)),                // fine
	})
	f := matching.NewFunding([]domain.Programme{{ID: "p", Name: "P", Open: true, ProviderIDs: []int64{1}, Tracks: []domain.Track{
		{Key: domain.TrackAdvanced, Name: "Aufbauprogramm", Rule: domain.RulePerDay, AmountCents: 5000, MaxDays: 3, MaxCents: 15000, RequiresBaseCertificate: true}}}})
	p := &matching.Profile{Assessment: &domain.Assessment{Items: []domain.AssessmentItem{{Code: "PM.1", Level: 0, Target: 2}}}, Now: now,
		Names: map[string]string{"PM.1": "Klassisches Projektmanagement"}}
	full := map[int64]bool{11: true, 31: true}
	places := func(ids []int64) (map[int64]store.SessionPlaces, error) {
		out := map[int64]store.SessionPlaces{}
		for _, id := range ids {
			if full[id] {
				out[id] = store.SessionPlaces{Confirmed: 5}
			}
		}
		return out, nil
	}
	rs, err := matching.Rank(p, f, nil, src, places, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, it := range rs.Items {
		got = append(got, it.Offer.ID)
		if it.Offer.ID == 3 && it.Session.ID != 32 {
			t.Errorf("offer 3 with session %d, want its next one 32", it.Session.ID)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []int64{3, 5}) {
		t.Errorf("recommended %v, want 3 and 5", got)
	}
	want := []string{"2 Angebote aus dem Aufbauprogramm setzen die abgeschlossene Basisqualifizierung voraus; sie erscheinen, sobald Ihr Zertifikat vorliegt.",
		"1 passendes Angebot ist derzeit ausgebucht."}
	if !slices.Equal(rs.Notes, want) {
		t.Errorf("notes %q\nwant  %q", rs.Notes, want)
	}
	// With the base certificate the modules come, fundable.
	p.BaseCertificate = map[string]bool{"p": true}
	rs, err = matching.Rank(p, f, nil, src, places, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Items) != 4 || len(rs.Notes) != 1 {
		t.Fatalf("with the certificate: %d items, notes %q", len(rs.Items), rs.Notes)
	}
	for _, it := range rs.Items {
		if (it.Offer.ID == 2 || it.Offer.ID == 4) && it.Offer.PriceAfterFundingCents != 5000 {
			t.Errorf("module %d costs %d after funding, want 5000", it.Offer.ID, it.Offer.PriceAfterFundingCents)
		}
	}
}

// TestRankOffersTheTrackOfAPathStep: a path step that names a funding
// track only (the base qualification) brings the offers of that track,
// though they teach none of the person's gaps, with a path reason; and a
// voucher the person holds for one of them pays it, with its code.
func TestRankOffersTheTrackOfAPathStep(t *testing.T) {
	now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	start := now.AddDate(0, 0, 20)
	ses := domain.Session{ID: 71, StartsAt: start, EndsAt: start.Add(55 * time.Hour), Days: 3, Capacity: 12, Online: true, RegistrationDeadline: start.AddDate(0, 0, -7)}
	base := &domain.Offer{ID: 7, Title: "Basisqualifizierung", ProviderID: 1, ProviderName: "Verwaltungsschule", Level: domain.LevelBasic,
		Format: domain.FormatLiveOnline, Days: 3, PriceCents: 150000, Competences: []domain.OfferCompetence{{Code: "EGOV.1", Level: 1}},
		FundingTracks: []string{"p/basis"}, Sessions: []domain.Session{ses}}
	other := &domain.Offer{ID: 8, Title: "Projektmanagement", ProviderID: 2, ProviderName: "VWA", Level: domain.LevelBasic,
		Format: domain.FormatLiveOnline, Days: 1, PriceCents: 30000, Competences: []domain.OfferCompetence{{Code: "PM.1", Level: 2}},
		Sessions: []domain.Session{{ID: 81, StartsAt: start, EndsAt: start.Add(7 * time.Hour), Days: 1, Capacity: 12, Online: true, RegistrationDeadline: start}}}
	src := catalog.NewMemorySearcher([]*domain.Offer{base, other})
	f := matching.NewFunding([]domain.Programme{{ID: "p", Name: "P", Open: true, ProviderIDs: []int64{1}, Tracks: []domain.Track{
		{Key: domain.TrackBasis, Name: "Basisqualifizierung", Rule: domain.RulePerPerson, AmountCents: 150000, CountsAgainstContingent: true}}}})
	p := &matching.Profile{Assessment: &domain.Assessment{Items: []domain.AssessmentItem{{Code: "PM.1", Level: 0, Target: 2}}}, Now: now,
		Names: map[string]string{"PM.1": "Klassisches Projektmanagement"}}
	rs, err := matching.Rank(p, f, nil, src, nil, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Items) != 1 || rs.Items[0].Offer.ID != 8 {
		t.Fatalf("without a path: %+v, want only the PM offer", rs.Items)
	}
	p.Paths = []matching.PathNeed{{PathID: 1, PathTitle: "Kommunale/r Digitallotse/in", StepTitle: "Basisqualifizierung (3 Tage)", Track: "p/basis"}}
	p.Vouchers = []domain.Voucher{{Code: "DL-ABCD-EFGH", ProgrammeID: "p", Track: domain.TrackBasis, ProviderID: 1, ProviderName: "Verwaltungsschule",
		ValueCents: 150000, ExpiresAt: now.AddDate(1, 0, 0)}}
	rs, err = matching.Rank(p, f, nil, src, nil, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got *domain.Recommendation
	for i := range rs.Items {
		if rs.Items[i].Offer.ID == 7 {
			got = &rs.Items[i]
		}
	}
	if got == nil {
		t.Fatalf("the base qualification is not recommended for the path step: %+v", rs.Items)
	}
	kinds := map[string]string{}
	for _, r := range got.Reasons {
		kinds[r.Kind] = r.Text
	}
	if kinds[domain.ReasonPath] == "" || !strings.HasPrefix(kinds[domain.ReasonFunding], "Mit Ihrem Gutschein bezahlt") || got.Voucher != "DL-ABCD-EFGH" {
		t.Errorf("reasons %+v, voucher %q", got.Reasons, got.Voucher)
	}
}
