package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// audit appends an entry to the audit log inside tx, with the actor of ctx.
// detail is marshalled to JSON.
func (tx *Tx) audit(ctx context.Context, orgID int64, action, objType string, objID any, detail any) error {
	var d []byte
	if detail != nil {
		var err error
		if d, err = json.Marshal(detail); err != nil {
			return err
		}
	}
	var actor, org sql.NullInt64
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		actor = sql.NullInt64{Int64: id, Valid: true}
	}
	if orgID != 0 {
		org = sql.NullInt64{Int64: orgID, Valid: true}
	}
	var oid string
	switch v := objID.(type) {
	case int64:
		oid = strconv.FormatInt(v, 10)
	case string:
		oid = v
	default:
		oid = ""
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, org_id, action, object_type, object_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, tx.now, actor, org, action, objType, oid, string(d))
	return err
}

// Audit lists audit entries, newest first, and their total up to
// AuditCountLimit (-1 with f.NoTotal).
func (db *DB) Audit(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int, error) {
	where, args := "WHERE 1=1", []any{}
	if f.OrgID != 0 {
		args = append(args, f.OrgID)
		where += " AND a.org_id = $" + strconv.Itoa(len(args))
	}
	if f.Action != "" {
		args = append(args, f.Action)
		where += " AND a.action = $" + strconv.Itoa(len(args))
	}
	// The total is counted up to AuditCountLimit entries: counting a log
	// of millions would cost more than the page (issue 14).
	var total int
	if f.NoTotal {
		total = -1
	} else if err := db.queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM audit_log a "+where+" LIMIT "+strconv.Itoa(AuditCountLimit)+") c",
		args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Before > 0 {
		// Keyset paging: the entries older than the last one shown.
		args = append(args, f.Before)
		where += " AND a.id < $" + strconv.Itoa(len(args))
	}
	limit := f.Limit // up to a page and one more (to tell whether more follow)
	if limit <= 0 || limit > MaxPage+1 {
		limit = 50
	}
	args = append(args, limit, f.Offset)
	// The names of the actor, the organisation and the object (a person,
	// an organisation, an offer, an application's number) come along, so
	// that the log reads in words. They are looked up by key per entry of
	// the page, in subqueries rather than joins: PostgreSQL planned the six
	// joins for 12 ms, longer than it ran them (issue 14).
	obj := func(typ, table, col string) string {
		return `WHEN '` + typ + `' THEN (SELECT ` + col + ` FROM ` + table + ` x WHERE x.id = ` + db.auditObjectID() + `)`
	}
	rows, err := db.query(ctx, `SELECT a.id, a.at, COALESCE(a.actor_id, 0),
		COALESCE((SELECT x.name FROM persons x WHERE x.id = a.actor_id), ''), COALESCE(a.org_id, 0),
		COALESCE((SELECT x.name FROM organisations x WHERE x.id = a.org_id), ''), a.action, a.object_type, a.object_id,
		COALESCE(CASE a.object_type `+obj("person", "persons", "x.name")+` `+obj("organisation", "organisations", "x.name")+`
			`+obj("offer", "offers", "x.title")+` `+obj("application", "applications", "x.number")+` END, ''), a.detail
		FROM audit_log a `+where+
		" ORDER BY a.id DESC LIMIT $"+strconv.Itoa(len(args)-1)+" OFFSET $"+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (domain.AuditEntry, error) {
		var e domain.AuditEntry
		err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.OrgID, &e.OrgName, &e.Action, &e.ObjectType, &e.ObjectID, &e.ObjectName, &e.Detail)
		e.At = e.At.UTC()
		return e, err
	})
	return out, total, err
}

// AuditCountLimit is the most entries Audit counts for its total.
const AuditCountLimit = 10_000

// auditObjectID is the entry's object id as a number, NULL when it is not
// one (some entries name no object: ""), so that the object is looked up
// by its key instead of comparing every row's id as text (issue 14: that
// scanned all people for each entry), and PostgreSQL never casts text that
// is not a number.
func (db *DB) auditObjectID() string {
	if db.Dialect == Postgres {
		return `(CASE WHEN a.object_id ~ '^[0-9]{1,18}$' THEN CAST(a.object_id AS BIGINT) END)`
	}
	return `(CASE WHEN a.object_id <> '' AND a.object_id NOT GLOB '*[^0-9]*' THEN CAST(a.object_id AS INTEGER) END)`
}

func clampLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// enqueueMail writes a mail to the outbox inside tx; the sender delivers it.
func (tx *Tx) enqueueMail(ctx context.Context, to, subject, body string, att *domain.Attachment) error {
	var a domain.Attachment
	if att != nil {
		a = *att
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (to_addr, subject, body, created_at, attachment_name, attachment_type, attachment)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, to, subject, body, tx.now, a.Name, a.ContentType, a.Content)
	return err
}

// Outbox lists up to limit mails older than the mail before (0: from the
// newest), newest first, along the primary key (keyset paging, issue 14);
// offset skips mails for the page numbers of older API clients.
func (db *DB) Outbox(ctx context.Context, before int64, limit, offset int) ([]domain.Mail, error) {
	where := ""
	args := []any{pageLimit(limit), max(offset, 0)}
	if before > 0 {
		where, args = "WHERE id < $3 ", append(args, before)
	}
	rows, err := db.query(ctx, `SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, attachment_name, attachment_type, attachment
		FROM outbox `+where+`ORDER BY id DESC LIMIT $1 OFFSET $2`, args...)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}

// OutboxCount counts the mails of the outbox up to domain.ListCountLimit
// and one more (a total above the limit reads "mehr als").
func (db *DB) OutboxCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT $1) c`, domain.ListCountLimit+1).Scan(&n)
	return n, err
}

// PendingMails returns up to n mails not yet sent, oldest first.
func (db *DB) PendingMails(ctx context.Context, n int) ([]domain.Mail, error) {
	rows, err := db.query(ctx, `SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, attachment_name, attachment_type, attachment
		FROM outbox WHERE sent_at IS NULL AND attempts < 10 ORDER BY id LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}

func scanMails(rows *sql.Rows) ([]domain.Mail, error) {
	return scanAll(rows, func(rows *sql.Rows) (domain.Mail, error) {
		var m domain.Mail
		var sent sql.NullTime
		var a domain.Attachment
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt, &sent, &m.Attempts, &m.LastError, &a.Name, &a.ContentType,
			&a.Content); err != nil {
			return m, err
		}
		if a.Name != "" {
			m.Attachment = &a
		}
		m.CreatedAt = m.CreatedAt.UTC()
		m.SentAt = nullTime(sent)
		return m, nil
	})
}

// ClaimMails claims up to n pending mails for the sender owner until the
// lease runs out, oldest first, and returns them. Mails another sender holds
// an unexpired claim on are left alone, so two instances never send the same
// mail: on PostgreSQL the rows are locked with SKIP LOCKED while the claim is
// written (a second sender takes the next rows instead of waiting); on SQLite
// the transaction holds the write lock from its start.
func (db *DB) ClaimMails(ctx context.Context, owner string, n int, lease time.Duration) ([]domain.Mail, error) {
	var out []domain.Mail
	err := db.transact(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, tx.forUpdateSkipLocked(`SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, attachment_name, attachment_type, attachment
			FROM outbox WHERE sent_at IS NULL AND attempts < 10 AND (claimed_until IS NULL OR claimed_until < $1)
			ORDER BY id LIMIT $2`), tx.now, n)
		if err != nil {
			return err
		}
		if out, err = scanMails(rows); err != nil {
			return err
		}
		for _, m := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_until = $1, claimed_by = $2 WHERE id = $3`,
				tx.now.Add(lease), owner, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MarkMail records the outcome of a delivery attempt and ends the claim on
// the mail; a failed mail is claimed again by the next round.
func (db *DB) MarkMail(ctx context.Context, id int64, sendErr error) error {
	if sendErr == nil {
		_, err := db.exec(ctx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = '', claimed_until = NULL WHERE id = $2`, db.Now(), id)
		return err
	}
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	_, err := db.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, claimed_until = NULL WHERE id = $2`, msg, id)
	return err
}
