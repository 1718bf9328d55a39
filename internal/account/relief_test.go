package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// Server relief: the browser computes the password's argon2id key with the
// account's parameters, and the server checks it without an argon2id of
// its own. The answer to the parameters does not tell whether an account
// exists, a wrong key counts as a wrong password, and a hash of the older
// form (the key itself, which old backups hold) takes the password only
// and is replaced at that login.
func TestLoginWithTheKeyComputesNoHashOnTheServer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, notify.MustNew("https://lotse.example"))
		var hashes atomic.Int64
		s.onHash = func(int64) { hashes.Add(1) }
		const pw = "richtig-geheim-42"
		if err := db.CreatePerson(ctx, &domain.Person{Email: "anna@kommune.de", Name: "Anna"}, pw); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePerson(ctx, &domain.Person{Email: "ohne@kommune.de", Name: "Ohne Passwort"}, ""); err != nil {
			t.Fatal(err)
		}

		pp, err := s.LoginParams(ctx, " Anna@Kommune.de ")
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := db.PasswordHashByEmail(ctx, "anna@kommune.de")
		if want, _ := store.HashParams(hash); !bytes.Equal(pp.Salt, want.Salt) {
			t.Fatalf("the parameters' salt is not the account's")
		}
		if _, err := s.Login(ctx, "anna@kommune.de", Credential{Key: pp.Key(pw)}, "192.0.2.1", ""); err != nil {
			t.Fatalf("login with the key: %v", err)
		}
		if _, err := s.Login(ctx, "anna@kommune.de", Credential{Password: pw, Key: pp.Key(pw)}, "192.0.2.1", ""); err != nil {
			t.Fatalf("login with key and password: %v", err)
		}
		if n := hashes.Load(); n != 0 {
			t.Errorf("the server computed %d hashes for logins with the key, want none", n)
		}
		// A wrong key is a wrong password, even with the right password
		// beside it (the hash is current: the key decides).
		_, err = s.Login(ctx, "anna@kommune.de", Credential{Password: pw, Key: pp.Key("falsch")}, "192.0.2.1", "")
		storetest.WantCode(t, err, domain.EUnauthorized)
		// The key of an unknown address, or of one without a password,
		// fails the same, also without a hash.
		for _, email := range []string{"niemand@kommune.de", "ohne@kommune.de"} {
			upp, err := s.LoginParams(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Login(ctx, email, Credential{Key: upp.Key(pw)}, "192.0.2.2", "")
			storetest.WantCode(t, err, domain.EUnauthorized)
		}
		if n := hashes.Load(); n != 0 {
			t.Errorf("the server computed %d hashes for keys, want none", n)
		}
		// Wrong keys count against the limit like wrong passwords.
		for range maxFailsPerEmail - 1 {
			s.Login(ctx, "anna@kommune.de", Credential{Key: pp.Key("falsch")}, "192.0.2.3", "")
		}
		_, err = s.Login(ctx, "anna@kommune.de", Credential{Key: pp.Key(pw)}, "192.0.2.4", "")
		storetest.WantCode(t, err, domain.ERateLimited)
	})
}

func TestLoginParamsDoNotTellWhetherAnAccountExists(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, notify.MustNew("https://lotse.example"))
		if err := db.CreatePerson(ctx, &domain.Person{Email: "anna@kommune.de", Name: "Anna"}, "richtig-geheim-42"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePerson(ctx, &domain.Person{Email: "ohne@kommune.de", Name: "Ohne Passwort"}, ""); err != nil {
			t.Fatal(err)
		}
		known, _ := s.LoginParams(ctx, "anna@kommune.de")
		seen := map[string]string{}
		for _, email := range []string{"anna@kommune.de", "niemand@kommune.de", "keiner@kommune.de", "ohne@kommune.de"} {
			a, err := s.LoginParams(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			// A second service (another instance, a restart) makes up the
			// same salt.
			b, err := New(db, notify.MustNew("https://lotse.example")).LoginParams(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Salt, b.Salt) {
				t.Errorf("%s: the salt changes between instances", email)
			}
			a.Salt, known.Salt = nil, nil
			if fmt.Sprint(a) != fmt.Sprint(known) || len(b.Salt) != 16 {
				t.Errorf("%s: parameters %+v differ from an account's %+v", email, a, known)
			}
			salt := base64.StdEncoding.EncodeToString(b.Salt)
			if other, ok := seen[salt]; ok {
				t.Errorf("%s and %s get the same salt", email, other)
			}
			seen[salt] = email
		}
	})
}

