package store_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestAuditNamesObjectsByKey: the log names people and organisations it
// refers to, also next to entries whose object id is empty or not a
// number (which PostgreSQL must not cast), and pages back by key.
func TestAuditNamesObjectsByKey(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := storetest.MustCreatePerson(t, db, "olga@beispiel.example", "Olga Objekt")
		org := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Schlüssel", "")
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			for _, e := range []struct {
				typ string
				id  any
			}{{"person", p.ID}, {"offer", ""}, {"organisation", org.ID}, {"signing_key", "k-2026-ab"}, {"application", "12x"}} {
				if err := tx.Audit(ctx, 0, "test.entry", e.typ, e.id, nil); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		all, total, err := db.Audit(ctx, domain.AuditFilter{Action: "test.entry"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 5 || len(all) != 5 {
			t.Fatalf("%d entries (total %d), want 5", len(all), total)
		}
		names := map[string]string{}
		for _, e := range all {
			names[e.ObjectType] = e.ObjectName
		}
		if names["person"] != "Olga Objekt" || names["organisation"] != "Akademie Schlüssel" || names["offer"] != "" ||
			names["signing_key"] != "" || names["application"] != "" {
			t.Errorf("object names %v", names)
		}
		older, _, err := db.Audit(ctx, domain.AuditFilter{Action: "test.entry", Before: all[1].ID, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(older) != 2 || older[0].ID != all[2].ID || older[1].ID != all[3].ID {
			t.Errorf("entries before %d: %+v, want %d and %d", all[1].ID, older, all[2].ID, all[3].ID)
		}
	})
}
