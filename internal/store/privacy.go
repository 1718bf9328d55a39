package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// privacy: the SQL of the data download, the account deletion, the consent
// record of events' participant lists and the retention purges. The rules
// (who may, what must stay) live in internal/privacy.

// ExportSection is one kind of a person's data in the data download: its
// name (the JSON key; internal/privacy gives it a German heading) and the
// query that reads its rows. The query names its parameters :id (the
// person's ID), :objid (the ID as text, for the audit log's object_id) and
// :email (the person's address); bind numbers them.
type ExportSection struct {
	Name  string
	query string
}

// ExportSections lists the kinds of data of the data download, in order.
// A table that holds personal data gets its section here.
var ExportSections = []ExportSection{
	{"profile", `SELECT id, email, name, email_verified_at, created_at, deleted_at FROM persons WHERE id = :id`},
	{"memberships", `SELECT m.org_id, o.name AS organisation, o.kind, COALESCE(r.role, '') AS role, m.created_at
		FROM memberships m JOIN organisations o ON o.id = m.org_id LEFT JOIN membership_roles r ON r.org_id = m.org_id AND r.person_id = m.person_id
		WHERE m.person_id = :id ORDER BY m.org_id, r.role`},
	{"bookings", `SELECT b.id, b.session_id, o.title AS offer, s.starts_at, s.ends_at, b.participant_name, b.participant_email,
		b.payment, COALESCE(b.voucher_code, '') AS voucher_code, b.status, b.created_at, b.cancelled_at
		FROM bookings b JOIN offer_sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id
		WHERE (b.person_id = :id OR b.participant_email = :email) ORDER BY b.id`},
	{"attendance", `SELECT a.booking_id, a.day, a.status, a.recorded_at FROM attendance a JOIN bookings b ON b.id = a.booking_id
		WHERE (b.person_id = :id OR b.participant_email = :email) ORDER BY a.booking_id, a.day`},
	{"ratings", `SELECT r.booking_id, r.offer_id, r.stars, r.comment, r.created_at FROM ratings r JOIN bookings b ON b.id = r.booking_id
		WHERE (b.person_id = :id OR b.participant_email = :email) ORDER BY r.booking_id`},
	{"certificates", `SELECT c.id, o.title AS offer, c.participant_name, c.issued_at, c.revoked_at, c.revoke_reason
		FROM certificates c JOIN offers o ON o.id = c.offer_id WHERE c.person_id = :id ORDER BY c.issued_at, c.id`},
	{"path_certificates", `SELECT id, path_title, participant_name, issued_at, revoked_at, revoke_reason
		FROM path_certificates WHERE person_id = :id ORDER BY issued_at, id`},
	{"assessment", `SELECT goals, preferences, updated_at FROM assessments WHERE person_id = :id`},
	{"assessment_items", `SELECT code, level, target FROM assessment_items WHERE person_id = :id ORDER BY code`},
	{"assessment_shares", `SELECT s.org_id, o.name AS organisation, s.shared_at FROM assessment_shares s
		JOIN organisations o ON o.id = s.org_id WHERE s.person_id = :id ORDER BY s.org_id`},
	{"role_profiles", `SELECT p.id, p.name FROM role_profile_members m JOIN role_profiles p ON p.id = m.profile_id
		WHERE m.person_id = :id ORDER BY p.id`},
	{"paths", `SELECT m.path_id, p.title, m.joined_at, m.completed_at FROM path_members m JOIN paths p ON p.id = m.path_id
		WHERE m.person_id = :id ORDER BY m.path_id`},
	{"event_registrations", `SELECT r.id, r.event_id, e.title AS event, e.starts_at, r.status, r.answers,
		r.show_name, r.attended_at, r.created_at, r.cancelled_at FROM event_registrations r JOIN events e ON e.id = r.event_id
		WHERE r.person_id = :id ORDER BY r.id`},
	{"event_consents", `SELECT event_id, registration_id, event, at, text_version FROM event_consents
		WHERE person_id = :id ORDER BY id`},
	{"funding_requests", `SELECT id, org_id, track, reason, status, answer, created_at, decided_at FROM funding_requests
		WHERE person_id = :id ORDER BY id`},
	{"community_threads", `SELECT id, channel_id, title, created_at FROM community_threads WHERE author_id = :id ORDER BY id`},
	{"community_posts", `SELECT id, thread_id, body, created_at, hidden_at, hidden_reason FROM community_posts
		WHERE author_id = :id ORDER BY id`},
	{"community_follows", `SELECT kind, target_id, created_at FROM community_follows WHERE person_id = :id ORDER BY created_at`},
	{"community_prefs", `SELECT space_id, digest, mention_mail FROM community_prefs WHERE person_id = :id ORDER BY space_id`},
	{"community_reports", `SELECT id, post_id, reason, created_at, resolved_at FROM community_reports
		WHERE reporter_id = :id ORDER BY id`},
	{"pilot_entry", `SELECT name, ags, district, help, topics, tags, contact, phone, hidden, consent_at, created_at, updated_at
		FROM pilot_entries WHERE person_id = :id`},
	{"pilot_consents", `SELECT event, at, text_version FROM pilot_consents WHERE person_id = :id ORDER BY id`},
	{"project_briefs", `SELECT id, title, what, how, effort, contact, topics, status, created_at, updated_at, published_at
		FROM project_briefs WHERE author_id = :id ORDER BY id`},
	{"api_tokens", `SELECT name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE person_id = :id ORDER BY id`},
	{"sso_identities", `SELECT provider, created_at, last_login_at FROM sso_identities WHERE person_id = :id ORDER BY provider`},
	{"sessions", `SELECT created_at, expires_at FROM sessions WHERE person_id = :id ORDER BY created_at`},
	{"login_attempts", `SELECT at, addr, success FROM login_attempts WHERE email = :email ORDER BY id`},
	{"invitations", `SELECT i.org_id, o.name AS organisation, i.roles, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
		FROM invitations i JOIN organisations o ON o.id = i.org_id WHERE i.email = :email ORDER BY i.id`},
	{"mails", `SELECT subject, created_at, sent_at FROM outbox WHERE to_addr = :email ORDER BY id`},
	{"audit", `SELECT id, at, action, object_type, object_id, detail, COALESCE(org_id, 0) AS org_id,
		(COALESCE(actor_id, 0) = :id) AS by_you FROM audit_log
		WHERE (actor_id = :id OR (object_type = 'person' AND object_id = :objid)) ORDER BY id`},
}

