package privacy_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/privacy"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkPurgeBacklog purges a backlog of 200,000 expired sessions while
// a writer records a login attempt every millisecond, and reports the
// writer's longest wait (max-write-ms) and the purge's time. "batched" is
// the purge as it runs (purgeBatch rows per transaction); "one-tx" deletes
// each kind in one transaction, as the purge did before:
//
//	go test ./internal/privacy -run '^$' -bench PurgeBacklog -benchtime 1x
func BenchmarkPurgeBacklog(b *testing.B) {
	const backlog = 200_000
	for _, d := range storetest.Dialects {
		for _, mode := range []string{"batched", "one-tx"} {
			b.Run(string(d)+"/"+mode, func(b *testing.B) {
				if mode == "one-tx" {
					defer privacy.SetPurgeBatch(1 << 30)()
				}
				var maxWait, purge time.Duration
				for range b.N {
					b.StopTimer()
					db := storetest.Open(b, d)
					travel := storetest.Freeze(db)
					a := app.New(db, storetest.BaseURL, nil)
					ctx := context.Background()
					p := storetest.MustCreatePerson(b, db, "viele@example.org", "Viele Sitzungen")
					if err := db.Transact(ctx, func(tx *store.Tx) error {
						_, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < `+strconv.Itoa(backlog)+`)
							INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at)
							SELECT 'h' || i, $1, 'c', $2, $2 FROM s`, p.ID, db.Now())
						return err
					}); err != nil {
						b.Fatal(err)
					}
					travel(30 * 24 * time.Hour)
					var stop atomic.Bool
					var wg sync.WaitGroup
					var worst time.Duration
					wg.Go(func() {
						for i := 0; !stop.Load(); i++ {
							t0 := time.Now()
							if err := db.Transact(ctx, func(tx *store.Tx) error {
								_, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, '192.0.2.7', $2, $3)`,
									"w"+strconv.Itoa(i)+"@example.org", db.Now(), false)
								return err
							}); err != nil {
								b.Error(err)
								return
							}
							worst = max(worst, time.Since(t0))
							time.Sleep(time.Millisecond)
						}
					})
					time.Sleep(20 * time.Millisecond)
					b.StartTimer()
					t0 := time.Now()
					cs, ran, err := a.Privacy.Purge(ctx)
					purge += time.Since(t0)
					b.StopTimer()
					stop.Store(true)
					wg.Wait()
					if err != nil || !ran || len(cs) == 0 {
						b.Fatalf("ran %v, %v", ran, err)
					}
					for _, c := range cs {
						if c.Kind == "expired_sessions" && c.Count != backlog {
							b.Fatalf("%d sessions purged, want %d", c.Count, backlog)
						}
					}
					maxWait = max(maxWait, worst)
				}
				b.ReportMetric(float64(maxWait.Microseconds())/1000, "max-write-ms")
				b.ReportMetric(float64(purge.Microseconds())/1000/float64(b.N), "purge-ms")
			})
		}
	}
}
