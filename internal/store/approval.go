package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// GeneratedFile is a document made on approval: the contract, the voucher list.
type GeneratedFile struct {
	Kind      string // "contract", "voucher_list", ...
	Name      string
	MediaType string
	Content   []byte
}

// ApprovalData is what the contract and the voucher list are made from.
type ApprovalData struct {
	Application  *domain.Application
	Programme    *domain.Programme
	Track        domain.Track
	Applicant    *domain.Municipality
	Municipality *domain.Organisation
	Provider     *domain.Organisation
	Reviewer     *domain.Organisation
	Funder       *domain.Organisation
	ReviewerName string
	Signatory    string
	Number       string
	Vouchers     []domain.Voucher
	At           time.Time
	ValidUntil   time.Time
}

// ApprovalRenderer makes the documents of an approval. It runs inside the
// approval's transaction: if it fails, nothing is approved.
type ApprovalRenderer func(*ApprovalData) ([]GeneratedFile, error)

// ApproveApplication approves a submitted application in one transaction:
// it issues one voucher per person, has the contract and voucher list
// rendered and stored, delivers them to the municipality's mailbox and
// notifies its signatories and HR by e-mail. If any step fails, nothing of
// it remains: no vouchers, no documents, no message, no mail.
func (db *DB) ApproveApplication(ctx context.Context, id int64, render ApprovalRenderer) (*domain.Application, error) {
	var stored []string
	err := db.transact(ctx, func(tx *Tx) error {
		stored = stored[:0]
		a, err := tx.application(ctx, id, true)
		if err != nil {
			return err
		}
		if a.Status != domain.AppSubmitted {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ kann nicht genehmigt werden.", a.StatusLabel())
		}
		p, err := tx.programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		track, ok := p.Track(a.Track)
		if !ok {
			return domain.Errorf(domain.EConflict, "Die Qualifizierung „%s“ gibt es im Förderprogramm nicht mehr.", a.Track)
		}
		d := &ApprovalData{Application: a, Programme: p, Track: track, At: tx.now, Number: contractNumber(a.ID, tx.now),
			ValidUntil: tx.now.AddDate(0, 0, p.VoucherValidityDays)}
		if d.Applicant, err = scanMunicipality(tx.QueryRowContext(ctx, municipalitySelect+`WHERE m.ags = $1`, a.AGS)); err != nil {
			return err
		}
		for _, o := range []struct {
			id  int64
			dst **domain.Organisation
		}{{a.OrgID, &d.Municipality}, {a.ProviderID, &d.Provider}, {a.ReviewerID, &d.Reviewer}, {p.FunderID, &d.Funder}} {
			if *o.dst, err = scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, o.id)); err != nil {
				return err
			}
		}
		actor := domain.ActorFrom(ctx)
		if !actor.Anonymous() {
			d.ReviewerName = actor.Person.Name
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM persons WHERE id = $1), '')`, a.SubmittedBy).Scan(&d.Signatory); err != nil {
			return err
		}
		value := track.VoucherValue(track.Days)
		if track.Rule == domain.RulePerDay && track.MaxCents > 0 {
			// The value of an advanced voucher follows the booked training's
			// days; until then it is worth at most the programme's maximum.
			value = track.MaxCents
		}
		for i := 0; i < a.People; i++ {
			code, err := voucher.New(a.AGS)
			if err != nil {
				return err
			}
			v := domain.Voucher{Code: code.String(), ApplicationID: a.ID, ProgrammeID: p.ID, OrgID: a.OrgID, AGS: a.AGS,
				Municipality: d.Applicant.Name, Track: a.Track, ProviderID: a.ProviderID, ProviderName: d.Provider.Name,
				ValueCents: value, State: domain.VoucherIssued, IssuedAt: tx.now, ExpiresAt: d.ValidUntil}
			if _, err := tx.ExecContext(ctx, `INSERT INTO vouchers (code, application_id, programme_id, org_id, ags, track, provider_id,
				value_cents, state, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', $9, $10)`,
				string(code), a.ID, p.ID, a.OrgID, a.AGS, a.Track, a.ProviderID, value, tx.now, d.ValidUntil); err != nil {
				return mapErr(err)
			}
			if err := tx.voucherEvent(ctx, string(code), a.OrgID, "", domain.VoucherIssued); err != nil {
				return err
			}
			d.Vouchers = append(d.Vouchers, v)
		}
		files, err := render(d)
		if err != nil {
			return fmt.Errorf("render approval documents: %w", err)
		}
		var attach []int64
		for _, f := range files {
			doc, key, err := tx.storeDocument(ctx, a.OrgID, f.Name, f.MediaType, f.Content)
			if key != "" {
				stored = append(stored, key)
			}
			if err != nil {
				return err
			}
			attach = append(attach, doc.ID)
			if f.Kind == "contract" {
				if _, err := tx.ExecContext(ctx, `UPDATE applications SET contract_id = $1 WHERE id = $2`, doc.ID, a.ID); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'approved', number = $1, decided_at = $2, decided_by = $3,
			updated_at = $2 WHERE id = $4`, d.Number, tx.now, actor.PersonID(), a.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, a, "approve", a.Status, domain.AppApproved, ""); err != nil {
			return err
		}
		body := fmt.Sprintf("Guten Tag,\n\n%s hat Ihren Weitergabevertrag im Förderprogramm „%s“ geprüft und genehmigt.\n\n"+
			"Vertragsnummer: %s\nQualifizierung: %s\nBildungsträger: %s\nPersonen: %d\nGültig bis: %s\n\n"+
			"Im Anhang finden Sie den Vertrag und die Liste der %d Gutscheincodes. Geben Sie jeder Person ihren Code; "+
			"sie nennt ihn bei der Anmeldung beim Bildungsträger.",
			d.Reviewer.Name, p.Name, d.Number, track.Name, d.Provider.Name, a.People, d.ValidUntil.Format("02.01.2006"), len(d.Vouchers))
		if _, err := tx.createMessage(ctx, a.OrgID, "Weitergabevertrag "+d.Number+" und Gutscheincodes", body, a.ID, attach); err != nil {
			return err
		}
		return tx.notifyMembers(ctx, a.OrgID, []domain.Role{domain.RoleSignatory, domain.RoleHR},
			"Neue Nachricht in Ihrem Behördenpostfach auf Lotse",
			fmt.Sprintf("Guten Tag,\n\nim Behördenpostfach von %s liegt eine neue Nachricht: der Weitergabevertrag %s mit den Gutscheincodes.\n\n"+
				"Sie finden sie nach der Anmeldung hier:\n\n%s/postfach\n\nAus Sicherheitsgründen enthält diese E-Mail keine Codes.\n\nIhr Lotse-Team",
				a.OrgName, d.Number, tx.db.BaseURL))
	})
	if err != nil {
		db.discardBlobs(stored)
		return nil, err
	}
	return db.Application(ctx, id)
}

// discardBlobs removes blobs that a failed transaction stored and no
// document refers to.
func (db *DB) discardBlobs(keys []string) {
	ctx := context.Background()
	for _, k := range keys {
		var n int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE sha256 = $1`, k).Scan(&n); err == nil && n == 0 {
			db.Files.Delete(ctx, k)
		}
	}
}

// storeDocument keeps content in the file store and records it.
func (tx *Tx) storeDocument(ctx context.Context, orgID int64, name, mediaType string, content []byte) (*domain.Document, string, error) {
	if tx.db.Files == nil {
		return nil, "", fmt.Errorf("store: no file store configured")
	}
	key, err := tx.db.Files.Put(ctx, content)
	if err != nil {
		return nil, "", err
	}
	d := &domain.Document{OrgID: orgID, Name: name, MediaType: mediaType, Size: int64(len(content)), SHA256: filestore.SHA256Hex(content), CreatedAt: tx.now}
	var by any
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		by = id
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO documents (org_id, name, media_type, size, sha256, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, orgID, name, mediaType, d.Size, d.SHA256, by, tx.now).Scan(&d.ID); err != nil {
		return nil, key, err
	}
	return d, key, nil
}
