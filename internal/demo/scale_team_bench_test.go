package demo_test

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkScaleTeamLists times the store queries behind the team
// overview, the role candidates and the participant list (issue 14) for
// the largest generated municipality: on LOTSE_BENCH_DSN (a database made
// by `lotse demo --scale`), else on factor LOTSE_BENCH_SCALE (default
// 0.01) generated into each test database:
//
//	LOTSE_BENCH_DSN=sqlite:/tmp/sc10/lotse.db go test ./internal/demo -run XXX -bench ScaleTeamLists -benchtime 50x
func BenchmarkScaleTeamLists(b *testing.B) {
	if dsn := os.Getenv("LOTSE_BENCH_DSN"); dsn != "" {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchTeamLists(b, db)
		return
	}
	f := 0.01
	if v := os.Getenv("LOTSE_BENCH_SCALE"); v != "" {
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			b.Fatal(err)
		}
	}
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			if _, err := demo.Load(ctx, db, testPassword); err != nil {
				b.Fatal(err)
			}
			if _, err := demo.GenerateScale(ctx, db, f, demo.FindGV100(), testPassword, io.Discard); err != nil {
				b.Fatal(err)
			}
			benchTeamLists(b, db)
		})
	}
}

func benchTeamLists(b *testing.B, db *store.DB) {
	ctx := context.Background()
	p1, err := db.PersonByEmail(ctx, demo.ScaleEmail(1))
	if err != nil {
		b.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p1.ID)
	if err != nil {
		b.Fatal(err)
	}
	big := ms[0].OrgID
	members, err := db.MemberCount(ctx, big)
	if err != nil {
		b.Fatal(err)
	}
	// The largest municipality's members are the first generated people.
	mid, last := p1.ID+int64(members)/2, p1.ID+int64(members)-1
	bs, err := db.BookingDetails(ctx, domain.BookingFilter{PersonID: p1.ID, Limit: 1})
	if err != nil || len(bs) == 0 {
		b.Fatalf("person 1's bookings: %v", err)
	}
	session := bs[0].SessionID
	f := domain.TeamFilter{OrgID: big}
	run := func(name string, fn func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			var n int
			for i := 0; i < b.N; i++ {
				var err error
				if n, err = fn(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
	team := func(f domain.TeamFilter, after domain.TeamCursor) func() (int, error) {
		return func() (int, error) {
			rows, err := db.TeamPage(ctx, f, after, 51)
			return len(rows), err
		}
	}
	run("team-first-page", team(f, domain.TeamCursor{}))
	run("team-middle-page", team(f, domain.TeamCursor{PersonID: mid}))
	run("team-last-member-then-others", team(f, domain.TeamCursor{PersonID: last, BookingID: 1 << 40}))
	run("team-count", func() (int, error) { return db.TeamCount(ctx, f, domain.TeamCountLimit) })
	run("team-filter-confirmed", team(domain.TeamFilter{OrgID: big, Status: string(domain.BookingConfirmed)}, domain.TeamCursor{}))
	run("team-filter-rare-status", team(domain.TeamFilter{OrgID: big, Status: string(domain.BookingAwaitingApproval)}, domain.TeamCursor{}))
	run("team-name-nobody", team(domain.TeamFilter{OrgID: big, Name: "niemand-heisst-so"}, domain.TeamCursor{}))
	run("team-filter-offer", team(domain.TeamFilter{OrgID: big, OfferID: bs[0].OfferID}, domain.TeamCursor{}))
	run("role-candidates-first-page", func() (int, error) {
		cs, err := db.RoleCandidatesPage(ctx, big, 0, "", 0, 51)
		return len(cs), err
	})
	run("role-candidates-middle-page", func() (int, error) {
		cs, err := db.RoleCandidatesPage(ctx, big, 0, "", mid, 51)
		return len(cs), err
	})
	run("role-candidates-search", func() (int, error) {
		cs, err := db.RoleCandidatesPage(ctx, big, 0, "schmidt", 0, 51)
		return len(cs), err
	})
	run("participants-page", func() (int, error) {
		bs, err := db.SessionBookingsPage(ctx, session, 0, 51)
		if err != nil {
			return 0, err
		}
		ids := make([]int64, len(bs))
		for i := range bs {
			ids[i] = bs[i].ID
		}
		_, err = db.BookingsAttendance(ctx, ids)
		return len(bs), err
	})
}
