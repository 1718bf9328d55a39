// Package account is the home of the use cases around people: accounts,
// sessions, API tokens, invitations, password reset, e-mail verification and
// the login limits. Handlers call its methods; it asks authz, applies the
// rules and writes through store in one transaction. It holds no SQL and no
// HTTP.
package account

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service runs the account use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
	// hashes bounds the password hashes running at once: each argon2id
	// hash takes 19 MiB, so a burst of logins must wait rather than take
	// the server's memory.
	hashes chan struct{}
	// running counts the hashes in progress; onHash, when set (tests), is
	// called inside each hash with that count.
	running atomic.Int64
	onHash  func(running int64)
	// sso: the OpenID Connect providers (WithSSO); nil: none.
	sso *sso.Client
	// sealKey seals TOTP secrets (SetSecretKey); nil: the server's
	// generated key in the database.
	sealKey []byte
	keyMu   sync.Mutex
	// loginSaltKey makes up the salts of addresses without a password
	// (LoginParams): the server's generated key, read once.
	loginSaltKey []byte
	// webauthn: the relying party of passkeys (passkeys.go).
	rp rpConfig
}

// New returns the account service.
func New(db *store.DB, n *notify.Notifier) *Service {
	return &Service{db: db, notify: n, hashes: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
}
