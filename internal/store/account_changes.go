package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// SetPersonName stores a new display name for the person.
func (tx *Tx) SetPersonName(ctx context.Context, personID int64, name string) error {
	_, err := tx.ExecContext(ctx, `UPDATE persons SET name = $1 WHERE id = $2`, name, personID)
	return err
}

// EndSessions ends every session of the person and their open reset links
// (API tokens stay): after a password change the old password's sessions
// and links no longer open the account.
func (tx *Tx) EndSessions(ctx context.Context, personID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE person_id = $1`, personID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE person_tokens SET used_at = $1 WHERE person_id = $2 AND purpose = 'reset' AND used_at IS NULL`,
		tx.now, personID)
	return err
}

// CreateSession starts a session for the person inside tx and returns its
// cookie value; only its hash is stored.
func (tx *Tx) CreateSession(ctx context.Context, personID int64) (string, error) {
	token, hash := newSecret(sessionPrefix)
	csrf, _ := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hash, personID, csrf, tx.now, tx.now.Add(sessionLifetime))
	return token, err
}

// CountEmailChanges counts the address changes the person requested since
// the time given.
func (tx *Tx) CountEmailChanges(ctx context.Context, personID int64, since time.Time) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM email_changes WHERE person_id = $1 AND created_at > $2`, personID, since).Scan(&n)
	return n, err
}

// CreateEmailChange stores a requested change of the person's address to
// email and returns the confirmation token; only its hash is stored. Earlier
// open requests of the person end: only the newest link confirms.
func (tx *Tx) CreateEmailChange(ctx context.Context, personID int64, email string, life time.Duration) (string, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE email_changes SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL`, tx.now, personID); err != nil {
		return "", err
	}
	token, hash := newSecret("")
	_, err := tx.ExecContext(ctx, `INSERT INTO email_changes (token_hash, person_id, new_email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, personID, email, tx.now, tx.now.Add(life))
	return token, err
}

// UseEmailChange marks a confirmation token as used and returns its person
// and new address; domain.ErrLinkInvalid when it is unknown, used or expired.
func (tx *Tx) UseEmailChange(ctx context.Context, token string) (personID int64, email string, err error) {
	err = tx.QueryRowContext(ctx, `UPDATE email_changes SET used_at = $1
		WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING person_id, new_email`,
		tx.now, hashSecret(token)).Scan(&personID, &email)
	if errNoRows(err) {
		return 0, "", domain.ErrLinkInvalid
	}
	return personID, email, err
}

// SetPersonEmail gives the person a new, confirmed address;
// domain.ErrEmailTaken if another account has it.
func (tx *Tx) SetPersonEmail(ctx context.Context, personID int64, email string) error {
	_, err := tx.ExecContext(ctx, `UPDATE persons SET email = $1, email_verified_at = $2 WHERE id = $3`, email, tx.now, personID)
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrEmailTaken
	}
	return err
}

// CreateBarrierReport stores a report from the accessibility feedback form.
func (tx *Tx) CreateBarrierReport(ctx context.Context, r *domain.BarrierReport) error {
	r.CreatedAt = tx.now
	return tx.QueryRowContext(ctx, `INSERT INTO barrier_reports (created_at, name, email, page_url, message)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, r.CreatedAt, r.Name, r.Email, r.PageURL, r.Message).Scan(&r.ID)
}

// BarrierReports lists the stored reports, newest first.
func (db *DB) BarrierReports(ctx context.Context, limit int) ([]domain.BarrierReport, error) {
	rows, err := db.query(ctx, `SELECT id, created_at, name, email, page_url, message FROM barrier_reports ORDER BY id DESC LIMIT $1`, clampLimit(limit))
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (domain.BarrierReport, error) {
		var r domain.BarrierReport
		err := rows.Scan(&r.ID, &r.CreatedAt, &r.Name, &r.Email, &r.PageURL, &r.Message)
		r.CreatedAt = r.CreatedAt.UTC()
		return r, err
	})
}
