package events_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// benchRegistrations is the scale the events must carry: one event with
// 100,000 registrations (60,000 confirmed, the rest waiting).
const benchRegistrations = 100_000

// BenchmarkEventAtScale measures, on an event with 100,000 registrations,
// the event page as a confirmed registrant sees it (counts, own
// registration with place, the consenting participants) and the
// organiser's registration list (first and last page of 100), on both
// databases. The budget is 50 ms per call.
//
//	LOTSE_TEST_POSTGRES=... go test ./internal/events -run XXX -bench EventAtScale -benchtime 200x
func BenchmarkEventAtScale(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			a := setup(b, db)
			ev := published(b, a, db, newEvent(db, domain.AudiencePilots, 60_000))
			start := time.Now()
			seedRegistrations(b, db, ev.ID, benchRegistrations, 60_000)
			b.Logf("%s: %d registrations seeded in %v", d, benchRegistrations, time.Since(start).Round(time.Millisecond))
			reader := as(b, db, "p7@bench.example") // confirmed
			waiting := as(b, db, fmt.Sprintf("p%d@bench.example", benchRegistrations))
			petraCtx := as(b, db, petra)
			lastPage := (benchRegistrations + 99) / 100
			cases := []struct {
				name string
				run  func() error
			}{
				{"event-page-confirmed", func() error {
					v, err := a.Events.Get(reader, ev.ID)
					if err == nil && (v.Event.Confirmed != 60_000 || v.Own == nil || len(v.Shown) == 0) {
						err = fmt.Errorf("view: %d confirmed, own %v, %d shown", v.Event.Confirmed, v.Own, len(v.Shown))
					}
					return err
				}},
				{"event-page-waiting", func() error {
					v, err := a.Events.Get(waiting, ev.ID)
					if err == nil && (v.Own == nil || v.Own.PositionLabel() != "hinter mehr als 1.000 Personen") {
						err = fmt.Errorf("position %+v", v.Own)
					}
					return err
				}},
				{"registrations-first-page", func() error {
					_, regs, _, total, err := a.Events.Registrations(petraCtx, ev.ID, 0, 1)
					if err == nil && (total != benchRegistrations || len(regs) != 100) {
						err = fmt.Errorf("%d of %d", len(regs), total)
					}
					return err
				}},
				{"registrations-last-page", func() error {
					_, regs, _, _, err := a.Events.Registrations(petraCtx, ev.ID, 0, lastPage)
					if err == nil && len(regs) == 0 {
						err = fmt.Errorf("empty last page")
					}
					return err
				}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
				})
			}
		})
	}
}

// seedRegistrations adds n people (members of Futurehausen) registered
// for the event, the first confirmed of them confirmed and every third
// consenting to the list, with one INSERT ... SELECT per table.
func seedRegistrations(b testing.TB, db *store.DB, eventID int64, n, confirmed int) {
	b.Helper()
	ctx := context.Background()
	org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
	if err != nil {
		b.Fatal(err)
	}
	gen := fmt.Sprintf(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)`, n)
	var first int64
	stmts := []string{
		`INSERT INTO persons (email, name, created_at) ` + gen + ` SELECT 'p' || n || '@bench.example', 'Person ' || n,
			(SELECT created_at FROM persons WHERE email = 'niklas@futurehausen.example') FROM c`,
		fmt.Sprintf(`INSERT INTO memberships (org_id, person_id, created_at) SELECT %d, id, created_at FROM persons WHERE email LIKE '%%@bench.example'`, org.ID),
	}
	run := func(q string) {
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		}); err != nil {
			b.Fatalf("%.60s: %v", strings.TrimSpace(q), err)
		}
	}
	for _, q := range stmts {
		run(q)
	}
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT MIN(id) FROM persons WHERE email LIKE '%@bench.example'`).Scan(&first)
	}); err != nil {
		b.Fatal(err)
	}
	run(fmt.Sprintf(`INSERT INTO event_registrations (event_id, person_id, org_id, status, answers, show_name, created_at, updated_at)
		SELECT %d, id, %d, CASE WHEN id - %d < %d THEN 'confirmed' ELSE 'waitlisted' END, '["vegetarisch", "E-Akte"]', (id %% 3 = 0),
		created_at, created_at FROM persons WHERE email LIKE '%%@bench.example' ORDER BY id`, eventID, org.ID, first, confirmed))
	run(fmt.Sprintf(`UPDATE events SET confirmed_count = %d, waitlisted_count = %d WHERE id = %d`, confirmed, n-confirmed, eventID))
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
}
