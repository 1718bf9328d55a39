package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Login limits: failed attempts within loginWindow, per account and per
// client address.
const (
	loginWindow      = 15 * time.Minute
	maxFailsPerEmail = 5
	maxFailsPerAddr  = 20
)

// Credential is what a login proves itself with: the password, the key the
// browser computed from it with the account's LoginParams, or both (the
// login form's script sends both). A current hash is checked against the
// key alone, so the server computes no argon2id; a hash of the older form,
// and a client without the key, are checked against the password.
type Credential struct {
	Password string
	Key      []byte
}

// Login checks an address and credential from the client address addr and
// starts a new session; the browser's old session (oldSession, may be
// empty) ends. It returns the new session's cookie value.
//
// The attempt is counted under the locks of its account and address
// buckets, so that parallel attempts cannot all pass the limit. A key is
// checked in that transaction (a SHA-256, no wait) and the attempt
// recorded with its outcome. A password's attempt is recorded as failed
// and the password hashed after the transaction: at most the limit of
// attempts per window reach the hash, and the hashes run a bounded number
// at a time. An unknown address counts and waits the same as a known one.
func (s *Service) Login(ctx context.Context, email string, cred Credential, addr, oldSession string) (session string, err error) {
	defer domain.Wrap(&err, "account.Login")
	email = domain.NormalizeEmail(email)
	var attempt int64
	var p *domain.Person
	passwordOff := false // sso: the person's organisation switched passwords off
	var byKey, ok bool
	err = s.db.Transact(ctx, func(tx *store.Tx) (err error) {
		ok = false
		// Whose account it is, read before the locks: reading does not
		// count, and the locks are held for as short as can be.
		p, err = tx.PersonByEmail(ctx, email)
		if domain.ErrorCode(err) == domain.ENotFound {
			p, err = nil, nil
		}
		if err != nil {
			return err
		}
		if p != nil {
			if passwordOff, err = tx.PasswordLoginOff(ctx, p.ID); err != nil {
				return err
			}
		}
		// Without a password, a key is all there is; with one, the key
		// serves a current hash only.
		byKey = cred.Key != nil && (cred.Password == "" || (p != nil && store.CurrentHash(p.PasswordHash)))
		if err := tx.LockLoginBuckets(ctx, email, addr); err != nil {
			return err
		}
		byEmail, byAddr, err := tx.FailedLogins(ctx, email, addr, tx.Now().Add(-loginWindow))
		if err != nil {
			return err
		}
		if byEmail >= maxFailsPerEmail || byAddr >= maxFailsPerAddr {
			return domain.ErrLoginLimited
		}
		if !byKey {
			// Counted as failed while the password is hashed.
			attempt, err = tx.RecordLoginAttempt(ctx, email, addr, false)
			return err
		}
		if p != nil && p.PasswordHash != "" {
			if ok, err = store.CheckPasswordKey(p.PasswordHash, cred.Key); err != nil {
				return err
			}
		}
		if attempt, err = tx.RecordLoginAttempt(ctx, email, addr, ok && !passwordOff); err != nil || !ok || passwordOff {
			return err
		}
		return s.auditLogin(ctx, tx, p)
	})
	if err != nil {
		return "", err
	}
	if !byKey {
		hash := ""
		if p != nil {
			hash = p.PasswordHash
		}
		if ok, err = s.checkPassword(ctx, hash, cred.Password); err != nil {
			return "", err
		}
	}
	if passwordOff {
		// Refused whether or not the password was right, so the answer
		// does not tell a guesser which password is.
		return "", s.passwordLoginOff()
	}
	if !ok {
		return "", domain.ErrLoginFailed
	}
	if !byKey {
		// A hash of the older form gives way to a current one with a new
		// salt (its key, which old backups hold, no longer logs in).
		var hash string
		if !store.CurrentHash(p.PasswordHash) {
			if hash, err = s.hashPassword(ctx, cred.Password); err != nil {
				return "", err
			}
		}
		err = s.db.Transact(ctx, func(tx *store.Tx) error {
			if hash != "" {
				if err := tx.ReplacePasswordHash(ctx, p.ID, p.PasswordHash, hash); err != nil {
					return err
				}
			}
			if err := tx.MarkLoginSucceeded(ctx, attempt); err != nil {
				return err
			}
			return s.auditLogin(ctx, tx, p)
		})
		if err != nil {
			return "", err
		}
	}
	return s.startSession(ctx, p, oldSession)
}

