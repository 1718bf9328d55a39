package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// teamFixture gives Futurehausen (with its demo members) more members and
// bookings: some with several bookings, some without, a waiting list; and
// the bookings of people who are not members: billed to it with and
// without an account, and made with its vouchers; and a stranger's
// booking that is none of its business. It returns the organisation and
// the IDs of the bookings of non-members it made.
func teamFixture(t *testing.T, db *store.DB) (ctx context.Context, org *domain.Organisation, others []int64) {
	t.Helper()
	ctx, s1, vouchers := bookingtest.Fixture(t, db, 100, 2)
	org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	s2 := &domain.Session{OfferID: s1.OfferID, StartsAt: s1.StartsAt.AddDate(0, 0, 7), EndsAt: s1.EndsAt.AddDate(0, 0, 7), Days: 3, Capacity: 2, Online: true}
	if err := catalog.AddSession(ctx, db, s2); err != nil {
		t.Fatal(err)
	}
	book := func(p *domain.Person, name, email string, ses int64, pay string, employer int64, code string) *domain.Booking {
		t.Helper()
		in := domain.BookingInput{SessionID: ses, ParticipantName: name, ParticipantEmail: email, Payment: pay, EmployerID: employer, Voucher: code}
		if p != nil {
			in.PersonID = p.ID
		}
		b, err := bookingtest.Book(ctx, db, in)
		if err != nil {
			t.Fatalf("book %s: %v", email, err)
		}
		return b
	}
	for i := range 9 {
		p := storetest.MustCreatePerson(t, db, fmt.Sprintf("team%d@futurehausen.example", i), fmt.Sprintf("Teammitglied %d", i))
		if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		switch i % 3 {
		case 0: // two bookings, the second one waiting when the session is full
			book(p, p.Name, p.Email, s1.ID, domain.PayEmployer, org.ID, "")
			book(p, p.Name, p.Email, s2.ID, domain.PayEmployer, org.ID, "")
		case 1: // one booking, paid privately
			book(p, p.Name, p.Email, s1.ID, domain.PayPrivate, 0, "")
		}
	}
	outsider := storetest.MustCreatePerson(t, db, "extern@nachbarort.example", "Erna Extern")
	others = append(others,
		book(outsider, outsider.Name, outsider.Email, s1.ID, domain.PayEmployer, org.ID, "").ID,
		book(nil, "Otto Ohnekonto", "otto@example.org", s1.ID, domain.PayEmployer, org.ID, "").ID,
		book(nil, "Vera Gutschein", "vera@example.org", s1.ID, domain.PayVoucher, 0, vouchers[0].Code).ID,
		book(nil, "Vroni Gutschein", "vroni@example.org", s2.ID, domain.PayVoucher, 0, vouchers[1].Code).ID)
	book(nil, "Stefan Fremd", "stefan@example.org", s1.ID, domain.PayPrivate, 0, "")
	return ctx, org, others
}

