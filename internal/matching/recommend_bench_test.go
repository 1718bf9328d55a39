package matching_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkRecommendations measures Niklas's recommendations (service
// call: his assessment, municipality, bookings, certificates, vouchers
// and contingent from the database, the ranking from the catalog's
// index, the bookings and ratings of the kept offers) on a catalog of
// 100,000 generated offers and person tables of 2,000,000 rows (persons,
// memberships, assessments with an item each), beside a baseline in the
// same run: the same ranking fed by decoding every offer's list entry
// instead of the posting lists. Seeding takes minutes, so it is opt-in:
//
//	LOTSE_BENCH_RECOMMEND=sqlite go test ./internal/matching -run XXX -bench Recommendations -benchtime 200x -timeout 30m
//
// (LOTSE_BENCH_RECOMMEND=all with LOTSE_TEST_POSTGRES runs PostgreSQL too.)
func BenchmarkRecommendations(b *testing.B) {
	which := os.Getenv("LOTSE_BENCH_RECOMMEND")
	if which == "" {
		b.Skip("set LOTSE_BENCH_RECOMMEND=sqlite (or all) to seed 100,000 offers and 2,000,000 people")
	}
	const offers, people = 100_000, 2_000_000
	for _, d := range storetest.Dialects {
		if which != "all" && which != string(d) {
			continue
		}
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			a := setupBench(b, db)
			start := time.Now()
			if err := demo.GenerateOffers(ctx, db, offers, 1, db.Now()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d offers generated in %v", d, offers, time.Since(start).Round(time.Millisecond))
			start = time.Now()
			seedPeople(b, db, people)
			b.Logf("%s: %d people seeded in %v", d, people, time.Since(start).Round(time.Millisecond))
			if err := a.Catalog.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			nk := asTB(b, db, niklas)
			if _, err := a.Matching.SaveAssessment(nk, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "PM.1", Level: 1, Target: 2},
				{Code: "KI.1", Level: 0, Target: 2}, {Code: "EGOV.1", Level: 0, Target: 2}, {Code: "SEC.2", Level: 0, Target: 1}}}); err != nil {
				b.Fatal(err)
			}
			var candidates int
			a.Catalog.Teaching([]string{"PM.1", "KI.1", "EGOV.1", "SEC.2"}, func(*catalog.Candidate) { candidates++ })
			b.Logf("%s: %d of %d offers teach one of Niklas's gaps", d, candidates, a.Catalog.Len())
			var first *domain.Recommendations
			b.Run("service-100k", func(b *testing.B) {
				for b.Loop() {
					rs, err := a.Matching.Recommendations(nk, matching.RecommendOptions{})
					if err != nil {
						b.Fatal(err)
					}
					first = rs
				}
				if len(first.Items) != matching.DefaultRecommendations {
					b.Fatalf("%d recommendations", len(first.Items))
				}
			})
			// The baseline: the same ranking, its candidates found by
			// decoding every offer's list entry.
			var ids []int64
			if err := db.PublishedOffers(ctx, func(o *domain.Offer) error { ids = append(ids, o.ID); return nil }); err != nil {
				b.Fatal(err)
			}
			a2, err := a.Matching.MyAssessment(nk)
			if err != nil {
				b.Fatal(err)
			}
			p := &matching.Profile{Assessment: a2, Booked: map[int64]bool{}, Now: db.Now()}
			f := matching.NewFunding(nil)
			atlas, _ := geo.Load("08")
			b.Run("rank-postings-100k", func(b *testing.B) {
				for b.Loop() {
					if _, err := matching.Rank(p, f, atlas, a.Catalog, nil, nil, 10); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("rank-decode-all-100k", func(b *testing.B) {
				src := decodeAll{Searcher: a.Catalog.Searcher, ids: ids}
				for b.Loop() {
					if _, err := matching.Rank(p, f, atlas, src, nil, nil, 10); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// decodeAll finds candidates by decoding every list entry (no posting
// lists), the way without them.
type decodeAll struct {
	*catalog.Searcher
	ids []int64
}

func (s decodeAll) Teaching(codes []string, fn func(c *catalog.Candidate)) {
	c := &catalog.Candidate{}
	for _, it := range s.Items(s.ids) {
		c.Levels = c.Levels[:0]
		any := false
		for _, code := range codes {
			l := 0
			for _, k := range it.Competences {
				if k.Code == code {
					l = k.Level
				}
			}
			any = any || l > 0
			c.Levels = append(c.Levels, l)
		}
		if !any {
			continue
		}
		c.ID, c.ProviderID, c.PriceCents, c.Days, c.Format, c.Level, c.FundingTracks = it.ID, it.ProviderID, it.PriceCents, it.Days, it.Format, it.Level, it.FundingTracks
		c.Sessions = c.Sessions[:0]
		for _, s := range it.Sessions {
			c.Sessions = append(c.Sessions, catalog.CandidateSession{ID: s.ID, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Deadline: s.RegistrationDeadline,
				Online: s.Online, AGS: s.AGS, Capacity: s.Capacity})
		}
		fn(c)
	}
}

func setupBench(b *testing.B, db *store.DB) *app.App {
	b.Helper()
	if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
		b.Fatal(err)
	}
	return app.New(db, "https://lotse.example", nil)
}

// seedPeople adds n people, each a member of Futurehausen with an
// assessment of one item, with one INSERT ... SELECT per table from a
// recursive CTE.
func seedPeople(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
	if err != nil {
		b.Fatal(err)
	}
	gen := fmt.Sprintf(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)`, n)
	stmts := []string{
		`INSERT INTO persons (email, name, created_at) ` + gen + ` SELECT 'p' || n || '@bench.example', 'Person ' || n,
			(SELECT created_at FROM persons WHERE email = 'niklas@futurehausen.example') FROM c`,
		fmt.Sprintf(`INSERT INTO memberships (org_id, person_id, created_at) SELECT %d, id, created_at FROM persons WHERE email LIKE '%%@bench.example'`, org.ID),
		`INSERT INTO assessments (person_id, goals, preferences, updated_at) SELECT id, '', '{}', created_at FROM persons WHERE email LIKE '%@bench.example'`,
		`INSERT INTO assessment_items (person_id, code, level, target) SELECT person_id, 'PM.1', 1, 2 FROM assessments`,
	}
	for _, q := range stmts {
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		}); err != nil {
			b.Fatalf("%.60s: %v", strings.TrimSpace(q), err)
		}
	}
	var count int
	if err := db.Transact(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM persons`).Scan(&count)
	}); err != nil || count < n {
		b.Fatalf("%d persons (%v)", count, err)
	}
}

// asTB is as for a benchmark.
func asTB(tb testing.TB, db *store.DB, email string) context.Context {
	tb.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		tb.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}
