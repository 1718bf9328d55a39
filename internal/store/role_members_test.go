package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestRoleProfilesNameTheFirstPeopleAndTheTeamListsThemAll: a profile
// with more people than it names carries the first
// domain.RoleMembersShown by person and counts them all (people no longer
// members not); the team overview filtered by the profile lists exactly
// their rows (bookings or none), a page at a time, and counts them; a
// profile of another organisation selects nobody.
func TestRoleProfilesNameTheFirstPeopleAndTheTeamListsThemAll(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, _ := teamFixture(t, db)
		members, err := db.Members(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var assigned []int64
		for _, m := range members {
			assigned = append(assigned, m.Person.ID)
		}
		for i := len(assigned); i < domain.RoleMembersShown+5; i++ {
			p := storetest.MustCreatePerson(t, db, fmt.Sprintf("rolle%d@futurehausen.example", i), fmt.Sprintf("Rolle %d", i))
			if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
				t.Fatal(err)
			}
			assigned = append(assigned, p.ID)
		}
		slices.Sort(assigned)
		gone := storetest.MustCreatePerson(t, db, "weg@nachbarort.example", "Wilma Weg") // assigned, not a member
		other := &domain.Organisation{Kind: domain.OrgAssociation, Name: "Verband"}
		if err := db.CreateOrganisation(ctx, other); err != nil {
			t.Fatal(err)
		}
		var profile, foreign domain.RoleProfile
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			profile = domain.RoleProfile{OrgID: org.ID, Name: "Bürgerbüro"}
			foreign = domain.RoleProfile{OrgID: other.ID, Name: "Fremd"}
			for _, p := range []*domain.RoleProfile{&profile, &foreign} {
				if err := tx.InsertRoleProfile(ctx, p); err != nil {
					return err
				}
			}
			if err := tx.SetRoleMembers(ctx, profile.ID, append(slices.Clone(assigned), gone.ID)); err != nil {
				return err
			}
			return tx.SetRoleMembers(ctx, foreign.ID, assigned[:3])
		}); err != nil {
			t.Fatal(err)
		}
		ps, err := db.RoleProfiles(ctx, org.ID)
		if err != nil || len(ps) != 1 {
			t.Fatalf("profiles: %v, %v", ps, err)
		}
		var named []int64
		for _, m := range ps[0].Members {
			named = append(named, m.PersonID)
		}
		if ps[0].MemberCount != len(assigned) || !slices.Equal(named, assigned[:domain.RoleMembersShown]) || ps[0].MoreMembers() != len(assigned)-domain.RoleMembersShown {
			t.Errorf("profile: %d counted, named %v; want %d, %v", ps[0].MemberCount, named, len(assigned), assigned[:domain.RoleMembersShown])
		}
		all, err := db.RoleProfileMembers(ctx, profile.ID)
		if err != nil || len(all) != len(assigned) {
			t.Errorf("all the profile's people: %d (%v), want %d", len(all), err, len(assigned))
		}

		// The team filtered by the profile: the members' rows of exactly
		// its people, as in the whole overview.
		whole := walkTeam(t, db, domain.TeamFilter{OrgID: org.ID}, 50)
		var want []domain.TeamRow
		for _, r := range whole {
			if r.Member && slices.Contains(assigned, r.PersonID) {
				want = append(want, r)
			}
		}
		f := domain.TeamFilter{OrgID: org.ID, RoleProfileID: profile.ID}
		for _, limit := range []int{1, 3, 50} {
			got := walkTeam(t, db, f, limit)
			if !slices.EqualFunc(got, want, func(a, b domain.TeamRow) bool { return a.Key() == b.Key() && a.Member == b.Member }) {
				t.Errorf("pages of %d: %d rows, want %d", limit, len(got), len(want))
			}
		}
		if n, err := db.TeamCount(ctx, f, 1000); err != nil || n != len(want) {
			t.Errorf("counted %d (%v), want %d", n, err, len(want))
		}
		waiting := f
		waiting.Status = string(domain.BookingWaitlisted)
		var wantWaiting int
		for _, r := range want {
			if r.Status == domain.BookingWaitlisted {
				wantWaiting++
			}
		}
		if got := walkTeam(t, db, waiting, 2); len(got) != wantWaiting || wantWaiting == 0 {
			t.Errorf("the profile's waiting: %d rows, want %d (not 0)", len(got), wantWaiting)
		}
		if got := walkTeam(t, db, domain.TeamFilter{OrgID: org.ID, RoleProfileID: foreign.ID}, 50); len(got) != 0 {
			t.Errorf("another organisation's profile selects %d rows", len(got))
		}
		plan, err := db.ExplainTeamMembers(ctx, store.TeamByRole, f, domain.TeamCursor{PersonID: assigned[3]})
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect == store.SQLite && !strings.Contains(plan, "SEARCH rm USING COVERING INDEX sqlite_autoindex_role_profile_members_1 (profile_id=? AND person_id>?)") {
			t.Errorf("SQLite does not read the profile's people along its key:\n%s", plan)
		}
		if db.Dialect == store.Postgres && !strings.Contains(plan, "role_profile_members_pkey") {
			t.Errorf("PostgreSQL does not read the profile's people along its key:\n%s", plan)
		}
	})
}
