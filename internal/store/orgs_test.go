package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// mustCreateOrg creates an organisation; municipalities need the directory
// seeded first (seedDirectory).
func mustCreateOrg(tb testing.TB, db *store.DB, kind domain.OrgKind, name, ags string) *domain.Organisation {
	tb.Helper()
	o := &domain.Organisation{Kind: kind, Name: name, AGS: ags}
	if err := db.CreateOrganisation(context.Background(), o); err != nil {
		tb.Fatalf("CreateOrganisation(%q): %v", name, err)
	}
	return o
}

// membership returns the person's membership in the organisation.
func membership(tb testing.TB, db *store.DB, personID, orgID int64) (domain.Membership, bool) {
	tb.Helper()
	ms, err := db.Memberships(context.Background(), personID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range ms {
		if m.OrgID == orgID {
			return m, true
		}
	}
	return domain.Membership{}, false
}

func TestCreateMunicipalityNeedsAGSFromDirectory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDirectory(t, db)

		err := db.CreateOrganisation(ctx, &domain.Organisation{Kind: domain.OrgMunicipality, Name: "Nirgendwo", AGS: "09999999"})
		wantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["ags"] == "" {
			t.Errorf("error does not name the ags field: %v", err)
		}
		// A state is no municipality, even though its key is in the directory.
		err = db.CreateOrganisation(ctx, &domain.Organisation{Kind: domain.OrgMunicipality, Name: "Bayern", AGS: "09"})
		wantCode(t, err, domain.EInvalid)

		city := mustCreateOrg(t, db, domain.OrgMunicipality, "Landeshauptstadt München", "09162000")
		district := mustCreateOrg(t, db, domain.OrgMunicipality, "Landkreis München", "09184")
		if city.ID == 0 || district.ID == 0 || city.ID == district.ID {
			t.Fatalf("IDs %d and %d", city.ID, district.ID)
		}
		got, err := db.OrganisationByAGS(ctx, "09162000")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != city.ID || got.Name != "Landeshauptstadt München" || got.Kind != domain.OrgMunicipality {
			t.Errorf("by AGS: %+v", got)
		}
	})
}

func TestCreateMunicipalityTwiceForOneAGSIsConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		seedDirectory(t, db)
		mustCreateOrg(t, db, domain.OrgMunicipality, "Stadt Stuttgart", "08111000")
		err := db.CreateOrganisation(context.Background(), &domain.Organisation{Kind: domain.OrgMunicipality, Name: "Stuttgart, zweites Konto", AGS: "08111000"})
		wantCode(t, err, domain.EConflict)
		if domain.ErrorFields(err)["ags"] == "" {
			t.Errorf("conflict does not name the ags field: %v", err)
		}
	})
}

func TestOrganisationsWithoutAGSAreListedByKindAndName(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Several organisations without AGS: the unique AGS column allows many NULLs.
		a := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		mustCreateOrg(t, db, domain.OrgProvider, "Bildungswerk Süd", "")
		mustCreateOrg(t, db, domain.OrgAssociation, "Städtetag", "")
		wantCode(t, db.CreateOrganisation(ctx, &domain.Organisation{Kind: domain.OrgProvider, Name: "Mit Schlüssel", AGS: "08111000"}), domain.EInvalid)

		kind := domain.OrgProvider
		list, total, err := db.Organisations(ctx, domain.OrgFilter{Kind: &kind})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(list) != 2 || list[0].ID != a.ID {
			t.Errorf("providers: total %d, %+v", total, list)
		}
		q := "WERK"
		list, total, err = db.Organisations(ctx, domain.OrgFilter{Query: &q})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(list) != 1 || list[0].Name != "Bildungswerk Süd" {
			t.Errorf("query %q: total %d, %+v", q, total, list)
		}
	})
}

