package catalog_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// twoInstances opens the same test database twice, as two instances of
// the platform would, with demo data and n generated offers.
func twoInstances(t *testing.T, d store.Dialect, n int) (*store.DB, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t, d)
	open := func() *store.DB {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a := open()
	if _, err := demo.Load(ctx, a, "demo-passwort-1234"); err != nil {
		t.Fatal(err)
	}
	if err := demo.GenerateOffers(ctx, a, n, 3, a.Now()); err != nil {
		t.Fatal(err)
	}
	return a, open()
}

// answer is what a search shows, for comparing searchers.
type answer struct {
	Total  int
	Facets map[string][]search.FacetCount
	Hits   []int64
	Titles []string
}

func find(t *testing.T, svc *catalog.Service, q search.Query) answer {
	t.Helper()
	res, err := svc.Find(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{Total: res.Total, Facets: res.Facets}
	for _, h := range res.Hits {
		a.Hits = append(a.Hits, h.ID)
	}
	for _, it := range res.Items {
		a.Titles = append(a.Titles, fmt.Sprintf("%d %s %s %d %v", it.ID, it.Title, it.ProviderName, it.PriceCents, it.NextSession(q.Now) != nil))
	}
	return a
}

// compoundQueries are split into parts by the search.
var compoundQueries = map[string]bool{"Datenschutz": true, "Projektmanagment": true}

var probeQueries = []search.Query{
	{},
	{Sort: "price"},
	{Page: 2, Sort: "date"},
	{Filters: map[string][]string{"format": {domain.FormatInPerson}}},
	{Filters: map[string][]string{"date": {"30"}}, Sort: "date"},
	{Text: "Verwaltung"},
	{Text: "Datenschutz", Filters: map[string][]string{"level": {domain.LevelBasic}}},
	{Text: "Lastprobe"},
	{Text: "Projektmanagment"},
	{Text: "Quokka"},
	{Text: "Scrum", Filters: map[string][]string{"format": {domain.FormatLiveOnline}}},
	{Text: "Verwaltung digital"},
}

// same checks that two services answer the probe queries alike: totals,
// facet counts and the list entries; the hits' order where it does not
// depend on scores (a delta scores with its base's statistics, which a
// rebuild recomputes).
func same(t *testing.T, what string, got, want *catalog.Service, now time.Time) {
	t.Helper()
	for _, q := range probeQueries {
		q.Now, q.PageSize = now, 20
		if q.Filters == nil {
			q.Filters = map[string][]string{}
		}
		g, w := find(t, got, q), find(t, want, q)
		if compoundQueries[q.Text] {
			// Parts of compounds match partially where they are not
			// too frequent (search's weakShare), a threshold that the
			// base's statistics, frozen at its build, may see on the
			// other side than a rebuild does.
			if (g.Total == 0) != (w.Total == 0) {
				t.Fatalf("%s: %q %v: %d found, rebuilt index %d", what, q.Text, q.Filters, g.Total, w.Total)
			}
			continue
		}
		if g.Total != w.Total {
			t.Fatalf("%s: %q %v: %d found, rebuilt index %d", what, q.Text, q.Filters, g.Total, w.Total)
		}
		for f, fc := range w.Facets {
			if !slices.Equal(g.Facets[f], fc) {
				t.Fatalf("%s: %q %v: facet %s %v, rebuilt index %v", what, q.Text, q.Filters, f, g.Facets[f], fc)
			}
		}
		if q.Text == "" && !slices.Equal(g.Titles, w.Titles) {
			t.Fatalf("%s: %q %v: list\n%v\nrebuilt index\n%v", what, q.Text, q.Filters, g.Titles, w.Titles)
		}
		if q.Text != "" {
			slices.Sort(g.Titles)
			slices.Sort(w.Titles)
			if g.Total <= 20 && !slices.Equal(g.Titles, w.Titles) {
				t.Fatalf("%s: %q: list\n%v\nrebuilt index\n%v", what, q.Text, g.Titles, w.Titles)
			}
		}
	}
}

// TestChangesAppliedLikeARebuild: offers published, changed, withdrawn and
// given new sessions on one instance are applied one by one from the
// change log, on that instance and on a second one, and both answer like a
// searcher that builds its index from scratch afterwards.
func TestChangesAppliedLikeARebuild(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, db2 := twoInstances(t, d, 400)
			ctx := context.Background()
			one := catalog.New(db, "https://lotse.example", quiet)
			two := catalog.New(db2, "https://lotse.example", quiet)
			for _, s := range []*catalog.Service{one, two} {
				if err := s.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
			}
			var published []int64
			if err := db.PublishedOffers(ctx, func(o *domain.Offer) error { published = append(published, o.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			staff := as(t, db, "kurse@vwa-bw.example")
			pid, err := one.ProviderFor(staff, 0)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			pick := func() int64 { return published[r.IntN(len(published))] }
			steps := []struct {
				name string
				do   func(i int) error
			}{
				{"publish a new offer", func(i int) error {
					o := &domain.Offer{ProviderID: pid, Code: fmt.Sprintf("QUOKKA-%d", i), Title: fmt.Sprintf("Quokkaverwaltung Teil %d", i),
						Summary: "Wie eine Verwaltung ihre Quokkas digital erfasst und betreut.", Description: strings.Repeat("Erfassung, Betreuung und Auswertung im digitalen Verfahren. ", 2),
						Outcomes: []string{"Quokkas erfassen"}, Competences: []domain.OfferCompetence{{Code: "EGOV.1", Level: 1}},
						Level: domain.LevelBasic, Format: domain.FormatSelfPaced, Language: "de", Hours: 4, Certificate: domain.CertParticipation,
						PriceCents: int64(1000 * i)}
					if err := catalog.CreateOffer(ctx, db, o); err != nil {
						return err
					}
					return catalog.ReviewOffer(ctx, db, o.ID, true, "")
				}},
				{"change a title", func(i int) error {
					id := pick()
					return db.Transact(ctx, func(tx *store.Tx) error {
						if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = $1, price_cents = price_cents + 100 WHERE id = $2`,
							fmt.Sprintf("Lastprobe Nummer %d", i), id); err != nil {
							return err
						}
						return tx.CatalogChanged(ctx, id)
					})
				}},
				{"withdraw an offer", func(i int) error {
					id := pick()
					return db.Transact(ctx, func(tx *store.Tx) error {
						if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = 'archived' WHERE id = $1`, id); err != nil {
							return err
						}
						return tx.CatalogChanged(ctx, id)
					})
				}},
				{"add a session", func(i int) error {
					start := db.Now().Add(time.Duration(24*(3+r.IntN(60))) * time.Hour).Truncate(time.Hour)
					return catalog.AddSession(ctx, db, &domain.Session{OfferID: pick(), StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 1,
						Capacity: 12, Online: true, RegistrationDeadline: start.Add(-24 * time.Hour)})
				}},
			}
			for i := 0; i < 24; i++ {
				st := steps[r.IntN(len(steps))]
				if err := st.do(i); err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				if i%3 != 2 {
					continue
				}
				for _, s := range []*catalog.Service{one, two} {
					if err := s.Refresh(ctx); err != nil {
						t.Fatal(err)
					}
				}
				fresh := catalog.New(db, "https://lotse.example", quiet)
				same(t, fmt.Sprintf("step %d (%s), this instance", i, st.name), one, fresh, db.Now())
				same(t, fmt.Sprintf("step %d (%s), other instance", i, st.name), two, fresh, db.Now())
				if one.Version() != two.Version() {
					t.Fatalf("versions %d and %d", one.Version(), two.Version())
				}
			}
			if n := find(t, two, search.Query{Text: "Quokkaverwaltung", Filters: map[string][]string{}, Now: db.Now()}).Total; n == 0 {
				t.Error("the other instance does not find the published offers")
			}
		})
	}
}

