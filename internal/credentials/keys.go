// Package credentials makes the platform's verifiable certificates: Open
// Badges 3.0 credentials (OpenBadgeCredential) as W3C Verifiable
// Credentials 2.0, signed as VC-JWT (a compact JWS) with Ed25519; the JSON
// Web Key Set that publishes the public keys; and the certificate PDF
// (Teilnahmezertifikat) with a QR code to the public verification page.
//
// It knows nothing of the database: signing keys come in and go out as
// values, and so do certificates. The JSON-LD contexts the credentials name
// are pinned in contexts/ and embedded (see Context); nothing is fetched at
// run time.
package credentials

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Key is a signing key. Keys are rotated, not deleted: a retired key signs
// nothing new but stays in the JWK Set so that the credentials it signed
// remain verifiable.
type Key struct {
	ID      string // the JWS "kid", e.g. "lotse-2026-11-23-1a2b3c4d"
	Private ed25519.PrivateKey
	Created time.Time
	Retired *time.Time // nil while the key is in use
}

// Public is the key's public half.
func (k Key) Public() ed25519.PublicKey {
	return k.Private.Public().(ed25519.PublicKey)
}

// NewKey makes a fresh Ed25519 key whose ID names its UTC creation day and
// 32 random bits, so IDs sort by age and do not collide.
func NewKey(now time.Time) (Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("credentials: generate key: %w", err)
	}
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return Key{}, fmt.Errorf("credentials: key id: %w", err)
	}
	return Key{
		ID:      "lotse-" + now.UTC().Format("2006-01-02") + "-" + hex.EncodeToString(suffix[:]),
		Private: priv,
		Created: now,
	}, nil
}

func (k Key) check() error {
	if k.ID == "" {
		return errors.New("credentials: key without ID")
	}
	if len(k.Private) != ed25519.PrivateKeySize {
		return fmt.Errorf("credentials: key %s: not an Ed25519 private key", k.ID)
	}
	return nil
}

// JWKS returns the JSON Web Key Set (RFC 7517) of the keys' public halves:
// each an OKP key on curve Ed25519 (RFC 8037) with its kid, "use": "sig"
// and "alg": "EdDSA". Retired keys are included, so credentials signed
// before a rotation stay verifiable. Serve it as application/jwk-set+json.
func JWKS(keys []Key) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if err := k.check(); err != nil {
			return nil, err
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("credentials: key ID %s twice", k.ID)
		}
		seen[k.ID] = true
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key:       k.Public(),
			KeyID:     k.ID,
			Algorithm: string(jose.EdDSA),
			Use:       "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("credentials: jwks: %w", err)
	}
	return b, nil
}
