package account

import (
	"context"
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

// Login checks an address and password from the client address addr and
// starts a new session; the browser's old session (oldSession, may be empty)
// ends. It returns the new session's cookie value.
//
// The attempt is counted before its password is hashed, under the locks of
// its account and address buckets, so that parallel attempts cannot all pass
// the limit: at most the limit of attempts per window reach the hash, and
// the hashes themselves run a bounded number at a time. An unknown address
// counts and waits the same as a known one.
func (s *Service) Login(ctx context.Context, email, password, addr, oldSession string) (session string, err error) {
	defer domain.Wrap(&err, "account.Login")
	email = domain.NormalizeEmail(email)
	var attempt int64
	var p *domain.Person
	passwordOff := false // sso: the person's organisation switched passwords off
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
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
		if attempt, err = tx.RecordLoginAttempt(ctx, email, addr); err != nil {
			return err
		}
		p, err = tx.PersonByEmail(ctx, email)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		} else if err != nil {
			return err
		}
		passwordOff, err = tx.PasswordLoginOff(ctx, p.ID)
		return err
	})
	if err != nil {
		return "", err
	}
	hash := ""
	if p != nil {
		hash = p.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, password)
	if err != nil {
		return "", err
	}
	if passwordOff {
		// Refused whether or not the password was right, so the answer
		// does not tell a guesser which password is.
		return "", s.passwordLoginOff()
	}
	if !ok {
		return "", domain.ErrLoginFailed
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.MarkLoginSucceeded(ctx, attempt); err != nil {
			return err
		}
		return tx.Audit(domain.WithActor(ctx, &domain.Actor{Person: p}), 0, "person.login", "person", p.ID, nil)
	})
	if err != nil {
		return "", err
	}
	return s.startSession(ctx, p, oldSession)
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