// ExportRow is one row of a section: its columns in the query's order.
type ExportRow struct {
	Cols []string
	Vals []any
}

// MarshalJSON writes the row as an object with the columns in order.
func (r ExportRow) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, c := range r.Cols {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(c)
		v, err := json.Marshal(r.Vals[i])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// ExportRows reads the rows of section s about the person, one at a time,
// and hands each to emit (times in UTC, texts as strings), so that a
// section of any size takes the memory of one row. The row is reused:
// emit must not keep it.
func (tx *Tx) ExportRows(ctx context.Context, s ExportSection, personID int64, email string, emit func(ExportRow) error) error {
	q, args := bind(s.query, map[string]any{":objid": strconv.FormatInt(personID, 10), ":id": personID, ":email": email})
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return mapErr(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	out := ExportRow{Cols: cols, Vals: make([]any, len(cols))}
	for rows.Next() {
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return mapErr(err)
		}
		for i := range cols {
			switch v := vals[i].(type) {
			case []byte:
				out.Vals[i] = string(v)
			case time.Time:
				out.Vals[i] = v.UTC()
			default:
				out.Vals[i] = v
			}
		}
		if err := emit(out); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// bind replaces the named parameters of q by $1, $2 ... in the order they
// first appear and returns the arguments in that order.
func bind(q string, named map[string]any) (string, []any) {
	var args []any
	for {
		best, name := -1, ""
		for n := range named {
			if i := strings.Index(q, n); i >= 0 && (best < 0 || i < best || (i == best && len(n) > len(name))) {
				best, name = i, n
			}
		}
		if best < 0 {
			return q, args
		}
		args = append(args, named[name])
		q = strings.ReplaceAll(q, name, "$"+strconv.Itoa(len(args)))
		delete(named, name)
	}
}

// PersonForPrivacy returns the person with id, deleted or not, and since
// when it is deleted (nil: not deleted).
func (tx *Tx) PersonForPrivacy(ctx context.Context, id int64) (*domain.Person, *time.Time, error) {
	var deleted sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT deleted_at FROM persons WHERE id = $1`, id).Scan(&deleted); err != nil {
		if errNoRows(err) {
			return nil, nil, domain.ErrNotFound
		}
		return nil, nil, err
	}
	p, err := tx.PersonByID(ctx, id)
	return p, nullTime(deleted), err
}

// SoleAccountAdminOrgs names the organisations in which the person is the
// only account admin (and which have other members or are municipalities'
// accounts, so that they would be left without anyone to manage them).
func (tx *Tx) SoleAccountAdminOrgs(ctx context.Context, personID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.name FROM membership_roles r JOIN organisations o ON o.id = r.org_id
		WHERE r.person_id = $1 AND r.role = $2 AND NOT EXISTS (SELECT 1 FROM membership_roles r2
			WHERE r2.org_id = r.org_id AND r2.role = $2 AND r2.person_id <> r.person_id)
		ORDER BY o.name`, personID, string(domain.RoleAccountAdmin))
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (string, error) {
		var s string
		return s, rows.Scan(&s)
	})
}

// SolePlatformAdmin reports whether the person is the platform's only admin.
func (tx *Tx) SolePlatformAdmin(ctx context.Context, personID int64) (bool, error) {
	var mine, others int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM membership_roles r JOIN organisations o ON o.id = r.org_id
			WHERE o.kind = 'platform' AND r.role = $2 AND r.person_id = $1),
		(SELECT count(*) FROM membership_roles r JOIN organisations o ON o.id = r.org_id JOIN persons p ON p.id = r.person_id
			WHERE o.kind = 'platform' AND r.role = $2 AND r.person_id <> $1 AND p.deleted_at IS NULL)`,
		personID, string(domain.RoleAdmin)).Scan(&mine, &others)
	return mine > 0 && others == 0, err
}

// UpcomingBookings counts the person's bookings of sessions that have not
// started and still hold or wait for a place: confirmed, on the waiting
// list or awaiting HR's approval (each may hold a reserved voucher). A
// booking made for the person's address before the account existed is
// theirs too, as in the data download.
func (tx *Tx) UpcomingBookings(ctx context.Context, personID int64, email string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bookings b JOIN offer_sessions s ON s.id = b.session_id
		WHERE (b.person_id = $1 OR b.participant_email = $3) AND s.starts_at > $2
		AND b.status IN ('confirmed', 'waitlisted', 'awaiting_approval')`,
		personID, tx.now, email).Scan(&n)
	return n, err
}

