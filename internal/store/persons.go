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
	return db.transact(ctx, func(tx *Tx) error { return tx.createPerson(ctx, p, password) })
}

func (tx *Tx) createPerson(ctx context.Context, p *domain.Person, password string) error {
	hash := ""
	if password != "" {
		hash = HashPassword(password)
	}
	p.CreatedAt = tx.now
	p.PasswordHash = hash
	err := tx.QueryRowContext(ctx, `INSERT INTO persons (email, name, password_hash, email_verified_at, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.Email, p.Name, hash, p.EmailVerifiedAt, p.CreatedAt).Scan(&p.ID)
	if err = mapErr(err); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return &domain.Error{Code: domain.EConflict, Message: "Für diese E-Mail-Adresse gibt es bereits ein Konto.",
				Fields: map[string]string{"email": "Für diese E-Mail-Adresse gibt es bereits ein Konto."}}
		}
		return err
	}
	return tx.audit(ctx, 0, "person.create", "person", p.ID, map[string]string{"email": p.Email})
}

// PersonByID returns the person with id.
func (db *DB) PersonByID(ctx context.Context, id int64) (*domain.Person, error) {
	return scanPerson(db.sql.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons WHERE id = $1`, id))
}

// PersonByEmail returns the person with the address.
func (db *DB) PersonByEmail(ctx context.Context, email string) (*domain.Person, error) {
	return scanPerson(db.sql.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons WHERE email = $1`, domain.NormalizeEmail(email)))
}

// Login rate limits: failed attempts within loginWindow.
const (
	loginWindow        = 15 * time.Minute
	maxFailsPerEmail   = 5
	maxFailsPerAddr    = 20
	sessionLifetime    = 12 * time.Hour
	tokenPrefix        = "lotse_"
	sessionPrefix      = ""
	resetLifetime      = time.Hour
	verifyLifetime     = 7 * 24 * time.Hour
	invitationLifetime = 14 * 24 * time.Hour
)

var errLoginFailed = &domain.Error{Code: domain.EUnauthorized, Message: "E-Mail-Adresse oder Passwort ist falsch.",
	Fields: map[string]string{"password": "E-Mail-Adresse oder Passwort ist falsch."}}

var errLoginLimited = &domain.Error{Code: domain.ERateLimited,
	Message: "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."}

// Authenticate checks an address and password. Failed attempts are counted
// per account and per client address in the database, so that the limit holds
// across several server instances.
func (db *DB) Authenticate(ctx context.Context, email, password, addr string) (*domain.Person, error) {
	email = domain.NormalizeEmail(email)
	since := db.Now().Add(-loginWindow)
	var byEmail, byAddr int
	if err := db.sql.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM login_attempts WHERE email = $1 AND at > $3 AND success = $4),
		(SELECT count(*) FROM login_attempts WHERE addr = $2 AND at > $3 AND success = $4)`,
		email, addr, since, false).Scan(&byEmail, &byAddr); err != nil {
		return nil, err
	}
	if byEmail >= maxFailsPerEmail || byAddr >= maxFailsPerAddr {
		return nil, errLoginLimited
	}
	p, err := db.PersonByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && p.PasswordHash != "":
		if ok, err = CheckPassword(p.PasswordHash, password); err != nil {
			return nil, err
		}
	case err == nil || domain.ErrorCode(err) == domain.ENotFound:
		CheckPassword(dummyHash, password)
	default:
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, $2, $3, $4)`,
			email, addr, tx.now, ok); err != nil {
			return err
		}
		if !ok {
			return nil
		}
		return tx.audit(domain.WithActor(ctx, &domain.Actor{Person: p}), 0, "person.login", "person", p.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errLoginFailed
	}
	return p, nil
}

// CreateSession starts a session for the person and returns the cookie
// value and the session's CSRF token. Only the value's hash is stored.
func (db *DB) CreateSession(ctx context.Context, personID int64) (token, csrf string, err error) {
	token, hash := newSecret(sessionPrefix)
	csrf, _ = newSecret("")
	now := db.Now()
	_, err = db.sql.ExecContext(ctx, `INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, personID, csrf, now, now.Add(sessionLifetime))
	return token, csrf, err
}

// DeleteSession ends the session with the cookie value token.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashSecret(token))
	return err
}

