package catalog_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestAProgrammeRenameReachesTheFundingFacetOfEveryInstance: renaming a
// programme (or a track) records a change of labels in the catalog's
// change log; an instance other than the one that saved it shows the new
// name in the funding facet after its next catch-up, without rebuilding
// its index; a save that changes no name records nothing.
func TestAProgrammeRenameReachesTheFundingFacetOfEveryInstance(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, db2 := twoInstances(t, d, 20)
			other := catalog.New(db2, "https://lotse.example", quiet)
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			label := func() string {
				t.Helper()
				res, err := other.Find(ctx, search.Query{Filters: map[string][]string{}, Now: db.Now()})
				if err != nil {
					t.Fatal(err)
				}
				return res.Label("funding", demo.BWID+"/basis")
			}
			if got := label(); got != "Basisqualifizierung (Kommunale Digitallotsen)" {
				t.Fatalf("before: %q", got)
			}
			v, err := db.CatalogVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			save := func(rename func(name string) string, track string) {
				t.Helper()
				if err := db.Transact(ctx, func(tx *store.Tx) error {
					p, err := tx.Programme(ctx, demo.BWID)
					if err != nil {
						return err
					}
					p.Name = rename(p.Name)
					for i := range p.Tracks {
						if p.Tracks[i].Key == "basis" && track != "" {
							p.Tracks[i].Name = track
						}
					}
					return tx.SaveProgramme(ctx, p)
				}); err != nil {
					t.Fatal(err)
				}
			}
			// A save without a new name: no change recorded.
			save(func(n string) string { return n }, "")
			if v2, err := db.CatalogVersion(ctx); err != nil || v2 != v {
				t.Fatalf("a save without a new name raised the catalog version %d to %d (%v)", v, v2, err)
			}
			save(func(string) string { return "Digitallotsen BW" }, "")
			delta, err := db.CatalogChanges(ctx, v)
			if err != nil || !delta.Labels || delta.Rebuild || len(delta.Offers) != 0 {
				t.Fatalf("the change recorded: %+v, %v", delta, err)
			}
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if got := label(); got != "Basisqualifizierung (Digitallotsen BW)" {
				t.Errorf("after the rename: %q", got)
			}
			save(func(n string) string { return n }, "Grundkurs")
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if got := label(); got != "Grundkurs (Digitallotsen BW)" {
				t.Errorf("after renaming the track: %q", got)
			}
		})
	}
}
