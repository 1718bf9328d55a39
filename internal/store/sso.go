package store

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// SSOLogin is a single sign-on login in progress: what the callback needs
// to check the provider's answer.
type SSOLogin struct {
	Provider, Nonce, Verifier, Next string
	ExpiresAt                       time.Time
}

// CreateSSOLogin stores a login in progress under the hash of its state and
// removes the expired ones, so the table stays small without a job.
func (db *DB) CreateSSOLogin(ctx context.Context, state string, l SSOLogin) error {
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sso_logins WHERE expires_at <= $1`, tx.now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sso_logins (state_hash, provider, nonce, verifier, next, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, hashSecret(state), l.Provider, l.Nonce, l.Verifier, l.Next, tx.now, l.ExpiresAt)
		return err
	})
}

// TakeSSOLogin reads and removes the login in progress with the state: a
// state is good once. An unknown or expired state is ENotFound.
func (db *DB) TakeSSOLogin(ctx context.Context, state string) (*SSOLogin, error) {
	var l SSOLogin
	err := db.transact(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM sso_logins WHERE state_hash = $1
			RETURNING provider, nonce, verifier, next, expires_at`, hashSecret(state)).Scan(&l.Provider, &l.Nonce, &l.Verifier, &l.Next, &l.ExpiresAt)
		if errNoRows(err) {
			return domain.ErrNotFound
		} else if err != nil {
			return err
		}
		if !l.ExpiresAt.After(tx.now) {
			return domain.ErrNotFound
		}
		return nil
	})
	return &l, err
}

// SSOIdentityPerson returns the person an identity at a provider belongs
// to; ENotFound if none yet.
func (tx *Tx) SSOIdentityPerson(ctx context.Context, provider, subject string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT person_id FROM sso_identities WHERE provider = $1 AND subject = $2`, provider, subject).Scan(&id)
	if errNoRows(err) {
		return 0, domain.ErrNotFound
	}
	return id, err
}

// LinkSSOIdentity links an identity at a provider to a person.
func (tx *Tx) LinkSSOIdentity(ctx context.Context, provider, subject string, personID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sso_identities (provider, subject, person_id, created_at, last_login_at)
		VALUES ($1, $2, $3, $4, $4)`, provider, subject, personID, tx.now)
	return err
}

// TouchSSOIdentity records a login through the identity.
func (tx *Tx) TouchSSOIdentity(ctx context.Context, provider, subject string) error {
	_, err := tx.ExecContext(ctx, `UPDATE sso_identities SET last_login_at = $1 WHERE provider = $2 AND subject = $3`, tx.now, provider, subject)
	return err
}

// SSOIdentityCount counts the identities linked to a person (tests, the
// account page).
func (db *DB) SSOIdentityCount(ctx context.Context, personID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM sso_identities WHERE person_id = $1`, personID).Scan(&n)
	return n, err
}

// CreateSSOPerson creates an account that logs in through single sign-on:
// no password, the address confirmed by the provider. Unlike CreatePerson
// its audit entry names no address (the person is referred to by ID).
func (tx *Tx) CreateSSOPerson(ctx context.Context, p *domain.Person, provider string) error {
	p.CreatedAt = tx.now
	p.EmailVerifiedAt = &p.CreatedAt
	err := mapErr(tx.QueryRowContext(ctx, `INSERT INTO persons (email, name, password_hash, email_verified_at, created_at)
		VALUES ($1, $2, '', $3, $3) RETURNING id`, p.Email, p.Name, p.CreatedAt).Scan(&p.ID))
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrEmailTaken
	}
	return err
}

// SetSSOSession keeps the provider and ID token of a session started by
// single sign-on (the cookie value session), for the provider's logout.
func (db *DB) SetSSOSession(ctx context.Context, session, provider, idToken string) error {
	_, err := db.exec(ctx, `INSERT INTO sso_sessions (session_hash, provider, id_token) VALUES ($1, $2, $3)`,
		hashSecret(session), provider, idToken)
	return err
}

// SSOSession returns the provider and ID token of a session started by
// single sign-on; ENotFound for any other session.
func (db *DB) SSOSession(ctx context.Context, session string) (provider, idToken string, err error) {
	err = db.queryRow(ctx, `SELECT provider, id_token FROM sso_sessions WHERE session_hash = $1`, hashSecret(session)).Scan(&provider, &idToken)
	if errNoRows(err) {
		return "", "", domain.ErrNotFound
	}
	return provider, idToken, err
}

// DeleteSSOSession forgets a session's ID token (on logout).
func (db *DB) DeleteSSOSession(ctx context.Context, session string) error {
	_, err := db.exec(ctx, `DELETE FROM sso_sessions WHERE session_hash = $1`, hashSecret(session))
	return err
}

// PasswordLoginOff reports whether the person belongs to an organisation
// that has switched password login off.
func (tx *Tx) PasswordLoginOff(ctx context.Context, personID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.person_id = $1 AND o.password_login = $2`, personID, false).Scan(&n)
	return n > 0, err
}

// PasswordLogin reports whether the organisation's members may log in with
// a password.
func (db *DB) PasswordLogin(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	err := db.queryRow(ctx, `SELECT password_login FROM organisations WHERE id = $1`, orgID).Scan(&on)
	if errNoRows(err) {
		return false, domain.ErrNotFound
	}
	return on, err
}

// SetPasswordLogin switches password login of the organisation's members
// on or off.
func (tx *Tx) SetPasswordLogin(ctx context.Context, orgID int64, on bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE organisations SET password_login = $1 WHERE id = $2`, on, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// OrganisationByAGS returns the organisation with the AGS, read inside tx.
func (tx *Tx) OrganisationByAGS(ctx context.Context, ags string) (*domain.Organisation, error) {
	return scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE ags = $1`, ags))
}

// OrgPasswordLogin reports, inside tx, whether the organisation's members
// may log in with a password.
func (tx *Tx) OrgPasswordLogin(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	err := tx.QueryRowContext(ctx, `SELECT password_login FROM organisations WHERE id = $1`, orgID).Scan(&on)
	if errNoRows(err) {
		return false, domain.ErrNotFound
	}
	return on, err
}
