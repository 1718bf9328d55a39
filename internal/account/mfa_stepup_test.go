package account_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// sessionState says what a session cookie does now: "full", "pending"
// (waits for the second factor) or "gone".
func sessionState(t *testing.T, db *store.DB, session string) string {
	t.Helper()
	_, _, err := db.SessionActor(context.Background(), session)
	switch {
	case err == nil:
		return "full"
	case err == domain.ErrSessionPending:
		return "pending"
	case domain.ErrorCode(err) == domain.EUnauthorized:
		return "gone"
	}
	t.Fatalf("session: %v", err)
	return ""
}

// stepUps reads the audit entries of sessions made to wait, by person.
func stepUps(t *testing.T, db *store.DB, orgID int64) map[int64]int {
	t.Helper()
	entries, _, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: orgID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, e := range entries {
		if e.Action == "mfa.session_step_up" && e.ObjectType == "person" {
			var d struct {
				Sessions int `json:"sessions"`
			}
			json.Unmarshal([]byte(e.Detail), &d)
			id := int64(0)
			for _, c := range e.ObjectID {
				id = id*10 + int64(c-'0')
			}
			out[id] += d.Sessions
		}
	}
	return out
}

// TestSwitchingOnTheRequirementReachesRunningSessions: an organisation's
// requirement switched on makes the running sessions of the covered
// members in which no second factor was given wait for it at once (the
// switching admin's own too); sessions that gave it, people not covered
// and other organisations' members go on. The waiting session sets the
// factor up and goes on; it expires as a login's first step does.
func TestSwitchingOnTheRequirementReachesRunningSessions(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		org := &domain.Organisation{Kind: domain.OrgAssociation, Name: "Gemeindetag"}
		other := &domain.Organisation{Kind: domain.OrgAssociation, Name: "Landkreistag"}
		for _, o := range []*domain.Organisation{org, other} {
			if err := db.CreateOrganisation(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		member := func(o *domain.Organisation, email string, roles ...domain.Role) *domain.Person {
			p := mustCreatePerson(t, db, email, "Person "+email)
			if err := db.SetRoles(ctx, o.ID, p.ID, roles); err != nil {
				t.Fatal(err)
			}
			return p
		}
		admin := member(org, "verwaltung@gemeindetag.example", domain.RoleAccountAdmin, domain.RoleReviewer)
		plain := member(org, "pruefung@gemeindetag.example", domain.RoleReviewer)
		loggedIn2FA := member(org, "zwei@gemeindetag.example", domain.RoleReviewer)
		enrolledNow := member(org, "neu@gemeindetag.example", domain.RoleReviewer)
		organiser := member(org, "treffen@gemeindetag.example", domain.RoleEventOrganiser)
		elsewhere := member(other, "pruefung@landkreistag.example", domain.RoleReviewer)
		sessionOf := func(p *domain.Person) string {
			s, err := svc.Login(ctx, p.Email, account.Credential{Password: testPassword}, "192.0.2.9", "")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		sAdmin, sPlain, sOrganiser, sElsewhere := sessionOf(admin), sessionOf(plain), sessionOf(organiser), sessionOf(elsewhere)
		// One gave the second factor at login, one set it up in this
		// session.
		secret, _ := enrolTOTP(t, db, svc, loggedIn2FA)
		pending := pendingLogin(t, db, svc, loggedIn2FA.Email)
		travel(30 * time.Second)
		s2FA, err := svc.VerifySecondFactor(ctx, pending, code(t, db, secret))
		if err != nil {
			t.Fatal(err)
		}
		sEnrolled := sessionOf(enrolledNow)
		setup, err := svc.BeginTOTP(as(ctx, enrolledNow), sEnrolled)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.ConfirmTOTP(as(ctx, enrolledNow), sEnrolled, code(t, db, setup.Secret)); err != nil {
			t.Fatal(err)
		}

		adminActor, _, err := db.SessionActor(ctx, sAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetOrgRequireMFA(domain.WithActor(ctx, adminActor), org.ID, true); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			session, want string
		}{
			"the switching admin (a reviewer)":    {sAdmin, "pending"},
			"a reviewer without second factor":    {sPlain, "pending"},
			"a reviewer who gave it at login":     {s2FA, "full"},
			"a reviewer who set it up in session": {sEnrolled, "full"},
			"an event organiser (not covered)":    {sOrganiser, "full"},
			"another association's reviewer":      {sElsewhere, "full"},
		} {
			if got := sessionState(t, db, c.session); got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
		if got := stepUps(t, db, org.ID); len(got) != 2 || got[admin.ID] != 1 || got[plain.ID] != 1 {
			t.Errorf("audited step-ups by person: %v", got)
		}

		// The waiting session can do nothing but set the factor up; then
		// a new full session goes on, and the old cookie is gone.
		if !svc.SessionPending(ctx, sPlain) {
			t.Fatal("SessionPending says no")
		}
		f, err := svc.SecondFactor(ctx, sPlain)
		if err != nil || !f.Required || f.Enrolled() {
			t.Fatalf("second factor of the waiting session: %+v, %v", f, err)
		}
		setup, err = svc.BeginTOTP(ctx, sPlain)
		if err != nil {
			t.Fatal(err)
		}
		_, fresh, err := svc.ConfirmTOTP(ctx, sPlain, code(t, db, setup.Secret))
		if err != nil || fresh == "" {
			t.Fatalf("set-up from the waiting session: %q, %v", fresh, err)
		}
		if sessionState(t, db, fresh) != "full" || sessionState(t, db, sPlain) != "gone" {
			t.Errorf("after the set-up: new %s, old %s", sessionState(t, db, fresh), sessionState(t, db, sPlain))
		}
		// Off and on again: the sessions that gave the factor go on.
		if err := svc.SetOrgRequireMFA(domain.WithActor(ctx, adminActor), org.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetOrgRequireMFA(domain.WithActor(ctx, adminActor), org.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{fresh, s2FA, sEnrolled} {
			if got := sessionState(t, db, s); got != "full" {
				t.Errorf("a session with the second factor is %s after switching on again", got)
			}
		}
		// The admin's waiting session lives as long as a login's first
		// step.
		travel(16 * time.Minute)
		if got := sessionState(t, db, sAdmin); got != "gone" {
			t.Errorf("the admin's waiting session after 16 minutes: %s", got)
		}
	})
}

// TestAProgrammesRequirementReachesItsPeopleAtOnce: the programme's
// funder switches the requirement on; the running sessions of the
// municipalities' signatories, the reviewing association, the funder and
// the admins wait for the second factor; a participant and an account
// admin go on.
func TestAProgrammesRequirementReachesItsPeopleAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, testPassword); err != nil {
			t.Fatal(err)
		}
		svc := account.New(db, notify.MustNew(testBaseURL))
		sessions := map[string]string{}
		for _, email := range []string{"lilly@futurehausen.example", "pruefung@staedtetag-bw.example", "foerderung@im-bw.example",
			"admin@lotse.example", "niklas@futurehausen.example", "thomas@futurehausen.example"} {
			p, err := db.PersonByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			if sessions[email], _, err = db.CreateSession(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		funder, _, err := db.SessionActor(ctx, sessions["foerderung@im-bw.example"])
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetProgrammeRequireMFA(domain.WithActor(ctx, funder), demo.BWID, true); err != nil {
			t.Fatal(err)
		}
		for email, want := range map[string]string{"lilly@futurehausen.example": "pending", "pruefung@staedtetag-bw.example": "pending",
			"foerderung@im-bw.example": "pending", "admin@lotse.example": "pending",
			"niklas@futurehausen.example": "full", "thomas@futurehausen.example": "full"} {
			if got := sessionState(t, db, sessions[email]); got != want {
				t.Errorf("%s: %s, want %s", email, got, want)
			}
		}
		entries, _, err := db.Audit(ctx, domain.AuditFilter{OrgID: funder.Memberships[0].OrgID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var on struct{ Persons, Sessions int }
		for _, e := range entries {
			if e.Action == "mfa.require_on" {
				json.Unmarshal([]byte(e.Detail), &on)
			}
		}
		if on.Persons != 4 || on.Sessions != 4 {
			t.Errorf("require_on counts %+v, want 4 people and 4 sessions", on)
		}
	})
}

// TestAnInvitationIntoARequiredRoleStartsAWaitingSession: a newcomer
// invited as signatory of a municipality that requires a second factor
// is logged in by the acceptance with a session that waits for its set-up,
// like any login; an HR newcomer is logged in at once.
func TestAnInvitationIntoARequiredRoleStartsAWaitingSession(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		f := newInviteFixture(t, db)
		if err := svc.SetOrgRequireMFA(f.ctx, f.org.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			email string
			role  domain.Role
			want  string
		}{
			{"zeichnet@stuttgart.de", domain.RoleSignatory, "pending"},
			{"personal@stuttgart.de", domain.RoleHR, "full"},
		} {
			if _, err := svc.Invite(f.ctx, f.org.ID, c.email, []domain.Role{c.role}); err != nil {
				t.Fatal(err)
			}
			token := linkToken(t, lastMail(t, db, c.email).Body, "/einladung/")
			_, _, session, err := svc.AcceptInvitation(context.Background(), token, "Neu "+string(c.role), testPassword, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := sessionState(t, db, session); got != c.want {
				t.Errorf("%s's session after the acceptance: %s, want %s", c.role, got, c.want)
			}
		}
	})
}
