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

// BenchmarkScaleLists times the store queries behind the long lists of
// issue 14 on generated data (factor LOTSE_BENCH_SCALE, default 0.01):
//
//	LOTSE_TEST_POSTGRES=... LOTSE_BENCH_SCALE=0.1 go test ./internal/demo -run XXX -bench ScaleLists -timeout 60m
func BenchmarkScaleLists(b *testing.B) {
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
			sz, err := demo.GenerateScale(ctx, db, f, demo.FindGV100(), testPassword, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			p1, err := db.PersonByEmail(ctx, demo.ScaleEmail(1))
			if err != nil {
				b.Fatal(err)
			}
			ms, err := db.Memberships(ctx, p1.ID)
			if err != nil {
				b.Fatal(err)
			}
			big := ms[0].OrgID
			someone, err := db.PersonByEmail(ctx, demo.ScaleEmail(sz.Persons/2))
			if err != nil {
				b.Fatal(err)
			}
			run := func(name string, fn func() error) {
				b.Run(name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if err := fn(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			run("members-first-page", func() error { _, err := db.MembersPage(ctx, big, 0, 51); return err })
			run("members-deep-page", func() error { _, err := db.MembersPage(ctx, big, p1.ID+sz.BigMembers-60, 51); return err })
			run("member-count", func() error { _, err := db.MemberCount(ctx, big); return err })
			run("person-bookings", func() error {
				_, err := db.BookingDetails(ctx, domain.BookingFilter{PersonID: someone.ID, Email: someone.Email, Limit: 51})
				return err
			})
			run("audit-first-page", func() error { _, _, err := db.Audit(ctx, domain.AuditFilter{Limit: 51}); return err })
			run("audit-org-page", func() error { _, _, err := db.Audit(ctx, domain.AuditFilter{OrgID: big, Limit: 51}); return err })
			run("audit-older-page", func() error {
				_, _, err := db.Audit(ctx, domain.AuditFilter{Limit: 51, Before: sz.Persons / 2})
				return err
			})
			run("pilots-word", func() error {
				_, err := db.SearchPilots(ctx, store.PilotQuery{Words: []string{"anna"}, Limit: 21})
				return err
			})
		})
	}
}