// walkTeam reads the whole team overview page by page, limit rows at a
// time.
func walkTeam(t *testing.T, db *store.DB, f domain.TeamFilter, limit int) []domain.TeamRow {
	t.Helper()
	var out []domain.TeamRow
	var after domain.TeamCursor
	for pages := 0; ; pages++ {
		rows, err := db.TeamPage(context.Background(), f, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > limit {
			t.Fatalf("a page of %d has %d rows", limit, len(rows))
		}
		out = append(out, rows...)
		if len(rows) < limit {
			return out
		}
		after = rows[len(rows)-1].Key()
		if pages > 500 {
			t.Fatal("endless paging")
		}
	}
}

func TestTeamPageWalksMembersThenOthersByKey(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, others := teamFixture(t, db)
		f := domain.TeamFilter{OrgID: org.ID}
		all, err := db.TeamPage(ctx, f, domain.TeamCursor{}, store.MaxPage+1)
		if err != nil {
			t.Fatal(err)
		}
		// The members first, by person and booking; each member once
		// without a booking or once per booking.
		members, err := db.Members(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var memberIDs, rowPersons []int64
		for _, m := range members {
			memberIDs = append(memberIDs, m.Person.ID)
		}
		slices.Sort(memberIDs)
		n := 0
		for ; n < len(all) && all[n].Member; n++ {
			if r := all[n]; len(rowPersons) == 0 || rowPersons[len(rowPersons)-1] != r.PersonID {
				rowPersons = append(rowPersons, r.PersonID)
			}
			if n > 0 && all[n-1].Member {
				prev, cur := all[n-1].Key(), all[n].Key()
				if prev.PersonID > cur.PersonID || prev.PersonID == cur.PersonID && prev.BookingID >= cur.BookingID {
					t.Fatalf("row %d %v after %v: not in key order", n, cur, prev)
				}
			}
		}
		if !slices.Equal(rowPersons, memberIDs) {
			t.Fatalf("members in the team: %v, want %v", rowPersons, memberIDs)
		}
		// Then the others, by booking: exactly the four bookings of
		// people who are not members; the stranger's is not there.
		var otherIDs []int64
		for _, r := range all[n:] {
			if r.Member {
				t.Fatalf("a member's row %+v after the others", r)
			}
			otherIDs = append(otherIDs, r.BookingID)
			if r.Name == "Stefan Fremd" {
				t.Fatal("a stranger's booking is in the team")
			}
		}
		if !slices.Equal(otherIDs, others) {
			t.Fatalf("the others' bookings %v, want %v", otherIDs, others)
		}
		var waiting int
		for _, r := range all {
			if r.Status == domain.BookingWaitlisted {
				waiting++
			}
			if r.Name == "Vera Gutschein" && (r.Voucher == "" || r.VoucherState != domain.VoucherReserved || r.PersonID != 0) {
				t.Errorf("the voucher booking's row: %+v", r)
			}
		}
		if waiting == 0 {
			t.Fatal("the fixture has no waiting list")
		}

		// Every page size walks the same rows: no row twice, none left out.
		for _, limit := range []int{1, 2, 3, 7, 50} {
			if got := walkTeam(t, db, f, limit); !slices.EqualFunc(got, all, func(a, b domain.TeamRow) bool { return a.Key() == b.Key() }) {
				t.Fatalf("pages of %d: %d rows, want the %d of one page", limit, len(got), len(all))
			}
		}

		// Filters page the same way and select exactly their rows.
		yes, no := true, false
		for _, c := range []struct {
			name string
			f    domain.TeamFilter
			want func(domain.TeamRow) bool
		}{
			{"name", domain.TeamFilter{Name: "TEAMMITGLIED"}, func(r domain.TeamRow) bool { return strings.HasPrefix(r.Name, "Teammitglied") }},
			{"address of one without account", domain.TeamFilter{Name: "otto@"}, func(r domain.TeamRow) bool { return r.Email == "otto@example.org" }},
			{"a literal percent sign", domain.TeamFilter{Name: "%"}, func(domain.TeamRow) bool { return false }},
			{"waiting", domain.TeamFilter{Status: string(domain.BookingWaitlisted)}, func(r domain.TeamRow) bool { return r.Status == domain.BookingWaitlisted }},
			{"no booking", domain.TeamFilter{Status: domain.TeamStatusNone}, func(r domain.TeamRow) bool { return r.BookingID == 0 }},
			{"offer title", domain.TeamFilter{OfferTitle: "digitallotsen (TEST"}, func(r domain.TeamRow) bool { return r.BookingID != 0 }},
			{"certificate", domain.TeamFilter{Certificate: &yes}, func(r domain.TeamRow) bool { return r.CertificateID != "" }},
			{"no certificate", domain.TeamFilter{Certificate: &no}, func(r domain.TeamRow) bool { return r.CertificateID == "" }},
		} {
			c.f.OrgID = org.ID
			var want []domain.TeamRow
			for _, r := range all {
				if c.want(r) {
					want = append(want, r)
				}
			}
			got := walkTeam(t, db, c.f, 2)
			if !slices.EqualFunc(got, want, func(a, b domain.TeamRow) bool { return a.Key() == b.Key() }) {
				t.Errorf("filter %s: %d rows, want %d", c.name, len(got), len(want))
			}
			if n, err := db.TeamCount(ctx, c.f, 1000); err != nil || n != len(want) {
				t.Errorf("filter %s: counted %d (%v), want %d", c.name, n, err, len(want))
			}
		}
		// The count stops one past its limit.
		if n, err := db.TeamCount(ctx, f, 3); err != nil || n != 4 {
			t.Errorf("count up to 3: %d (%v), want 4", n, err)
		}
		if n, err := db.TeamCount(ctx, f, len(all)-2); err != nil || n != len(all)-1 {
			t.Errorf("count up to %d (into the others): %d (%v), want %d", len(all)-2, n, err, len(all)-1)
		}
	})
}

func TestHeldVouchersAreThoseOfTheMunicipalityHandedToTheAddresses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, _, vouchers := bookingtest.Fixture(t, db, 10, 3)
		org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		for i, email := range []string{"anna@futurehausen.example", "niklas@futurehausen.example"} {
			if err := db.Transact(ctx, func(tx *store.Tx) error {
				return tx.HandVoucher(ctx, store.VoucherHanding{Code: codeOf(vouchers[i].Code), OrgID: org.ID, Email: email})
			}); err != nil {
				t.Fatal(err)
			}
		}
		held, err := db.HeldVouchers(ctx, org.ID, []string{"anna@futurehausen.example", "lilly@futurehausen.example"})
		if err != nil {
			t.Fatal(err)
		}
		if len(held) != 1 || len(held["anna@futurehausen.example"]) != 1 || held["anna@futurehausen.example"][0].Code != vouchers[0].Code {
			t.Fatalf("held: %+v", held)
		}
		if other, err := db.HeldVouchers(ctx, org.ID+1000, []string{"anna@futurehausen.example"}); err != nil || len(other) != 0 {
			t.Fatalf("another municipality's: %+v %v", other, err)
		}
	})
}