// auditLogin logs p's login.
func (s *Service) auditLogin(ctx context.Context, tx *store.Tx, p *domain.Person) error {
	return tx.Audit(domain.WithActor(ctx, &domain.Actor{Person: p}), 0, "person.login", "person", p.ID, nil)
}

// LoginParams are the parameters with which a client computes the key of
// the password of the address (Credential.Key): those of the account's
// hash, or for an address without a password (unknown, or single sign-on
// only) those of a made-up salt that stays the same, so that the answer
// does not tell whether an account exists.
func (s *Service) LoginParams(ctx context.Context, email string) (pp store.PasswordParams, err error) {
	defer domain.Wrap(&err, "account.LoginParams")
	email = domain.NormalizeEmail(email)
	hash, err := s.db.PasswordHashByEmail(ctx, email)
	if err != nil {
		return pp, err
	}
	if hash != "" {
		if pp, err = store.HashParams(hash); err == nil {
			return pp, nil
		}
	}
	k, err := s.saltKey(ctx)
	if err != nil {
		return pp, err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(email))
	return store.DefaultPasswordParams(m.Sum(nil)[:16]), nil
}

// saltKey is the server's key of made-up salts, read once (call it outside
// transactions).
func (s *Service) saltKey(ctx context.Context) ([]byte, error) {
	return s.serverKey(ctx, "login-salt", &s.loginSaltKey)
}

// startSession starts a new session for p after any way of logging in
// (password, single sign-on) and ends the browser's old session
// (oldSession, may be empty). It returns the new session's cookie value.
// Every login goes through here, so a rule about sessions (such as a second
// factor) has one place.
func (s *Service) startSession(ctx context.Context, p *domain.Person, oldSession string) (string, error) {
	if oldSession != "" {
		if err := s.db.DeleteSession(ctx, oldSession); err != nil {
			return "", err
		}
	}
	// A person who has a second factor, or must have one, starts pending:
	// the session authenticates nobody until the second factor is given
	// (or set up), and then gives way to a new one.
	pending, err := s.needsSecondFactor(ctx, p)
	if err != nil {
		return "", err
	}
	if pending {
		var session string
		err := s.db.Transact(ctx, func(tx *store.Tx) (err error) {
			session, err = tx.CreatePendingSession(ctx, p.ID)
			return err
		})
		return session, err
	}
	session, _, err := s.db.CreateSession(ctx, p.ID)
	return session, err
}

// SessionPending reports whether the session with the cookie value
// session waits for its second factor.
func (s *Service) SessionPending(ctx context.Context, session string) bool {
	if session == "" {
		return false
	}
	_, _, _, err := s.db.PendingSession(ctx, session)
	return err == nil
}

// Logout ends the session with the cookie value session.
func (s *Service) Logout(ctx context.Context, session string) (err error) {
	defer domain.Wrap(&err, "account.Logout")
	if session == "" {
		return nil
	}
	return s.db.DeleteSession(ctx, session)
}

// Tokens lists the acting person's API tokens, newest first.
func (s *Service) Tokens(ctx context.Context) (ts []domain.APIToken, err error) {
	defer domain.Wrap(&err, "account.Tokens")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountTokens, authz.Resource{}); err != nil {
		return nil, err
	}
	return s.db.Tokens(ctx, a.PersonID())
}

// CreateToken creates an API token for the acting person with a lifetime
// (at most a year; the default 90 days) and scopes (none: full access) and
// returns it with its value, which is shown once and never stored. A token
// limited to scopes cannot create tokens (authz).
func (s *Service) CreateToken(ctx context.Context, nt domain.NewToken) (t *domain.APIToken, value string, err error) {
	defer domain.Wrap(&err, "account.CreateToken")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountTokens, authz.Resource{}); err != nil {
		return nil, "", err
	}
	if err := nt.Validate(s.db.Now()); err != nil {
		return nil, "", err
	}
	return s.db.CreateScopedToken(ctx, a.PersonID(), nt)
}

// RevokeToken revokes one of the acting person's API tokens; another
// person's token is not found.
func (s *Service) RevokeToken(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "account.RevokeToken(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountTokens, authz.Resource{}); err != nil {
		return err
	}
	return s.db.RevokeToken(ctx, a.PersonID(), id)
}
