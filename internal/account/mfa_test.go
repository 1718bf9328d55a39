package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// code is the current TOTP code of secret on the database's clock.
func code(t *testing.T, db *store.DB, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrolTOTP sets up a TOTP for p and returns its secret and recovery codes.
func enrolTOTP(t *testing.T, db *store.DB, svc *account.Service, p *domain.Person) (string, []string) {
	t.Helper()
	ctx := as(context.Background(), p)
	setup, err := svc.BeginTOTP(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	codes, session, err := svc.ConfirmTOTP(ctx, "", code(t, db, setup.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if session != "" {
		t.Error("confirming from a full session started another session")
	}
	return setup.Secret, codes
}

// pendingLogin logs in with the password and checks that the session
// waits for the second factor.
func pendingLogin(t *testing.T, db *store.DB, svc *account.Service, email string) string {
	t.Helper()
	ctx := context.Background()
	session, err := svc.Login(ctx, email, account.Credential{Password: testPassword}, "192.0.2.7", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionActor(ctx, session); err != domain.ErrSessionPending {
		t.Fatalf("session after the password: %v, want it pending", err)
	}
	if !svc.SessionPending(ctx, session) {
		t.Fatal("SessionPending says no")
	}
	return session
}

func TestTOTPEnrolmentLoginRecoveryCodesAndSwitchingOff(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		// Without a second factor a login is complete at once.
		if got, err := login(ctx, svc, db, p.Email, testPassword, "192.0.2.7"); err != nil || got.ID != p.ID {
			t.Fatalf("plain login: %v, %v", got, err)
		}

		setup, err := svc.BeginTOTP(as(ctx, p), "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(setup.QR, "data:image/png;base64,") || !strings.Contains(setup.URL, "secret="+setup.Secret) || len(setup.Secret) < 32 {
			t.Fatalf("setup: %+v", setup)
		}
		// The page shown again offers the same secret until it is confirmed.
		again, err := svc.BeginTOTP(as(ctx, p), "")
		if err != nil || again.Secret != setup.Secret {
			t.Fatalf("second look at the setup: %v, %v", again, err)
		}
		// The secret is kept sealed.
		rec, err := db.TOTP(ctx, p.ID)
		if err != nil || rec == nil || strings.Contains(rec.Sealed, setup.Secret) || rec.ConfirmedAt != nil {
			t.Fatalf("stored TOTP: %+v, %v", rec, err)
		}
		_, _, err = svc.ConfirmTOTP(as(ctx, p), "", "000000")
		wantCode(t, err, domain.EInvalid)
		codes, _, err := svc.ConfirmTOTP(as(ctx, p), "", code(t, db, setup.Secret))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			seen[c] = true
		}
		if len(codes) != 10 || len(seen) != 10 {
			t.Fatalf("recovery codes: %v", codes)
		}
		_, err = svc.BeginTOTP(as(ctx, p), "")
		wantCode(t, err, domain.EConflict)

		// A login now waits for the second factor; the code that confirmed
		// the set-up does not work twice.
		pending := pendingLogin(t, db, svc, p.Email)
		_, err = svc.VerifySecondFactor(ctx, pending, code(t, db, setup.Secret))
		wantCode(t, err, domain.EInvalid)
		travel(30 * time.Second)
		session, err := svc.VerifySecondFactor(ctx, pending, code(t, db, setup.Secret))
		if err != nil {
			t.Fatal(err)
		}
		if session == pending {
			t.Fatal("the full session kept the pending session's ID")
		}
		a, _, err := db.SessionActor(ctx, session)
		if err != nil || a.Person.ID != p.ID {
			t.Fatalf("full session: %v, %v", a, err)
		}
		if svc.SessionPending(ctx, pending) {
			t.Fatal("the pending session lives on")
		}
		// A code from a full session does not log in again.
		_, err = svc.VerifySecondFactor(ctx, session, "123456")
		wantCode(t, err, domain.EUnauthorized)

		// A recovery code works once (written the way a person types it).
		pending = pendingLogin(t, db, svc, p.Email)
		if _, err := svc.VerifySecondFactor(ctx, pending, " "+strings.ToUpper(codes[0])+" "); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		pending = pendingLogin(t, db, svc, p.Email)
		_, err = svc.VerifySecondFactor(ctx, pending, codes[0])
		wantCode(t, err, domain.EInvalid)
		if _, err := svc.VerifySecondFactor(ctx, pending, codes[1]); err != nil {
			t.Fatalf("second recovery code: %v", err)
		}
		f, err := svc.SecondFactor(as(ctx, p), "")
		if err != nil || !f.TOTP || f.RecoveryLeft != 8 || f.Required {
			t.Fatalf("second factor: %+v, %v", f, err)
		}

		// Switching off needs a code, and a login is complete at once again.
		travel(30 * time.Second)
		wantCode(t, svc.DisableTOTP(as(ctx, p), "999999"), domain.EInvalid)
		if err := svc.DisableTOTP(as(ctx, p), code(t, db, setup.Secret)); err != nil {
			t.Fatal(err)
		}
		if got, err := login(ctx, svc, db, p.Email, testPassword, "192.0.2.7"); err != nil || got.ID != p.ID {
			t.Fatalf("login after switching off: %v, %v", got, err)
		}
		if n, _ := db.RecoveryCodesLeft(ctx, p.ID); n != 0 {
			t.Fatalf("%d recovery codes left after switching off", n)
		}

		// The audit log names the steps, without addresses or names.
		entries, _, err := db.Audit(ctx, domain.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
			if strings.HasPrefix(e.Action, "mfa.") && (strings.Contains(e.Detail, "@") || strings.Contains(e.Detail, "Lilly")) {
				t.Errorf("audit detail of %s names the person: %s", e.Action, e.Detail)
			}
		}
		for _, a := range []string{"mfa.totp_enrol", "mfa.recovery_use", "mfa.totp_disable", "mfa.login"} {
			if actions[a] == 0 {
				t.Errorf("no audit entry %s (%v)", a, actions)
			}
		}
		if actions["mfa.recovery_use"] != 2 {
			t.Errorf("recovery code uses audited %d times, want 2", actions["mfa.recovery_use"])
		}
	})
}

func TestSecondFactorCodesAreRateLimited(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		secret, _ := enrolTOTP(t, db, svc, p)
		pending := pendingLogin(t, db, svc, p.Email)
		for i := 0; i < 9; i++ { // the set-up's code counted once
			_, err := svc.VerifySecondFactor(ctx, pending, "000000")
			wantCode(t, err, domain.EInvalid)
		}
		// Over the limit even the right code is refused.
		_, err := svc.VerifySecondFactor(ctx, pending, code(t, db, secret))
		wantCode(t, err, domain.ERateLimited)
	})
}

