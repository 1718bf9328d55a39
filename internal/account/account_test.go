package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	testPassword = storetest.Password
	testBaseURL  = storetest.BaseURL
)

// run runs fn once per database with an account service on it.
func run(t *testing.T, fn func(t *testing.T, db *store.DB, svc *account.Service)) {
	t.Helper()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fn(t, db, account.New(db, notify.MustNew(testBaseURL)))
	})
}

// login logs in and returns the person of the new session.
func login(ctx context.Context, svc *account.Service, db *store.DB, email, password, addr string) (*domain.Person, error) {
	session, err := svc.Login(ctx, email, account.Credential{Password: password}, addr, "")
	if err != nil {
		return nil, err
	}
	a, _, err := db.SessionActor(ctx, session)
	if err != nil {
		return nil, err
	}
	return a.Person, nil
}

// as returns ctx with p as the actor.
func as(ctx context.Context, p *domain.Person) context.Context {
	return domain.WithActor(ctx, &domain.Actor{Person: p})
}

// The helpers live in storetest, shared with other packages' tests.
var (
	mustCreatePerson = storetest.MustCreatePerson
	wantCode         = storetest.WantCode
	freeze           = storetest.Freeze
	mails            = storetest.Mails
	lastMail         = storetest.LastMail
	linkToken        = storetest.LinkToken
)

func TestAuthenticateAcceptsRightPasswordAndRefusesWrongOne(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		got, err := login(ctx, svc, db, " Anna@Kommune.de", testPassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID {
			t.Errorf("authenticated person %d, want %d", got.ID, p.ID)
		}
		_, err = login(ctx, svc, db, "anna@kommune.de", "falsches-passwort", "192.0.2.1")
		wantCode(t, err, domain.EUnauthorized)
		_, err = login(ctx, svc, db, "niemand@kommune.de", testPassword, "192.0.2.1")
		wantCode(t, err, domain.EUnauthorized)
		if domain.ErrorMessage(err) != "E-Mail-Adresse oder Passwort ist falsch." {
			t.Errorf("unknown account message %q reveals more than a wrong password", domain.ErrorMessage(err))
		}
	})
}

func TestAuthenticateRefusesAccountWithoutPassword(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		if err := db.CreatePerson(ctx, &domain.Person{Email: "ohne@kommune.de", Name: "Ohne"}, ""); err != nil {
			t.Fatal(err)
		}
		_, err := login(ctx, svc, db, "ohne@kommune.de", "", "192.0.2.1")
		wantCode(t, err, domain.EUnauthorized)
	})
}

