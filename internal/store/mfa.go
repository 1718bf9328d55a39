package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The second factor: pending sessions, TOTP secrets, recovery codes,
// passkeys, the requirement to have one, and the server's sealing key.

// pendingLifetime is how long a session waits for its second factor.
const pendingLifetime = 15 * time.Minute

// CreatePendingSession starts a session for the person that waits for the
// second factor: it authenticates nobody (SessionActor answers
// domain.ErrSessionPending) until CompletePendingSession replaces it.
func (tx *Tx) CreatePendingSession(ctx context.Context, personID int64) (string, error) {
	token, hash := newSecret(sessionPrefix)
	csrf, _ := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at, mfa_pending)
		VALUES ($1, $2, $3, $4, $5, $6)`, hash, personID, csrf, tx.now, tx.now.Add(pendingLifetime), true)
	return token, err
}

// PendingSession returns the person, CSRF token and passkey challenge of a
// live pending session; domain.ErrMFANotPending for anything else.
func (db *DB) PendingSession(ctx context.Context, token string) (personID int64, csrf, challenge string, err error) {
	err = db.queryRow(ctx, `SELECT person_id, csrf_token, mfa_challenge FROM sessions
		WHERE token_hash = $1 AND expires_at > $2 AND mfa_pending = $3`, hashSecret(token), db.Now(), true).Scan(&personID, &csrf, &challenge)
	if errNoRows(err) {
		return 0, "", "", domain.ErrMFANotPending
	}
	return personID, csrf, challenge, err
}

// SetSessionChallenge keeps the state of a passkey ceremony with the
// session (pending or not), so that any instance can finish it.
func (db *DB) SetSessionChallenge(ctx context.Context, token, challenge string) error {
	_, err := db.exec(ctx, `UPDATE sessions SET mfa_challenge = $1 WHERE token_hash = $2`, challenge, hashSecret(token))
	return err
}

// SessionChallenge returns the passkey ceremony state of a session.
func (db *DB) SessionChallenge(ctx context.Context, token string) (string, error) {
	var c string
	err := db.queryRow(ctx, `SELECT mfa_challenge FROM sessions WHERE token_hash = $1 AND expires_at > $2`,
		hashSecret(token), db.Now()).Scan(&c)
	if errNoRows(err) {
		return "", domain.ErrUnauthorized
	}
	return c, err
}

// EndPendingSession ends the pending session token inside tx: the second
// factor is given and a full session with a new ID follows.
func (tx *Tx) EndPendingSession(ctx context.Context, token string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 AND mfa_pending = $2`, hashSecret(token), true)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrMFANotPending
	}
	return nil
}

// TOTPRecord is a person's stored TOTP: the sealed secret, whether it is
// confirmed, and the last time step a code was accepted for.
type TOTPRecord struct {
	Sealed      string
	ConfirmedAt *time.Time
	LastStep    int64
}

// TOTP returns the person's TOTP record, or nil.
func (db *DB) TOTP(ctx context.Context, personID int64) (*TOTPRecord, error) {
	var r TOTPRecord
	var confirmed sql.NullTime
	err := db.queryRow(ctx, `SELECT secret, confirmed_at, last_step FROM mfa_totp WHERE person_id = $1`, personID).
		Scan(&r.Sealed, &confirmed, &r.LastStep)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	r.ConfirmedAt = nullTime(confirmed)
	return &r, nil
}

// PutTOTP stores a new, unconfirmed TOTP secret for the person, replacing
// an unconfirmed one; a confirmed one is domain.ErrTOTPExists.
func (tx *Tx) PutTOTP(ctx context.Context, personID int64, sealed string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_totp WHERE person_id = $1 AND confirmed_at IS NULL`, personID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO mfa_totp (person_id, secret, created_at) VALUES ($1, $2, $3)`, personID, sealed, tx.now)
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrTOTPExists
	}
	return err
}