func TestSetRolesAcceptsOnlyRolesOfTheOrganisationKind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDirectory(t, db)
		city := mustCreateOrg(t, db, domain.OrgMunicipality, "Stadt Stuttgart", "08111000")
		provider := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")

		for _, tc := range []struct {
			name  string
			org   *domain.Organisation
			roles []domain.Role
			ok    bool
		}{
			{"signatory in municipality", city, []domain.Role{domain.RoleSignatory, domain.RoleHR}, true},
			{"provider staff in municipality", city, []domain.Role{domain.RoleProviderStaff}, false},
			{"platform admin in municipality", city, []domain.Role{domain.RoleAdmin}, false},
			{"unknown role", city, []domain.Role{"kaiser"}, false},
			{"provider staff in provider", provider, []domain.Role{domain.RoleProviderStaff}, true},
			{"signatory in provider", provider, []domain.Role{domain.RoleSignatory}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := db.SetRoles(ctx, tc.org.ID, p.ID, tc.roles)
				if tc.ok && err != nil {
					t.Fatal(err)
				}
				if !tc.ok {
					wantCode(t, err, domain.EInvalid)
				}
			})
		}

		// Roles come back deduplicated, in the order of domain.RolesFor.
		if err := db.SetRoles(ctx, city.ID, p.ID, []domain.Role{domain.RoleHR, domain.RoleParticipant, domain.RoleSignatory, domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		m, ok := membership(t, db, p.ID, city.ID)
		want := []domain.Role{domain.RoleSignatory, domain.RoleHR, domain.RoleParticipant}
		if !ok || !slices.Equal(m.Roles, want) || m.OrgName != "Stadt Stuttgart" || m.OrgKind != domain.OrgMunicipality {
			t.Errorf("membership %+v, want roles %v", m, want)
		}

		// A membership without roles is still a membership.
		if err := db.SetRoles(ctx, city.ID, p.ID, nil); err != nil {
			t.Fatal(err)
		}
		if m, ok := membership(t, db, p.ID, city.ID); !ok || len(m.Roles) != 0 {
			t.Errorf("membership after clearing roles: %+v (found %v)", m, ok)
		}

		wantCode(t, db.SetRoles(ctx, city.ID+1000, p.ID, []domain.Role{domain.RoleHR}), domain.ENotFound)
		wantCode(t, db.SetRoles(ctx, city.ID, p.ID+1000, []domain.Role{domain.RoleHR}), domain.ENotFound)
	})
}

func TestLastAccountAdminCannotBeDemotedOrRemoved(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		anna := mustCreatePerson(t, db, "anna@akademie.de", "Anna")
		bernd := mustCreatePerson(t, db, "bernd@akademie.de", "Bernd")

		if err := db.SetRoles(ctx, org.ID, anna.ID, []domain.Role{domain.RoleAccountAdmin, domain.RoleProviderStaff}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetRoles(ctx, org.ID, anna.ID, []domain.Role{domain.RoleProviderStaff}), domain.EConflict)
		wantCode(t, db.RemoveMember(ctx, org.ID, anna.ID), domain.EConflict)
		if m, _ := membership(t, db, anna.ID, org.ID); !m.Has(domain.RoleAccountAdmin) {
			t.Fatalf("refused change still took the role: %+v", m)
		}

		if err := db.SetRoles(ctx, org.ID, bernd.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRoles(ctx, org.ID, anna.ID, []domain.Role{domain.RoleProviderStaff}); err != nil {
			t.Fatalf("demote with another admin left: %v", err)
		}
		wantCode(t, db.RemoveMember(ctx, org.ID, bernd.ID), domain.EConflict)
		if err := db.RemoveMember(ctx, org.ID, anna.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := membership(t, db, anna.ID, org.ID); ok {
			t.Error("removed member still listed")
		}
		wantCode(t, db.RemoveMember(ctx, org.ID, anna.ID), domain.ENotFound)

		members, err := db.Members(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].Person.ID != bernd.ID || !members[0].Membership.Has(domain.RoleAccountAdmin) {
			t.Errorf("members %+v, want Bernd as account admin", members)
		}
	})
}

func TestAssociationMembersAreReplacedAsAWhole(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		assoc := mustCreateOrg(t, db, domain.OrgAssociation, "Gemeindetag", "")
		if err := db.SetAssociationMembers(ctx, assoc.ID, []string{"09184119", "08111000"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetAssociationMembers(ctx, assoc.ID, []string{"09184119", "09162000"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.AssociationMembers(ctx, assoc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"09162000", "09184119"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
		wantCode(t, db.SetAssociationMembers(ctx, assoc.ID, []string{"08111000", "08111000"}), domain.EConflict)
	})
}

// inviteFixture is an organisation with an account admin who invites.
type inviteFixture struct {
	org   *domain.Organisation
	admin *domain.Person
	ctx   context.Context // acts as admin
}

func newInviteFixture(t *testing.T, db *store.DB) inviteFixture {
	t.Helper()
	seedDirectory(t, db)
	org := mustCreateOrg(t, db, domain.OrgMunicipality, "Stadt Stuttgart", "08111000")
	admin := mustCreatePerson(t, db, "chefin@stuttgart.de", "Clara Chefin")
	if err := db.SetRoles(context.Background(), org.ID, admin.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(context.Background(), admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithActor(context.Background(), &domain.Actor{Person: admin, Memberships: ms})
	return inviteFixture{org: org, admin: admin, ctx: ctx}
}

func TestConcurrentDemotionsLeaveOneAccountAdmin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		anna := mustCreatePerson(t, db, "anna@akademie.de", "Anna")
		bernd := mustCreatePerson(t, db, "bernd@akademie.de", "Bernd")
		for round := range 20 {
			org := mustCreateOrg(t, db, domain.OrgProvider, fmt.Sprintf("Akademie %d", round), "")
			for _, p := range []*domain.Person{anna, bernd} {
				if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
					t.Fatal(err)
				}
			}
			// Each demotion alone is allowed, since the other stays admin;
			// together they must not leave the organisation without one.
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, p := range []*domain.Person{anna, bernd} {
				wg.Go(func() { errs[i] = db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleProviderStaff}) })
			}
			wg.Wait()
			members, err := db.Members(ctx, org.ID)
			if err != nil {
				t.Fatal(err)
			}
			admins := 0
			for _, m := range members {
				if m.Membership.Has(domain.RoleAccountAdmin) {
					admins++
				}
			}
			if admins != 1 {
				t.Fatalf("round %d: %d account admins left (errors %v, %v)", round, admins, errs[0], errs[1])
			}
			if (errs[0] == nil) == (errs[1] == nil) || domain.ErrorCode(errors.Join(errs[0], errs[1])) != domain.EConflict {
				t.Fatalf("round %d: errors %v, %v; want exactly one conflict", round, errs[0], errs[1])
			}
		}
	})
}

