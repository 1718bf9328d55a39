package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

const personCols = `id, email, name, password_hash, email_verified_at, created_at`

func scanPerson(row interface{ Scan(...any) error }) (*domain.Person, error) {
	var p domain.Person
	var verified sql.NullTime
	if err := row.Scan(&p.ID, &p.Email, &p.Name, &p.PasswordHash, &verified, &p.CreatedAt); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrNotFound
		}
		return nil, err
	}
	p.EmailVerifiedAt = nullTime(verified)
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, nil
}

// CreatePerson creates an account. An empty password leaves the account
// without a password until it is set through a reset or an invitation.
func (db *DB) CreatePerson(ctx context.Context, p *domain.Person, password string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if password != "" {
		if err := domain.ValidatePassword(password); err != nil {
			return err
		}
	}
	hash := ""
	if password != "" {
		hash = HashPassword(password)
	}
	return db.transact(ctx, func(tx *Tx) error { return tx.CreatePerson(ctx, p, hash) })
}

// CreatePerson creates an account inside tx with the stored form of its
// password (empty: none yet); domain.ErrEmailTaken if the address has one.
func (tx *Tx) CreatePerson(ctx context.Context, p *domain.Person, hash string) error {
	p.CreatedAt = tx.now
	p.PasswordHash = hash
	err := tx.QueryRowContext(ctx, `INSERT INTO persons (email, name, password_hash, email_verified_at, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.Email, p.Name, hash, p.EmailVerifiedAt, p.CreatedAt).Scan(&p.ID)
	if err = mapErr(err); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return domain.ErrEmailTaken
		}
		return err
	}
	return tx.audit(ctx, 0, "person.create", "person", p.ID, nil) // by ID only (privacy)
}

// PersonByID returns the person with id.
func (db *DB) PersonByID(ctx context.Context, id int64) (*domain.Person, error) {
	return scanPerson(db.queryRow(ctx, `SELECT `+personCols+` FROM persons WHERE id = $1`, id))
}

// PersonByEmail returns the person with the address.
func (db *DB) PersonByEmail(ctx context.Context, email string) (*domain.Person, error) {
	return scanPerson(db.queryRow(ctx, `SELECT `+personCols+` FROM persons WHERE email = $1`, domain.NormalizeEmail(email)))
}

// Lifetimes of sessions and single-use links.
const (
	sessionLifetime    = 12 * time.Hour
	tokenPrefix        = "lotse_"
	sessionPrefix      = ""
	invitationLifetime = 14 * 24 * time.Hour
)

// PersonByEmail returns the person with the address, read inside tx.
func (tx *Tx) PersonByEmail(ctx context.Context, email string) (*domain.Person, error) {
	return scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons WHERE email = $1`, domain.NormalizeEmail(email)))
}

// PersonByID returns the person with id, read inside tx.
func (tx *Tx) PersonByID(ctx context.Context, id int64) (*domain.Person, error) {
	return scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons WHERE id = $1`, id))
}

// loginLockClass is the first key of the login buckets' advisory locks
// (PostgreSQL), apart from any other advisory lock.
const loginLockClass = 0x4c6f67 // "Log"

// LockLoginBuckets takes the locks of the account bucket and the address
// bucket of a login attempt until tx ends, so that counting the failed
// attempts and recording a new one is one step: two logins for one account
// or from one address take turns. The account's lock is always taken first,
// so two attempts never wait for each other in a circle.
//
// On PostgreSQL they are transaction-level advisory locks on the buckets'
// hashes (a shared hash only makes two buckets take turns); they write
// nothing, where rows as locks wrote a tuple and its WAL at every login. On
// SQLite every write transaction begins with the database's write lock
// (BEGIN IMMEDIATE), which already serialises the attempts.
func (tx *Tx) LockLoginBuckets(ctx context.Context, email, addr string) error {
	if tx.db.Dialect == SQLite {
		return nil
	}
	for _, bucket := range []string{"login-email:" + email, "login-addr:" + addr} {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, loginLockClass, bucket); err != nil {
			return err
		}
	}
	return nil
}

// FailedLogins counts the failed (and the still running) login attempts for
// the address and from the client address since the time given.
func (tx *Tx) FailedLogins(ctx context.Context, email, addr string, since time.Time) (byEmail, byAddr int, err error) {
	err = tx.QueryRowContext(ctx, failedLogins, email, addr, since).Scan(&byEmail, &byAddr)
	return byEmail, byAddr, err
}

// failedLogins counts failed attempts by address ($1) and client address
// ($2) since $3. The literal NOT success lets both databases read the
// partial indexes of failed attempts (a bound parameter would not).
const failedLogins = `SELECT
	(SELECT count(*) FROM login_attempts WHERE email = $1 AND at > $3 AND NOT success),
	(SELECT count(*) FROM login_attempts WHERE addr = $2 AND at > $3 AND NOT success)`

// RecordLoginAttempt records an attempt: with its outcome, or as failed
// before its password is checked, so that it counts while the check runs
// (MarkLoginSucceeded then turns it into a success).
func (tx *Tx) RecordLoginAttempt(ctx context.Context, email, addr string, success bool) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, $2, $3, $4) RETURNING id`,
		email, addr, tx.now, success).Scan(&id)
	return id, err
}