// TestAFullPageOfTheLargestSizeSaysMoreFollow: a page of MaxPage asks the
// store for one more row, which it must give, or a list of more than 200
// ended after its first page.
func TestAFullPageOfTheLargestSizeSaysMoreFollow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, _ := bookingtest.Fixture(t, db, store.MaxPage+5, 0)
		for i := range store.MaxPage + 2 {
			if _, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: fmt.Sprintf("Person %d", i),
				ParticipantEmail: fmt.Sprintf("p%d@example.org", i), Payment: domain.PayPrivate}); err != nil {
				t.Fatal(err)
			}
		}
		bs, err := db.SessionBookingsPage(ctx, s.ID, 0, store.MaxPage+1)
		if err != nil || len(bs) != store.MaxPage+1 {
			t.Fatalf("a page of %d and one more: %d bookings (%v)", store.MaxPage, len(bs), err)
		}
		_, next, err := bookingtest.Service(db).SessionBookingsPage(providerStaff(t, db, ctx, s.OfferID), s.ID, 0, store.MaxPage)
		if err != nil || next != bs[store.MaxPage-1].ID {
			t.Fatalf("the first page of %d: next %d (%v), want %d", store.MaxPage, next, err, bs[store.MaxPage-1].ID)
		}
	})
}

// providerStaff acts as ctx's person with the staff role of the offer's
// provider.
func providerStaff(t *testing.T, db *store.DB, ctx context.Context, offerID int64) context.Context {
	t.Helper()
	o, err := db.Offer(ctx, offerID)
	if err != nil {
		t.Fatal(err)
	}
	a := *domain.ActorFrom(ctx)
	a.Memberships = append(append([]domain.Membership{}, a.Memberships...),
		domain.Membership{OrgID: o.ProviderID, OrgKind: domain.OrgProvider, PersonID: a.PersonID(), Roles: []domain.Role{domain.RoleProviderStaff}})
	return domain.WithActor(context.Background(), &a)
}

// TestTheTeamFollowsMembershipChanges: a booking billed to the
// municipality is among the others (the outsiders, migration 00038) while
// its participant is not a member, whichever way that changes: joining,
// leaving, a booking made before or after joining.
func TestTheTeamFollowsMembershipChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, others := teamFixture(t, db)
		erna, err := db.PersonByEmail(ctx, "extern@nachbarort.example")
		if err != nil {
			t.Fatal(err)
		}
		f := domain.TeamFilter{OrgID: org.ID}
		// where tells whether Erna's booking is a member's row, an
		// other's, or missing; and that the count agrees with the walk.
		where := func() string {
			t.Helper()
			rows := walkTeam(t, db, f, 3)
			if n, err := db.TeamCount(ctx, f, 1000); err != nil || n != len(rows) {
				t.Fatalf("counted %d (%v), walked %d", n, err, len(rows))
			}
			for _, r := range rows {
				if r.BookingID == others[0] {
					if r.Member {
						return "member"
					}
					return "other"
				}
			}
			return "missing"
		}
		if got := where(); got != "other" {
			t.Fatalf("before joining, Erna's booking is %s, want other", got)
		}
		if err := db.SetRoles(ctx, org.ID, erna.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		if got := where(); got != "member" {
			t.Fatalf("after joining, Erna's booking is %s, want member", got)
		}
		if err := db.RemoveMember(ctx, org.ID, erna.ID); err != nil {
			t.Fatal(err)
		}
		if got := where(); got != "other" {
			t.Fatalf("after leaving, Erna's booking is %s, want other", got)
		}
		// A booking a member makes, billed to the municipality, is a
		// member's; after they leave, an other's.
		p := storetest.MustCreatePerson(t, db, "neu@futurehausen.example", "Nele Neu")
		if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		b, err := db.Booking(ctx, others[0])
		if err != nil {
			t.Fatal(err)
		}
		nb, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: b.SessionID, PersonID: p.ID, ParticipantName: p.Name,
			ParticipantEmail: p.Email, Payment: domain.PayEmployer, EmployerID: org.ID})
		if err != nil {
			t.Fatal(err)
		}
		check := func(want bool) {
			t.Helper()
			outsider, err := db.BookingOutsider(ctx, nb.ID)
			if err != nil {
				t.Fatal(err)
			}
			if outsider != want {
				t.Fatalf("the member's booking is marked outsider=%v, want %v", outsider, want)
			}
		}
		check(false)
		if err := db.RemoveMember(ctx, org.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		check(true)
	})
}
