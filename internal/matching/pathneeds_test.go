package matching

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestPathNeedsAreTheNextSteps: a person who follows no path needs
// nothing; after joining the Digitallotse path the basis step is the need,
// with its track; a networking event is never a need.
func TestPathNeedsAreTheNextSteps(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := programmes.Install(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := New(db, nil, nil, nil)
		p := storetest.MustCreatePerson(t, db, "niklas@futurehausen.example", "Niklas Neumann")
		if needs, err := s.pathNeeds(ctx, p.ID); err != nil || len(needs) != 0 {
			t.Fatalf("before joining: %v %v", needs, err)
		}
		path, err := db.PathByShippedKey(ctx, programmes.DigitallotsePath)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Transact(ctx, func(tx *store.Tx) error { _, err := tx.JoinPath(ctx, path.ID, p.ID); return err }); err != nil {
			t.Fatal(err)
		}
		needs, err := s.pathNeeds(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := PathNeed{PathID: path.ID, PathTitle: path.Title, StepTitle: path.Steps[0].Title, Track: programmes.BWID + "/" + domain.TrackBasis}
		if len(needs) != 1 || needs[0].PathID != want.PathID || needs[0].StepTitle != want.StepTitle || needs[0].Track != want.Track {
			t.Fatalf("needs %+v, want %+v", needs, want)
		}
	})
}