// MarkLoginSucceeded records that attempt id had the right password.
func (tx *Tx) MarkLoginSucceeded(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE login_attempts SET success = $1 WHERE id = $2`, true, id)
	return err
}

// CreateSession starts a session for the person and returns the cookie
// value and the session's CSRF token. Only the value's hash is stored.
func (db *DB) CreateSession(ctx context.Context, personID int64) (token, csrf string, err error) {
	token, hash := newSecret(sessionPrefix)
	csrf, _ = newSecret("")
	now := db.Now()
	_, err = db.exec(ctx, `INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, personID, csrf, now, now.Add(sessionLifetime))
	return token, csrf, err
}

// DeleteSession ends the session with the cookie value token.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashSecret(token))
	return err
}

// SessionActor returns the actor and CSRF token of a live session.
func (db *DB) SessionActor(ctx context.Context, token string) (*domain.Actor, string, error) {
	// One statement for the session, its person and their memberships
	// with roles (it was three: every request of a logged-in person pays
	// for it, and on PostgreSQL each is a round trip).
	rows, err := db.query(ctx, `SELECT s.csrf_token, s.mfa_pending, p.id, p.email, p.name, p.password_hash, p.email_verified_at, p.created_at,
		COALESCE(m.org_id, 0), COALESCE(o.name, ''), COALESCE(o.kind, ''), m.created_at, COALESCE(r.role, '')
		FROM sessions s JOIN persons p ON p.id = s.person_id
		LEFT JOIN memberships m ON m.person_id = s.person_id
		LEFT JOIN organisations o ON o.id = m.org_id
		LEFT JOIN membership_roles r ON r.org_id = m.org_id AND r.person_id = m.person_id
		WHERE s.token_hash = $1 AND s.expires_at > $2
		ORDER BY o.name, m.org_id`, hashSecret(token), db.Now())
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		csrf    string
		pending bool
		a       *domain.Actor
	)
	for rows.Next() {
		var p domain.Person
		var verified, joined sql.NullTime
		var m domain.Membership
		var role string
		if err := rows.Scan(&csrf, &pending, &p.ID, &p.Email, &p.Name, &p.PasswordHash, &verified, &p.CreatedAt,
			&m.OrgID, &m.OrgName, &m.OrgKind, &joined, &role); err != nil {
			return nil, "", err
		}
		if a == nil {
			p.EmailVerifiedAt, p.CreatedAt = nullTime(verified), p.CreatedAt.UTC()
			a = &domain.Actor{Person: &p}
		}
		if m.OrgID != 0 {
			m.PersonID, m.CreatedAt = p.ID, joined.Time
			a.Memberships = addMembershipRow(a.Memberships, m, role)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	switch {
	case a == nil:
		return nil, "", domain.ErrUnauthorized
	case pending:
		// It waits for the second factor and authenticates nobody.
		return nil, csrf, domain.ErrSessionPending
	}
	a.Memberships = sortMembershipRoles(a.Memberships)
	return a, csrf, nil
}

func (db *DB) actor(ctx context.Context, personID int64) (*domain.Actor, error) {
	p, err := db.PersonByID(ctx, personID)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil, domain.ErrUnauthorized
		}
		return nil, err
	}
	ms, err := db.Memberships(ctx, personID)
	if err != nil {
		return nil, err
	}
	return &domain.Actor{Person: p, Memberships: ms}, nil
}

