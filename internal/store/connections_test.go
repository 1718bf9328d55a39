package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestWriteConnectionLeavesCheckpointsToTheCheckpointer: on SQLite the
// write transactions run on one connection that never checkpoints inside
// a commit, and the handle's checkpointer keeps the write-ahead log from
// growing with every write.
func TestWriteConnectionLeavesCheckpointsToTheCheckpointer(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	var auto int
	if err := db.Transact(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto)
	}); err != nil || auto != 0 {
		t.Fatalf("the write connection checkpoints after %d pages (%v), want never (0)", auto, err)
	}
	// Writes of one page each for at least a second: without checkpoints
	// the log would hold a page per write.
	n := 0
	for start := time.Now(); n < 500 || time.Since(start) < time.Second; n++ {
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE kept_versions SET version = version + 1`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(strings.TrimPrefix(db.DSN(), "sqlite:") + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if written := int64(n) * 4096; fi.Size() > written/2 {
		t.Errorf("after %d writes the log holds %d bytes: not checkpointed while writing (%d bytes written)", n, fi.Size(), written)
	}
	t.Logf("%d writes, log file %d bytes", n, fi.Size())
	logPages, copied, err := db.Checkpoint(ctx)
	if err != nil || copied != logPages {
		t.Errorf("checkpoint: %d of %d pages copied, %v", copied, logPages, err)
	}
}

// TestPostgresLockWaitsAreShort: every connection of the pool gives up
// waiting for a lock after five seconds (set when it connects, not per
// transaction), also inside a transaction; a URL may set its own.
func TestPostgresLockWaitsAreShort(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	var in string
	if err := db.Transact(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, "SHOW lock_timeout").Scan(&in)
	}); err != nil || in != "5s" {
		t.Errorf("lock_timeout in a transaction %q, %v; want 5s", in, err)
	}
	own, err := store.Open(ctx, db.DSN()+"&lock_timeout=250ms")
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if err := own.Transact(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, "SHOW lock_timeout").Scan(&in)
	}); err != nil || in != "250ms" {
		t.Errorf("lock_timeout set by the URL %q, %v; want 250ms", in, err)
	}
}

// TestCloseTwice: closing a handle twice is harmless (tests and the
// server's shutdown both close it).
func TestCloseTwice(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, err := store.Open(context.Background(), storetest.DSN(t, d))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			db.Close()
		})
	}
}
