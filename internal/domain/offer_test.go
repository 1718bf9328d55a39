package domain

import (
	"testing"
	"time"
)

func TestOfferStatusTransitions(t *testing.T) {
	all := []OfferStatus{OfferDraft, OfferInReview, OfferPublished, OfferReturned, OfferArchived}
	allowed := map[[2]OfferStatus]bool{
		{OfferDraft, OfferDraft}: true, {OfferDraft, OfferInReview}: true, {OfferDraft, OfferArchived}: true,
		{OfferInReview, OfferInReview}: true, {OfferInReview, OfferDraft}: true, {OfferInReview, OfferPublished}: true,
		{OfferInReview, OfferReturned}: true, {OfferInReview, OfferArchived}: true,
		{OfferPublished, OfferPublished}: true, {OfferPublished, OfferInReview}: true, {OfferPublished, OfferDraft}: true,
		{OfferPublished, OfferArchived}: true,
		{OfferReturned, OfferReturned}:  true, {OfferReturned, OfferInReview}: true, {OfferReturned, OfferDraft}: true,
		{OfferReturned, OfferArchived}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanTransition(to); got != allowed[[2]OfferStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
		if from.Reviewable() != (from == OfferInReview) {
			t.Errorf("%s reviewable: %v", from, from.Reviewable())
		}
	}
	if OfferStatus("bogus").CanTransition(OfferInReview) {
		t.Error("an unknown state may move")
	}
}

func TestUpdatedStatusSendsMaterialChangesToReview(t *testing.T) {
	base := func(status string) *Offer {
		return &Offer{Status: status, Title: "Projektmanagement", Hours: 8, PriceCents: 100}
	}
	for _, c := range []struct {
		from     string
		change   func(o *Offer)
		want     string
		material bool
	}{
		{OfferPublished, func(o *Offer) {}, OfferPublished, false},
		{OfferPublished, func(o *Offer) { o.Prerequisites = "keine" }, OfferPublished, false},
		{OfferPublished, func(o *Offer) { o.PriceCents = 200 }, OfferInReview, true},
		{OfferPublished, func(o *Offer) { o.Title = "Projektmanagement II" }, OfferInReview, true},
		{OfferInReview, func(o *Offer) { o.Hours = 9 }, OfferInReview, true},
		{OfferReturned, func(o *Offer) {}, OfferInReview, false},
		{OfferDraft, func(o *Offer) {}, OfferInReview, false},
	} {
		old, o := base(c.from), base(c.from)
		c.change(o)
		got, material, err := UpdatedStatus(old, o)
		if err != nil || got != c.want || material != c.material {
			t.Errorf("from %s: %s, material %v, %v; want %s, %v", c.from, got, material, err, c.want, c.material)
		}
	}
	if _, _, err := UpdatedStatus(base(OfferArchived), base(OfferArchived)); ErrorCode(err) != EConflict {
		t.Errorf("archived offer changed: %v", err)
	}
}

func TestImportedStatus(t *testing.T) {
	incomplete := &Offer{Title: "x"}
	if s, err := ImportedStatus(nil, incomplete); err != nil || s != OfferDraft {
		t.Errorf("new incomplete: %s %v", s, err)
	}
	if s, err := ImportedStatus(&Offer{Status: OfferPublished}, incomplete); err != nil || s != OfferDraft {
		t.Errorf("published, incomplete: %s %v", s, err)
	}
	if _, err := ImportedStatus(&Offer{Status: OfferArchived}, incomplete); ErrorCode(err) != EConflict {
		t.Errorf("archived re-imported: %v", err)
	}
}

func TestCheckRefs(t *testing.T) {
	p := &Programme{ID: "bwid", Name: "BWID", Tracks: []Track{{Key: "basis"}}, ProviderIDs: []int64{7}}
	refs := &OfferRefs{Competences: map[string]string{"EGOV.1": "E-Government"}, Programmes: map[string]*Programme{"bwid": p},
		ModuleProviders: map[int64]int64{11: 7, 12: 8}}
	ok := &Offer{ID: 10, ProviderID: 7, Competences: []OfferCompetence{{Code: "EGOV.1", Level: 1}},
		FundingTracks: []string{"bwid/basis", "bwid/basis"}, ModuleIDs: []int64{11}}
	if err := ok.CheckRefs(refs); err != nil || ok.Competences[0].Name != "E-Government" || len(ok.FundingTracks) != 1 {
		t.Fatalf("valid refs: %v %+v", err, ok)
	}
	for name, o := range map[string]*Offer{
		"competences":    {ProviderID: 7, Competences: []OfferCompetence{{Code: "NOPE.1"}}},
		"funding_tracks": {ProviderID: 8, FundingTracks: []string{"bwid/basis"}},
		"modules":        {ID: 10, ProviderID: 7, ModuleIDs: []int64{12}},
	} {
		if f := ErrorFields(o.CheckRefs(refs)); f[name] == "" {
			t.Errorf("%s not refused: %v", name, f)
		}
	}
}

func TestASessionMayBeginTodayButNotYesterday(t *testing.T) {
	now := time.Date(2026, 12, 3, 15, 0, 0, 0, Berlin).UTC()
	ses := func(start time.Time) *Session {
		return &Session{StartsAt: start, EndsAt: start.Add(7 * time.Hour), Days: 1, Capacity: 10, Online: true}
	}
	if err := ses(time.Date(2026, 12, 3, 9, 0, 0, 0, Berlin).UTC()).Validate(now); err != nil {
		t.Errorf("this morning: %v", err)
	}
	err := ses(time.Date(2026, 12, 2, 23, 0, 0, 0, Berlin).UTC()).Validate(now)
	if ErrorFields(err)["starts_at"] == "" {
		t.Errorf("yesterday evening: %v", err)
	}
}