func TestOrganisationRequirementMakesReviewersEnrolAtLogin(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		org := &domain.Organisation{Kind: domain.OrgAssociation, Name: "Städtetag"}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		member := func(email string, r domain.Role) *domain.Person {
			p := mustCreatePerson(t, db, email, "Person "+string(r))
			if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{r}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		admin := member("thomas@kommune.de", domain.RoleAccountAdmin)
		signatory := member("lilly@kommune.de", domain.RoleReviewer)
		hr := member("anna@kommune.de", domain.RoleEventOrganiser)
		adminActor := &domain.Actor{Person: admin, Memberships: []domain.Membership{{OrgID: org.ID, OrgKind: org.Kind, Roles: []domain.Role{domain.RoleAccountAdmin}}}}
		hrActor := &domain.Actor{Person: hr, Memberships: []domain.Membership{{OrgID: org.ID, OrgKind: org.Kind, Roles: []domain.Role{domain.RoleEventOrganiser}}}}

		wantCode(t, svc.SetOrgRequireMFA(domain.WithActor(ctx, hrActor), org.ID, true), domain.EForbidden)
		if err := svc.SetOrgRequireMFA(domain.WithActor(ctx, adminActor), org.ID, true); err != nil {
			t.Fatal(err)
		}
		if on, err := db.OrgRequiresMFA(ctx, org.ID); err != nil || !on {
			t.Fatalf("requirement: %v, %v", on, err)
		}

		// Event organisers are not covered: the login is complete at once.
		if _, err := login(ctx, svc, db, hr.Email, testPassword, "192.0.2.8"); err != nil {
			t.Fatalf("HR login: %v", err)
		}
		// The signatory has no second factor: the login waits, and the
		// pending session can do nothing but set one up.
		pending := pendingLogin(t, db, svc, signatory.Email)
		f, err := svc.SecondFactor(ctx, pending)
		if err != nil || !f.Required || f.Enrolled() {
			t.Fatalf("second factor of the pending signatory: %+v, %v", f, err)
		}
		setup, err := svc.BeginTOTP(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		codes, session, err := svc.ConfirmTOTP(ctx, pending, code(t, db, setup.Secret))
		if err != nil || len(codes) != 10 || session == "" {
			t.Fatalf("enrolment at login: %d codes, session %q, %v", len(codes), session, err)
		}
		if a, _, err := db.SessionActor(ctx, session); err != nil || a.Person.ID != signatory.ID {
			t.Fatalf("session after enrolment: %v, %v", a, err)
		}
		// The required second factor cannot be switched off.
		travel(30 * time.Second)
		wantCode(t, svc.DisableTOTP(as(ctx, signatory), code(t, db, setup.Secret)), domain.EConflict)
		// Lifting the requirement: the signatory keeps the second factor
		// and still gives it at login.
		if err := svc.SetOrgRequireMFA(domain.WithActor(ctx, adminActor), org.ID, false); err != nil {
			t.Fatal(err)
		}
		pendingLogin(t, db, svc, signatory.Email)
		entries, _, err := db.Audit(ctx, domain.AuditFilter{OrgID: org.ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var on, off int
		for _, e := range entries {
			switch e.Action {
			case "mfa.require_on":
				on++
			case "mfa.require_off":
				off++
			}
		}
		if on != 1 || off != 1 {
			t.Errorf("requirement changes audited: on %d, off %d", on, off)
		}
	})
}

func TestTOTPSecretsNeedTheirKey(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		svc.SetSecretKey("erster Schlüssel")
		secret, _ := enrolTOTP(t, db, svc, p)
		// Another instance with the same key reads the secret.
		same := account.New(db, notify.MustNew(testBaseURL))
		same.SetSecretKey("erster Schlüssel")
		pending := pendingLogin(t, db, same, p.Email)
		// One with another key cannot: an internal error, no login.
		other := account.New(db, notify.MustNew(testBaseURL))
		other.SetSecretKey("anderer Schlüssel")
		db.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 1, 0, 0, time.UTC) }
		_, err := other.VerifySecondFactor(ctx, pending, code(t, db, secret))
		wantCode(t, err, domain.EInternal)
		if _, err := same.VerifySecondFactor(ctx, pending, code(t, db, secret)); err != nil {
			t.Fatalf("instance with the right key: %v", err)
		}
	})
}

