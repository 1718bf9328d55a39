package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
			return nil, domain.Errorf(domain.ENotFound, "Diesen Antrag gibt es nicht.")
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
		a, err = tx.application(ctx, id, false)
		if err != nil {
			return err
		}
		return tx.loadApplicationDetails(ctx, a)
	})
	return a, err
}

// application reads one application; with lock it is locked for the rest of
// the transaction on PostgreSQL (SQLite transactions hold the write lock).
func (tx *Tx) application(ctx context.Context, id int64, lock bool) (*domain.Application, error) {
	q := `SELECT ` + appCols + appFrom + `WHERE a.id = $1`
	if lock && tx.db.Dialect == Postgres {
		q += " FOR UPDATE OF a"
	}
	return scanApplication(tx.QueryRowContext(ctx, q, id))
}

func (tx *Tx) loadApplicationDetails(ctx context.Context, a *domain.Application) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.position, c.person_name, c.document_id, d.name, c.check_state
		FROM application_certificates c JOIN documents d ON d.id = c.document_id WHERE c.application_id = $1 ORDER BY c.position`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c domain.ApplicationCertificate
		if err := rows.Scan(&c.Position, &c.PersonName, &c.DocumentID, &c.FileName, &c.Check); err != nil {
			rows.Close()
			return err
		}
		a.Certificates = append(a.Certificates, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT position, person_name, certificate_id FROM application_platform_certificates
		WHERE application_id = $1 ORDER BY position`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		c := domain.ApplicationCertificate{Check: "verified"}
		if err := rows.Scan(&c.Position, &c.PersonName, &c.CertificateID); err != nil {
			rows.Close()
			return err
		}
		a.Certificates = append(a.Certificates, c)
	}
	rows.Close()
	slices.SortFunc(a.Certificates, func(x, y domain.ApplicationCertificate) int { return x.Position - y.Position })
	rows, err = tx.QueryContext(ctx, `SELECT e.at, COALESCE(e.actor_id, 0), COALESCE(p.name, ''), e.action, e.from_status, e.to_status, e.comment
		FROM application_events e LEFT JOIN persons p ON p.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e domain.ApplicationEvent
		if err := rows.Scan(&e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromStatus, &e.ToStatus, &e.Comment); err != nil {
			rows.Close()
			return err
		}
		e.At = e.At.UTC()
		a.Events = append(a.Events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	vs, err := tx.vouchers(ctx, `v.application_id = $1`, a.ID)
	a.Vouchers = vs
	return err
}

// Applications lists applications, newest first.
func (db *DB) Applications(ctx context.Context, f domain.ApplicationFilter) ([]domain.Application, int, error) {
	where, args := []string{"1=1"}, []any{}
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
			return []domain.Application{}, 0, nil
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.Status != "" {
		where = append(where, "a.status = "+arg(f.Status))
	}
	if f.AGS != "" {
		where = append(where, "a.ags LIKE "+arg(escapeLike(f.AGS)+"%")+` ESCAPE '\'`)
	}
	if f.OlderThan > 0 {
		where = append(where, "a.submitted_at < "+arg(db.Now().Add(-f.OlderThan)))
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*)`+appFrom+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+appCols+appFrom+w+` ORDER BY a.updated_at DESC, a.id DESC LIMIT `+
		arg(clampLimit(f.Limit))+` OFFSET `+arg(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []domain.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *a)
	}
	return out, total, rows.Err()
}

func inList(ids []int64, arg func(any) string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = arg(id)
	}
	return strings.Join(s, ",")
}

// event appends a step to the application's history and the audit log.
func (tx *Tx) event(ctx context.Context, a *domain.Application, action, from, to, comment string) error {
	var actor sql.NullInt64
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		actor = sql.NullInt64{Int64: id, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_status, to_status, comment)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, tx.now, actor, action, from, to, comment); err != nil {
		return err
	}
	return tx.audit(ctx, a.OrgID, "application."+action, "application", a.ID, map[string]string{"from": from, "to": to, "comment": comment})
}

// CreateApplication starts a draft for the municipality's organisation.
func (db *DB) CreateApplication(ctx context.Context, orgID int64, in domain.ApplicationInput) (*domain.Application, error) {
	var id int64
	err := db.transact(ctx, func(tx *Tx) error {
		org, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, orgID))
		if err != nil {
			return err
		}
		if org.Kind != domain.OrgMunicipality || org.AGS == "" {
			return domain.Errorf(domain.EInvalid, "Nur Kommunen können einen Weitergabevertrag abschließen.")
		}
		if in.ProgrammeID == nil || *in.ProgrammeID == "" {
			return &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie ein Förderprogramm.", Fields: map[string]string{"programme": "Bitte wählen Sie ein Förderprogramm."}}
		}
		if in.AGS != nil && *in.AGS != org.AGS {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Gemeindeschlüssel gehört nicht zu Ihrer Organisation.",
				Fields: map[string]string{"ags": fmt.Sprintf("Ihre Organisation hat den Gemeindeschlüssel %s.", org.AGS)}}
		}
		a := &domain.Application{ProgrammeID: *in.ProgrammeID, OrgID: orgID, AGS: org.AGS, Status: domain.AppDraft}
		p, err := tx.programme(ctx, a.ProgrammeID)
		if err != nil {
			return &domain.Error{Code: domain.EInvalid, Message: domain.ErrorMessage(err), Fields: map[string]string{"programme": domain.ErrorMessage(err)}}
		}
		if err := checkOpen(p, a.AGS); err != nil {
			return err
		}
		if err := tx.applyInput(ctx, p, a, in); err != nil {
			return err
		}
		a.CreatedBy = domain.ActorFrom(ctx).PersonID()
		var provider sql.NullInt64
		if a.ProviderID != 0 {
			provider = sql.NullInt64{Int64: a.ProviderID, Valid: true}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO applications (programme_id, org_id, ags, track, provider_id, people, declarations, status,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			a.ProgrammeID, a.OrgID, a.AGS, a.Track, provider, a.People, a.Declarations, a.Status, a.CreatedBy, tx.now).Scan(&a.ID); err != nil {
			return err
		}
		if err := tx.saveCertificates(ctx, a); err != nil {
			return err
		}
		id = a.ID
		return tx.event(ctx, a, "create", "", domain.AppDraft, "")
	})
	if err != nil {
		return nil, err
	}
	return db.Application(ctx, id)
}

func checkOpen(p *domain.Programme, ags string) error {
	if !p.Open {
		return domain.Errorf(domain.EConflict, "Das Förderprogramm „%s“ nimmt derzeit keine Anträge an.", p.Name)
	}
	if len(ags) < 2 || ags[:2] != p.State {
		return domain.Errorf(domain.EInvalid, "Das Förderprogramm „%s“ gilt nur für Kommunen eines anderen Landes.", p.Name)
	}
	return nil
}

// applyInput validates a draft's fields against the programme and sets
// them on a. Drafts may be incomplete; Submit checks completeness.
func (tx *Tx) applyInput(ctx context.Context, p *domain.Programme, a *domain.Application, in domain.ApplicationInput) error {
	v := domain.Validation{}
	if in.ProgrammeID != nil && *in.ProgrammeID != a.ProgrammeID {
		v.Add("programme", "Das Förderprogramm eines Antrags lässt sich nicht ändern. Bitte legen Sie einen neuen Antrag an.")
	}
	if in.Track != nil {
		if _, ok := p.Track(*in.Track); !ok && *in.Track != "" {
			v.Add("track", "Bitte wählen Sie eine Qualifizierung des Programms.")
		} else {
			a.Track = *in.Track
		}
	}
	if in.ProviderID != nil {
		if *in.ProviderID != 0 && !p.FundsProvider(*in.ProviderID) {
			v.Add("provider", "Dieser Bildungsträger gehört nicht zum Förderprogramm.")
		} else {
			a.ProviderID = *in.ProviderID
		}
	}
	if in.People != nil {
		if *in.People < 0 || *in.People > 100 {
			v.Add("people", "Die Zahl der Personen muss zwischen 1 und 100 liegen.")
		} else {
			a.People = *in.People
		}
	}
	if in.Declarations != nil {
		a.Declarations = *in.Declarations
	}
	if in.Certificates != nil {
		certs := *in.Certificates
		seen := map[string]bool{}
		for i := range certs {
			c := &certs[i]
			c.Position = i + 1
			c.PersonName = strings.TrimSpace(c.PersonName)
			if c.PersonName == "" || utf8.RuneCountInString(c.PersonName) > 200 {
				v.Add(fmt.Sprintf("certificates.%d.person_name", i), "Bitte geben Sie den Namen der Person an.")
			} else if domain.HasControlChars(c.PersonName) {
				v.Add(fmt.Sprintf("certificates.%d.person_name", i), "Der Name darf keine Steuerzeichen (etwa Tabulatoren oder Zeilenumbrüche) enthalten.")
			}
			if c.CertificateID != "" {
				id := strings.ToLower(strings.TrimSpace(c.CertificateID))
				if seen[id] {
					v.Add(fmt.Sprintf("certificates.%d.certificate", i), "Dieses Zertifikat ist in diesem Antrag bereits für eine andere Person angegeben.")
					continue
				}
				seen[id] = true
				msg, err := tx.checkBaseCertificate(ctx, p, a, c)
				if err != nil {
					return err
				}
				if msg != "" {
					v.Add(fmt.Sprintf("certificates.%d.certificate", i), msg)
				}
				c.DocumentID, c.Check = 0, "verified"
				continue
			}
			var org int64
			var media string
			err := tx.QueryRowContext(ctx, `SELECT org_id, media_type FROM documents WHERE id = $1`, c.DocumentID).Scan(&org, &media)
			if errNoRows(err) || (err == nil && (org != a.OrgID || media != "application/pdf")) {
				v.Add(fmt.Sprintf("certificates.%d.document", i), "Bitte laden Sie das Teilnahmezertifikat als PDF hoch oder wählen Sie ein Zertifikat von Lotse.")
			} else if err != nil {
				return err
			}
			c.Check = "to_check"
		}
		a.Certificates = certs
	}
	return v.Err()
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

// checkBaseCertificate checks a platform certificate as proof of the base
// qualification in application a: it exists, is not revoked, was issued by
// one of the programme's providers for an offer funded by its base track,
// names the person, belongs to a member of the applying municipality, and is
// not named in another live application of the same programme and track. The
// certificate's row is locked (PostgreSQL; SQLite holds the write lock), so
// two applications naming it at the same moment are checked one after the
// other. It returns the German reason when it fails.
func (tx *Tx) checkBaseCertificate(ctx context.Context, p *domain.Programme, a *domain.Application, c *domain.ApplicationCertificate) (string, error) {
	id := strings.ToLower(strings.TrimSpace(c.CertificateID))
	var name, email string
	var provider, offer, person int64
	var revoked sql.NullTime
	q := `SELECT participant_name, participant_email, COALESCE(person_id, 0), provider_id, offer_id, revoked_at FROM certificates WHERE id = $1`
	if tx.db.Dialect == Postgres {
		q += " FOR UPDATE"
	}
	err := tx.QueryRowContext(ctx, q, id).Scan(&name, &email, &person, &provider, &offer, &revoked)
	if errNoRows(err) {
		return "Dieses Zertifikat gibt es auf Lotse nicht.", nil
	} else if err != nil {
		return "", err
	}
	base := ""
	for _, t := range p.Tracks {
		if !t.RequiresBaseCertificate && t.CountsAgainstContingent {
			base = p.ID + "/" + t.Key
		}
	}
	var funded int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM offer_funding WHERE offer_id = $1 AND track = $2`, offer, base).Scan(&funded); err != nil {
		return "", err
	}
	// The participant is the booked person; a certificate of a booking made
	// without an account names the person by the address it was sent to.
	var member int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN persons pe ON pe.id = m.person_id
		WHERE m.org_id = $1 AND (pe.id = $2 OR ($2 = 0 AND pe.email = $3))`, a.OrgID, person, strings.ToLower(strings.TrimSpace(email))).Scan(&member); err != nil {
		return "", err
	}
	var used int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM application_platform_certificates pc JOIN applications x ON x.id = pc.application_id
		WHERE pc.certificate_id = $1 AND x.id <> $2 AND x.programme_id = $3 AND x.track = $4 AND x.status NOT IN ('withdrawn', 'rejected')`,
		id, a.ID, a.ProgrammeID, a.Track).Scan(&used); err != nil {
		return "", err
	}
	switch {
	case revoked.Valid:
		return "Dieses Zertifikat wurde widerrufen.", nil
	case !p.FundsProvider(provider) || funded == 0:
		return "Dieses Zertifikat belegt keine Basisqualifizierung des Förderprogramms.", nil
	case !strings.EqualFold(strings.TrimSpace(name), c.PersonName):
		return fmt.Sprintf("Das Zertifikat ist auf %s ausgestellt, nicht auf %s.", name, c.PersonName), nil
	case member == 0:
		return "Das Zertifikat gehört keiner Person Ihrer Kommune.", nil
	case used > 0:
		return "Dieses Zertifikat ist bereits in einem anderen Antrag für diese Qualifizierung angegeben.", nil
	}
	c.CertificateID = id
	return "", nil
}

