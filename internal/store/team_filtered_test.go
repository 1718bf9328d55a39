package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestTeamFiltersThatFewBookingsPassReadThoseBookings: a status or an
// offer few bookings have is read from those bookings (not by walking
// the members), along an index, and selects, pages and counts exactly the
// rows the walk would: alone, together, with a name, after a cursor.
func TestTeamFiltersThatFewBookingsPassReadThoseBookings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, _ := teamFixture(t, db)
		// The fixture's municipality is small: it is walked, whatever
		// the filter.
		if by, err := db.TeamDriver(ctx, domain.TeamFilter{OrgID: org.ID, Status: string(domain.BookingWaitlisted)}); err != nil || by != store.TeamByMembers {
			t.Fatalf("a small municipality's filter read by %d (%v), want its members", by, err)
		}
		defer store.SetTeamSmallOrg(0)()
		all, err := db.TeamPage(ctx, domain.TeamFilter{OrgID: org.ID}, domain.TeamCursor{}, store.MaxPage+1)
		if err != nil {
			t.Fatal(err)
		}
		var offer int64
		var title string
		for _, r := range all {
			if r.OfferID != 0 {
				offer, title = r.OfferID, r.OfferTitle
			}
		}
		// A part of the title from its middle, in another case.
		part := strings.ToUpper(title[2 : len(title)-2])
		if offer == 0 {
			t.Fatal("the fixture has no booked offer")
		}
		for _, c := range []struct {
			name string
			f    domain.TeamFilter
			by   int
			want func(domain.TeamRow) bool
		}{
			{"waiting", domain.TeamFilter{Status: string(domain.BookingWaitlisted)}, store.TeamByStatus,
				func(r domain.TeamRow) bool { return r.Status == domain.BookingWaitlisted }},
			{"confirmed", domain.TeamFilter{Status: string(domain.BookingConfirmed)}, store.TeamByStatus,
				func(r domain.TeamRow) bool { return r.Status == domain.BookingConfirmed }},
			{"a status nobody has", domain.TeamFilter{Status: string(domain.BookingCompleted)}, store.TeamByStatus,
				func(r domain.TeamRow) bool { return false }},
			{"the offer", domain.TeamFilter{OfferID: offer}, store.TeamByOffer,
				func(r domain.TeamRow) bool { return r.OfferID == offer }},
			{"another offer", domain.TeamFilter{OfferID: offer + 1000}, store.TeamByOffer,
				func(r domain.TeamRow) bool { return false }},
			{"confirmed of the offer, by name", domain.TeamFilter{Status: string(domain.BookingConfirmed), OfferID: offer, Name: "teammitglied"}, -1,
				func(r domain.TeamRow) bool {
					return r.Status == domain.BookingConfirmed && r.OfferID == offer && strings.HasPrefix(r.Name, "Teammitglied")
				}},
			{"no booking", domain.TeamFilter{Status: domain.TeamStatusNone}, store.TeamByMembers,
				func(r domain.TeamRow) bool { return r.BookingID == 0 }},
			{"a part of the offer's title", domain.TeamFilter{OfferTitle: part}, store.TeamByOffer,
				func(r domain.TeamRow) bool { return r.OfferID == offer }},
			{"a title nobody has", domain.TeamFilter{OfferTitle: "Zylinderkunde"}, store.TeamByOffer,
				func(r domain.TeamRow) bool { return false }},
			{"a name", domain.TeamFilter{Name: "teammitglied 3"}, store.TeamByName,
				func(r domain.TeamRow) bool { return r.Name == "Teammitglied 3" }},
			{"a name all members have", domain.TeamFilter{Name: "TEAMMITGLIED"}, store.TeamByName,
				func(r domain.TeamRow) bool { return strings.HasPrefix(r.Name, "Teammitglied") }},
			{"a name with a status", domain.TeamFilter{Name: "teammitglied", Status: string(domain.BookingWaitlisted)}, -1,
				func(r domain.TeamRow) bool {
					return strings.HasPrefix(r.Name, "Teammitglied") && r.Status == domain.BookingWaitlisted
				}},
		} {
			c.f.OrgID = org.ID
			by, err := db.TeamDriver(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if c.by >= 0 && by != c.by {
				t.Errorf("filter %s: read by %d, want %d", c.name, by, c.by)
			}
			var want []domain.TeamRow
			for _, r := range all {
				if c.want(r) {
					want = append(want, r)
				}
			}
			for _, limit := range []int{1, 2, 50} {
				got := walkTeam(t, db, c.f, limit)
				if !slices.EqualFunc(got, want, func(a, b domain.TeamRow) bool { return a.Key() == b.Key() && a.Member == b.Member }) {
					t.Errorf("filter %s, pages of %d: %d rows, want %d", c.name, limit, len(got), len(want))
				}
			}
			if n, err := db.TeamCount(ctx, c.f, 1000); err != nil || n != len(want) {
				t.Errorf("filter %s: counted %d (%v), want %d", c.name, n, err, len(want))
			}
		}
		// The plans: the status's bookings along bookings_status_person,
		// from the cursor on; the offer's along its sessions' bookings;
		// a name's members along their keys; each checked against the key
		// of memberships.
		after := domain.TeamCursor{PersonID: 1, BookingID: 1}
		for _, c := range []struct {
			by    int
			f     domain.TeamFilter
			index string
		}{
			{store.TeamByStatus, domain.TeamFilter{OrgID: org.ID, Status: string(domain.BookingWaitlisted)}, "bookings_status_person"},
			{store.TeamByOffer, domain.TeamFilter{OrgID: org.ID, OfferID: offer}, "bookings_session"},
			{store.TeamByName, domain.TeamFilter{OrgID: org.ID, Name: "teammitglied"}, "memberships_surname_key"},
		} {
			plan, err := db.ExplainTeamMembers(ctx, c.by, c.f, after)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, c.index) || strings.Contains(plan, "SCAN b\n") || strings.Contains(plan, "Seq Scan on bookings") {
				t.Errorf("plan of the members' part read by %d does not use %s:\n%s", c.by, c.index, plan)
			}
			if db.Dialect == store.SQLite && !strings.Contains(plan, "SEARCH m USING") {
				t.Errorf("SQLite does not look up the memberships by key:\n%s", plan)
			}
			// The others, whatever the filter: the municipality's
			// outsiders along their partial index.
			plan, err = db.ExplainTeamOthers(ctx, c.f, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "bookings_outsiders") {
				t.Errorf("plan of the others does not use bookings_outsiders:\n%s", plan)
			}
		}
	})
}

