package store

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// newSecret returns a random URL-safe token with 256 bits of entropy and the
// hash under which it is stored. Only the hash reaches the database.
func newSecret(prefix string) (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashSecret(token)
}

// hashSecret is the stored form of a token. Tokens are random and long, so a
// plain SHA-256 is enough; passwords use argon2id below.
func hashSecret(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// argon2id parameters after OWASP's recommendation (19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// Password hashes are PHC strings. The current form stores SHA-256 of the
// argon2id key ("server relief"): the browser computes the key itself from
// the salt and parameters (PasswordParams), and the server then only hashes
// the key once with SHA-256. A stolen database still costs one argon2id per
// guess, and the stored value is not the key, so it cannot be sent in its
// place. The older form stores the key itself: such a hash is only checked
// against a password (a key would be what an old backup holds), and a
// successful login replaces it with a current hash with a new salt.
const (
	reliefScheme = "argon2id-sha256"
	legacyScheme = "argon2id"
)

// PasswordParams are what computes a password's key: argon2id with this
// salt, memory (KiB), passes, lanes and key length.
type PasswordParams struct {
	Salt        []byte
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
	KeyLength   uint32
}

// DefaultPasswordParams are the parameters of new hashes, with the salt
// given (also the parameters of an unknown address's made-up salt).
func DefaultPasswordParams(salt []byte) PasswordParams {
	return PasswordParams{Salt: salt, MemoryKiB: argonMemory, Iterations: argonTime, Parallelism: argonThreads, KeyLength: argonKeyLen}
}

// Key computes the password's key under the parameters.
func (pp PasswordParams) Key(pw string) []byte {
	return argon2.IDKey([]byte(pw), pp.Salt, pp.Iterations, pp.MemoryKiB, pp.Parallelism, pp.KeyLength)
}

// HashPassword returns a PHC-formatted hash of pw: SHA-256 of its argon2id
// key, with a new salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	pp := DefaultPasswordParams(salt)
	return formatHash(reliefScheme, pp, relieved(pp.Key(pw)))
}

// relieved is the stored form of a key.
func relieved(key []byte) []byte {
	h := sha256.Sum256(key)
	return h[:]
}

func formatHash(scheme string, pp PasswordParams, stored []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", scheme, argon2.Version, pp.MemoryKiB, pp.Iterations, pp.Parallelism,
		base64.RawStdEncoding.EncodeToString(pp.Salt), base64.RawStdEncoding.EncodeToString(stored))
}

// parseHash splits a PHC hash into its scheme, parameters and stored value.
func parseHash(hash string) (scheme string, pp PasswordParams, stored []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || (parts[1] != reliefScheme && parts[1] != legacyScheme) || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return "", pp, nil, errors.New("unknown password hash format")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &pp.MemoryKiB, &pp.Iterations, &pp.Parallelism); err != nil {
		return "", pp, nil, fmt.Errorf("password hash parameters: %w", err)
	}
	if pp.Salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return "", pp, nil, err
	}
	if stored, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil {
		return "", pp, nil, err
	}
	if parts[1] == reliefScheme {
		pp.KeyLength = argonKeyLen
	} else {
		pp.KeyLength = uint32(len(stored))
	}
	return parts[1], pp, stored, nil
}

// HashParams are the parameters that compute the key of a stored hash.
func HashParams(hash string) (PasswordParams, error) {
	_, pp, _, err := parseHash(hash)
	return pp, err
}

// CheckPassword reports whether pw matches the PHC hash (of either form).
func CheckPassword(hash, pw string) (bool, error) {
	scheme, pp, stored, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	return checkKey(scheme, stored, pp.Key(pw)), nil
}

// CheckPasswordKey reports whether key, the argon2id key of a password
// under the hash's parameters (computed by the client), matches the hash.
// A hash of the older form never matches a key (see above).
func CheckPasswordKey(hash string, key []byte) (bool, error) {
	scheme, _, stored, err := parseHash(hash)
	if err != nil || scheme != reliefScheme {
		return false, err
	}
	return checkKey(scheme, stored, key), nil
}

// checkKey compares a key with a hash of either form.
func checkKey(scheme string, stored, key []byte) bool {
	if scheme == reliefScheme {
		key = relieved(key)
	}
	return subtle.ConstantTimeCompare(key, stored) == 1
}

// CurrentHash reports whether the hash has the current form; a login
// with the password replaces one that has not.
func CurrentHash(hash string) bool {
	return strings.HasPrefix(hash, "$"+reliefScheme+"$")
}