// UpdateApplication changes a draft, or an application returned for changes.
func (db *DB) UpdateApplication(ctx context.Context, id int64, in domain.ApplicationInput) (*domain.Application, error) {
	err := db.transact(ctx, func(tx *Tx) error {
		a, err := tx.application(ctx, id, true)
		if err != nil {
			return err
		}
		if !a.Editable() {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ lässt sich nicht mehr ändern.", a.StatusLabel())
		}
		if in.AGS != nil && *in.AGS != a.AGS {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Gemeindeschlüssel eines Antrags lässt sich nicht ändern.",
				Fields: map[string]string{"ags": "Der Gemeindeschlüssel eines Antrags lässt sich nicht ändern."}}
		}
		p, err := tx.programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		if err := tx.loadApplicationDetails(ctx, a); err != nil {
			return err
		}
		if err := tx.applyInput(ctx, p, a, in); err != nil {
			return err
		}
		var provider sql.NullInt64
		if a.ProviderID != 0 {
			provider = sql.NullInt64{Int64: a.ProviderID, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET track = $1, provider_id = $2, people = $3, declarations = $4, updated_at = $5
			WHERE id = $6`, a.Track, provider, a.People, a.Declarations, tx.now, a.ID); err != nil {
			return err
		}
		if in.Certificates != nil {
			if err := tx.saveCertificates(ctx, a); err != nil {
				return err
			}
		}
		return tx.event(ctx, a, "update", a.Status, a.Status, "")
	})
	if err != nil {
		return nil, err
	}
	return db.Application(ctx, id)
}

// lockContingent serializes submissions of one applicant in one programme.
// On PostgreSQL it locks the applicant's directory row, so that two
// signatories submitting at the same moment count one after the other; on
// SQLite the transaction already holds the database's write lock.
func (tx *Tx) lockContingent(ctx context.Context, ags string) error {
	if tx.db.Dialect != Postgres {
		return nil
	}
	var x string
	err := tx.QueryRowContext(ctx, `SELECT ags FROM municipalities WHERE ags = $1 FOR UPDATE`, ags).Scan(&x)
	if errNoRows(err) {
		return domain.Errorf(domain.EInvalid, "Diese Kommune gibt es im Gemeindeverzeichnis nicht.")
	}
	return err
}

// SubmitApplication submits a complete application. Inside one transaction
// that locks the applicant's contingent it checks that the places are still
// available and assigns the reviewing association.
func (db *DB) SubmitApplication(ctx context.Context, id int64) (*domain.Application, error) {
	err := db.transact(ctx, func(tx *Tx) error {
		a, err := tx.application(ctx, id, false)
		if err != nil {
			return err
		}
		if err := tx.lockContingent(ctx, a.AGS); err != nil {
			return err
		}
		if a, err = tx.application(ctx, id, true); err != nil {
			return err
		}
		if !a.Editable() {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ kann nicht eingereicht werden.", a.StatusLabel())
		}
		if err := tx.loadApplicationDetails(ctx, a); err != nil {
			return err
		}
		p, err := tx.programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		if err := checkOpen(p, a.AGS); err != nil {
			return err
		}
		v := domain.Validation{}
		track, ok := p.Track(a.Track)
		if !ok {
			v.Add("track", "Bitte wählen Sie eine Qualifizierung.")
		}
		if a.ProviderID == 0 {
			v.Add("provider", "Bitte wählen Sie einen Bildungsträger.")
		}
		if a.People < 1 {
			v.Add("people", "Bitte geben Sie an, wie viele Personen qualifiziert werden sollen.")
		}
		if !a.Declarations {
			v.Add("declarations", "Bitte bestätigen Sie die Erklärungen.")
		}
		for i := range a.Certificates {
			if a.Certificates[i].CertificateID == "" {
				continue
			}
			msg, err := tx.checkBaseCertificate(ctx, p, a, &a.Certificates[i])
			if err != nil {
				return err
			}
			if msg != "" {
				v.Add(fmt.Sprintf("certificates.%d.certificate", i), msg)
			}
		}
		if ok && track.RequiresBaseCertificate && len(a.Certificates) != a.People {
			v.Add("certificates", fmt.Sprintf("Für das %s braucht jede Person ein Teilnahmezertifikat der Basisqualifizierung: %d von %d liegen vor.",
				track.Name, len(a.Certificates), a.People))
		}
		if err := v.Err(); err != nil {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Antrag ist noch nicht vollständig.", Fields: v}
		}
		c, app, err := tx.contingent(ctx, p, a.AGS)
		if err != nil {
			return err
		}
		if track.CountsAgainstContingent {
			// This application's own places count as used while it is
			// returned for changes; they are available to itself.
			own := 0
			if a.Status == domain.AppReturned {
				own = a.People
			}
			if avail := c.Remaining + own; a.People > avail {
				return &domain.Error{Code: domain.EConflict,
					Message: fmt.Sprintf("Das Kontingent reicht nicht: %s stehen %d Plätze zu, %d sind vergeben, %d frei. Beantragt sind %d.",
						c.Name, c.Total, c.Used-own, avail, a.People),
					Fields: map[string]string{"people": fmt.Sprintf("Es sind nur noch %d Plätze frei.", avail)}}
			}
		}
		reviewer := p.Reviewer(app.entry.TypeCode)
		if reviewer == 0 {
			return domain.Errorf(domain.EConflict, "Für %s ist im Förderprogramm kein prüfender Verband festgelegt.", c.Name)
		}
		from := a.Status
		actor := domain.ActorFrom(ctx).PersonID()
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'submitted', submitted_at = $1, submitted_by = $2, reviewer_id = $3,
			reason = '', updated_at = $1 WHERE id = $4`, tx.now, actor, reviewer, a.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, a, "submit", from, domain.AppSubmitted, ""); err != nil {
			return err
		}
		return tx.notifyMembers(ctx, reviewer, []domain.Role{domain.RoleReviewer}, "Neuer Antrag zur Prüfung: "+c.Name,
			fmt.Sprintf("Guten Tag,\n\n%s hat einen Weitergabevertrag für %d Person(en) im %s eingereicht. Er wartet auf Ihre Prüfung:\n\n%s/antraege/%d\n\nIhr Lotse-Team",
				a.OrgName, a.People, track.Name, tx.db.BaseURL, a.ID))
	})
	if err != nil {
		return nil, err
	}
	return db.Application(ctx, id)
}

