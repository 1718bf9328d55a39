package account_test

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/sso/ssotest"
	"github.com/lotse-oss/lotse/internal/store"
)

const ssoLabel = "Mit Test-OP anmelden"

// withOP starts a real OpenID Provider and configures it as provider "op".
func withOP(t *testing.T, svc *account.Service, users []ssotest.User) (*ssotest.OP, *sso.Client) {
	t.Helper()
	op := ssotest.Start(t, users, sso.New(testBaseURL, nil).CallbackURL("op"))
	c := sso.New(testBaseURL, []sso.Provider{op.Provider("op", ssoLabel)})
	svc.WithSSO(c)
	return op, c
}

// ssoLogin starts a login, logs in at the OP as user and returns what the
// OP sends the browser back with.
func ssoLogin(t *testing.T, svc *account.Service, op *ssotest.OP, user string) account.SSOCallback {
	t.Helper()
	to, err := svc.StartSSO(context.Background(), "op", "/konto", "192.0.2.50")
	if err != nil {
		t.Fatal(err)
	}
	back := op.Login(t, to, user, ssotest.Password)
	return account.SSOCallback{Provider: "op", State: back.Query().Get("state"), Code: back.Query().Get("code")}
}

// rawExec changes the database behind the service's back (to tamper with
// a stored login).
func rawExec(t *testing.T, db *store.DB, query string, args ...any) {
	t.Helper()
	driver, dsn := "pgx", db.DSN()
	if db.Dialect == store.SQLite {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// audits returns the audit entries with the action.
func audits(t *testing.T, db *store.DB, action string) []domain.AuditEntry {
	t.Helper()
	es, _, err := db.Audit(context.Background(), domain.AuditFilter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// wantNobody checks that a failed login left no account behind.
func wantNobody(t *testing.T, db *store.DB, email string) {
	t.Helper()
	if _, err := db.PersonByEmail(context.Background(), email); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("an account for %s exists after a failed login (err %v)", email, err)
	}
	if n := len(audits(t, db, "sso.create")) + len(audits(t, db, "sso.link")); n != 0 {
		t.Errorf("%d identities linked after a failed login", n)
	}
}

func TestSSOFirstLoginCreatesTheAccountAndLaterLoginsFindIt(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		op, _ := withOP(t, svc, nil)
		session, next, err := svc.FinishSSO(ctx, ssoLogin(t, svc, op, "neu"), "")
		if err != nil {
			t.Fatal(err)
		}
		if next != "/konto" {
			t.Errorf("next = %q", next)
		}
		a, _, err := db.SessionActor(ctx, session)
		if err != nil {
			t.Fatal(err)
		}
		p := a.Person
		if p.Email != "nora.neumann@kommune.example" || p.Name != "Nora Neumann" || p.EmailVerifiedAt == nil || p.PasswordHash != "" {
			t.Errorf("new person = %+v", p)
		}
		created := audits(t, db, "sso.create")
		if len(created) != 1 || created[0].ObjectID != strconv.FormatInt(p.ID, 10) {
			t.Fatalf("sso.create entries = %+v", created)
		}
		for _, e := range append(created, audits(t, db, "person.login_sso")...) {
			if strings.Contains(e.Detail, "@") || strings.Contains(e.Detail, "Nora") {
				t.Errorf("audit detail names the person: %s", e.Detail)
			}
		}
		// A second login finds the linked identity, ends the old session and
		// creates nothing new.
		session2, _, err := svc.FinishSSO(ctx, ssoLogin(t, svc, op, "neu"), session)
		if err != nil {
			t.Fatal(err)
		}
		a2, _, err := db.SessionActor(ctx, session2)
		if err != nil || a2.Person.ID != p.ID {
			t.Fatalf("second login: %v, %+v", err, a2)
		}
		if _, _, err := db.SessionActor(ctx, session); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("the old session lives on: %v", err)
		}
		if n, _ := db.SSOIdentityCount(ctx, p.ID); n != 1 || len(audits(t, db, "sso.create")) != 1 || len(audits(t, db, "person.login_sso")) != 2 {
			t.Errorf("identities %d, creations %d, logins %d", n, len(audits(t, db, "sso.create")), len(audits(t, db, "person.login_sso")))
		}
	})
}

