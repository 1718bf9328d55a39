package events_test

import (
	"slices"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// The organiser's list of registrations pages with a cursor (issue 14):
// walking the pages gives every active registration once, in the order
// they came; the page after the last is empty.
func TestRegistrationPagesWalkEveryRegistrationOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		ev := published(t, a, db, newEvent(db, domain.AudiencePilots, 150))
		seedRegistrations(t, db, ev.ID, 2*events.PageSize+30, 150)
		ctx := as(t, db, petra)
		var got []int64
		var after int64
		for page := 1; page <= 5; page++ {
			_, regs, next, total, err := a.Events.Registrations(ctx, ev.ID, after, 1)
			if err != nil {
				t.Fatal(err)
			}
			if total != 2*events.PageSize+30 {
				t.Errorf("page %d: total %d", page, total)
			}
			for _, r := range regs {
				got = append(got, r.ID)
			}
			if next == 0 {
				if len(regs) != 30 {
					t.Errorf("last page has %d registrations", len(regs))
				}
				break
			}
			if len(regs) != events.PageSize || next != regs[len(regs)-1].ID {
				t.Fatalf("page %d: %d registrations, next %d", page, len(regs), next)
			}
			after = next
		}
		if len(got) != 2*events.PageSize+30 || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("walked %d registrations, sorted %v", len(got), slices.IsSorted(got))
		}
		_, regs, next, _, err := a.Events.Registrations(ctx, ev.ID, got[len(got)-1], 1)
		if err != nil || len(regs) != 0 || next != 0 {
			t.Errorf("past the end: %d registrations, next %d, %v", len(regs), next, err)
		}
		// The page numbers of older API clients still reach the last page.
		_, regs, _, _, err = a.Events.Registrations(ctx, ev.ID, 0, 3)
		if err != nil || len(regs) != 30 || regs[0].ID != got[2*events.PageSize] {
			t.Errorf("page 3: %d registrations, %v", len(regs), err)
		}
	})
}
