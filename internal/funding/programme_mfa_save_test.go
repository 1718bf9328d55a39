package funding_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestANewReviewerOfAProgrammeWithTheRequirementWaitsForTheSecondFactor:
// the programme requires a second factor; the funder gives the
// Städtetag its reviews back: the running session of its reviewer
// without second factor waits for it at once. Saving without a new
// reviewing body leaves sessions alone.
func TestANewReviewerOfAProgrammeWithTheRequirementWaitsForTheSecondFactor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		ctx := fundingtest.As(t, db, franz)
		bw, err := fund(db).Programme(ctx, demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		petra, err := db.PersonByEmail(context.Background(), "pruefung@staedtetag-bw.example")
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.Memberships(context.Background(), petra.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("Petra's memberships: %v, %v", ms, err)
		}
		stt := ms[0].OrgID
		all := slices.Clone(bw.Reviewers)
		i := slices.IndexFunc(all, func(r domain.ReviewerRule) bool { return r.AssociationID == stt })
		if i < 0 {
			t.Fatalf("the Städtetag does not review %s", demo.BWID)
		}
		bw.Reviewers = slices.Delete(slices.Clone(all), i, i+1)
		if err := fund(db).SaveProgramme(ctx, bw.ID, bw); err != nil {
			t.Fatal(err)
		}
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.SetProgrammeRequireMFA(ctx, demo.BWID, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		session, _, err := db.CreateSession(context.Background(), petra.ID)
		if err != nil {
			t.Fatal(err)
		}
		bw.Name += " (geändert)"
		if err := fund(db).SaveProgramme(ctx, bw.ID, bw); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionActor(context.Background(), session); err != nil {
			t.Fatalf("the reviewer's session after a save that adds nobody: %v", err)
		}
		bw.Reviewers = all
		if err := fund(db).SaveProgramme(ctx, bw.ID, bw); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionActor(context.Background(), session); err != domain.ErrSessionPending {
			t.Errorf("the new reviewer's session: %v, want it waiting for the second factor", err)
		}
	})
}
