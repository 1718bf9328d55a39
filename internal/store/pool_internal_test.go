package store

import (
	"context"
	"testing"
)

// TestPostgresPoolSize: an instance opens at most DefaultPoolSize
// connections to PostgreSQL unless configured, and a transaction runs on a
// pool of one.
func TestPostgresPoolSize(t *testing.T) {
	db := planDB(t, Postgres)
	if got, want := db.sql.Stats().MaxOpenConnections, DefaultPoolSize(); got != want || want < 8 {
		t.Fatalf("pool of %d connections, want %d (at least 8)", got, want)
	}
	db.SetPoolSize(1)
	if got := db.sql.Stats().MaxOpenConnections; got != 1 {
		t.Fatalf("pool of %d connections after SetPoolSize(1)", got)
	}
	ctx := context.Background()
	var n int
	if err := db.Transact(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM persons`).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	db.SetPoolSize(0)
	if got := db.sql.Stats().MaxOpenConnections; got != DefaultPoolSize() {
		t.Fatalf("pool of %d connections after SetPoolSize(0), want the default", got)
	}
}
