package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestStmtCache: a query runs as text the first time and prepared once
// the background preparation is done, with the same result; a query that
// does not prepare still reports its error; many transactions at once,
// each with a query the cache has not seen, do not wait for each other's
// connections.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, SQLiteDSN(filepath.Join(t.TempDir(), "db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) + $1 FROM organisations`, 7).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	first := count()
	deadline := time.Now().Add(5 * time.Second)
	for db.stmts.get(`SELECT COUNT(*) + $1 FROM organisations`) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the query was not prepared")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if again := count(); again != first || first < 7 {
		t.Errorf("prepared %d, as text %d", again, first)
	}
	for range 2 {
		if _, err := db.query(ctx, `SELECT no_such_column FROM organisations`); err == nil {
			t.Error("a bad query ran")
		}
		time.Sleep(50 * time.Millisecond)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.transact(ctx, func(tx *Tx) error {
				var n int
				return tx.QueryRowContext(ctx, `SELECT $1 + `+itoa64(int64(i)), i).Scan(&n)
			})
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("transactions wait for each other")
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
