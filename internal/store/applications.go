package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

const appCols = `a.id, COALESCE(a.number, ''), a.programme_id, a.org_id, o.name, a.ags, a.track, COALESCE(a.provider_id, 0),
	COALESCE(p.name, ''), COALESCE(a.reviewer_id, 0), COALESCE(r.name, ''), a.people, a.declarations, a.status,
	a.created_by, a.created_at, a.updated_at, a.submitted_at, COALESCE(a.submitted_by, 0), a.decided_at,
	COALESCE(a.decided_by, 0), a.reason, COALESCE(a.contract_id, 0)`

const appFrom = ` FROM applications a JOIN organisations o ON o.id = a.org_id
	LEFT JOIN organisations p ON p.id = a.provider_id LEFT JOIN organisations r ON r.id = a.reviewer_id `

func scanApplication(row interface{ Scan(...any) error }) (*domain.Application, error) {
	var a domain.Application
	var sub, dec sql.NullTime
	if err := row.Scan(&a.ID, &a.Number, &a.ProgrammeID, &a.OrgID, &a.OrgName, &a.AGS, &a.Track, &a.ProviderID, &a.ProviderName,
		&a.ReviewerID, &a.ReviewerName, &a.People, &a.Declarations, &a.Status, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt, &sub,
		&a.SubmittedBy, &dec, &a.DecidedBy, &a.Reason, &a.ContractID); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrApplicationNotFound
		}
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.SubmittedAt, a.DecidedAt = nullTime(sub), nullTime(dec)
	a.Certificates = []domain.ApplicationCertificate{}
	return &a, nil
}

// Application returns an application with its certificates, vouchers and
// history.
func (db *DB) Application(ctx context.Context, id int64) (*domain.Application, error) {
	var a *domain.Application
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.Application(ctx, id)
		return err
	})
	return a, err
}

// Application reads an application with its details inside tx.
func (tx *Tx) Application(ctx context.Context, id int64) (*domain.Application, error) {
	a, err := tx.application(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return a, tx.loadApplicationDetails(ctx, a)
}

// LockApplication reads an application with its details and locks its row
// for the rest of the transaction (PostgreSQL; SQLite transactions hold the
// write lock).
func (tx *Tx) LockApplication(ctx context.Context, id int64) (*domain.Application, error) {
	a, err := tx.application(ctx, id, true)
	if err != nil {
		return nil, err
	}
	return a, tx.loadApplicationDetails(ctx, a)
}

func (tx *Tx) application(ctx context.Context, id int64, lock bool) (*domain.Application, error) {
	q := `SELECT ` + appCols + appFrom + `WHERE a.id = $1`
	if lock {
		q = tx.forUpdateOf(q, "a")
	}
	return scanApplication(tx.QueryRowContext(ctx, q, id))
}

func (tx *Tx) loadApplicationDetails(ctx context.Context, a *domain.Application) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.position, c.person_name, c.document_id, d.name, c.check_state
		FROM application_certificates c JOIN documents d ON d.id = c.document_id WHERE c.application_id = $1 ORDER BY c.position`, a.ID)
	if err != nil {
		return err
	}
	uploads, err := scanAll(rows, func(r *sql.Rows) (c domain.ApplicationCertificate, err error) {
		return c, r.Scan(&c.Position, &c.PersonName, &c.DocumentID, &c.FileName, &c.Check)
	})
	if err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT position, person_name, certificate_id FROM application_platform_certificates
		WHERE application_id = $1 ORDER BY position`, a.ID)
	if err != nil {
		return err
	}
	platform, err := scanAll(rows, func(r *sql.Rows) (c domain.ApplicationCertificate, err error) {
		c.Check = "verified"
		return c, r.Scan(&c.Position, &c.PersonName, &c.CertificateID)
	})
	if err != nil {
		return err
	}
	a.Certificates = append(append([]domain.ApplicationCertificate{}, uploads...), platform...)
	slices.SortFunc(a.Certificates, func(x, y domain.ApplicationCertificate) int { return x.Position - y.Position })
	rows, err = tx.QueryContext(ctx, `SELECT e.at, COALESCE(e.actor_id, 0), COALESCE(p.name, ''), e.action, e.from_status, e.to_status, e.comment
		FROM application_events e LEFT JOIN persons p ON p.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id`, a.ID)
	if err != nil {
		return err
	}
	if a.Events, err = scanAll(rows, func(r *sql.Rows) (e domain.ApplicationEvent, err error) {
		err = r.Scan(&e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromStatus, &e.ToStatus, &e.Comment)
		e.At = e.At.UTC()
		return e, err
	}); err != nil {
		return err
	}
	vs, err := tx.vouchers(ctx, `v.application_id = $1`, a.ID)
	a.Vouchers = vs
	if err != nil {
		return err
	}
	a.Pending, err = tx.pendingDecision(ctx, a.ID)
	return err
}

