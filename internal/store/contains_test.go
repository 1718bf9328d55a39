package store_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestPartsFindCapitalUmlautsOnBothDatabases: a lower-case part with an
// umlaut finds a text that begins with the capital umlaut, on both
// databases (SQLite's lower() folds only ASCII): an organisation's name in
// the admin's list, an offer's title in the team overview (by the titles'
// offers and by the walk).
func TestPartsFindCapitalUmlautsOnBothDatabases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreateOrg(t, db, domain.OrgProvider, "Übungswerkstatt Öffentliche Verwaltung", "")
		mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		for _, q := range []string{"übungs", "ÜBUNGS", "öffentliche", "Werkstatt ö", "ungswerk"} {
			list, total, err := db.Organisations(ctx, domain.OrgFilter{Query: &q})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(list) != 1 || list[0].Name != "Übungswerkstatt Öffentliche Verwaltung" {
				t.Errorf("organisations by %q: total %d, %+v", q, total, list)
			}
		}

		ctx, org, _ := teamFixture(t, db)
		all, err := db.TeamPage(ctx, domain.TeamFilter{OrgID: org.ID}, domain.TeamCursor{}, store.MaxPage+1)
		if err != nil {
			t.Fatal(err)
		}
		booked := 0
		var offer int64
		for _, r := range all {
			if r.OfferID != 0 {
				booked, offer = booked+1, r.OfferID
			}
		}
		if booked == 0 {
			t.Fatal("the fixture has no booking")
		}
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE offers SET title = 'Übungsfirma Digitale Akte' WHERE id = $1`, offer)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, small := range []bool{true, false} {
			if !small {
				defer store.SetTeamSmallOrg(0)()
			}
			for _, part := range []string{"übungsfirma", "ÜBUNGSFIRMA", "firma digitale"} {
				rows, err := db.TeamPage(ctx, domain.TeamFilter{OrgID: org.ID, OfferTitle: part}, domain.TeamCursor{}, store.MaxPage+1)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != booked {
					t.Errorf("team by %q (walked %v): %d rows, want %d", part, small, len(rows), booked)
				}
			}
		}
	})
}
