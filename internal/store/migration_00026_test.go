package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestMigration00026GivesOldTokensAYearAndFullAccess runs migration 00026
// over a token made before it: the token keeps full access and expires
// about a year after the migration, and it still authenticates.
func TestMigration00026GivesOldTokensAYearAndFullAccess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := storetest.MustCreatePerson(t, db, "alt@kommune.de", "Alt")
		raw, gd := openRaw(t, db)
		defer raw.Close()
		prov, err := goose.NewProvider(gd, raw, os.DirFS("migrations/"+string(db.Dialect)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := prov.DownTo(ctx, 24); err != nil {
			t.Fatalf("down to 24: %v", err)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO api_tokens (person_id, name, prefix, token_hash, created_at)
			VALUES ($1, 'Alt', 'lotse_abcdef', 'hash-of-old-token', $2)`, p.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := prov.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		ts, err := db.Tokens(ctx, p.ID)
		if err != nil || len(ts) != 1 {
			t.Fatalf("tokens after the migration: %+v, %v", ts, err)
		}
		want := time.Now().AddDate(1, 0, 0)
		if d := ts[0].ExpiresAt.Sub(want); d < -time.Hour || d > time.Hour {
			t.Errorf("old token expires %v, want about %v", ts[0].ExpiresAt, want)
		}
		if len(ts[0].Scopes) != 1 || ts[0].Scopes[0] != domain.ScopeFull {
			t.Errorf("old token's scopes %v, want full access", ts[0].Scopes)
		}
		// The expiry compares right with the clock of the code (SQLite keeps
		// timestamps as text).
		if n := countLive(t, db, p.ID); n != 1 {
			t.Errorf("the old token is not live after the migration (%d)", n)
		}
	})
}

// countLive counts the person's tokens whose expiry lies after now, as
// the store compares it.
func countLive(t *testing.T, db *store.DB, personID int64) int {
	t.Helper()
	ts, err := db.Tokens(context.Background(), personID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tk := range ts {
		if !tk.Expired(db.Now()) {
			n++
		}
	}
	return n
}
