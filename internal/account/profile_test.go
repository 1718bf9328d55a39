package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

func TestUpdateNameChangesNameAndRefusesEmptyOne(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		got, err := svc.UpdateName(as(ctx, p), "  Lilly Lotse ")
		if err != nil || got.Name != "Lilly Lotse" {
			t.Fatalf("UpdateName: %+v, %v", got, err)
		}
		stored, _ := db.PersonByID(ctx, p.ID)
		if stored.Name != "Lilly Lotse" {
			t.Fatalf("stored name %q", stored.Name)
		}
		_, err = svc.UpdateName(as(ctx, p), "   ")
		wantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["name"] == "" {
			t.Fatalf("no message at the name field: %v", err)
		}
		_, err = svc.UpdateName(ctx, "Niemand")
		wantCode(t, err, domain.EUnauthorized)
	})
}

func TestChangePasswordNeedsCurrentPasswordAndEndsOtherSessions(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		other, err := svc.Login(ctx, "lilly@kommune.de", account.Credential{Password: testPassword}, "192.0.2.1", "")
		if err != nil {
			t.Fatal(err)
		}
		// A wrong current password changes nothing.
		_, err = svc.ChangePassword(as(ctx, p), "falsch-falsch", "ganz-neues-passwort", true)
		wantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["current"] == "" {
			t.Fatalf("wrong current password: no message at the field: %v", err)
		}
		if _, _, err := db.SessionActor(ctx, other); err != nil {
			t.Fatalf("a refused change ended the session: %v", err)
		}
		// A new password must follow the rules.
		_, err = svc.ChangePassword(as(ctx, p), testPassword, "kurz", true)
		wantCode(t, err, domain.EInvalid)
		if !strings.Contains(domain.ErrorFields(err)["new"], "10 Zeichen") {
			t.Fatalf("short password: %v", domain.ErrorFields(err))
		}

		session, err := svc.ChangePassword(as(ctx, p), testPassword, "ganz-neues-passwort", true)
		if err != nil || session == "" {
			t.Fatalf("ChangePassword: %q, %v", session, err)
		}
		if _, _, err := db.SessionActor(ctx, other); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("the other session still works: %v", err)
		}
		if a, _, err := db.SessionActor(ctx, session); err != nil || a.PersonID() != p.ID {
			t.Fatalf("the new session does not work: %v", err)
		}
		if _, err := svc.Login(ctx, "lilly@kommune.de", account.Credential{Password: testPassword}, "192.0.2.1", ""); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("old password still opens the account: %v", err)
		}
		if _, err := svc.Login(ctx, "lilly@kommune.de", account.Credential{Password: "ganz-neues-passwort"}, "192.0.2.1", ""); err != nil {
			t.Fatalf("new password: %v", err)
		}
		m := lastMail(t, db, "lilly@kommune.de")
		if m.Subject != "Ihr Passwort wurde geändert" {
			t.Fatalf("mail subject %q", m.Subject)
		}
		// Without a browser (API token), no session is made.
		session, err = svc.ChangePassword(as(ctx, p), "ganz-neues-passwort", "noch-ein-passwort", false)
		if err != nil || session != "" {
			t.Fatalf("ChangePassword without session: %q, %v", session, err)
		}
	})
}

func TestChangePasswordIsRateLimited(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		freeze(db)
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		var err error
		for i := 0; i < 6; i++ {
			_, err = svc.ChangePassword(as(ctx, p), "geraten-"+strings.Repeat("x", i), "ganz-neues-passwort", false)
		}
		wantCode(t, err, domain.ERateLimited)
		// Even the right password waits now.
		_, err = svc.ChangePassword(as(ctx, p), testPassword, "ganz-neues-passwort", false)
		wantCode(t, err, domain.ERateLimited)
	})
}