// ErasureStep is what the deletion of an account does to one kind of data:
// it deletes the rows that need not stay, or anonymises those that must
// stay for legal or accounting reasons. It returns how many rows it touched.
type ErasureStep struct {
	Kind string
	Run  func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error)
}

// exec runs one statement and returns the number of rows it touched.
func exec(ctx context.Context, tx *Tx, q string, args ...any) (int64, error) {
	r, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// deleteWhere returns a step that deletes the person's rows of table, where
// col is the person's ID.
func deleteWhere(table, col string) func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
	return func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM `+table+` WHERE `+col+` = $1`, p.ID)
	}
}

// ErasureSteps is the deletion of an account, one step per kind of data, in
// order; the persons row is anonymised last. A new table with personal data
// gets its step here (tables whose rows reference persons with ON DELETE
// CASCADE need one too: the persons row stays, anonymised).
var ErasureSteps = []ErasureStep{
	// Access: every way to act as the person ends.
	{"sessions", deleteWhere("sessions", "person_id")},
	{"person_tokens", deleteWhere("person_tokens", "person_id")},
	{"api_tokens", deleteWhere("api_tokens", "person_id")},
	{"sso_identities", deleteWhere("sso_identities", "person_id")},
	{"calendar_tokens", deleteWhere("calendar_tokens", "person_id")},
	{"email_changes", deleteWhere("email_changes", "person_id")},
	{"login_attempts", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM login_attempts WHERE email = $1`, p.Email)
	}},
	{"invitations", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM invitations WHERE email = $1 AND accepted_at IS NULL`, p.Email)
	}},
	{"accepted_invitations", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE invitations SET email = $2 WHERE email = $1`, p.Email, deletedEmail(p.ID))
	}},
	{"message_reads", deleteWhere("message_reads", "person_id")},
	{"outbox", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM outbox WHERE to_addr = $1`, p.Email)
	}},
	// Matching: the assessment with its items and shares, roles, paths.
	{"assessments", deleteWhere("assessments", "person_id")},
	{"role_profile_members", deleteWhere("role_profile_members", "person_id")},
	{"path_events", deleteWhere("path_events", "person_id")},
	{"path_members", deleteWhere("path_members", "person_id")},
	// Members' space: what the person follows and is notified of; posts
	// and threads stay for the conversation, under "Gelöschte Person".
	{"community_follows", deleteWhere("community_follows", "person_id")},
	{"community_prefs", deleteWhere("community_prefs", "person_id")},
	{"community_mentions", deleteWhere("community_mentions", "person_id")},
	// Pilots: the directory entry, drafts of project briefs; published
	// briefs stay without their contact line.
	{"pilot_entries", deleteWhere("pilot_entries", "person_id")},
	{"project_brief_drafts", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM project_briefs WHERE author_id = $1 AND status = 'draft'`, p.ID)
	}},
	{"project_brief_contacts", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE project_briefs SET contact = '' WHERE author_id = $1`, p.ID)
	}},
	// Events: registrations to events that have not begun are deleted;
	// past ones stay as the record of attendance. The events service has
	// given up the active ones before (privacy.Service.OnErase: the
	// waiting list moves up); any left are cancelled here so that the
	// counts of places follow.
	{"event_registrations", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		rows, err := tx.QueryContext(ctx, `SELECT r.id FROM event_registrations r JOIN events e ON e.id = r.event_id
			WHERE r.person_id = $1 AND e.starts_at > $2`, p.ID, tx.now)
		if err != nil {
			return 0, err
		}
		ids, err := scanAll(rows, func(rows *sql.Rows) (int64, error) {
			var id int64
			return id, rows.Scan(&id)
		})
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			if err := tx.SetRegistrationStatus(ctx, id, domain.RegCancelled); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM event_registrations WHERE id = $1`, id); err != nil {
				return 0, err
			}
		}
		return int64(len(ids)), nil
	}},
	{"event_answers", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE event_registrations SET answers = '[]' WHERE person_id = $1 AND answers <> '[]'`, p.ID)
	}},
	// Funding: open requests go; decided ones stay with the vouchers.
	{"funding_requests", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `DELETE FROM funding_requests WHERE person_id = $1 AND status = 'open'`, p.ID)
	}},
	// What stays for accounting and proof, without name and address:
	// bookings (vouchers, money, attendance), certificates (their number
	// still verifies; the signed credential with the name is no longer
	// served).
	{"bookings", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE bookings SET participant_name = $2, participant_email = ''
			WHERE person_id = $1 OR participant_email = $3`, p.ID, domain.DeletedPersonName, p.Email)
	}},
	{"certificates", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE certificates SET participant_name = '', participant_email = '', jwt = ''
			WHERE person_id = $1 OR participant_email = $2`, p.ID, p.Email)
	}},
	{"path_certificates", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE path_certificates SET participant_name = '', participant_email = '', jwt = ''
			WHERE person_id = $1`, p.ID)
	}},
	// Vouchers handed to the person stay with the municipality, held by the
	// deleted account.
	{"voucher_holders", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		n, err := exec(ctx, tx, `UPDATE vouchers SET holder_email = $2 WHERE holder_email = $1`, p.Email, deletedEmail(p.ID))
		if err != nil {
			return 0, err
		}
		m, err := exec(ctx, tx, `UPDATE voucher_events SET holder_email = $2 WHERE holder_email = $1`, p.Email, deletedEmail(p.ID))
		return n + m, err
	}},
	// Memberships and their roles (contracts and applications the person
	// signed stay with the organisation, signed by "Gelöschte Person").
	{"memberships", deleteWhere("memberships", "person_id")},
	// The account itself: no name, no address, no password.
	{"persons", func(ctx context.Context, tx *Tx, p *domain.Person) (int64, error) {
		return exec(ctx, tx, `UPDATE persons SET name = $2, email = $3, password_hash = '', email_verified_at = NULL, deleted_at = $4
			WHERE id = $1`, p.ID, domain.DeletedPersonName, deletedEmail(p.ID), tx.now)
	}},
}