// TestTeamNameFilterFindsBeginningsOfNamesAndAddresses: the name filter
// finds the rows whose participant's name, surname (the name after its
// first word) or address begins with the text, whatever its case (German
// umlauts too), members and others alike; read from the members' keys or
// by the walk, it finds the same. Renaming a person or changing their
// address moves them with it (migration 00039's triggers).
func TestTeamNameFilterFindsBeginningsOfNamesAndAddresses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, _ := teamFixture(t, db)
		member := func(email, name string) *domain.Person {
			p := storetest.MustCreatePerson(t, db, email, name)
			if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		juergen := member("j.mueller@futurehausen.example", "Jürgen Müller")
		member("ams@futurehausen.example", "Anna Maria Schmidt")
		names := func(filter string) []string {
			t.Helper()
			f := domain.TeamFilter{OrgID: org.ID, Name: filter}
			var out []string
			for _, r := range walkTeam(t, db, f, 2) {
				if !slices.Contains(out, r.Name) {
					out = append(out, r.Name)
				}
			}
			n, err := db.TeamCount(ctx, f, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if rows := walkTeam(t, db, f, 50); n != len(rows) {
				t.Errorf("%q: counted %d, walked %d", filter, n, len(rows))
			}
			slices.Sort(out)
			return out
		}
		cases := []struct {
			filter string
			want   []string
		}{
			{"müller", []string{"Jürgen Müller"}},
			{"MÜLLER", []string{"Jürgen Müller"}},
			{"Jür", []string{"Jürgen Müller"}},
			{"j.mue", []string{"Jürgen Müller"}},
			{"üller", nil}, // not a beginning
			{"maria", []string{"Anna Maria Schmidt"}},
			{"anna m", []string{"Anna Maria Schmidt"}},
			{"teammitglied 4", []string{"Teammitglied 4"}},
			{"ohnekonto", []string{"Otto Ohnekonto"}}, // a participant without an account
			{"OTTO@", []string{"Otto Ohnekonto"}},
			{"erna", []string{"Erna Extern"}}, // an account's booking billed to the municipality
			{"vroni", []string{"Vroni Gutschein"}},
			{"stefan", nil}, // nothing to do with the municipality
			{"%", nil},
			{"_", nil},
		}
		check := func(how string) {
			for _, c := range cases {
				if got := names(c.filter); !slices.Equal(got, c.want) {
					t.Errorf("%s, %q: %q, want %q", how, c.filter, got, c.want)
				}
			}
		}
		check("walking the members")
		defer store.SetTeamSmallOrg(0)()
		if by, err := db.TeamDriver(ctx, domain.TeamFilter{OrgID: org.ID, Name: "müller"}); err != nil || by != store.TeamByName {
			t.Fatalf("a rare name is read by %d (%v), want by its keys", by, err)
		}
		check("from the keys")
		// Renamed, with a new address: found by the new ones only.
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			if err := tx.SetPersonName(ctx, juergen.ID, "Jürgen Öztürk"); err != nil {
				return err
			}
			return tx.SetPersonEmail(ctx, juergen.ID, "j.oeztuerk@futurehausen.example")
		}); err != nil {
			t.Fatal(err)
		}
		for filter, want := range map[string][]string{
			"müller": nil, "j.mue": nil, "öztürk": {"Jürgen Öztürk"}, "ÖZT": {"Jürgen Öztürk"}, "j.oez": {"Jürgen Öztürk"},
		} {
			if got := names(filter); !slices.Equal(got, want) {
				t.Errorf("after the change, %q: %q, want %q", filter, got, want)
			}
		}
	})
}
