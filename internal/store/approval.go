package store

import (
	"context"
	"fmt"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
)

// ApprovalParties fills in what an approval's documents name besides the
// application: the applicant's directory entry, the organisations of the
// municipality, provider, reviewer and funder, and the signatory's name.
func (tx *Tx) ApprovalParties(ctx context.Context, d *domain.ApprovalData) error {
	a, p := d.Application, d.Programme
	var err error
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
	return tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM persons WHERE id = $1), '')`, a.SubmittedBy).Scan(&d.Signatory)
}

// StoreDocument keeps content in the file store and records it. It returns
// the blob's key whenever the blob was stored, also with an error, so that
// the caller can discard it when the transaction fails.
func (tx *Tx) StoreDocument(ctx context.Context, orgID int64, name, mediaType string, content []byte) (*domain.Document, string, error) {
	return tx.StoreGeneratedDocument(ctx, orgID, "", name, mediaType, content)
}

// StoreGeneratedDocument is StoreDocument for a generated document of a
// kind (domain.DocContract, ...).
func (tx *Tx) StoreGeneratedDocument(ctx context.Context, orgID int64, kind, name, mediaType string, content []byte) (*domain.Document, string, error) {
	if tx.db.Files == nil {
		return nil, "", fmt.Errorf("store: no file store configured")
	}
	key, err := tx.db.Files.Put(ctx, content) // a cheap check when put before the transaction
	if err != nil {
		return nil, "", err
	}
	d := &domain.Document{OrgID: orgID, Name: name, MediaType: mediaType, Size: int64(len(content)), SHA256: filestore.SHA256Hex(content), CreatedAt: tx.now,
		Kind: kind}
	if err := tx.QueryRowContext(ctx, `INSERT INTO documents (org_id, name, media_type, size, sha256, created_by, created_at, kind)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, orgID, name, mediaType, d.Size, d.SHA256,
		nullID(domain.ActorFrom(ctx).PersonID()), tx.now, kind).Scan(&d.ID); err != nil {
		return nil, key, err
	}
	// Once more after the insert: an orphan collection that deleted the
	// blob before the insert could take its place is undone here (see
	// blobs.go).
	if _, err := tx.db.Files.Put(ctx, content); err != nil {
		return nil, key, err
	}
	return d, key, nil
}