func TestAPITokensExpireAndCarryScopes(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		pctx := as(ctx, p)
		t1, v1, err := svc.CreateToken(pctx, domain.NewToken{Name: "Standard"})
		if err != nil {
			t.Fatal(err)
		}
		if want := db.Now().Add(90 * 24 * time.Hour); !t1.ExpiresAt.Equal(want) || len(t1.Scopes) != 1 || t1.Scopes[0] != domain.ScopeFull {
			t.Fatalf("default token: expires %v (want %v), scopes %v", t1.ExpiresAt, want, t1.Scopes)
		}
		_, _, err = svc.CreateToken(pctx, domain.NewToken{Name: "Zu lang", ExpiresAt: db.Now().AddDate(1, 1, 0)})
		if domain.ErrorFields(err)["expires_at"] == "" {
			t.Fatalf("a token for 13 months: %v", err)
		}
		_, _, err = svc.CreateToken(pctx, domain.NewToken{Name: "Vergangen", ExpiresAt: db.Now().Add(-time.Hour)})
		if domain.ErrorFields(err)["expires_at"] == "" {
			t.Fatalf("a token expired at birth: %v", err)
		}
		_, _, err = svc.CreateToken(pctx, domain.NewToken{Name: "Komisch", Scopes: []domain.TokenScope{"admin"}})
		if domain.ErrorFields(err)["scopes"] == "" {
			t.Fatalf("an unknown scope: %v", err)
		}
		t2, v2, err := svc.CreateToken(pctx, domain.NewToken{Name: "Buchungen", ExpiresAt: db.Now().Add(30 * 24 * time.Hour),
			Scopes: []domain.TokenScope{domain.ScopeRead, domain.ScopeBookings}})
		if err != nil || len(t2.Scopes) != 1 || t2.Scopes[0] != domain.ScopeBookings {
			t.Fatalf("bookings token: %+v, %v", t2, err)
		}
		a, err := svc.TokenActor(ctx, v2)
		if err != nil || len(a.Scopes) != 1 || a.Scopes[0] != domain.ScopeBookings {
			t.Fatalf("actor of the bookings token: %+v, %v", a, err)
		}
		// A token limited to scopes cannot make more tokens.
		a.Changes = true
		_, _, err = svc.CreateToken(domain.WithActor(ctx, a), domain.NewToken{Name: "Mehr"})
		wantCode(t, err, domain.EForbidden)
		if a, err := svc.TokenActor(ctx, v1); err != nil || len(a.Scopes) != 0 {
			t.Fatalf("actor of the full token: %+v, %v", a, err)
		}
		ts, err := svc.Tokens(pctx)
		if err != nil || len(ts) != 2 || ts[0].ScopesLabel() != "Lesen und Buchungen" || ts[1].ScopesLabel() != "Vollzugriff" {
			t.Fatalf("token list: %+v, %v", ts, err)
		}
		// After 31 days the bookings token is expired, the other not.
		travel(31 * 24 * time.Hour)
		if _, err := svc.TokenActor(ctx, v2); err != domain.ErrTokenExpired {
			t.Fatalf("expired token: %v", err)
		}
		if _, err := svc.TokenActor(ctx, v1); err != nil {
			t.Fatalf("live token: %v", err)
		}
		if _, err := svc.TokenActor(ctx, "lotse_unbekannt"); err != domain.ErrInvalidToken {
			t.Fatalf("unknown token: %v", err)
		}
	})
}

func TestNewRecoveryCodesReplaceTheOldOnes(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		travel := freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		secret, old := enrolTOTP(t, db, svc, p)
		_, err := svc.NewRecoveryCodes(as(ctx, p), "000000")
		wantCode(t, err, domain.EInvalid)
		travel(30 * time.Second)
		fresh, err := svc.NewRecoveryCodes(as(ctx, p), code(t, db, secret))
		if err != nil || len(fresh) != 10 || fresh[0] == old[0] {
			t.Fatalf("new codes: %v, %v", fresh, err)
		}
		pending := pendingLogin(t, db, svc, p.Email)
		_, err = svc.VerifySecondFactor(ctx, pending, old[0])
		wantCode(t, err, domain.EInvalid)
		if _, err := svc.VerifySecondFactor(ctx, pending, fresh[9]); err != nil {
			t.Fatalf("a new code: %v", err)
		}
		// An API token cannot touch the second factor.
		tokenActor := &domain.Actor{Person: p, TokenID: 1}
		_, err = svc.SecondFactor(domain.WithActor(ctx, tokenActor), "")
		wantCode(t, err, domain.EForbidden)
	})
}