// notifyMembers mails every member of an organisation holding one of the
// roles. The mail only points to the platform.
func (tx *Tx) notifyMembers(ctx context.Context, orgID int64, roles []domain.Role, subject, body string) error {
	rs := make([]any, 0, len(roles)+1)
	rs = append(rs, orgID)
	ph := make([]string, len(roles))
	for i, r := range roles {
		rs = append(rs, string(r))
		ph[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT p.email FROM membership_roles mr JOIN persons p ON p.id = mr.person_id
		WHERE mr.org_id = $1 AND mr.role IN (`+strings.Join(ph, ",")+`) ORDER BY p.email`, rs...)
	if err != nil {
		return err
	}
	var to []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return err
		}
		to = append(to, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range to {
		if err := tx.enqueueMail(ctx, e, subject, body); err != nil {
			return err
		}
	}
	return nil
}

// WithdrawApplication withdraws an application that is not decided yet; its
// places return to the contingent.
func (db *DB) WithdrawApplication(ctx context.Context, id int64) (*domain.Application, error) {
	err := db.transact(ctx, func(tx *Tx) error {
		a, err := tx.application(ctx, id, true)
		if err != nil {
			return err
		}
		if !slices.Contains([]string{domain.AppDraft, domain.AppSubmitted, domain.AppReturned}, a.Status) {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ kann nicht zurückgezogen werden.", a.StatusLabel())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'withdrawn', updated_at = $1 WHERE id = $2`, tx.now, a.ID); err != nil {
			return err
		}
		return tx.event(ctx, a, "withdraw", a.Status, domain.AppWithdrawn, "")
	})
	if err != nil {
		return nil, err
	}
	return db.Application(ctx, id)
}