func TestSSOFirstLoginLinksTheAccountWithTheVerifiedAddress(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		thomas := mustCreatePerson(t, db, "thomas@futurehausen.example", "Thomas Verwalter")
		op, _ := withOP(t, svc, nil)
		session, _, err := svc.FinishSSO(ctx, ssoLogin(t, svc, op, "thomas"), "")
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := db.SessionActor(ctx, session)
		if err != nil || a.Person.ID != thomas.ID {
			t.Fatalf("linked login: %v, %+v", err, a)
		}
		linked := audits(t, db, "sso.link")
		if len(linked) != 1 || linked[0].ObjectID != strconv.FormatInt(thomas.ID, 10) || strings.Contains(linked[0].Detail, "@") {
			t.Errorf("sso.link entries = %+v", linked)
		}
		if len(audits(t, db, "sso.create")) != 0 {
			t.Error("an account was created although one existed")
		}
	})
}

func TestSSORefusesAnUnverifiedAddressAndCreatesNothing(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		op, _ := withOP(t, svc, nil)
		_, _, err := svc.FinishSSO(context.Background(), ssoLogin(t, svc, op, "unbestaetigt"), "")
		if domain.ErrorCode(err) != domain.EForbidden || !strings.Contains(domain.ErrorMessage(err), "nicht als bestätigt") {
			t.Fatalf("unverified address: %v", err)
		}
		wantNobody(t, db, "ulf@kommune.example")
	})
}

func TestSSORefusesWrongOrUsedStateWrongNonceAndExpiredToken(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		op, c := withOP(t, svc, nil)

		cb := ssoLogin(t, svc, op, "neu")
		wrong := cb
		wrong.State = "erfunden"
		if _, _, err := svc.FinishSSO(ctx, wrong, ""); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("wrong state: %v", err)
		}
		other := cb
		other.Provider = "anderer"
		if _, _, err := svc.FinishSSO(ctx, other, ""); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("state of another provider: %v", err)
		}
		// (The state is taken by the first try, so the provider mismatch used it up.)
		if _, _, err := svc.FinishSSO(ctx, cb, ""); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("used state: %v", err)
		}

		cb = ssoLogin(t, svc, op, "neu")
		rawExec(t, db, `UPDATE sso_logins SET nonce = 'manipuliert'`)
		if _, _, err := svc.FinishSSO(ctx, cb, ""); !strings.Contains(domain.ErrorMessage(err), "gehört nicht zu dieser Anmeldung") {
			t.Errorf("tampered nonce: %v", err)
		}

		cb = ssoLogin(t, svc, op, "neu")
		c.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
		if _, _, err := svc.FinishSSO(ctx, cb, ""); !strings.Contains(domain.ErrorMessage(err), "abgelaufen") {
			t.Errorf("expired ID token: %v", err)
		}
		c.Now = time.Now

		// A state older than its lifetime is refused too.
		travel := freeze(db)
		cb = ssoLogin(t, svc, op, "neu")
		travel(11 * time.Minute)
		if _, _, err := svc.FinishSSO(ctx, cb, ""); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("expired state: %v", err)
		}
		wantNobody(t, db, "nora.neumann@kommune.example")
	})
}

func TestSSOWithTheProviderDownShowsUnavailableAndCreatesNothing(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		op, _ := withOP(t, svc, nil)
		// Down between the login at the provider and the callback.
		cb := ssoLogin(t, svc, op, "neu")
		op.Stop()
		if _, _, err := svc.FinishSSO(ctx, cb, ""); domain.ErrorCode(err) != domain.EUnavailable {
			t.Errorf("callback with the provider down: %v", err)
		}
		// Down before the login: a fresh client has no discovery yet.
		svc.WithSSO(sso.New(testBaseURL, []sso.Provider{op.Provider("op", ssoLabel)}))
		if _, err := svc.StartSSO(ctx, "op", "/", "192.0.2.50"); domain.ErrorCode(err) != domain.EUnavailable || !strings.Contains(domain.ErrorMessage(err), "nicht erreichbar") {
			t.Errorf("start with the provider down: %v", err)
		}
		if err := svc.SSOReady(ctx); err == nil {
			t.Error("ready with the provider down")
		}
		wantNobody(t, db, "nora.neumann@kommune.example")
	})
}

