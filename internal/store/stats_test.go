package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestSQLiteStatisticsAreCompletedAtOpen: on an analysed SQLite database,
// an index without statistics (a migration's new one) gets them when the
// platform opens the database; a database never analysed stays so (the
// planner's guesses for all). SQLite only: PostgreSQL analyses by itself.
func TestSQLiteStatisticsAreCompletedAtOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lotse.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// A member, so that ANALYZE has something to count.
	org := &domain.Organisation{Kind: domain.OrgProvider, Name: "Anbieter"}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	p := storetest.MustCreatePerson(t, db, "statistik@example.org", "Stefanie Statistik")
	if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var tables int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("a new database has statistics (%d, %v)", tables, err)
	}
	if _, err := raw.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM sqlite_stat1 WHERE idx = 'memberships_name_key'`); err != nil {
		t.Fatal(err)
	}
	var before int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'memberships'`).Scan(&before); err != nil || before == 0 {
		t.Fatalf("memberships has no statistics after ANALYZE (%d, %v)", before, err)
	}
	db, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = 'memberships_name_key'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the index without statistics has %d rows of them after the start (%v), want 1", n, err)
	}
}
