package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	testPassword = storetest.Password
	testBaseURL  = storetest.BaseURL
)

// The helpers live in storetest, shared with other packages' tests.
var (
	mustCreatePerson = storetest.MustCreatePerson
	wantCode         = storetest.WantCode
	freeze           = storetest.Freeze
	mails            = storetest.Mails
	lastMail         = storetest.LastMail
	linkToken        = storetest.LinkToken
)

func TestCreatePersonNormalizesEmailAndReadsBack(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := &domain.Person{Email: "  Anna.Schmidt@Kommune.DE ", Name: " Anna Schmidt "}
		if err := db.CreatePerson(ctx, p, testPassword); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 {
			t.Fatal("no ID assigned")
		}
		got, err := db.PersonByEmail(ctx, "ANNA.SCHMIDT@kommune.de")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID || got.Email != "anna.schmidt@kommune.de" || got.Name != "Anna Schmidt" {
			t.Errorf("read back %+v", got)
		}
		if got.EmailVerifiedAt != nil {
			t.Error("new account should not be verified")
		}
		if got.PasswordHash == "" || strings.Contains(got.PasswordHash, testPassword) {
			t.Errorf("password stored as %q, want an argon2id hash", got.PasswordHash)
		}
		if _, err := db.PersonByID(ctx, p.ID+1000); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("unknown ID: got %v, want not found", err)
		}
	})
}

func TestCreatePersonWithTakenEmailIsConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		err := db.CreatePerson(context.Background(), &domain.Person{Email: "ANNA@kommune.de", Name: "Andere Anna"}, testPassword)
		wantCode(t, err, domain.EConflict)
		if domain.ErrorFields(err)["email"] == "" {
			t.Errorf("conflict does not name the email field: %v", err)
		}
	})
}

func TestCreatePersonRejectsInvalidInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		wantCode(t, db.CreatePerson(ctx, &domain.Person{Email: "keine-adresse", Name: "X"}, testPassword), domain.EInvalid)
		wantCode(t, db.CreatePerson(ctx, &domain.Person{Email: "x@kommune.de", Name: "X"}, "kurz"), domain.EInvalid)
	})
}

func TestSessionLivesUntilDeletedOrExpired(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		travel := freeze(db)
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")

		token, csrf, err := db.CreateSession(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if token == "" || csrf == "" || token == csrf {
			t.Fatalf("session token %q, csrf %q", token, csrf)
		}
		a, gotCSRF, err := db.SessionActor(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonID() != p.ID || gotCSRF != csrf {
			t.Errorf("session actor %d csrf %q, want %d %q", a.PersonID(), gotCSRF, p.ID, csrf)
		}
		_, _, err = db.SessionActor(ctx, token+"x")
		wantCode(t, err, domain.EUnauthorized)

		if err := db.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionActor(ctx, token)
		wantCode(t, err, domain.EUnauthorized)

		token, _, err = db.CreateSession(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		travel(11 * time.Hour)
		if _, _, err := db.SessionActor(ctx, token); err != nil {
			t.Fatalf("after 11 hours: %v", err)
		}
		travel(2 * time.Hour)
		_, _, err = db.SessionActor(ctx, token)
		wantCode(t, err, domain.EUnauthorized)
	})
}

func TestAPITokenWorksUntilRevokedAndIsNeverListed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		other := mustCreatePerson(t, db, "bernd@kommune.de", "Bernd")

		_, _, err := db.CreateToken(ctx, p.ID, "")
		wantCode(t, err, domain.EInvalid)

		tok, value, err := db.CreateToken(ctx, p.ID, "Buchungssystem")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(value, "lotse_") || !strings.HasPrefix(value, tok.Prefix) || len(tok.Prefix) >= len(value) {
			t.Errorf("token value %q with prefix %q", value, tok.Prefix)
		}
		a, err := db.TokenActor(ctx, value)
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonID() != p.ID || a.TokenID != tok.ID {
			t.Errorf("token actor person %d token %d, want %d %d", a.PersonID(), a.TokenID, p.ID, tok.ID)
		}

		list, err := db.Tokens(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != tok.ID || list[0].Name != "Buchungssystem" || list[0].LastUsedAt == nil {
			t.Fatalf("tokens %+v, want the one token with a last use", list)
		}
		if out, _ := json.Marshal(list); strings.Contains(string(out), value) {
			t.Errorf("token list shows the token's value: %s", out)
		}

		wantCode(t, db.RevokeToken(ctx, other.ID, tok.ID), domain.ENotFound)
		if err := db.RevokeToken(ctx, p.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.TokenActor(ctx, value)
		wantCode(t, err, domain.EUnauthorized)
		wantCode(t, db.RevokeToken(ctx, p.ID, tok.ID), domain.ENotFound)
		list, err = db.Tokens(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("revoked token listed as %+v", list)
		}
	})
}

func TestSecretsAreStoredOnlyAsHashes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			f := newInviteFixture(t, db)
			_, apiToken, err := db.CreateToken(ctx, f.admin.ID, "Export")
			if err != nil {
				t.Fatal(err)
			}
			session, _, err := db.CreateSession(ctx, f.admin.ID)
			if err != nil {
				t.Fatal(err)
			}
			var reset string
			if err := db.Transact(ctx, func(tx *store.Tx) (err error) {
				reset, err = tx.CreatePersonToken(ctx, f.admin.ID, store.PurposeReset, time.Hour)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			var invitation string
			if err := db.Transact(ctx, func(tx *store.Tx) (err error) {
				invitation, err = tx.CreateInvitation(ctx, &domain.Invitation{OrgID: f.org.ID, Email: "neu@stuttgart.de",
					Roles: []domain.Role{domain.RoleHR}, InvitedBy: f.admin.ID})
				return err
			}); err != nil {
				t.Fatal(err)
			}

			raw := rawConn(t, d, dsn)
			for _, table := range []string{"api_tokens", "sessions", "person_tokens", "invitations"} {
				var hashes []string
				rows, err := raw.QueryContext(ctx, `SELECT token_hash FROM `+table)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var h string
					if err := rows.Scan(&h); err != nil {
						t.Fatal(err)
					}
					hashes = append(hashes, h)
				}
				rows.Close()
				if len(hashes) == 0 {
					t.Errorf("%s: no rows", table)
				}
				for _, h := range hashes {
					for _, secret := range []string{apiToken, session, reset, invitation} {
						if strings.Contains(h, secret) {
							t.Errorf("%s stores a secret in clear", table)
						}
					}
				}
			}
		})
	}
}

// TestAPITokenUseIsKeptToTheMinute: calls with a token write its last use
// at most once a minute, not on every request.
func TestAPITokenUseIsKeptToTheMinute(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		travel := freeze(db)
		p := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		_, value, err := db.CreateToken(ctx, p.ID, "Buchungssystem")
		if err != nil {
			t.Fatal(err)
		}
		lastUse := func() time.Time {
			t.Helper()
			if _, err := db.TokenActor(ctx, value); err != nil {
				t.Fatal(err)
			}
			list, err := db.Tokens(ctx, p.ID)
			if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
				t.Fatalf("tokens %+v, %v", list, err)
			}
			return *list[0].LastUsedAt
		}
		first := lastUse()
		travel(30 * time.Second)
		if again := lastUse(); !again.Equal(first) {
			t.Errorf("a use 30 seconds later wrote %v (first use %v)", again, first)
		}
		travel(31 * time.Second)
		if later := lastUse(); !later.After(first) {
			t.Errorf("a use 61 seconds later kept %v", later)
		}
	})
}