func TestSSOMapsTheAGSClaimToAMembership(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		f := newInviteFixture(t, db)
		// The example OP sends custom_claim.client = "web" for custom_scope:
		// stand-in for an AGS claim, given to the municipality for the test.
		rawExec(t, db, `UPDATE organisations SET ags = 'web' WHERE id = $1`, f.org.ID)
		op := ssotest.Start(t, nil, sso.New(testBaseURL, nil).CallbackURL("op"))
		p := op.Provider("op", ssoLabel)
		p.Scopes = append(p.Scopes, "custom_scope")
		p.AGSClaim = "custom_claim.client"
		svc.WithSSO(sso.New(testBaseURL, []sso.Provider{p}))
		for range 2 {
			if _, _, err := svc.FinishSSO(ctx, ssoLogin(t, svc, op, "neu"), ""); err != nil {
				t.Fatal(err)
			}
		}
		nora, err := db.PersonByEmail(ctx, "nora.neumann@kommune.example")
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.Memberships(ctx, nora.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].OrgID != f.org.ID || len(ms[0].Roles) != 1 || ms[0].Roles[0] != domain.RoleParticipant {
			t.Errorf("memberships = %+v", ms)
		}
		if es := audits(t, db, "sso.membership"); len(es) != 1 || es[0].OrgID != f.org.ID {
			t.Errorf("sso.membership entries = %+v", es)
		}
	})
}

func TestSSOLogoutEndsTheSessionAndNamesTheProvidersLogout(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		op, _ := withOP(t, svc, nil)
		session, _, err := svc.FinishSSO(ctx, ssoLogin(t, svc, op, "neu"), "")
		if err != nil {
			t.Fatal(err)
		}
		to, err := svc.SSOLogout(ctx, session, testBaseURL+"/")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(to)
		if !strings.HasPrefix(to, op.Issuer) || u.Query().Get("id_token_hint") == "" || u.Query().Get("post_logout_redirect_uri") != testBaseURL+"/" {
			t.Errorf("logout address = %q", to)
		}
		if _, _, err := db.SessionActor(ctx, session); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("session after logout: %v", err)
		}
		// A password session ends without a provider's address.
		mustCreatePerson(t, db, "pw@kommune.example", "Paula")
		pw, err := svc.Login(ctx, "pw@kommune.example", account.Credential{Password: testPassword}, "192.0.2.9", "")
		if err != nil {
			t.Fatal(err)
		}
		if to, err := svc.SSOLogout(ctx, pw, testBaseURL+"/"); err != nil || to != "" {
			t.Errorf("password session logout = %q, %v", to, err)
		}
	})
}