// UseTOTPStep records that a code of time step was accepted, and confirms
// the TOTP if it was not yet. A step at or before the last accepted one is
// domain.ErrMFACode: a code works once.
func (tx *Tx) UseTOTPStep(ctx context.Context, personID, step int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE mfa_totp SET last_step = $1, confirmed_at = COALESCE(confirmed_at, $2)
		WHERE person_id = $3 AND last_step < $1`, step, tx.now, personID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrMFACode
	}
	return nil
}

// DeleteTOTP removes the person's TOTP and recovery codes.
func (tx *Tx) DeleteTOTP(ctx context.Context, personID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_totp WHERE person_id = $1`, personID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM mfa_recovery_codes WHERE person_id = $1`, personID)
	return err
}

// NewRecoveryCodes replaces the person's recovery codes with n new ones and
// returns them; only their hashes are stored. A code is 16 characters of
// Crockford base32 (80 bits) in groups of four.
func (tx *Tx) NewRecoveryCodes(ctx context.Context, personID int64, n int) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mfa_recovery_codes WHERE person_id = $1`, personID); err != nil {
		return nil, err
	}
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	codes := make([]string, n)
	for i := range codes {
		b := make([]byte, 16)
		rand.Read(b)
		var sb strings.Builder
		for j, c := range b {
			if j > 0 && j%4 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(alphabet[int(c)%32])
		}
		codes[i] = sb.String()
		if _, err := tx.ExecContext(ctx, `INSERT INTO mfa_recovery_codes (person_id, code_hash, created_at) VALUES ($1, $2, $3)`,
			personID, hashSecret(NormalizeRecoveryCode(codes[i])), tx.now); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// NormalizeRecoveryCode is the form a recovery code is hashed in: lower
// case, without spaces or dashes, with the letters that look like digits
// read as those digits.
func NormalizeRecoveryCode(code string) string {
	code = strings.ToLower(code)
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o':
			return '0'
		case 'i', 'l':
			return '1'
		}
		return r
	}, code)
}

// UseRecoveryCode spends one of the person's recovery codes; an unknown or
// used code is domain.ErrMFACode.
func (tx *Tx) UseRecoveryCode(ctx context.Context, personID int64, code string) error {
	res, err := tx.ExecContext(ctx, `UPDATE mfa_recovery_codes SET used_at = $1 WHERE person_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		tx.now, personID, hashSecret(NormalizeRecoveryCode(code)))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrMFACode
	}
	return nil
}

// RecoveryCodesLeft counts the person's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, personID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM mfa_recovery_codes WHERE person_id = $1 AND used_at IS NULL`, personID).Scan(&n)
	return n, err
}

// StoredPasskey is a passkey with the library's credential record (JSON).
type StoredPasskey struct {
	domain.Passkey
	CredentialID string
	Credential   string
}