// CreateToken creates an API token with full access and the default
// lifetime for the person of ctx and returns the token's value, which is
// shown once and never stored.
func (db *DB) CreateToken(ctx context.Context, personID int64, name string) (*domain.APIToken, string, error) {
	return db.CreateScopedToken(ctx, personID, domain.NewToken{Name: name})
}

// CreateScopedToken creates an API token with the lifetime and scopes of nt
// for the person of ctx and returns the token's value, which is shown once
// and never stored.
func (db *DB) CreateScopedToken(ctx context.Context, personID int64, nt domain.NewToken) (*domain.APIToken, string, error) {
	if err := nt.Validate(db.Now()); err != nil {
		return nil, "", err
	}
	value, hash := newSecret(tokenPrefix)
	t := &domain.APIToken{PersonID: personID, Name: nt.Name, Prefix: value[:len(tokenPrefix)+6], ExpiresAt: nt.ExpiresAt, Scopes: tokenScopes(nt.Scopes)}
	err := db.transact(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (person_id, name, prefix, token_hash, created_at, expires_at, scopes)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, personID, nt.Name, t.Prefix, hash, t.CreatedAt, t.ExpiresAt,
			domain.JoinScopes(nt.Scopes)).Scan(&t.ID); err != nil {
			return err
		}
		return tx.audit(ctx, 0, "token.create", "api_token", t.ID, map[string]string{"name": nt.Name,
			"scopes": domain.JoinScopes(t.Scopes), "expires_at": t.ExpiresAt.Format(time.DateOnly)})
	})
	if err != nil {
		return nil, "", err
	}
	return t, value, nil
}

// tokenScopes is how a token's scopes are shown: full access as ["full"].
func tokenScopes(s []domain.TokenScope) []domain.TokenScope {
	if len(s) == 0 {
		return []domain.TokenScope{domain.ScopeFull}
	}
	return s
}

// Tokens lists the person's API tokens, newest first.
func (db *DB) Tokens(ctx context.Context, personID int64) ([]domain.APIToken, error) {
	rows, err := db.query(ctx, `SELECT id, person_id, name, prefix, created_at, last_used_at, revoked_at, expires_at, scopes
		FROM api_tokens WHERE person_id = $1 ORDER BY id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.APIToken
	for rows.Next() {
		var t domain.APIToken
		var used, revoked, expires sql.NullTime
		var scopes string
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked, &expires, &scopes); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.ExpiresAt = expires.Time.UTC()
		t.Scopes = tokenScopes(domain.SplitScopes(scopes))
		t.LastUsedAt, t.RevokedAt = nullTime(used), nullTime(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the person's tokens.
func (db *DB) RevokeToken(ctx context.Context, personID, tokenID int64) error {
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND person_id = $3 AND revoked_at IS NULL`,
			tx.now, tokenID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.ErrNotFound
		}
		return tx.audit(ctx, 0, "token.revoke", "api_token", tokenID, nil)
	})
}