func TestPasswordLoginSwitchedOffRefusesPasswordAndReset(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		f := newInviteFixture(t, db)
		member := mustCreatePerson(t, db, "mitglied@stuttgart.de", "Mia Mitglied")
		if err := db.SetRoles(ctx, f.org.ID, member.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		// Without a provider nobody could log in any more.
		wantCode(t, svc.SetPasswordLogin(f.ctx, f.org.ID, false), domain.EConflict)
		withOP(t, svc, nil)
		wantCode(t, svc.SetPasswordLogin(as(ctx, member), f.org.ID, false), domain.EForbidden)
		// A reset link asked for before the switch.
		if err := svc.RequestPasswordReset(ctx, member.Email); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, member.Email).Body, "/passwort-zuruecksetzen?token=")
		before := len(mails(t, db))
		if err := svc.SetPasswordLogin(f.ctx, f.org.ID, false); err != nil {
			t.Fatal(err)
		}
		if on, err := svc.PasswordLogin(f.ctx, f.org.ID); err != nil || on {
			t.Fatalf("PasswordLogin = %v, %v", on, err)
		}
		for _, pw := range []string{testPassword, "falsches-passwort"} {
			_, err := svc.Login(ctx, member.Email, account.Credential{Password: pw}, "192.0.2.1", "")
			wantCode(t, err, domain.EForbidden)
			if !strings.Contains(domain.ErrorMessage(err), "„"+ssoLabel+"“") {
				t.Errorf("message does not name the button: %q", domain.ErrorMessage(err))
			}
		}
		if err := svc.RequestPasswordReset(ctx, member.Email); err != nil {
			t.Fatal(err)
		}
		if n := len(mails(t, db)); n != before {
			t.Errorf("a reset mail went out although passwords are off (%d mails, %d before)", n, before)
		}
		err := svc.ResetPassword(ctx, token, "ein-neues-passwort-123")
		wantCode(t, err, domain.EForbidden)
		// Someone outside the organisation still logs in with a password.
		mustCreatePerson(t, db, "draussen@kommune.example", "Dora Draußen")
		if _, err := svc.Login(ctx, "draussen@kommune.example", account.Credential{Password: testPassword}, "192.0.2.2", ""); err != nil {
			t.Errorf("password login outside the organisation: %v", err)
		}
		if es := audits(t, db, "organisation.password_login"); len(es) != 1 || es[0].OrgID != f.org.ID {
			t.Errorf("audit entries = %+v", es)
		}
		// An invitation into the organisation cannot create an account with
		// a password; a person logged in (through the provider) accepts it.
		inv, err := svc.Invite(f.ctx, f.org.ID, "neu@stuttgart.de", []domain.Role{domain.RoleParticipant})
		if err != nil {
			t.Fatal(err)
		}
		invToken := linkToken(t, lastMail(t, db, inv.Email).Body, "/einladung/")
		_, err = accept(t, db, svc, invToken, 0, "Nils Neu", "ein-passwort-fuer-nils")
		wantCode(t, err, domain.EForbidden)
		if !strings.Contains(domain.ErrorMessage(err), "„"+ssoLabel+"“") {
			t.Errorf("invitation message: %q", domain.ErrorMessage(err))
		}
		if _, err := db.PersonByEmail(ctx, inv.Email); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("account created through the invitation: %v", err)
		}
		// Switched on again, the password works.
		if err := svc.SetPasswordLogin(f.ctx, f.org.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, member.Email, account.Credential{Password: testPassword}, "192.0.2.3", ""); err != nil {
			t.Errorf("password login after switching on: %v", err)
		}
	})
}

func TestSSOLoginStartedOnOneInstanceFinishesOnAnother(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, first *account.Service) {
		op, _ := withOP(t, first, nil)
		// A second instance on the same database, with its own provider
		// client (its own discovery).
		second := account.New(db, notify.MustNew(testBaseURL))
		second.WithSSO(sso.New(testBaseURL, []sso.Provider{op.Provider("op", ssoLabel)}))
		session, _, err := second.FinishSSO(context.Background(), ssoLogin(t, first, op, "neu"), "")
		if err != nil {
			t.Fatal(err)
		}
		if a, _, err := db.SessionActor(context.Background(), session); err != nil || a.Person.Email != "nora.neumann@kommune.example" {
			t.Errorf("session from the second instance: %v, %+v", err, a)
		}
	})
}

func TestSSOStartsPerAddressAreLimited(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		withOP(t, svc, nil)
		for i := range 100 {
			if _, err := svc.StartSSO(ctx, "op", "/", "192.0.2.60"); err != nil {
				t.Fatalf("start %d: %v", i+1, err)
			}
		}
		_, err := svc.StartSSO(ctx, "op", "/", "192.0.2.60")
		wantCode(t, err, domain.ERateLimited)
		if _, err := svc.StartSSO(ctx, "op", "/", "192.0.2.61"); err != nil {
			t.Errorf("another address: %v", err)
		}
	})
}

func TestSSOCancelledAtTheProviderLogsNobodyIn(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		withOP(t, svc, nil)
		to, err := svc.StartSSO(ctx, "op", "/", "192.0.2.70")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(to)
		cb := account.SSOCallback{Provider: "op", State: u.Query().Get("state"), Error: "access_denied"}
		_, _, err = svc.FinishSSO(ctx, cb, "")
		if domain.ErrorCode(err) != domain.EUnauthorized || !strings.Contains(domain.ErrorMessage(err), "abgebrochen") {
			t.Errorf("cancelled: %v", err)
		}
		// The state is used up.
		if _, _, err := svc.FinishSSO(ctx, cb, ""); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("state after the cancel: %v", err)
		}
		wantNobody(t, db, "nora.neumann@kommune.example")
	})
}