func TestAnOlderHashTakesThePasswordAndIsReplacedAtLogin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, notify.MustNew("https://lotse.example"))
		const pw = "richtig-geheim-42"
		p := storetest.MustCreatePerson(t, db, "alt@kommune.de", "Alt")
		salt := make([]byte, 16)
		rand.Read(salt)
		oldKey := argon2.IDKey([]byte(pw), salt, 2, 19*1024, 1, 32)
		old := fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$%s$%s", base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(oldKey))
		if err := db.Transact(ctx, func(tx *store.Tx) error { return tx.SetPasswordHash(ctx, p.ID, old) }); err != nil {
			t.Fatal(err)
		}
		pp, _ := s.LoginParams(ctx, "alt@kommune.de")
		if !bytes.Equal(pp.Salt, salt) {
			t.Fatal("the parameters do not carry the older hash's salt")
		}
		// The key alone (what an old backup holds) does not log in.
		_, err := s.Login(ctx, "alt@kommune.de", Credential{Key: oldKey}, "192.0.2.1", "")
		storetest.WantCode(t, err, domain.EUnauthorized)
		// The form sends password and key: the password logs in, and the
		// hash becomes current, with a new salt.
		if _, err := s.Login(ctx, "alt@kommune.de", Credential{Password: pw, Key: pp.Key(pw)}, "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		hash, _ := db.PasswordHashByEmail(ctx, "alt@kommune.de")
		npp, _ := store.HashParams(hash)
		if !store.CurrentHash(hash) || bytes.Equal(npp.Salt, salt) {
			t.Fatalf("after the login the hash is %q", hash)
		}
		if _, err := s.Login(ctx, "alt@kommune.de", Credential{Key: npp.Key(pw)}, "192.0.2.1", ""); err != nil {
			t.Fatalf("the new key: %v", err)
		}
		_, err = s.Login(ctx, "alt@kommune.de", Credential{Key: oldKey}, "192.0.2.1", "")
		storetest.WantCode(t, err, domain.EUnauthorized)
	})
}

// TestParallelWrongKeysStopAtTheLimit: wrong keys sent at once for one
// account, each from its own client address, are counted under the
// account's lock: exactly the limit of them are checked and the rest are
// refused as too many, and then the right key is refused too.
func TestParallelWrongKeysStopAtTheLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, notify.MustNew("https://lotse.example"))
		const pw = "richtig-geheim-42"
		if err := db.CreatePerson(ctx, &domain.Person{Email: "anna@kommune.de", Name: "Anna"}, pw); err != nil {
			t.Fatal(err)
		}
		pp, err := s.LoginParams(ctx, "anna@kommune.de")
		if err != nil {
			t.Fatal(err)
		}
		wrong := pp.Key("falsch-geheim-42")
		const n = 12
		var failed, limited atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Login(ctx, "anna@kommune.de", Credential{Key: wrong}, fmt.Sprintf("198.51.100.%d", i+1), "")
				switch domain.ErrorCode(err) {
				case domain.EUnauthorized:
					failed.Add(1)
				case domain.ERateLimited:
					limited.Add(1)
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if failed.Load() != maxFailsPerEmail || limited.Load() != n-maxFailsPerEmail {
			t.Errorf("%d wrong keys checked and %d refused as too many, want %d and %d", failed.Load(), limited.Load(), maxFailsPerEmail, n-maxFailsPerEmail)
		}
		_, err = s.Login(ctx, "anna@kommune.de", Credential{Key: pp.Key(pw)}, "203.0.113.1", "")
		storetest.WantCode(t, err, domain.ERateLimited)
	})
}