// TokenActor returns the actor of a live API token.
func (db *DB) TokenActor(ctx context.Context, value string) (*domain.Actor, error) {
	var id, personID int64
	var expires, used sql.NullTime
	var scopes string
	err := db.queryRow(ctx, `SELECT id, person_id, expires_at, scopes, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
		hashSecret(value)).Scan(&id, &personID, &expires, &scopes, &used)
	if errNoRows(err) {
		return nil, domain.ErrUnauthorized
	} else if err != nil {
		return nil, err
	}
	if !expires.Valid || !expires.Time.After(db.Now()) {
		return nil, domain.ErrTokenExpired
	}
	// The last use is kept to the minute: a write per request would queue
	// every call of an integration behind SQLite's writer. Best effort: a
	// failed update must not fail the request.
	if now := db.Now(); !used.Valid || now.Sub(used.Time) >= TokenUseResolution {
		db.exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
	}
	a, err := db.actor(ctx, personID)
	if err != nil {
		return nil, err
	}
	a.TokenID = id
	a.Scopes = domain.SplitScopes(scopes)
	return a, nil
}

// TokenUseResolution is how exactly an API token's last use is kept.
const TokenUseResolution = time.Minute

// Purposes of single-use links.
const (
	PurposeReset  = "reset"
	PurposeVerify = "verify"
)

// CountPersonTokens counts the links of purpose created for the person since
// the time given.
func (tx *Tx) CountPersonTokens(ctx context.Context, personID int64, purpose string, since time.Time) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM person_tokens WHERE person_id = $1 AND purpose = $2 AND created_at > $3`,
		personID, purpose, since).Scan(&n)
	return n, err
}

// CreatePersonToken stores a new single-use link token for the person and
// returns its value; only its hash is stored.
func (tx *Tx) CreatePersonToken(ctx context.Context, personID int64, purpose string, life time.Duration) (string, error) {
	token, hash := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO person_tokens (token_hash, person_id, purpose, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, personID, purpose, tx.now, tx.now.Add(life))
	return token, err
}

// UsePersonToken marks a single-use token as used and returns its person;
// domain.ErrLinkInvalid when it is unknown, used or expired.
func (tx *Tx) UsePersonToken(ctx context.Context, token, purpose string) (int64, error) {
	var personID int64
	err := tx.QueryRowContext(ctx, `UPDATE person_tokens SET used_at = $1
		WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING person_id`,
		tx.now, hashSecret(token), purpose).Scan(&personID)
	if errNoRows(err) {
		return 0, domain.ErrLinkInvalid
	}
	return personID, err
}

// ReplacePasswordHash replaces the person's password hash old by hash,
// unless it changed in the meantime (then it leaves it).
func (tx *Tx) ReplacePasswordHash(ctx context.Context, personID int64, old, hash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE persons SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, hash, personID, old)
	return err
}

// PasswordHashByEmail is the password hash of the person with the
// (normalised) address, "" for none or no such person.
func (db *DB) PasswordHashByEmail(ctx context.Context, email string) (string, error) {
	var hash sql.NullString
	err := db.queryRow(ctx, `SELECT password_hash FROM persons WHERE email = $1`, email).Scan(&hash)
	if errNoRows(err) {
		return "", nil
	}
	return hash.String, err
}

// SetPasswordHash stores a new password hash for the person.
func (tx *Tx) SetPasswordHash(ctx context.Context, personID int64, hash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE persons SET password_hash = $1 WHERE id = $2`, hash, personID)
	return err
}

// MarkEmailVerified records that the person's address is confirmed (the
// first confirmation counts).
func (tx *Tx) MarkEmailVerified(ctx context.Context, personID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE persons SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2`, tx.now, personID)
	return err
}

// EndAccess ends every session, API token and open reset link of the
// person: after a password reset only the new password opens the account.
func (tx *Tx) EndAccess(ctx context.Context, personID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE person_id = $1`, personID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL`,
		tx.now, personID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE person_tokens SET used_at = $1 WHERE person_id = $2 AND purpose = 'reset' AND used_at IS NULL`,
		tx.now, personID)
	return err
}

// SetPassword sets a password directly (command line, demo).
func (db *DB) SetPassword(ctx context.Context, personID int64, password string) error {
	if err := domain.ValidatePassword(password); err != nil {
		return err
	}
	hash := HashPassword(password)
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET password_hash = $1 WHERE id = $2`, hash, personID); err != nil {
			return err
		}
		return tx.audit(ctx, 0, "person.set_password", "person", personID, nil)
	})
}