// deletedEmail is the address a deleted account keeps: unique, and one
// that no mail can reach.
func deletedEmail(id int64) string {
	return "geloescht-" + strconv.FormatInt(id, 10) + "@konto.invalid"
}

// personIDByEmail is the ID of the account with the address, 0 if there
// is none: the audit log refers to people by ID, never by address.
func (tx *Tx) personIDByEmail(ctx context.Context, email string) int64 {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM persons WHERE email = $1`, domain.NormalizeEmail(email)).Scan(&id); err != nil {
		return 0
	}
	return id
}

// recordEventConsent adds to the record of consents to an event's
// participant list.
func (tx *Tx) recordEventConsent(ctx context.Context, personID, eventID, regID int64, event string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO event_consents (person_id, event_id, registration_id, event, at, text_version)
		VALUES ($1, $2, $3, $4, $5, $6)`, personID, eventID, regID, event, tx.now, domain.EventListConsentVersion)
	return err
}

// ClaimJob lets one instance run the job name when its last run is at
// least every ago: it moves the job's last run to now inside tx and reports
// whether this transaction did. Another instance's transaction waits for
// the row (PostgreSQL) or the database (SQLite) and then finds the run
// taken; a rolled-back run leaves the claim free again.
func (tx *Tx) ClaimJob(ctx context.Context, name string, every time.Duration) (bool, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO job_claims (name, last_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, time.Unix(0, 0).UTC()); err != nil {
		return false, err
	}
	n, err := exec(ctx, tx, `UPDATE job_claims SET last_run_at = $2 WHERE name = $1 AND last_run_at <= $3`, name, tx.now, tx.now.Add(-every))
	return n == 1, err
}