// TestSearchAsksNoDatabase: once the index is built, searches, their list
// entries and facet labels come from memory: they work with the
// searcher's database connection closed.
func TestSearchAsksNoDatabase(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, db2 := twoInstances(t, d, 200)
			_ = db
			svc := catalog.New(db2, "https://lotse.example", quiet)
			if err := svc.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			before := find(t, svc, search.Query{Text: "Verwaltung", Filters: map[string][]string{}, Now: db.Now()})
			db2.Close()
			for _, q := range probeQueries {
				q.Now = db.Now()
				if q.Filters == nil {
					q.Filters = map[string][]string{}
				}
				res, err := svc.Find(context.Background(), q)
				if err != nil {
					t.Fatalf("%q: %v", q.Text, err)
				}
				if len(res.Items) != len(res.Hits) {
					t.Fatalf("%q: %d hits, %d list entries", q.Text, len(res.Hits), len(res.Items))
				}
				for _, fc := range res.Facets["competence"] {
					if res.Label("competence", fc.Value) == fc.Value {
						t.Errorf("competence area %s has no name", fc.Value)
					}
				}
			}
			after := find(t, svc, search.Query{Text: "Verwaltung", Filters: map[string][]string{}, Now: db.Now()})
			if after.Total == 0 || !slices.Equal(after.Titles, before.Titles) {
				t.Fatalf("after closing: %v, before %v", after.Titles, before.Titles)
			}
		})
	}
}

