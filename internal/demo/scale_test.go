package demo_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func TestGenerateScale(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, testPassword); err != nil {
			t.Fatal(err)
		}
		count := func(table, where string, args ...any) int64 {
			t.Helper()
			n, err := db.CountRows(ctx, table, where, args...)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		free := count("municipalities m", "m.kind = 'municipality' AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.ags = m.ags)")
		tables := map[string]string{"persons": "", "bookings": "", "pilot_entries": "", "organisations": "kind = 'municipality'",
			"audit_log": "action IN ('invitation.accept', 'booking.create')"}
		before := map[string]int64{}
		for tb, where := range tables {
			before[tb] = count(tb, where)
		}
		// With the real directory where it is at hand (its largest
		// municipalities), with numbered municipalities otherwise; the
		// SQLite run always takes the numbered path, so both are tested.
		gv := demo.FindGV100()
		if db.Dialect == store.SQLite {
			gv = ""
		}
		var log strings.Builder
		sz, err := demo.GenerateScale(ctx, db, 0.002, gv, testPassword, &log)
		if err != nil {
			t.Fatal(err)
		}
		want := demo.SizesFor(0.002)
		if sz != want || sz.Persons != 4000 || sz.Bookings != 20000 || sz.Municipalities != 22 || sz.BigMembers != 174 {
			t.Fatalf("sizes %+v, want %+v", sz, want)
		}
		if !strings.Contains(log.String(), "bookings 20000/20000") {
			t.Errorf("no progress for the bookings in:\n%s", log.String())
		}
		for tb, n := range map[string]int64{"persons": sz.Persons, "bookings": sz.Bookings, "audit_log": sz.Persons + sz.Bookings/5,
			"pilot_entries": sz.Pilots, "organisations": sz.Municipalities} {
			if got := count(tb, tables[tb]) - before[tb]; got != n {
				t.Errorf("%s: %d new rows, want %d", tb, got, n)
			}
		}
		if n := count("memberships m JOIN persons p ON p.id = m.person_id", "p.email LIKE '%@skala.example'"); n != sz.Persons {
			t.Errorf("%d memberships of generated people, want one each (%d)", n, sz.Persons)
		}
		// The largest municipality has its members, five more have theirs.
		p1, err := db.PersonByEmail(ctx, demo.ScaleEmail(1))
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.Memberships(ctx, p1.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("memberships of person 1: %v, %v", ms, err)
		}
		org, err := db.Organisation(ctx, ms[0].OrgID)
		if err != nil {
			t.Fatal(err)
		}
		if n := count("memberships", "org_id = $1", org.ID); n != sz.BigMembers {
			t.Errorf("largest municipality has %d members, want %d", n, sz.BigMembers)
		}
		if n := count("memberships", "org_id = $1", org.ID+1); n != sz.MediumMembers {
			t.Errorf("second municipality has %d members, want %d", n, sz.MediumMembers)
		}
		// The kept counts (migration 00031) agree with the rows.
		if n, err := db.MemberCount(ctx, org.ID); err != nil || int64(n) != sz.BigMembers {
			t.Errorf("kept member count of the largest municipality %d (%v), want %d", n, err, sz.BigMembers)
		}
		if n := count("member_counts c", "c.members <> (SELECT COUNT(*) FROM memberships m WHERE m.org_id = c.org_id)"); n != 0 {
			t.Errorf("%d kept member counts differ from the memberships", n)
		}
		if n := count("pilot_district_counts c", "c.entries <> (SELECT COUNT(*) FROM pilot_entries e WHERE e.district = c.district AND e.hidden = FALSE)"); n != 0 {
			t.Errorf("%d kept district counts differ from the pilots' directory", n)
		}
		if gv != "" && !strings.HasPrefix(org.AGS, "11") {
			t.Errorf("largest municipality %s (%s), want Berlin from the directory", org.Name, org.AGS)
		}
		if n := count("organisations", "name LIKE 'Gemeinde Skala %'"); gv == "" && n != sz.Municipalities-free {
			t.Errorf("%d numbered municipalities, want %d (%d in the directory)", n, sz.Municipalities-free, free)
		}
		// Generated people log in with the password and have bookings.
		if ok, err := store.CheckPassword(p1.PasswordHash, testPassword); !ok || err != nil {
			t.Errorf("person 1's password does not match: %v", err)
		}
		if p1.Name != demo.ScaleName(1) {
			t.Errorf("person 1 is %q, want %q", p1.Name, demo.ScaleName(1))
		}
		if n := count("bookings", "person_id = $1 AND participant_email = $2", p1.ID, p1.Email); n != sz.Bookings/sz.Persons {
			t.Errorf("person 1 has %d bookings, want %d", n, sz.Bookings/sz.Persons)
		}
		// New rows get ids after the generated ones (PostgreSQL's sequences).
		q := storetest.MustCreatePerson(t, db, "neu@beispiel.example", "Nora Neu")
		if q.ID <= p1.ID+sz.Persons-1 {
			t.Errorf("new person got id %d, generated ones end at %d", q.ID, p1.ID+sz.Persons-1)
		}
		// A second run into the same database refuses.
		if _, err := demo.GenerateScale(ctx, db, 0.002, "", testPassword, io.Discard); err == nil {
			t.Error("second run: no error")
		}
	})
}