// SessionActor returns the actor and CSRF token of a live session.
func (db *DB) SessionActor(ctx context.Context, token string) (*domain.Actor, string, error) {
	var personID int64
	var csrf string
	err := db.sql.QueryRowContext(ctx, `SELECT person_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2`,
		hashSecret(token), db.Now()).Scan(&personID, &csrf)
	if errNoRows(err) {
		return nil, "", domain.ErrUnauthorized
	} else if err != nil {
		return nil, "", err
	}
	a, err := db.actor(ctx, personID)
	return a, csrf, err
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

// CreateToken creates an API token for the person of ctx and returns the
// token's value, which is shown once and never stored.
func (db *DB) CreateToken(ctx context.Context, personID int64, name string) (*domain.APIToken, string, error) {
	v := domain.Validation{}
	if len(name) == 0 {
		v.Add("name", "Bitte geben Sie dem Token einen Namen, z. B. „Buchungssystem“.")
	} else if len(name) > 100 {
		v.Add("name", "Der Name darf höchstens 100 Zeichen lang sein.")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	value, hash := newSecret(tokenPrefix)
	t := &domain.APIToken{PersonID: personID, Name: name, Prefix: value[:len(tokenPrefix)+6]}
	err := db.transact(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (person_id, name, prefix, token_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, personID, name, t.Prefix, hash, t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return tx.audit(ctx, 0, "token.create", "api_token", t.ID, map[string]string{"name": name})
	})
	if err != nil {
		return nil, "", err
	}
	return t, value, nil
}

// Tokens lists the person's API tokens, newest first.
func (db *DB) Tokens(ctx context.Context, personID int64) ([]domain.APIToken, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, person_id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE person_id = $1 ORDER BY id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.APIToken
	for rows.Next() {
		var t domain.APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
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
	err := db.sql.QueryRowContext(ctx, `SELECT id, person_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
		hashSecret(value)).Scan(&id, &personID)
	if errNoRows(err) {
		return nil, domain.ErrUnauthorized
	} else if err != nil {
		return nil, err
	}
	// Best effort: a failed update of the last-use time must not fail the request.
	db.sql.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, db.Now(), id)
	a, err := db.actor(ctx, personID)
	if err != nil {
		return nil, err
	}
	a.TokenID = id
	return a, nil
}

// RequestPasswordReset sends a reset link to the address if an account
// exists. It reports nothing about whether it does.
func (db *DB) RequestPasswordReset(ctx context.Context, email string) error {
	p, err := db.PersonByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		// At most three open reset links an hour, so the form cannot flood a mailbox.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM person_tokens WHERE person_id = $1 AND purpose = 'reset' AND created_at > $2`,
			p.ID, tx.now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= 3 {
			return nil
		}
		token, err := tx.personToken(ctx, p.ID, "reset", resetLifetime)
		if err != nil {
			return err
		}
		return tx.enqueueMail(ctx, p.Email, "Passwort zurücksetzen bei Lotse",
			"Guten Tag "+p.Name+",\n\nSie haben angefordert, Ihr Passwort bei Lotse zurückzusetzen. "+
				"Über diesen Link vergeben Sie ein neues Passwort (eine Stunde gültig):\n\n"+
				tx.db.BaseURL+"/passwort-zuruecksetzen?token="+token+
				"\n\nWenn Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren.\n\nIhr Lotse-Team")
	})
}

// RequestVerification sends the person a link that confirms their address.
func (db *DB) RequestVerification(ctx context.Context, personID int64) error {
	p, err := db.PersonByID(ctx, personID)
	if err != nil {
		return err
	}
	if p.EmailVerifiedAt != nil {
		return domain.Errorf(domain.EConflict, "Ihre E-Mail-Adresse ist bereits bestätigt.")
	}
	return db.transact(ctx, func(tx *Tx) error {
		token, err := tx.personToken(ctx, p.ID, "verify", verifyLifetime)
		if err != nil {
			return err
		}
		return tx.enqueueMail(ctx, p.Email, "Bitte bestätigen Sie Ihre E-Mail-Adresse",
			"Guten Tag "+p.Name+",\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für Lotse über diesen Link:\n\n"+
				tx.db.BaseURL+"/email-bestaetigen?token="+token+"\n\nIhr Lotse-Team")
	})
}

func (tx *Tx) personToken(ctx context.Context, personID int64, purpose string, life time.Duration) (string, error) {
	token, hash := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO person_tokens (token_hash, person_id, purpose, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, personID, purpose, tx.now, tx.now.Add(life))
	return token, err
}

// usePersonToken marks a single-use token as used and returns its person.
func (tx *Tx) usePersonToken(ctx context.Context, token, purpose string) (int64, error) {
	var personID int64
	err := tx.QueryRowContext(ctx, `UPDATE person_tokens SET used_at = $1
		WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING person_id`,
		tx.now, hashSecret(token), purpose).Scan(&personID)
	if errNoRows(err) {
		return 0, domain.Errorf(domain.EInvalid, "Der Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.")
	}
	return personID, err
}

// ResetPassword sets a new password with a reset token, ends every way into
// the account someone else may hold (see EndAccess) and confirms the address
// (the link reached it).
func (db *DB) ResetPassword(ctx context.Context, token, password string) error {
	if err := domain.ValidatePassword(password); err != nil {
		return err
	}
	hash := HashPassword(password)
	return db.transact(ctx, func(tx *Tx) error {
		id, err := tx.usePersonToken(ctx, token, "reset")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3`,
			hash, tx.now, id); err != nil {
			return err
		}
		if err := tx.EndAccess(ctx, id); err != nil {
			return err
		}
		return tx.audit(domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: id}}), 0, "person.password_reset", "person", id, nil)
	})
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

// VerifyEmail confirms an address with a verification token.
func (db *DB) VerifyEmail(ctx context.Context, token string) error {
	return db.transact(ctx, func(tx *Tx) error {
		id, err := tx.usePersonToken(ctx, token, "verify")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2`, tx.now, id); err != nil {
			return err
		}
		return tx.audit(domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: id}}), 0, "person.verify_email", "person", id, nil)
	})
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