// TestIndexBuiltInBackground: a server's searcher answers "being built"
// at once until the job built the index, then the search.
func TestIndexBuiltInBackground(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(context.Background(), db, "demo-passwort-1234"); err != nil {
			t.Fatal(err)
		}
		svc := catalog.New(db, "https://lotse.example", quiet)
		svc.BuildInBackground()
		q := search.Query{Filters: map[string][]string{}, Now: db.Now()}
		if _, err := svc.Find(context.Background(), q); err != catalog.ErrIndexBuilding || domain.ErrorCode(err) != domain.EUnavailable {
			t.Fatalf("before the build: %v", err)
		}
		if err := svc.Maintain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if res, err := svc.Find(context.Background(), q); err != nil || res.Total == 0 {
			t.Fatalf("after the build: %v, %v", res, err)
		}
		// A change of everything (as a bulk import records it): a
		// request's refresh does not wait for the rebuild, the job does it.
		ctx := context.Background()
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = 'Zwergpinguine im Rathaus' WHERE status = 'published' AND id = (SELECT MIN(id) FROM offers WHERE status = 'published')`); err != nil {
				return err
			}
			return tx.BumpCatalog(ctx)
		}); err != nil {
			t.Fatal(err)
		}
		pinguine := search.Query{Text: "Zwergpinguine", Filters: map[string][]string{}, Now: db.Now()}
		if err := svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if n := find(t, svc, pinguine).Total; n != 0 {
			t.Fatalf("a request's refresh rebuilt the index (%d found)", n)
		}
		if err := svc.Maintain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := find(t, svc, pinguine).Total; n != 1 {
			t.Fatalf("after the job: %d found, want 1", n)
		}
	})
}

// TestSnapshotRestoreEqualsAFreshBuild: an instance that starts from the
// snapshot another one wrote, plus the change log since, answers like one
// that builds from the database; a damaged snapshot or one the change log
// no longer reaches is not used.
func TestSnapshotRestoreEqualsAFreshBuild(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, _ := twoInstances(t, d, 300)
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "catalog-index.snapshot")
			first := catalog.New(db, "https://lotse.example", quiet)
			first.UseSnapshot(path)
			if err := first.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("no snapshot written: %v", err)
			}
			// Changes after the snapshot.
			var ids []int64
			if err := db.PublishedOffers(ctx, func(o *domain.Offer) error { ids = append(ids, o.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			for i, id := range ids[:5] {
				if err := db.Transact(ctx, func(tx *store.Tx) error {
					status := "archived"
					if i%2 == 0 {
						status = "published"
						if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = 'Lastprobe nach dem Abbild' WHERE id = $1`, id); err != nil {
							return err
						}
					}
					if _, err := tx.ExecContext(ctx, `UPDATE offers SET status = $1 WHERE id = $2`, status, id); err != nil {
						return err
					}
					return tx.CatalogChanged(ctx, id)
				}); err != nil {
					t.Fatal(err)
				}
			}
			restored := catalog.New(db, "https://lotse.example", quiet)
			restored.UseSnapshot(path)
			if err := restored.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			fresh := catalog.New(db, "https://lotse.example", quiet)
			same(t, "restored", restored, fresh, db.Now())
			if n := find(t, restored, search.Query{Text: "Lastprobe", Filters: map[string][]string{}, Now: db.Now()}).Total; n != 3 {
				t.Errorf("restored finds %d offers changed after the snapshot, want 3", n)
			}

			// A damaged snapshot: built from the database instead.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data[:len(data)/2], 0o600); err != nil {
				t.Fatal(err)
			}
			damaged := catalog.New(db, "https://lotse.example", quiet)
			damaged.UseSnapshot(path)
			if err := damaged.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			same(t, "after a damaged snapshot", damaged, fresh, db.Now())

			// The log pruned past the snapshot: not used either.
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := db.PruneCatalogChanges(ctx, db.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := db.Transact(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = 'Zwergpinguine nach dem Kürzen' WHERE id = $1`, ids[0]); err != nil {
					return err
				}
				return tx.CatalogChanged(ctx, ids[0])
			}); err != nil {
				t.Fatal(err)
			}
			pruned := catalog.New(db, "https://lotse.example", quiet)
			pruned.UseSnapshot(path)
			if err := pruned.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			same(t, "after pruning", pruned, catalog.New(db, "https://lotse.example", quiet), db.Now())
			if n := find(t, pruned, search.Query{Text: "Zwergpinguine", Filters: map[string][]string{}, Now: db.Now()}).Total; n != 1 {
				t.Errorf("after pruning: %d found, want 1", n)
			}
		})
	}
}