// Passkeys lists the person's passkeys, oldest first.
func (db *DB) Passkeys(ctx context.Context, personID int64) ([]StoredPasskey, error) {
	rows, err := db.query(ctx, `SELECT id, name, credential_id, credential, created_at, last_used_at FROM webauthn_credentials
		WHERE person_id = $1 ORDER BY id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredPasskey
	for rows.Next() {
		var p StoredPasskey
		var used sql.NullTime
		if err := rows.Scan(&p.ID, &p.Name, &p.CredentialID, &p.Credential, &p.CreatedAt, &used); err != nil {
			return nil, err
		}
		p.CreatedAt = p.CreatedAt.UTC()
		p.LastUsedAt = nullTime(used)
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// AddPasskey stores a new passkey of the person and returns its ID.
func (tx *Tx) AddPasskey(ctx context.Context, personID int64, name, credentialID, credential string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO webauthn_credentials (person_id, name, credential_id, credential, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, personID, name, credentialID, credential, tx.now).Scan(&id)
	return id, err
}

// UsePasskey stores the credential record after a login with it (its sign
// counter moves on) and the time of use.
func (tx *Tx) UsePasskey(ctx context.Context, personID int64, credentialID, credential string) error {
	_, err := tx.ExecContext(ctx, `UPDATE webauthn_credentials SET credential = $1, last_used_at = $2 WHERE person_id = $3 AND credential_id = $4`,
		credential, tx.now, personID, credentialID)
	return err
}

// DeletePasskey removes one of the person's passkeys; another person's is
// not found.
func (tx *Tx) DeletePasskey(ctx context.Context, personID, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM webauthn_credentials WHERE id = $1 AND person_id = $2`, id, personID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// MFARequirements returns the organisations and programmes that require a
// second factor.
func (db *DB) MFARequirements(ctx context.Context) (req domain.MFARequirements, err error) {
	rows, err := db.query(ctx, orgsRequiringMFA)
	if err != nil {
		return req, err
	}
	if req.Orgs, err = scanAll(rows, scanID); err != nil {
		return req, err
	}
	rows, err = db.query(ctx, programmesRequiringMFA, true)
	if err != nil {
		return req, err
	}
	req.Programmes, err = scanAll(rows, scanProgrammeMFA)
	return req, err
}

// orgsRequiringMFA selects the organisations that require a second factor,
// along their partial index (the literal condition lets SQLite use it).
const orgsRequiringMFA = `SELECT id FROM organisations WHERE require_mfa ORDER BY id`

// programmesRequiringMFA selects the programmes that require a second
// factor (argument: true), for scanProgrammeMFA.
const programmesRequiringMFA = `SELECT id, config, updated_at FROM programmes WHERE require_mfa = $1 ORDER BY id`

// scanProgrammeMFA reads a programme as its requirement: its funder and
// reviewing associations.
func scanProgrammeMFA(rows *sql.Rows) (domain.ProgrammeMFA, error) {
	p, err := scanProgramme(rows)
	if err != nil {
		return domain.ProgrammeMFA{}, err
	}
	return p.MFA(), nil
}

func scanID(rows *sql.Rows) (id int64, err error) {
	err = rows.Scan(&id)
	return id, err
}

// OrgRequiresMFA reports whether the organisation requires a second factor.
func (db *DB) OrgRequiresMFA(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	err := db.queryRow(ctx, `SELECT require_mfa FROM organisations WHERE id = $1`, orgID).Scan(&on)
	if errNoRows(err) {
		return false, domain.ErrNotFound
	}
	return on, err
}

// ProgrammeRequiresMFA reports whether the programme requires a second factor.
func (db *DB) ProgrammeRequiresMFA(ctx context.Context, id string) (bool, error) {
	var on bool
	err := db.queryRow(ctx, `SELECT require_mfa FROM programmes WHERE id = $1`, id).Scan(&on)
	if errNoRows(err) {
		return false, domain.ErrProgrammeNotFound
	}
	return on, err
}

// SetOrgRequireMFA switches an organisation's requirement; it reports
// whether anything changed.
func (tx *Tx) SetOrgRequireMFA(ctx context.Context, orgID int64, on bool) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE organisations SET require_mfa = $1 WHERE id = $2 AND require_mfa <> $1`, on, orgID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ProgrammeRequiresMFA reports inside tx whether the programme requires a
// second factor.
func (tx *Tx) ProgrammeRequiresMFA(ctx context.Context, id string) (bool, error) {
	var on bool
	err := tx.QueryRowContext(ctx, `SELECT require_mfa FROM programmes WHERE id = $1`, id).Scan(&on)
	if errNoRows(err) {
		return false, domain.ErrProgrammeNotFound
	}
	return on, err
}

// SetProgrammeRequireMFA switches a programme's requirement; it reports
// whether anything changed.
func (tx *Tx) SetProgrammeRequireMFA(ctx context.Context, id string, on bool) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE programmes SET require_mfa = $1 WHERE id = $2 AND require_mfa <> $1`, on, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ServerKey returns the server's generated key called name (32 random
// bytes), making it on first use; every instance on the database reads the
// same key.
func (db *DB) ServerKey(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := db.exec(ctx, `INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, base64.StdEncoding.EncodeToString(b)); err != nil {
		return nil, err
	}
	var v string
	if err := db.queryRow(ctx, `SELECT value FROM server_keys WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(key) != 32 {
		return nil, errors.New("server key " + name + " is damaged")
	}
	return key, nil
}
