package store

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// legacyHash is a hash of the older form (the argon2id key itself), as
// HashPassword wrote it before server relief.
func legacyHash(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func TestPasswordHashesStoreTheKeysHashAndAcceptTheKey(t *testing.T) {
	hash := HashPassword("richtig-geheim-42")
	if !CurrentHash(hash) || !strings.HasPrefix(hash, "$argon2id-sha256$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not of the current form", hash)
	}
	pp, err := HashParams(hash)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Salt) != 16 || pp.MemoryKiB != 19456 || pp.Iterations != 2 || pp.Parallelism != 1 || pp.KeyLength != 32 {
		t.Fatalf("params %+v", pp)
	}
	key := pp.Key("richtig-geheim-42")
	// The stored value is not the key: a stolen hash is no login.
	stored, _ := base64.RawStdEncoding.DecodeString(hash[strings.LastIndex(hash, "$")+1:])
	if string(stored) == string(key) {
		t.Fatal("the hash stores the key itself")
	}
	for _, c := range []struct {
		name string
		ok   func() (bool, error)
		want bool
	}{
		{"right password", func() (bool, error) { return CheckPassword(hash, "richtig-geheim-42") }, true},
		{"wrong password", func() (bool, error) { return CheckPassword(hash, "falsch-geheim-42") }, false},
		{"right key", func() (bool, error) { return CheckPasswordKey(hash, key) }, true},
		{"key of a wrong password", func() (bool, error) { return CheckPasswordKey(hash, pp.Key("falsch-geheim-42")) }, false},
		{"the stored value as key", func() (bool, error) { return CheckPasswordKey(hash, stored) }, false},
		{"a short key", func() (bool, error) { return CheckPasswordKey(hash, key[:16]) }, false},
	} {
		ok, err := c.ok()
		if err != nil || ok != c.want {
			t.Errorf("%s: %v, %v; want %v", c.name, ok, err, c.want)
		}
	}
}

func TestOlderHashesTakeThePasswordOnly(t *testing.T) {
	hash := legacyHash("richtig-geheim-42")
	if CurrentHash(hash) {
		t.Fatal("an older hash counts as current")
	}
	if ok, err := CheckPassword(hash, "richtig-geheim-42"); !ok || err != nil {
		t.Errorf("right password: %v, %v", ok, err)
	}
	if ok, _ := CheckPassword(hash, "falsch"); ok {
		t.Error("wrong password accepted")
	}
	pp, err := HashParams(hash)
	if err != nil {
		t.Fatal(err)
	}
	// The right key is what the older hash stores (an old backup): it
	// must not log in.
	if ok, err := CheckPasswordKey(hash, pp.Key("richtig-geheim-42")); ok || err != nil {
		t.Errorf("key against an older hash: %v, %v; want false", ok, err)
	}
	for _, bad := range []string{"", "plain", "$bcrypt$v=19$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=16$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=x$c2FsdA$a2V5"} {
		if ok, err := CheckPasswordKey(bad, []byte("k")); ok || err == nil {
			t.Errorf("hash %q: %v, %v; want an error", bad, ok, err)
		}
	}
}