// Applications lists up to f.Limit applications, the latest change first,
// after f.After (keyset paging; f.Offset skips rows for the page numbers
// of older API clients), and their total up to domain.ListCountLimit and
// one more (-1 with f.NoTotal). A filter with OrgIDs or ReviewBy set
// (even empty) is a scope: only those applications.
func (db *DB) Applications(ctx context.Context, f domain.ApplicationFilter) ([]domain.Application, int, error) {
	w, args, none := db.appsWhere(f)
	if none {
		return []domain.Application{}, 0, nil
	}
	// The total is counted up to domain.ListCountLimit and one more.
	total := -1
	if !f.NoTotal {
		if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1`+appFrom+w+` LIMIT $`+strconv.Itoa(len(args)+1)+`) c`,
			append(args, domain.ListCountLimit+1)...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	q, args, err := db.appsPage(f)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanAll(rows, scanApplicationRow)
	if out == nil {
		out = []domain.Application{}
	}
	return out, total, err
}

// appsWhere is the condition of f without its cursor; none is true when
// f's scope is empty.
func (db *DB) appsWhere(f domain.ApplicationFilter) (w string, args []any, none bool) {
	where := []string{"1=1"}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var scope []string
	if len(f.OrgIDs) > 0 {
		scope = append(scope, "a.org_id IN ("+inList(f.OrgIDs, arg)+")")
	}
	if len(f.ReviewBy) > 0 {
		// Reviewers see what was submitted to them, never drafts.
		scope = append(scope, "(a.reviewer_id IN ("+inList(f.ReviewBy, arg)+") AND a.status <> 'draft' AND a.submitted_at IS NOT NULL)")
	}
	if f.OrgIDs != nil || f.ReviewBy != nil {
		if len(scope) == 0 {
			return "", nil, true
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.Status != "" {
		where = append(where, "a.status = "+arg(string(f.Status)))
	}
	if f.AGS != "" {
		where = append(where, "a.ags LIKE "+arg(escapeLike(f.AGS)+"%")+` ESCAPE '\'`)
	}
	if f.OlderThan > 0 {
		where = append(where, "a.submitted_at < "+arg(db.Now().Add(-f.OlderThan)))
	}
	return " WHERE " + strings.Join(where, " AND "), args, false
}

// appsPage is the query of a page of applications.
func (db *DB) appsPage(f domain.ApplicationFilter) (string, []any, error) {
	w, args, _ := db.appsWhere(f)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !f.After.IsZero() {
		// Keyset paging along applications_updated (issue 14): the
		// applications changed before the last one shown.
		at, err := f.After.Time()
		if err != nil {
			return "", nil, err
		}
		// A row value, so that both databases start the index at the
		// cursor also among many applications changed at one moment.
		w += " AND (a.updated_at, a.id) < (" + arg(at) + ", " + arg(f.After.ID) + ")"
	}
	return `SELECT ` + appCols + appFrom + w + ` ORDER BY a.updated_at DESC, a.id DESC LIMIT ` +
		arg(pageLimit(f.Limit)) + ` OFFSET ` + arg(max(f.Offset, 0)), args, nil
}

