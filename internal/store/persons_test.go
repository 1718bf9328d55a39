package store_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	testPassword = "richtig-geheim-42"
	testBaseURL  = storetest.BaseURL
)

// mustCreatePerson creates an account with testPassword.
func mustCreatePerson(tb testing.TB, db *store.DB, email, name string) *domain.Person {
	tb.Helper()
	p := &domain.Person{Email: email, Name: name}
	if err := db.CreatePerson(context.Background(), p, testPassword); err != nil {
		tb.Fatalf("CreatePerson(%q): %v", email, err)
	}
	return p
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := domain.ErrorCode(err); err == nil || got != code {
		tb.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

// freeze sets the database clock to a fixed instant and returns a function
// that moves it forward.
func freeze(db *store.DB) (travel func(time.Duration)) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	return func(d time.Duration) {
		now = now.Add(d)
	}
}

// mails returns the outbox, oldest first.
func mails(tb testing.TB, db *store.DB) []domain.Mail {
	tb.Helper()
	ms, _, err := db.Outbox(context.Background(), 200, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// lastMail returns the newest mail of the outbox and checks its recipient.
func lastMail(tb testing.TB, db *store.DB, to string) domain.Mail {
	tb.Helper()
	ms := mails(tb, db)
	if len(ms) == 0 {
		tb.Fatal("outbox is empty")
	}
	m := ms[len(ms)-1]
	if m.To != to {
		tb.Fatalf("newest mail goes to %q, want %q", m.To, to)
	}
	return m
}

// linkToken extracts the token from the link baseURL+path in a mail body.
// path ends where the token begins, e.g. "/einladung/".
func linkToken(tb testing.TB, body, path string) string {
	tb.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(testBaseURL+path) + `([A-Za-z0-9_-]+)`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("mail body has no link %s...:\n%s", testBaseURL+path, body)
	}
	return m[1]
}

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
