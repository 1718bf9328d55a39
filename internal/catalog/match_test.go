package catalog_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

var matchCodes = []string{"PM.1", "KI.1", "SEC.2", "EGOV.1"}

// teaching lists what Teaching gives for codes, one line per offer, sorted.
func teaching(s *catalog.Service, codes []string) []string {
	var out []string
	s.Teaching(codes, func(c *catalog.Candidate) {
		var ss []string
		for _, x := range c.Sessions {
			ss = append(ss, fmt.Sprintf("%d@%s/%s/%v/%s/%d", x.ID, x.StartsAt.Format(time.RFC3339), x.Deadline.Format(time.RFC3339), x.Online, x.AGS, x.Capacity))
		}
		out = append(out, fmt.Sprintf("%d p%d %d€ %dd %s %s %v %v [%s]", c.ID, c.ProviderID, c.PriceCents, c.Days, c.Format, c.Level,
			c.FundingTracks, c.Levels, strings.Join(ss, " ")))
	})
	slices.Sort(out)
	return out
}

// fromDatabase is the same list computed from the published offers.
func fromDatabase(t *testing.T, db *store.DB, codes []string) []string {
	t.Helper()
	var out []string
	err := db.PublishedOffers(context.Background(), func(o *domain.Offer) error {
		levels := make([]int, len(codes))
		any := false
		for i, code := range codes {
			for _, c := range o.Competences {
				if c.Code == code {
					levels[i], any = c.Level, true
				}
			}
		}
		if !any {
			return nil
		}
		var ss []string
		for _, x := range o.Sessions {
			ss = append(ss, fmt.Sprintf("%d@%s/%s/%v/%s/%d", x.ID, x.StartsAt.UTC().Format(time.RFC3339), x.RegistrationDeadline.UTC().Format(time.RFC3339),
				x.Online, x.AGS, x.Capacity))
		}
		tracks := o.FundingTracks
		if tracks == nil {
			tracks = []string{}
		}
		out = append(out, fmt.Sprintf("%d p%d %d€ %dd %s %s %v %v [%s]", o.ID, o.ProviderID, o.PriceCents, o.Days, o.Format, o.Level,
			tracks, levels, strings.Join(ss, " ")))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := range max(len(got), len(want)) {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("%s: %d offers, want %d; first difference:\n got %s\nwant %s", what, len(got), len(want), g, w)
		}
	}
}

// TestTeachingFollowsTheCatalog: the offers teaching a competence, with
// their levels, prices and sessions, come from memory as the database has
// them, and stay so after offers are published, changed, withdrawn and
// get sessions (change log and delta), on this instance and on another.
func TestTeachingFollowsTheCatalog(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, db2 := twoInstances(t, d, 300)
			ctx := context.Background()
			one := catalog.New(db, "https://lotse.example", quiet)
			two := catalog.New(db2, "https://lotse.example", quiet)
			for _, s := range []*catalog.Service{one, two} {
				if err := s.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want := fromDatabase(t, db, matchCodes)
			if len(want) < 20 {
				t.Fatalf("only %d offers teach %v", len(want), matchCodes)
			}
			sameLines(t, "after the build", teaching(one, matchCodes), want)

			var pm []int64
			one.Teaching([]string{"PM.1"}, func(c *catalog.Candidate) { pm = append(pm, c.ID) })
			staff := as(t, db, "kurse@vwa-bw.example")
			pid, err := one.ProviderFor(staff, 0)
			if err != nil {
				t.Fatal(err)
			}
			o := &domain.Offer{ProviderID: pid, Code: "MATCH-1", Title: "Projektleitung für Fortgeschrittene", Summary: "Große Vorhaben sicher steuern.",
				Description: strings.Repeat("Planung, Steuerung und Abschluss großer Vorhaben. ", 2), Outcomes: []string{"Vorhaben steuern"},
				Competences: []domain.OfferCompetence{{Code: "PM.1", Level: 3}, {Code: "KI.1", Level: 1}}, Level: domain.LevelAdvanced,
				Format: domain.FormatInPerson, Language: "de", Hours: 16, Days: 2, Certificate: domain.CertParticipation, PriceCents: 64000}
			if err := catalog.CreateOffer(ctx, db, o); err != nil {
				t.Fatal(err)
			}
			if err := catalog.ReviewOffer(ctx, db, o.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			start := db.Now().Add(30 * 24 * time.Hour).Truncate(time.Hour)
			if err := catalog.AddSession(ctx, db, &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 2,
				Capacity: 9, AGS: "08111000", RegistrationDeadline: start.Add(-72 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
			// Withdraw a base offer teaching PM.1, change another's price.
			if err := db.Transact(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = 'archived' WHERE id = $1`, pm[0]); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE offers SET price_cents = 4242 WHERE id = $1`, pm[1]); err != nil {
					return err
				}
				if err := tx.CatalogChanged(ctx, pm[0]); err != nil {
					return err
				}
				return tx.CatalogChanged(ctx, pm[1])
			}); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*catalog.Service{one, two} {
				if err := s.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want = fromDatabase(t, db, matchCodes)
			sameLines(t, "this instance after the changes", teaching(one, matchCodes), want)
			sameLines(t, "other instance after the changes", teaching(two, matchCodes), want)
			got := teaching(one, []string{"PM.1"})
			joined := strings.Join(got, "\n")
			if !strings.Contains(joined, fmt.Sprintf("%d p%d 64000€", o.ID, pid)) || !strings.Contains(joined, "[3]") {
				t.Errorf("the new offer is missing from PM.1:\n%s", joined)
			}
			if strings.Contains(joined, fmt.Sprintf("\n%d p", pm[0])) || strings.HasPrefix(joined, fmt.Sprintf("%d p", pm[0])) {
				t.Errorf("the withdrawn offer %d still teaches PM.1", pm[0])
			}
			if !strings.Contains(joined, " 4242€ ") {
				t.Errorf("the changed price is not seen")
			}
			var byID []int64
			one.Candidates([]int64{o.ID, pm[0], pm[1]}, []string{"PM.1"}, func(c *catalog.Candidate) { byID = append(byID, c.ID) })
			if !slices.Equal(byID, []int64{o.ID, pm[1]}) {
				t.Errorf("Candidates gives %v, want %v (the withdrawn one left out)", byID, []int64{o.ID, pm[1]})
			}
			// InTrack gives the published offers of a funding track, the
			// changed ones included, with their levels.
			byTrack := map[string][]int64{}
			if err := db.PublishedOffers(ctx, func(o *domain.Offer) error {
				for _, tr := range o.FundingTracks {
					byTrack[tr] = append(byTrack[tr], o.ID)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(byTrack) == 0 {
				t.Fatal("no offer has a funding track")
			}
			for tr, want := range byTrack {
				var got []int64
				one.InTrack(tr, []string{"PM.1"}, func(c *catalog.Candidate) {
					if !slices.Contains(c.FundingTracks, tr) || len(c.Levels) != 1 {
						t.Errorf("InTrack(%s) gives offer %d with tracks %v, levels %v", tr, c.ID, c.FundingTracks, c.Levels)
					}
					got = append(got, c.ID)
				})
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("InTrack(%s) = %v, want %v", tr, got, want)
				}
			}
		})
	}
}