func scanApplicationRow(r *sql.Rows) (domain.Application, error) {
	a, err := scanApplication(r)
	if err != nil {
		return domain.Application{}, err
	}
	return *a, nil
}

func inList(ids []int64, arg func(any) string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = arg(id)
	}
	return strings.Join(s, ",")
}

// ApplicationEvent appends a step to the application's history and the
// audit log, with the actor of ctx.
func (tx *Tx) ApplicationEvent(ctx context.Context, a *domain.Application, action string, from, to domain.AppStatus, comment string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_status, to_status, comment)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, tx.now, nullID(domain.ActorFrom(ctx).PersonID()), action, string(from), string(to), comment); err != nil {
		return err
	}
	return tx.audit(ctx, a.OrgID, "application."+action, "application", a.ID, map[string]string{"from": string(from), "to": string(to), "comment": comment})
}

// CreateApplication inserts a new application with its certificates and
// sets a.ID.
func (tx *Tx) CreateApplication(ctx context.Context, a *domain.Application) error {
	if err := tx.QueryRowContext(ctx, `INSERT INTO applications (programme_id, org_id, ags, track, provider_id, people, declarations, status,
		created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		a.ProgrammeID, a.OrgID, a.AGS, a.Track, nullID(a.ProviderID), a.People, a.Declarations, string(a.Status), a.CreatedBy, tx.now).Scan(&a.ID); err != nil {
		return mapErr(err)
	}
	return tx.saveCertificates(ctx, a)
}

// UpdateApplication writes a draft's fields, and its certificates when
// certificates is true.
func (tx *Tx) UpdateApplication(ctx context.Context, a *domain.Application, certificates bool) error {
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET track = $1, provider_id = $2, people = $3, declarations = $4, updated_at = $5
		WHERE id = $6`, a.Track, nullID(a.ProviderID), a.People, a.Declarations, tx.now, a.ID); err != nil {
		return err
	}
	if certificates {
		return tx.saveCertificates(ctx, a)
	}
	return nil
}

