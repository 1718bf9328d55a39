package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/jobs"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// syncBuffer is a log both runners write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestTwoInstancesRunTheJobsOnce: two job runners, as two instances would
// have, on one PostgreSQL database and one file store, run every job that
// works on shared data many times over at once. Each unit of work is done
// exactly once: one expiry notice per voucher, one mail per notice, one
// release per expired voucher, each orphaned file deleted once.
func TestTwoInstancesRunTheJobsOnce(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, store.Postgres)
	files := filepath.Join(t.TempDir(), "files")
	start := time.Now().UTC()
	var offset atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(offset.Load())) }
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if db.Files, err = filestore.NewLocal(files); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	if _, err := demo.Load(ctx, dbs[0], "demo-passwort"); err != nil {
		t.Fatal(err)
	}
	if err := demo.Story(ctx, dbs[0], storetest.BaseURL, "demo-passwort"); err != nil {
		t.Fatal(err)
	}
	for _, db := range dbs {
		db.Now = clock
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := raw.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	issued := count(`SELECT count(*) FROM vouchers WHERE state = 'issued'`)
	if issued == 0 {
		t.Fatal("the demo has no issued vouchers to work on")
	}
	const orphans = 7
	for i := range orphans {
		if _, err := dbs[0].PutBlob(ctx, fmt.Appendf(nil, "verwaist %d", i)); err != nil {
			t.Fatal(err)
		}
	}

	var deleted atomic.Int64
	log := &syncBuffer{}
	runBoth := func() {
		jctx, stop := context.WithCancel(ctx)
		var runners []*jobs.Runner
		for i, db := range dbs {
			a := app.New(db, storetest.BaseURL, nil)
			r := jobs.New(slog.New(slog.NewTextHandler(log, nil)))
			every := 15 * time.Millisecond
			r.Add(jobs.Job{Name: "booking-reminders", Every: every, Run: a.Booking.RunReminders})
			r.Add(jobs.Job{Name: "voucher-expiry", Every: every, Run: a.Funding.RunExpiryNotices})
			r.Add(jobs.Job{Name: "event-reminders", Every: every, Run: a.Events.RunReminders})
			r.Add(jobs.Job{Name: "voucher-release", Every: every, Run: a.Settlement.RunExpiry})
			r.Add(jobs.Job{Name: "community-digest", Every: every, Run: a.Community.RunDigests})
			r.Add(jobs.OneAtATime(jobs.Job{Name: "orphan-files", Every: every, Run: func(ctx context.Context) error {
				st, err := db.CollectOrphanBlobs(ctx, -time.Minute)
				deleted.Add(int64(st.Deleted))
				return err
			}}, db, fmt.Sprintf("instance-%d", i), time.Minute))
			r.Start(jctx)
			runners = append(runners, r)
		}
		time.Sleep(1500 * time.Millisecond)
		stop()
		for _, r := range runners {
			r.Wait()
		}
	}

	// Two weeks before the vouchers expire (issued two months ago, valid a
	// year): every issued voucher is noticed once, each mail sent once.
	offset.Store(int64(290 * 24 * time.Hour))
	runBoth()
	if n := count(`SELECT count(*) FROM vouchers WHERE expiry_noticed_at IS NOT NULL`); n != issued {
		t.Fatalf("%d of %d vouchers noticed", n, issued)
	}
	if n := count(`SELECT count(*) FROM outbox WHERE subject LIKE '%Gutschein%'`); n == 0 {
		t.Fatal("no expiry notice was mailed")
	}
	if n := count(`SELECT count(*) FROM (SELECT to_addr, subject, body FROM outbox GROUP BY to_addr, subject, body HAVING count(*) > 1) d`); n != 0 {
		t.Fatalf("%d mails are in the outbox more than once", n)
	}
	if deleted.Load() != orphans {
		t.Fatalf("%d orphaned files deleted, want %d", deleted.Load(), orphans)
	}

	// After the expiry: each voucher expires and its money is released once.
	offset.Store(int64(400 * 24 * time.Hour))
	runBoth()
	if n := count(`SELECT count(*) FROM vouchers WHERE state = 'expired'`); n != issued {
		t.Fatalf("%d of %d vouchers expired", n, issued)
	}
	if n, d := count(`SELECT count(*) FROM budget_entries WHERE kind = 'release'`),
		count(`SELECT count(DISTINCT voucher_code) FROM budget_entries WHERE kind = 'release'`); n != issued || d != issued {
		t.Fatalf("%d releases for %d vouchers (%d issued)", n, d, issued)
	}
	if strings.Contains(log.String(), "job failed") || strings.Contains(log.String(), "panicked") {
		t.Fatalf("a job failed:\n%s", log.String())
	}
}