// decide moves a submitted application to rejected or returned, with the
// reason or comment the municipality sees.
func (db *DB) decide(ctx context.Context, id int64, to, action, text string) (*domain.Application, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		field := "reason"
		msg := "Bitte begründen Sie die Ablehnung."
		if to == domain.AppReturned {
			field, msg = "comment", "Bitte schreiben Sie der Kommune, was sie ändern soll."
		}
		return nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	if utf8.RuneCountInString(text) > 5000 {
		return nil, domain.Errorf(domain.EInvalid, "Der Text darf höchstens 5.000 Zeichen lang sein.")
	}
	err := db.transact(ctx, func(tx *Tx) error {
		a, err := tx.application(ctx, id, true)
		if err != nil {
			return err
		}
		if a.Status != domain.AppSubmitted {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ kann nicht entschieden werden.", a.StatusLabel())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1, reason = $2, decided_at = $3, decided_by = $4, updated_at = $3
			WHERE id = $5`, to, text, tx.now, domain.ActorFrom(ctx).PersonID(), a.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, a, action, a.Status, to, text); err != nil {
			return err
		}
		subject := "Ihr Weitergabevertrag wurde abgelehnt"
		if to == domain.AppReturned {
			subject = "Ihr Weitergabevertrag braucht Änderungen"
		}
		return tx.notifyMembers(ctx, a.OrgID, []domain.Role{domain.RoleSignatory, domain.RoleHR}, subject,
			fmt.Sprintf("Guten Tag,\n\nzu Ihrem Antrag Nr. %d gibt es eine Entscheidung der prüfenden Stelle. Details finden Sie auf Lotse:\n\n%s/antraege/%d\n\nIhr Lotse-Team",
				a.ID, tx.db.BaseURL, a.ID))
	})
	if err != nil {
		return nil, err
	}
	return db.Application(ctx, id)
}

// RejectApplication rejects a submitted application with a reason.
func (db *DB) RejectApplication(ctx context.Context, id int64, reason string) (*domain.Application, error) {
	return db.decide(ctx, id, domain.AppRejected, "reject", reason)
}

// ReturnApplication sends a submitted application back for changes.
func (db *DB) ReturnApplication(ctx context.Context, id int64, comment string) (*domain.Application, error) {
	return db.decide(ctx, id, domain.AppReturned, "return", comment)
}

// contractNumber is the number printed on an approved contract.
func contractNumber(id int64, at time.Time) string {
	return fmt.Sprintf("WV-%d-%06d", at.Year(), id)
}
