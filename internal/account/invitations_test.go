package account_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

type inviteFixture struct {
	org   *domain.Organisation
	admin *domain.Person
	ctx   context.Context // acts as the organisation's account admin
}

func newInviteFixture(t *testing.T, db *store.DB) inviteFixture {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ImportMunicipalities(ctx, []domain.Municipality{{AGS: "08111000", Name: "Stuttgart", Kind: domain.AreaMunicipality,
		StateAGS: "08", RefDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)}}, "test"); err != nil {
		t.Fatal(err)
	}
	org := &domain.Organisation{Kind: domain.OrgMunicipality, Name: "Stadt Stuttgart", AGS: "08111000"}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	admin := mustCreatePerson(t, db, "chefin@stuttgart.de", "Clara Chefin")
	if err := db.SetRoles(ctx, org.ID, admin.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inviteFixture{org: org, admin: admin, ctx: domain.WithActor(ctx, &domain.Actor{Person: admin, Memberships: ms})}
}

// accept accepts the invitation as the person (0: a visitor without an
// account, who gives name and password) and returns the member's ID.
func accept(t *testing.T, db *store.DB, svc *account.Service, token string, personID int64, name, password string) (int64, error) {
	t.Helper()
	ctx := context.Background()
	if personID != 0 {
		p, err := db.PersonByID(ctx, personID)
		if err != nil {
			t.Fatal(err)
		}
		ctx = as(ctx, p)
	}
	_, id, _, err := svc.AcceptInvitation(ctx, token, name, password, false)
	return id, err
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

func TestInvitationCreatesVerifiedAccountWithRoles(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		inv, err := svc.Invite(f.ctx, f.org.ID, " Neu@Stuttgart.de", []domain.Role{domain.RoleHR, domain.RoleSignatory})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Email != "neu@stuttgart.de" || inv.InvitedBy != f.admin.ID || !slices.Equal(inv.Roles, []domain.Role{domain.RoleSignatory, domain.RoleHR}) {
			t.Errorf("invitation %+v", inv)
		}
		m := lastMail(t, db, "neu@stuttgart.de")
		token := linkToken(t, m.Body, "/einladung/")

		gotInv, gotOrg, err := svc.Invitation(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		if gotInv.ID != inv.ID || gotOrg.ID != f.org.ID {
			t.Errorf("by token: invitation %d org %d", gotInv.ID, gotOrg.ID)
		}

		_, err = accept(t, db, svc, token, 0, "Neue Kollegin", "kurz")
		wantCode(t, err, domain.EInvalid)
		id, err := accept(t, db, svc, token, 0, "Neue Kollegin", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.PersonByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Email != "neu@stuttgart.de" || p.Name != "Neue Kollegin" || p.EmailVerifiedAt == nil {
			t.Errorf("new account %+v, want verified neu@stuttgart.de", p)
		}
		if ok, err := store.CheckPassword(p.PasswordHash, testPassword); !ok || err != nil {
			t.Errorf("new account's password does not match: %v", err)
		}
		mem, ok := membership(t, db, id, f.org.ID)
		if !ok || !slices.Equal(mem.Roles, []domain.Role{domain.RoleSignatory, domain.RoleHR}) {
			t.Errorf("membership %+v (found %v)", mem, ok)
		}

		_, err = accept(t, db, svc, token, 0, "Noch jemand", testPassword)
		wantCode(t, err, domain.ENotFound)
		_, _, err = svc.Invitation(context.Background(), token)
		wantCode(t, err, domain.ENotFound)
		invs, err := db.Invitations(context.Background(), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(invs) != 1 || invs[0].AcceptedAt == nil {
			t.Errorf("invitations %+v, want one accepted", invs)
		}
	})
}

func TestInvitationForLoggedInPersonKeepsTheirRoles(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		dora := mustCreatePerson(t, db, "dora@stuttgart.de", "Dora")
		if err := db.SetRoles(context.Background(), f.org.ID, dora.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		// Members cannot be invited again ...
		_, err := svc.Invite(f.ctx, f.org.ID, "dora@stuttgart.de", []domain.Role{domain.RoleHR})
		wantCode(t, err, domain.EConflict)
		// ... so invite a second person who already has an account.
		emil := mustCreatePerson(t, db, "emil@stuttgart.de", "Emil")
		if _, err := svc.Invite(f.ctx, f.org.ID, "emil@stuttgart.de", []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, "emil@stuttgart.de").Body, "/einladung/")

		// Creating a second account for the address is refused.
		_, err = accept(t, db, svc, token, 0, "Emil", testPassword)
		wantCode(t, err, domain.EConflict)

		id, err := accept(t, db, svc, token, emil.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if id != emil.ID {
			t.Errorf("accepted as %d, want %d", id, emil.ID)
		}
		if m, ok := membership(t, db, emil.ID, f.org.ID); !ok || !slices.Equal(m.Roles, []domain.Role{domain.RoleHR}) {
			t.Errorf("membership %+v", m)
		}
	})
}

func TestInvitationRefusesPersonWithAnotherAddress(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		other := mustCreatePerson(t, db, "fremd@example.org", "Fremd")
		if _, err := svc.Invite(f.ctx, f.org.ID, "neu@stuttgart.de", []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, "neu@stuttgart.de").Body, "/einladung/")
		_, err := accept(t, db, svc, token, other.ID, "", "")
		wantCode(t, err, domain.EForbidden)
		if _, ok := membership(t, db, other.ID, f.org.ID); ok {
			t.Error("refused person became a member")
		}
		// The invitation stays open for its addressee.
		if _, err := accept(t, db, svc, token, 0, "Neu", testPassword); err != nil {
			t.Fatalf("addressee after refusal: %v", err)
		}
	})
}

