package account_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// softKey is a passkey in software: an authenticator that makes "none"
// attestations and signs assertions with ES256, as a platform
// authenticator would.
type softKey struct {
	id    []byte
	key   *ecdsa.PrivateKey
	count uint32
	rpID  string
	user  []byte
}

var b64 = base64.RawURLEncoding

func newSoftKey(t *testing.T) *softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return &softKey{id: id, key: k, rpID: "lotse.example"}
}

// cbor helpers: just the items a "none" attestation needs.
func cborHead(major byte, n int) []byte {
	switch {
	case n < 24:
		return []byte{major<<5 | byte(n)}
	case n < 256:
		return []byte{major<<5 | 24, byte(n)}
	default:
		return []byte{major<<5 | 25, byte(n >> 8), byte(n)}
	}
}
func cborBytes(b []byte) []byte { return append(cborHead(2, len(b)), b...) }
func cborText(s string) []byte  { return append(cborHead(3, len(s)), s...) }

func (k *softKey) authData(flags byte, attested bool) []byte {
	rp := sha256.Sum256([]byte(k.rpID))
	var buf bytes.Buffer
	buf.Write(rp[:])
	buf.WriteByte(flags)
	binary.Write(&buf, binary.BigEndian, k.count)
	if attested {
		buf.Write(make([]byte, 16)) // AAGUID
		binary.Write(&buf, binary.BigEndian, uint16(len(k.id)))
		buf.Write(k.id)
		x, y := make([]byte, 32), make([]byte, 32)
		k.key.PublicKey.X.FillBytes(x)
		k.key.PublicKey.Y.FillBytes(y)
		// COSE key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
		buf.Write([]byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21})
		buf.Write(cborBytes(x))
		buf.WriteByte(0x22)
		buf.Write(cborBytes(y))
	}
	return buf.Bytes()
}

type ceremonyOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		RPID string `json:"rpId"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

func clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]string{"type": typ, "challenge": challenge, "origin": testBaseURL})
	return b
}

// create answers navigator.credentials.create with the options.
func (k *softKey) create(t *testing.T, options []byte) []byte {
	t.Helper()
	var o ceremonyOptions
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatal(err)
	}
	if o.PublicKey.RP.ID != k.rpID {
		t.Fatalf("relying party %q, want %q", o.PublicKey.RP.ID, k.rpID)
	}
	k.user, _ = b64.DecodeString(o.PublicKey.User.ID)
	var att []byte
	att = append(att, 0xa3)
	att = append(att, cborText("fmt")...)
	att = append(att, cborText("none")...)
	att = append(att, cborText("attStmt")...)
	att = append(att, 0xa0)
	att = append(att, cborText("authData")...)
	att = append(att, cborBytes(k.authData(0x45, true))...) // UP, UV, AT
	out, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64.EncodeToString(clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(att)}})
	return out
}

// get answers navigator.credentials.get with the options.
func (k *softKey) get(t *testing.T, options []byte) []byte {
	t.Helper()
	var o ceremonyOptions
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatal(err)
	}
	k.count++
	ad := k.authData(0x05, false) // UP, UV
	cd := clientData("webauthn.get", o.PublicKey.Challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.user)}})
	return out
}

func TestPasskeyRegistrationLoginAndRemoval(t *testing.T) {
	run(t, func(t *testing.T, db *store.DB, svc *account.Service) {
		freeze(db)
		ctx := context.Background()
		p := mustCreatePerson(t, db, "lilly@kommune.de", "Lilly")
		session, _, err := db.CreateSession(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		pctx := as(ctx, p)
		_, err = svc.BeginPasskeyRegistration(pctx, session, " ")
		if domain.ErrorFields(err)["passkey_name"] == "" {
			t.Fatalf("a passkey without a name: %v", err)
		}
		key := newSoftKey(t)
		opts, err := svc.BeginPasskeyRegistration(pctx, session, "Laptop")
		if err != nil {
			t.Fatal(err)
		}
		if login, err := svc.FinishPasskeyRegistration(pctx, session, bytes.NewReader(key.create(t, opts))); err != nil || login != "" {
			t.Fatalf("registration: %q, %v", login, err)
		}
		// The ceremony's state is spent: the same answer does not register twice.
		_, err = svc.FinishPasskeyRegistration(pctx, session, bytes.NewReader(key.create(t, opts)))
		wantCode(t, err, domain.EInvalid)
		f, err := svc.SecondFactor(pctx, "")
		if err != nil || len(f.Passkeys) != 1 || f.Passkeys[0].Name != "Laptop" || !f.Enrolled() {
			t.Fatalf("second factor: %+v, %v", f, err)
		}

		// Login: password, then the passkey.
		pending := pendingLogin(t, db, svc, p.Email)
		opts, err = svc.BeginPasskeyLogin(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		// A signature by another key is refused.
		other := newSoftKey(t)
		other.id, other.user = key.id, key.user
		_, err = svc.FinishPasskeyLogin(ctx, pending, bytes.NewReader(other.get(t, opts)))
		wantCode(t, err, domain.EInvalid)
		opts, err = svc.BeginPasskeyLogin(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		full, err := svc.FinishPasskeyLogin(ctx, pending, bytes.NewReader(key.get(t, opts)))
		if err != nil {
			t.Fatal(err)
		}
		if a, _, err := db.SessionActor(ctx, full); err != nil || a.Person.ID != p.ID {
			t.Fatalf("session after the passkey: %v, %v", a, err)
		}
		keys, err := db.Passkeys(ctx, p.ID)
		if err != nil || keys[0].LastUsedAt == nil {
			t.Fatalf("passkey after use: %+v, %v", keys, err)
		}

		// Another person cannot remove it; its owner can.
		q := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		wantCode(t, svc.RemovePasskey(as(ctx, q), keys[0].ID), domain.ENotFound)
		if err := svc.RemovePasskey(pctx, keys[0].ID); err != nil {
			t.Fatal(err)
		}
		if got, err := login(ctx, svc, db, p.Email, testPassword, "192.0.2.7"); err != nil || got.ID != p.ID {
			t.Fatalf("login without passkey: %v, %v", got, err)
		}
		entries, _, err := db.Audit(ctx, domain.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		if !seen["mfa.passkey_add"] || !seen["mfa.passkey_remove"] {
			t.Errorf("audit: %v", seen)
		}
	})
}