func (tx *Tx) saveCertificates(ctx context.Context, a *domain.Application) error {
	for _, q := range []string{`DELETE FROM application_certificates WHERE application_id = $1`,
		`DELETE FROM application_platform_certificates WHERE application_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
			return err
		}
	}
	for _, c := range a.Certificates {
		var err error
		if c.CertificateID != "" {
			_, err = tx.ExecContext(ctx, `INSERT INTO application_platform_certificates (application_id, position, person_name, certificate_id)
				VALUES ($1, $2, $3, $4)`, a.ID, c.Position, c.PersonName, c.CertificateID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO application_certificates (application_id, position, person_name, document_id, check_state)
				VALUES ($1, $2, $3, $4, $5)`, a.ID, c.Position, c.PersonName, c.DocumentID, c.Check)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// BaseCertificateFacts reads what the base-proof rule needs to know about a
// platform certificate. It locks the certificate's row (PostgreSQL; SQLite
// holds the write lock), so two applications naming it at the same moment
// are checked one after the other.
func (tx *Tx) BaseCertificateFacts(ctx context.Context, u domain.BaseCertificateUse) (*domain.BaseCertificateFacts, error) {
	f := &domain.BaseCertificateFacts{}
	var email string
	var person, offer int64
	var revoked sql.NullTime
	q := tx.forUpdate(`SELECT participant_name, participant_email, COALESCE(person_id, 0), provider_id, offer_id, revoked_at FROM certificates WHERE id = $1`)
	err := tx.QueryRowContext(ctx, q, u.CertificateID).Scan(&f.Participant, &email, &person, &f.ProviderID, &offer, &revoked)
	if errNoRows(err) {
		return f, nil
	} else if err != nil {
		return nil, err
	}
	f.Found, f.Revoked = true, revoked.Valid
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM offer_funding WHERE offer_id = $1 AND track = $2`, offer, u.BaseTrack).Scan(&n); err != nil {
		return nil, err
	}
	f.FundedBase = n > 0
	// The participant is the booked person; a certificate of a booking made
	// without an account names the person by the address it was sent to.
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN persons pe ON pe.id = m.person_id
		WHERE m.org_id = $1 AND (pe.id = $2 OR ($2 = 0 AND pe.email = $3))`,
		u.OrgID, person, strings.ToLower(strings.TrimSpace(email))).Scan(&n); err != nil {
		return nil, err
	}
	f.Member = n > 0
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM application_platform_certificates pc JOIN applications x ON x.id = pc.application_id
		WHERE pc.certificate_id = $1 AND x.id <> $2 AND x.programme_id = $3 AND x.track = $4 AND x.status NOT IN ('withdrawn', 'rejected')`,
		u.CertificateID, u.ApplicationID, u.ProgrammeID, u.Track).Scan(&n); err != nil {
		return nil, err
	}
	f.UsedElsewhere = n > 0
	return f, nil
}

// LockMunicipality serializes submissions of one applicant: on PostgreSQL it
// locks the applicant's directory row, so that two signatories submitting at
// the same moment count one after the other; on SQLite the transaction
// already holds the database's write lock. domain.ErrNotFound when the
// directory has no such entry.
func (tx *Tx) LockMunicipality(ctx context.Context, ags string) error {
	var x string
	err := tx.QueryRowContext(ctx, tx.forUpdate(`SELECT ags FROM municipalities WHERE ags = $1`), ags).Scan(&x)
	if errNoRows(err) {
		return domain.ErrNotFound
	}
	return err
}

// SubmitApplication marks an application submitted by the actor of ctx to
// the reviewing association.
func (tx *Tx) SubmitApplication(ctx context.Context, id, reviewerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'submitted', submitted_at = $1, submitted_by = $2, reviewer_id = $3,
		reason = '', updated_at = $1 WHERE id = $4`, tx.now, domain.ActorFrom(ctx).PersonID(), reviewerID, id)
	return err
}

// WithdrawApplication marks an application withdrawn.
func (tx *Tx) WithdrawApplication(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'withdrawn', updated_at = $1 WHERE id = $2`, tx.now, id)
	return err
}

// DecideApplication records the decision of the actor of ctx: rejected or
// returned, with the reason or comment.
func (tx *Tx) DecideApplication(ctx context.Context, id int64, to domain.AppStatus, text string) error {
	_, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1, reason = $2, decided_at = $3, decided_by = $4, updated_at = $3
		WHERE id = $5`, string(to), text, tx.now, domain.ActorFrom(ctx).PersonID(), id)
	return err
}

// ApproveApplication records the approval by the actor of ctx with the
// contract's number and document.
func (tx *Tx) ApproveApplication(ctx context.Context, id int64, number string, contractID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'approved', number = $1, contract_id = $2, decided_at = $3, decided_by = $4,
		updated_at = $3 WHERE id = $5`, number, nullID(contractID), tx.now, domain.ActorFrom(ctx).PersonID(), id)
	return err
}

// MemberEmails returns the addresses of the organisation's members who hold
// one of the roles.
func (tx *Tx) MemberEmails(ctx context.Context, orgID int64, roles ...domain.Role) ([]string, error) {
	args := make([]any, 0, len(roles)+1)
	args = append(args, orgID)
	ph := make([]string, len(roles))
	for i, r := range roles {
		args = append(args, string(r))
		ph[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT p.email FROM membership_roles mr JOIN persons p ON p.id = mr.person_id
		WHERE mr.org_id = $1 AND mr.role IN (`+strings.Join(ph, ",")+`) ORDER BY p.email`, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (e string, err error) { return e, r.Scan(&e) })
}