func TestRevokedOrExpiredInvitationCannotBeAccepted(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		travel := freeze(db)
		inv, err := svc.Invite(f.ctx, f.org.ID, "neu@stuttgart.de", []domain.Role{domain.RoleHR})
		if err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, "neu@stuttgart.de").Body, "/einladung/")
		if err := svc.RevokeInvitation(f.ctx, f.org.ID, inv.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc.RevokeInvitation(f.ctx, f.org.ID, inv.ID), domain.ENotFound)
		_, err = accept(t, db, svc, token, 0, "Neu", testPassword)
		wantCode(t, err, domain.ENotFound)
		if _, err := db.PersonByEmail(context.Background(), "neu@stuttgart.de"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("revoked invitation created an account: %v", err)
		}

		// A revoked invitation is no longer open: the address may be invited again.
		if _, err := svc.Invite(f.ctx, f.org.ID, "neu@stuttgart.de", []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		token = linkToken(t, lastMail(t, db, "neu@stuttgart.de").Body, "/einladung/")
		travel(15 * 24 * time.Hour)
		_, err = accept(t, db, svc, token, 0, "Neu", testPassword)
		wantCode(t, err, domain.ENotFound)
	})
}

func TestInvitingAddressWithOpenInvitationIsConflict(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		if _, err := svc.Invite(f.ctx, f.org.ID, "neu@stuttgart.de", []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Invite(f.ctx, f.org.ID, "NEU@stuttgart.de", []domain.Role{domain.RoleSignatory})
		wantCode(t, err, domain.EConflict)
		if n := len(mails(t, db)); n != 1 {
			t.Errorf("%d mails, want 1", n)
		}
	})
}

func TestInviteValidatesAddressAndRoles(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		for _, tc := range []struct {
			name  string
			email string
			roles []domain.Role
			field string
		}{
			{"no address", "keine-adresse", []domain.Role{domain.RoleHR}, "email"},
			{"no roles", "neu@stuttgart.de", nil, "roles"},
			{"role of another kind", "neu@stuttgart.de", []domain.Role{domain.RoleProviderStaff}, "roles"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.Invite(f.ctx, f.org.ID, tc.email, tc.roles)
				wantCode(t, err, domain.EInvalid)
				if domain.ErrorFields(err)[tc.field] == "" {
					t.Errorf("error %v does not name field %q", err, tc.field)
				}
			})
		}
		if n := len(mails(t, db)); n != 0 {
			t.Errorf("%d mails for refused invitations", n)
		}
	})
}

func TestConcurrentInvitationsToOneAddressLeaveOneOpen(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		for round := range 20 {
			email := fmt.Sprintf("neu%d@stuttgart.de", round)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = svc.Invite(f.ctx, f.org.ID, email, []domain.Role{domain.RoleHR})
				})
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) || domain.ErrorCode(errors.Join(errs[0], errs[1])) != domain.EConflict {
				t.Fatalf("round %d: errors %v, %v; want exactly one conflict", round, errs[0], errs[1])
			}
		}
		if n := len(mails(t, db)); n != 20 {
			t.Errorf("%d invitation mails, want 20", n)
		}
	})
}