func TestEmailChangeTakesEffectOnlyWhenConfirmedAndTellsOldAddress(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		if err := svc.RequestEmailChange(as(ctx, p), " Lilly.Lotse@Kommune.de "); err != nil {
			t.Fatal(err)
		}
		ms := mails(t, db)
		if len(ms) < 2 {
			t.Fatalf("want two mails, got %d", len(ms))
		}
		confirm, notice := ms[len(ms)-2], ms[len(ms)-1]
		if confirm.To != "lilly.lotse@kommune.de" || notice.To != "lilly@kommune.de" {
			t.Fatalf("mails to %q and %q", confirm.To, notice.To)
		}
		if strings.Contains(notice.Body, "token=") || !strings.Contains(notice.Body, "lilly.lotse@kommune.de") {
			t.Fatalf("notice to the old address:\n%s", notice.Body)
		}
		token := linkToken(t, confirm.Body, "/email-aendern?token=")
		// Nothing changed yet.
		if got, _ := db.PersonByID(ctx, p.ID); got.Email != "lilly@kommune.de" {
			t.Fatalf("address changed before confirmation: %q", got.Email)
		}
		got, err := svc.ConfirmEmailChange(ctx, token)
		if err != nil || got.Email != "lilly.lotse@kommune.de" || got.EmailVerifiedAt == nil {
			t.Fatalf("ConfirmEmailChange: %+v, %v", got, err)
		}
		if _, err := svc.Login(ctx, "lilly.lotse@kommune.de", account.Credential{Password: testPassword}, "192.0.2.1", ""); err != nil {
			t.Fatalf("login with the new address: %v", err)
		}
		// The link works once.
		_, err = svc.ConfirmEmailChange(ctx, token)
		wantCode(t, err, domain.EInvalid)
		entries, _, err := db.Audit(ctx, domain.AuditFilter{Action: "person.change_email"})
		if err != nil || len(entries) != 1 || entries[0].ActorID != p.ID {
			t.Fatalf("audit: %+v, %v", entries, err)
		}
	})
}

func TestEmailChangeLinkExpiresAfterADay(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		travel := freeze(db)
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		if err := svc.RequestEmailChange(as(ctx, p), "neu@kommune.de"); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, mails(t, db)[len(mails(t, db))-2].Body, "/email-aendern?token=")
		travel(25 * time.Hour)
		_, err := svc.ConfirmEmailChange(ctx, token)
		wantCode(t, err, domain.EInvalid)
		if got, _ := db.PersonByID(ctx, p.ID); got.Email != "lilly@kommune.de" {
			t.Fatalf("expired link changed the address to %q", got.Email)
		}
	})
}

func TestEmailChangeRefusesTakenAddressAtRequestAndAtConfirmation(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		err := svc.RequestEmailChange(as(ctx, p), "Anna@kommune.de")
		wantCode(t, err, domain.EConflict)
		if !strings.Contains(domain.ErrorFields(err)["email"], "bereits") {
			t.Fatalf("no German message at the field: %v", err)
		}
		wantCode(t, svc.RequestEmailChange(as(ctx, p), "lilly@kommune.de"), domain.EInvalid)
		wantCode(t, svc.RequestEmailChange(as(ctx, p), "kein-at-zeichen"), domain.EInvalid)

		// The address is free when asked for, and taken before the link is opened.
		if err := svc.RequestEmailChange(as(ctx, p), "frei@kommune.de"); err != nil {
			t.Fatal(err)
		}
		ms := mails(t, db)
		token := linkToken(t, ms[len(ms)-2].Body, "/email-aendern?token=")
		mustCreatePerson(t, db, "frei@kommune.de", "Schneller")
		_, err = svc.ConfirmEmailChange(ctx, token)
		wantCode(t, err, domain.EConflict)
		if got, _ := db.PersonByID(ctx, p.ID); got.Email != "lilly@kommune.de" {
			t.Fatalf("address changed to a taken one: %q", got.Email)
		}
	})
}

func TestEmailChangeOnlyNewestLinkWorksAndRequestsAreLimited(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		ctx := context.Background()
		freeze(db)
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		if err := svc.RequestEmailChange(as(ctx, p), "eins@kommune.de"); err != nil {
			t.Fatal(err)
		}
		first := linkToken(t, mails(t, db)[len(mails(t, db))-2].Body, "/email-aendern?token=")
		for _, a := range []string{"zwei@kommune.de", "drei@kommune.de"} {
			if err := svc.RequestEmailChange(as(ctx, p), a); err != nil {
				t.Fatal(err)
			}
		}
		_, err := svc.ConfirmEmailChange(ctx, first)
		wantCode(t, err, domain.EInvalid)
		wantCode(t, svc.RequestEmailChange(as(ctx, p), "vier@kommune.de"), domain.ERateLimited)
	})
}