// A retention purge deletes the rows of one kind of data whose time is
// before the cutoff, at most limit of them, and returns how many and
// whether more may be left. The caller runs each batch in a transaction
// of its own, so that a purge of a million rows never holds SQLite's write
// lock for long: logins and bookings go on between the batches.

// PurgeUnconfirmedAccounts deletes accounts created before the cutoff
// whose address was never confirmed and which hold nothing: no password, no
// membership, no booking, no session. Each is deleted under its own
// savepoint, so an account that something else still refers to stays and
// the others go. A batch in which every account stays ends the purge (it
// would find the same ones again).
func (tx *Tx) PurgeUnconfirmedAccounts(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM persons WHERE email_verified_at IS NULL AND deleted_at IS NULL AND created_at < $1
		AND password_hash = ''
		AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = persons.id)
		AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = persons.id)
		AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.person_id = persons.id)
		AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.person_id = persons.id)
		AND NOT EXISTS (SELECT 1 FROM person_tokens t WHERE t.person_id = persons.id AND t.expires_at > $2)
		ORDER BY id LIMIT $3`, before, tx.now, limit)
	if err != nil {
		return 0, false, err
	}
	ids, err := scanAll(rows, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
	if err != nil {
		return 0, false, err
	}
	var n int64
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT purge_person`); err != nil {
			return n, false, err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM person_tokens WHERE person_id = $1`, id)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM persons WHERE id = $1`, id)
		}
		if err != nil {
			// Still referred to (an invitation it sent, an entry it
			// wrote): it stays.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT purge_person`); err != nil {
				return n, false, err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT purge_person`); err != nil {
			return n, false, err
		}
		n++
	}
	return n, len(ids) == limit && n > 0, nil
}

// purgeBatch deletes up to limit rows of table whose key (one column or a
// row of them) is among those selected by where, and says whether the
// batch was full.
func (tx *Tx) purgeBatch(ctx context.Context, table, key, where string, limit int, args ...any) (int64, bool, error) {
	args = append(args, limit)
	n, err := exec(ctx, tx, `DELETE FROM `+table+` WHERE (`+key+`) IN (SELECT `+key+` FROM `+table+` WHERE `+where+
		` LIMIT $`+strconv.Itoa(len(args))+`)`, args...)
	return n, err == nil && n == int64(limit), err
}

// PurgeSentMails deletes mails of the outbox sent before the cutoff.
func (tx *Tx) PurgeSentMails(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	return tx.purgeBatch(ctx, "outbox", "id", `sent_at IS NOT NULL AND sent_at < $1`, limit, before)
}

// PurgeLoginAttempts deletes login attempts before the cutoff.
func (tx *Tx) PurgeLoginAttempts(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	return tx.purgeBatch(ctx, "login_attempts", "id", `at < $1`, limit, before)
}

// PurgeSessions deletes sessions that expired before the cutoff, and used
// or expired single-use links and address changes of the same age: up to
// limit rows of the three together.
func (tx *Tx) PurgeSessions(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	var total int64
	for _, t := range []string{"sessions", "person_tokens", "email_changes"} {
		n, more, err := tx.purgeBatch(ctx, t, "token_hash", `expires_at < $1`, limit-int(total), before)
		total += n
		if err != nil || more {
			return total, more, err
		}
	}
	return total, false, nil
}

// PurgeInvitations deletes invitations that were never accepted and
// expired (or were revoked) before the cutoff.
func (tx *Tx) PurgeInvitations(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	return tx.purgeBatch(ctx, "invitations", "id", `accepted_at IS NULL AND (expires_at < $1 OR revoked_at < $1)`, limit, before)
}

// PurgeSearchMisses deletes the log of searches without results of days
// before the cutoff.
func (tx *Tx) PurgeSearchMisses(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	return tx.purgeBatch(ctx, "search_misses", "day, district, query, areas", `day < $1`, limit, before.UTC().Format("2006-01-02"))
}

// PurgeRejectedUploads deletes the certificates uploaded to applications
// rejected (or withdrawn) before the cutoff, and their documents where
// nothing else refers to them. The files themselves are collected by the
// file store's orphan collection.
func (tx *Tx) PurgeRejectedUploads(ctx context.Context, before time.Time, limit int) (int64, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT ac.application_id, ac.position, ac.document_id FROM application_certificates ac
		JOIN applications a ON a.id = ac.application_id
		WHERE a.status IN ('rejected', 'withdrawn') AND COALESCE(a.decided_at, a.updated_at) < $1 LIMIT $2`, before, limit)
	if err != nil {
		return 0, false, err
	}
	type upload struct{ app, pos, doc int64 }
	ups, err := scanAll(rows, func(rows *sql.Rows) (upload, error) {
		var u upload
		return u, rows.Scan(&u.app, &u.pos, &u.doc)
	})
	if err != nil {
		return 0, false, err
	}
	for _, u := range ups {
		if _, err := tx.ExecContext(ctx, `DELETE FROM application_certificates WHERE application_id = $1 AND position = $2`, u.app, u.pos); err != nil {
			return 0, false, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM application_certificates WHERE document_id = $1)
			AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE document_id = $1)
			AND NOT EXISTS (SELECT 1 FROM community_attachments WHERE document_id = $1)
			AND NOT EXISTS (SELECT 1 FROM applications WHERE contract_id = $1)`, u.doc); err != nil {
			return 0, false, err
		}
	}
	return int64(len(ups)), len(ups) == limit, nil
}