// TestMemberCountIsKept: the count of migration 00031 follows joins (also
// a repeated one), a refused removal, removals and concurrent joins, on
// both databases.
func TestMemberCountIsKept(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Süd", "")
		want := func(n int) {
			t.Helper()
			if got, err := db.MemberCount(ctx, org.ID); err != nil || got != n {
				t.Errorf("member count %d (%v), want %d", got, err, n)
			}
		}
		want(0)
		anna := mustCreatePerson(t, db, "anna@akademie-sued.de", "Anna")
		bernd := mustCreatePerson(t, db, "bernd@akademie-sued.de", "Bernd")
		if err := db.SetRoles(ctx, org.ID, anna.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
			t.Fatal(err)
		}
		// Changing roles keeps the one membership.
		if err := db.SetRoles(ctx, org.ID, anna.ID, []domain.Role{domain.RoleAccountAdmin, domain.RoleProviderStaff}); err != nil {
			t.Fatal(err)
		}
		want(1)
		wantCode(t, db.RemoveMember(ctx, org.ID, anna.ID), domain.EConflict)
		want(1)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := &domain.Person{Email: fmt.Sprintf("p%d@akademie-sued.de", i), Name: fmt.Sprintf("Person %d", i)}
				if err := db.CreatePerson(ctx, p, ""); err != nil {
					errs <- err
					return
				}
				errs <- db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleProviderStaff})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		want(21)
		if err := db.SetRoles(ctx, org.ID, bernd.ID, nil); err != nil {
			t.Fatal(err)
		}
		want(22)
		if err := db.RemoveMember(ctx, org.ID, bernd.ID); err != nil {
			t.Fatal(err)
		}
		want(21)
		// A cursor past the last member is an empty page.
		if ms, err := db.MembersPage(ctx, org.ID, 1<<40, 10); err != nil || len(ms) != 0 {
			t.Errorf("page after the last member: %d members, %v", len(ms), err)
		}
		if ms, err := db.MembersPage(ctx, org.ID, anna.ID-1, 1); err != nil || len(ms) != 1 || ms[0].Person.ID != anna.ID {
			t.Errorf("page from Anna: %+v, %v", ms, err)
		}
		if err := db.RecountKept(ctx); err != nil {
			t.Fatal(err)
		}
		want(21)
	})
}

// TestSessionActorReadsMembershipsAsMembershipsDoes: the one statement
// behind every logged-in request gives the same memberships, roles in
// order, as the list of a person's memberships, also with none.
func TestSessionActorReadsMembershipsAsMembershipsDoes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDirectory(t, db)
		city := mustCreateOrg(t, db, domain.OrgMunicipality, "Stadt Stuttgart", "08111000")
		provider := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		token, _, err := db.CreateSession(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := db.SessionActor(ctx, token)
		if err != nil || a.Person.Email != "anna@kommune.de" || a.Person.Name != "Anna" || len(a.Memberships) != 0 {
			t.Fatalf("without memberships: %+v, %v", a, err)
		}
		if err := db.SetRoles(ctx, city.ID, p.ID, []domain.Role{domain.RoleHR, domain.RoleParticipant, domain.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRoles(ctx, provider.ID, p.ID, []domain.Role{domain.RoleProviderStaff}); err != nil {
			t.Fatal(err)
		}
		want, err := db.Memberships(ctx, p.ID)
		if err != nil || len(want) != 2 {
			t.Fatalf("memberships %+v, %v", want, err)
		}
		a, _, err = db.SessionActor(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Memberships) != len(want) {
			t.Fatalf("session actor's memberships %+v, want %+v", a.Memberships, want)
		}
		for i, m := range a.Memberships {
			w := want[i]
			if m.OrgID != w.OrgID || m.OrgName != w.OrgName || m.OrgKind != w.OrgKind || m.PersonID != w.PersonID ||
				!m.CreatedAt.Equal(w.CreatedAt) || !slices.Equal(m.Roles, w.Roles) {
				t.Errorf("membership %d: %+v, want %+v", i, m, w)
			}
		}
		if !a.HasRole(city.ID, domain.RoleSignatory) {
			t.Error("the signatory's role is missing")
		}
	})
}
