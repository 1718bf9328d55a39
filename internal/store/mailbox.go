package store

import (
	"context"
	"database/sql"

	"github.com/lotse-oss/lotse/internal/domain"
)

// CreateMessage delivers a message with attachments to an organisation's
// mailbox.
func (tx *Tx) CreateMessage(ctx context.Context, orgID int64, subject, body string, appID int64, docs []int64) (int64, error) {
	var app any
	if appID != 0 {
		app = appID
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO messages (org_id, subject, body, application_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		orgID, subject, body, app, tx.now).Scan(&id); err != nil {
		return 0, err
	}
	for i, d := range docs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_attachments (message_id, document_id, position) VALUES ($1, $2, $3)`, id, d, i); err != nil {
			return 0, err
		}
	}
	return id, tx.audit(ctx, orgID, "message.deliver", "message", id, map[string]string{"subject": subject})
}

// MailboxFilter selects messages of organisations as seen by a person.
type MailboxFilter = domain.MailboxFilter

// Messages lists up to f.Limit messages of organisations older than the
// message f.Before (0: from the newest), newest first, along messages_org
// (keyset paging, issue 14; f.Offset skips messages for the page numbers
// of older API clients), with the person's read state; and the number of
// the selected and of the unread messages, each counted up to
// domain.ListCountLimit and one more.
func (db *DB) Messages(ctx context.Context, f MailboxFilter) (msgs []domain.Message, total, unread int, err error) {
	msgs = []domain.Message{}
	if len(f.OrgIDs) == 0 {
		return msgs, 0, 0, nil
	}
	args := []any{f.PersonID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	orgs := inList(f.OrgIDs, arg)
	archived := "m.archived_at IS NULL"
	if f.Archived {
		archived = "m.archived_at IS NOT NULL"
	}
	capped := arg(domain.ListCountLimit + 1)
	if err = db.queryRow(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM messages m
			LEFT JOIN message_reads r ON r.message_id = m.id AND r.person_id = $1
			WHERE m.org_id IN (`+orgs+`) AND m.archived_at IS NULL AND r.person_id IS NULL LIMIT `+capped+`) u),
		(SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.org_id IN (`+orgs+`) AND `+archived+` LIMIT `+capped+`) t)`,
		args...).Scan(&unread, &total); err != nil {
		return nil, 0, 0, err
	}
	q, args := messagesPage(f)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, 0, err
	}
	list, err := scanAll(rows, func(r *sql.Rows) (domain.Message, error) {
		m, err := scanMessage(r)
		if err != nil {
			return domain.Message{}, err
		}
		return *m, nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	return append(msgs, list...), total, unread, nil
}

// messagesPage is the query of a page of messages.
func messagesPage(f MailboxFilter) (string, []any) {
	args := []any{f.PersonID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	archived := "m.archived_at IS NULL"
	if f.Archived {
		archived = "m.archived_at IS NOT NULL"
	}
	where := ` FROM messages m WHERE m.org_id IN (` + inList(f.OrgIDs, arg) + `) AND ` + archived
	if f.Before > 0 {
		where += ` AND m.id < ` + arg(f.Before)
	}
	// The read state is looked up per message of the page, so that the
	// page is read along messages_org alone.
	return `SELECT m.id, m.org_id, m.subject, m.body, m.created_at, m.archived_at, COALESCE(m.application_id, 0),
		EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.person_id = $1)` + where +
		` ORDER BY m.id DESC LIMIT ` + arg(pageLimit(f.Limit)) + ` OFFSET ` + arg(max(f.Offset, 0)), args
}

func scanMessage(row interface{ Scan(...any) error }) (*domain.Message, error) {
	var m domain.Message
	var arch sql.NullTime
	if err := row.Scan(&m.ID, &m.OrgID, &m.Subject, &m.Body, &m.CreatedAt, &arch, &m.ApplicationID, &m.Read); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrMessageNotFound
		}
		return nil, err
	}
	m.CreatedAt = m.CreatedAt.UTC()
	m.ArchivedAt = nullTime(arch)
	m.Attachments = []domain.Document{}
	return &m, nil
}

// Message returns a message with its attachments, as seen by the person.
func (db *DB) Message(ctx context.Context, id, personID int64) (*domain.Message, error) {
	m, err := scanMessage(db.queryRow(ctx, `SELECT m.id, m.org_id, m.subject, m.body, m.created_at, m.archived_at,
		COALESCE(m.application_id, 0), r.person_id IS NOT NULL
		FROM messages m LEFT JOIN message_reads r ON r.message_id = m.id AND r.person_id = $2 WHERE m.id = $1`, id, personID))
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT d.id, d.org_id, d.name, d.media_type, d.size, d.sha256, d.created_at, d.kind
		FROM message_attachments a JOIN documents d ON d.id = a.document_id WHERE a.message_id = $1 ORDER BY a.position`, id)
	if err != nil {
		return nil, err
	}
	docs, err := scanAll(rows, func(r *sql.Rows) (domain.Document, error) {
		d, err := scanDocument(r)
		if err != nil {
			return domain.Document{}, err
		}
		return *d, nil
	})
	if err != nil {
		return nil, err
	}
	m.Attachments = append(m.Attachments, docs...)
	return m, nil
}

// MarkRead records that the person has read the message.
func (db *DB) MarkRead(ctx context.Context, id, personID int64) error {
	_, err := db.exec(ctx, `INSERT INTO message_reads (message_id, person_id, read_at) VALUES ($1, $2, $3)
		ON CONFLICT (message_id, person_id) DO NOTHING`, id, personID, db.Now())
	return err
}

// ArchiveMessage moves a message to (or, with archive false, out of) the
// organisation's archive.
func (db *DB) ArchiveMessage(ctx context.Context, id int64, archive bool) error {
	return db.transact(ctx, func(tx *Tx) error {
		var org int64
		if err := tx.QueryRowContext(ctx, `SELECT org_id FROM messages WHERE id = $1`, id).Scan(&org); err != nil {
			if errNoRows(err) {
				return domain.ErrMessageNotFound
			}
			return err
		}
		var at any
		action := "message.unarchive"
		if archive {
			at, action = tx.now, "message.archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET archived_at = $1 WHERE id = $2`, at, id); err != nil {
			return err
		}
		return tx.audit(ctx, org, action, "message", id, nil)
	})
}
