package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestGivingACoveredRoleMakesRunningSessionsWaitForTheSecondFactor: in a
// municipality that requires a second factor, a member logged in without
// one who is made signatory (by the account admin, or by accepting an
// invitation) waits for it from the next request; a role the requirement
// does not cover, a session that gave the factor and a municipality
// without the requirement change nothing.
func TestGivingACoveredRoleMakesRunningSessionsWaitForTheSecondFactor(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		f := newInviteFixture(t, db)
		if err := svc.SetOrgRequireMFA(f.ctx, f.org.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportMunicipalities(ctx, []domain.Municipality{{AGS: "08421000", Name: "Ulm", Kind: domain.AreaMunicipality,
			StateAGS: "08", RefDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)}}, "test"); err != nil {
			t.Fatal(err)
		}
		ulm := &domain.Organisation{Kind: domain.OrgMunicipality, Name: "Stadt Ulm", AGS: "08421000"}
		if err := db.CreateOrganisation(ctx, ulm); err != nil {
			t.Fatal(err)
		}
		ulmAdmin := mustCreatePerson(t, db, "chef@ulm.de", "Ulf Chef")
		if err := db.SetRoles(ctx, ulm.ID, ulmAdmin.ID, []domain.Role{domain.RoleAccountAdmin}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Memberships(ctx, ulmAdmin.ID)
		if err != nil {
			t.Fatal(err)
		}
		ulmCtx := domain.WithActor(ctx, &domain.Actor{Person: ulmAdmin, Memberships: ms})

		member := func(o *domain.Organisation, email string) (*domain.Person, string) {
			p := mustCreatePerson(t, db, email, "Person "+email)
			if err := db.SetRoles(ctx, o.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
				t.Fatal(err)
			}
			s, _, err := db.CreateSession(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p, s
		}
		signatory, sSignatory := member(f.org, "zeichnet@stuttgart.de")
		hr, sHR := member(f.org, "personal@stuttgart.de")
		elsewhere, sElsewhere := member(ulm, "zeichnet@ulm.de")
		// One gave the second factor in their session.
		withFactor := mustCreatePerson(t, db, "sicher@stuttgart.de", "Sina Sicher")
		if err := db.SetRoles(ctx, f.org.ID, withFactor.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		var sWithFactor string
		if err := db.Transact(ctx, func(tx *store.Tx) (err error) {
			sWithFactor, err = tx.CreateSecondFactorSession(ctx, withFactor.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			ctx    context.Context
			org    *domain.Organisation
			person *domain.Person
			role   domain.Role
		}{
			{f.ctx, f.org, signatory, domain.RoleSignatory},
			{f.ctx, f.org, hr, domain.RoleHR},
			{f.ctx, f.org, withFactor, domain.RoleSignatory},
			{ulmCtx, ulm, elsewhere, domain.RoleSignatory},
		} {
			if _, err := svc.SetRoles(c.ctx, c.org.ID, c.person.ID, []domain.Role{domain.RoleParticipant, c.role}); err != nil {
				t.Fatalf("%s as %s: %v", c.person.Email, c.role, err)
			}
		}
		for name, c := range map[string]struct{ session, want string }{
			"the new signatory":                         {sSignatory, "pending"},
			"the new HR member (not covered)":           {sHR, "full"},
			"the new signatory who gave the factor":     {sWithFactor, "full"},
			"the new signatory of Ulm (no requirement)": {sElsewhere, "full"},
		} {
			if got := sessionState(t, db, c.session); got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
		if got := stepUps(t, db, f.org.ID); len(got) != 1 || got[signatory.ID] != 1 {
			t.Errorf("audited step-ups by person: %v", got)
		}
		if got := stepUps(t, db, ulm.ID); len(got) != 0 {
			t.Errorf("audited step-ups in Ulm: %v", got)
		}

		// A person logged in elsewhere accepts an invitation to sign.
		guest := mustCreatePerson(t, db, "gast@stuttgart.de", "Gustav Gast")
		sGuest, _, err := db.CreateSession(ctx, guest.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Invite(f.ctx, f.org.ID, guest.Email, []domain.Role{domain.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, guest.Email).Body, "/einladung/")
		if _, err := accept(t, db, svc, token, guest.ID, "", ""); err != nil {
			t.Fatal(err)
		}
		if got := sessionState(t, db, sGuest); got != "pending" {
			t.Errorf("the invited signatory's running session: %s, want pending", got)
		}
		// The waiting session expires as a login's first step does.
		travel(16 * time.Minute)
		if got := sessionState(t, db, sSignatory); got != "gone" {
			t.Errorf("the new signatory's waiting session after 16 minutes: %s", got)
		}
	})
}

// TestGivingARoleAProgrammeCoversMakesSessionsWait: under a programme's
// requirement (every municipality's signatories), Futurehausen's account
// admin makes a participant signatory: her session waits; made HR, a
// second participant goes on.
func TestGivingARoleAProgrammeCoversMakesSessionsWait(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, testPassword); err != nil {
			t.Fatal(err)
		}
		svc := account.New(db, notify.MustNew(testBaseURL))
		actor := func(email string) (*domain.Person, string, context.Context) {
			p, err := db.PersonByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			s, _, err := db.CreateSession(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, _, err := db.SessionActor(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			return p, s, domain.WithActor(ctx, a)
		}
		_, _, funder := actor("foerderung@im-bw.example")
		if err := svc.SetProgrammeRequireMFA(funder, demo.BWID, true); err != nil {
			t.Fatal(err)
		}
		_, _, thomas := actor("thomas@futurehausen.example")
		niklas, sNiklas, _ := actor("niklas@futurehausen.example")
		fh, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetRoles(thomas, fh.ID, niklas.ID, []domain.Role{domain.RoleParticipant, domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		if got := sessionState(t, db, sNiklas); got != "full" {
			t.Errorf("Niklas made HR: %s, want full", got)
		}
		if _, err := svc.SetRoles(thomas, fh.ID, niklas.ID, []domain.Role{domain.RoleParticipant, domain.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		if got := sessionState(t, db, sNiklas); got != "pending" {
			t.Errorf("Niklas made signatory: %s, want pending", got)
		}
	})
}
