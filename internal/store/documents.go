package store

import (
	"context"
	"io"

	"github.com/lotse-oss/lotse/internal/domain"
)

// CreateDocument stores an uploaded file of the organisation, with its audit
// entry. The caller has checked its content.
func (db *DB) CreateDocument(ctx context.Context, orgID int64, name, mediaType string, content []byte) (*domain.Document, error) {
	var d *domain.Document
	// The content goes into the file store before the transaction, which
	// then holds no lock while it is uploaded.
	key, err := db.PutBlob(ctx, content)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		var err error
		d, _, err = tx.StoreDocument(ctx, orgID, name, mediaType, content)
		if err != nil {
			return err
		}
		return tx.audit(ctx, orgID, "document.upload", "document", d.ID, map[string]any{"name": name, "sha256": d.SHA256, "size": d.Size})
	})
	if err != nil {
		db.DiscardBlobs([]string{key})
		return nil, err
	}
	return d, nil
}

// Document returns a document's metadata.
func (db *DB) Document(ctx context.Context, id int64) (*domain.Document, error) {
	return scanDocument(db.queryRow(ctx, `SELECT id, org_id, name, media_type, size, sha256, created_at, kind FROM documents WHERE id = $1`, id))
}

// Document returns a document's metadata inside tx.
func (tx *Tx) Document(ctx context.Context, id int64) (*domain.Document, error) {
	return scanDocument(tx.QueryRowContext(ctx, `SELECT id, org_id, name, media_type, size, sha256, created_at, kind FROM documents WHERE id = $1`, id))
}

func scanDocument(row interface{ Scan(...any) error }) (*domain.Document, error) {
	var d domain.Document
	err := row.Scan(&d.ID, &d.OrgID, &d.Name, &d.MediaType, &d.Size, &d.SHA256, &d.CreatedAt, &d.Kind)
	if errNoRows(err) {
		return nil, domain.ErrDocumentNotFound
	} else if err != nil {
		return nil, err
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, nil
}

// OpenDocument returns a document's content.
func (db *DB) OpenDocument(ctx context.Context, d *domain.Document) (io.ReadCloser, error) {
	rc, _, err := db.Files.Get(ctx, d.SHA256)
	return rc, err
}

// DocumentApplications lists the applications that use a document (as
// contract or certificate), so that their reviewers may read it.
func (db *DB) DocumentApplications(ctx context.Context, docID int64) ([]domain.Application, error) {
	rows, err := db.query(ctx, `SELECT `+appCols+appFrom+`WHERE a.contract_id = $1
		OR a.id IN (SELECT application_id FROM application_certificates WHERE document_id = $1) ORDER BY a.id`, docID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scanApplicationRow)
}
