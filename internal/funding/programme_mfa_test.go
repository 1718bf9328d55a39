package funding_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestACloneWithTheRequirementReachesRunningSessions: a programme cloned
// with the second-factor requirement applies it at once, as switching it
// on does: the running session of a signatory without second factor waits
// for it, a participant's goes on, and the step is in the audit log.
func TestACloneWithTheRequirementReachesRunningSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		ctx := fundingtest.As(t, db, franz)
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.SetProgrammeRequireMFA(ctx, demo.BWID, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		session := func(email string) string {
			p, err := db.PersonByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			s, _, err := db.CreateSession(context.Background(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		lilly, niklas := session("lilly@futurehausen.example"), session("niklas@futurehausen.example")
		if _, err := fund(db).CloneProgramme(ctx, demo.BWID, "digitallotsen-rp", "Digitallotsen Rheinland-Pfalz"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionActor(context.Background(), lilly); err != domain.ErrSessionPending {
			t.Errorf("the signatory's session: %v, want it waiting for the second factor", err)
		}
		if _, _, err := db.SessionActor(context.Background(), niklas); err != nil {
			t.Errorf("the participant's session: %v", err)
		}
		entries, _, err := db.Audit(context.Background(), domain.AuditFilter{Action: "mfa.session_step_up", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Errorf("%d step-ups audited, want 1", len(entries))
		}
	})
}