func TestAuthenticateLocksAccountAfterFiveFailuresUntilWindowPasses(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		travel := freeze(db)
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		for i := range 5 {
			_, err := login(ctx, svc, db, "anna@kommune.de", "falsches-passwort", "192.0.2.1")
			if domain.ErrorCode(err) != domain.EUnauthorized {
				t.Fatalf("failure %d: got %v, want unauthorized", i+1, err)
			}
			travel(time.Second)
		}
		// From another client address too: the limit is per account.
		_, err := login(ctx, svc, db, "anna@kommune.de", testPassword, "198.51.100.7")
		wantCode(t, err, domain.ERateLimited)

		travel(14 * time.Minute)
		_, err = login(ctx, svc, db, "anna@kommune.de", testPassword, "192.0.2.1")
		wantCode(t, err, domain.ERateLimited)

		travel(2 * time.Minute) // 16 minutes after the failures
		if _, err := login(ctx, svc, db, "anna@kommune.de", testPassword, "192.0.2.1"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestAuthenticateLimitsClientAddressAcrossAccounts(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		travel := freeze(db)
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		const attacker = "203.0.113.9"
		for i := range 20 {
			email := "konto" + string(rune('a'+i)) + "@kommune.de"
			_, err := login(ctx, svc, db, email, "falsches-passwort", attacker)
			if domain.ErrorCode(err) != domain.EUnauthorized {
				t.Fatalf("failure %d: got %v, want unauthorized", i+1, err)
			}
		}
		_, err := login(ctx, svc, db, "anna@kommune.de", testPassword, attacker)
		wantCode(t, err, domain.ERateLimited)
		if _, err := login(ctx, svc, db, "anna@kommune.de", testPassword, "192.0.2.1"); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		travel(16 * time.Minute)
		if _, err := login(ctx, svc, db, "anna@kommune.de", testPassword, attacker); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestPasswordResetLinkWorksOnceAndEndsSessions(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		session, _, err := db.CreateSession(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}

		if err := svc.RequestPasswordReset(ctx, "Anna@Kommune.de"); err != nil {
			t.Fatal(err)
		}
		m := lastMail(t, db, "anna@kommune.de")
		token := linkToken(t, m.Body, "/passwort-zuruecksetzen?token=")

		wantCode(t, svc.ResetPassword(ctx, token, "kurz"), domain.EInvalid)
		wantCode(t, svc.ResetPassword(ctx, token+"x", "ganz-neues-passwort"), domain.EInvalid)
		if err := svc.ResetPassword(ctx, token, "ganz-neues-passwort"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc.ResetPassword(ctx, token, "noch-ein-passwort"), domain.EInvalid)

		if _, err := login(ctx, svc, db, "anna@kommune.de", "ganz-neues-passwort", "192.0.2.1"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
		_, err = login(ctx, svc, db, "anna@kommune.de", testPassword, "192.0.2.1")
		wantCode(t, err, domain.EUnauthorized)
		_, _, err = db.SessionActor(ctx, session)
		wantCode(t, err, domain.EUnauthorized)
		got, err := db.PersonByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EmailVerifiedAt == nil {
			t.Error("a used reset link should confirm the address")
		}
	})
}

func TestPasswordResetLinkExpiresAfterAnHour(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		travel := freeze(db)
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		if err := svc.RequestPasswordReset(ctx, "anna@kommune.de"); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, "anna@kommune.de").Body, "/passwort-zuruecksetzen?token=")
		travel(61 * time.Minute)
		wantCode(t, svc.ResetPassword(ctx, token, "ganz-neues-passwort"), domain.EInvalid)
	})
}

func TestPasswordResetForUnknownAddressSendsNoMail(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		if err := svc.RequestPasswordReset(context.Background(), "niemand@kommune.de"); err != nil {
			t.Fatal(err)
		}
		if ms := mails(t, db); len(ms) != 0 {
			t.Errorf("outbox has %d mails, want none", len(ms))
		}
	})
}

func TestPasswordResetSendsAtMostThreeMailsAnHour(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		travel := freeze(db)
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		for range 5 {
			if err := svc.RequestPasswordReset(ctx, "anna@kommune.de"); err != nil {
				t.Fatal(err)
			}
			travel(time.Minute)
		}
		if n := len(mails(t, db)); n != 3 {
			t.Errorf("%d mails within an hour, want 3", n)
		}
		travel(time.Hour)
		if err := svc.RequestPasswordReset(ctx, "anna@kommune.de"); err != nil {
			t.Fatal(err)
		}
		if n := len(mails(t, db)); n != 4 {
			t.Errorf("%d mails after an hour, want 4", n)
		}
	})
}

func TestEmailVerificationLinkConfirmsAddressOnce(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		if err := svc.RequestVerification(as(ctx, p)); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, lastMail(t, db, "anna@kommune.de").Body, "/email-bestaetigen?token=")

		// A verification link is no reset link.
		wantCode(t, svc.ResetPassword(ctx, token, "ganz-neues-passwort"), domain.EInvalid)

		if err := svc.VerifyEmail(ctx, token); err != nil {
			t.Fatal(err)
		}
		got, err := db.PersonByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EmailVerifiedAt == nil {
			t.Fatal("address not confirmed")
		}
		wantCode(t, svc.VerifyEmail(ctx, token), domain.EInvalid)
		wantCode(t, svc.RequestVerification(as(ctx, p)), domain.EConflict)
	})
}
