package funding

import (
	"context"
	"io"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

// UploadDocument stores a PDF for the municipality's organisation, as a
// base certificate of an application: signatories and HR may. The caller
// has checked that content is a PDF.
func (s *Service) UploadDocument(ctx context.Context, orgID int64, name string, content []byte) (d *domain.Document, err error) {
	defer domain.Wrap(&err, "funding.UploadDocument(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.ApplicationPrepare, authz.Resource{OrgID: orgID}); err != nil {
		return nil, refusal(authz.ApplicationPrepare, err)
	}
	return s.db.CreateDocument(ctx, orgID, name, "application/pdf", content)
}

// OpenDocument returns a document and its content when the actor may read
// it: members of its organisation, admins, and the reviewers of a submitted
// application that uses it. Anyone else is told it does not exist.
func (s *Service) OpenDocument(ctx context.Context, id int64) (d *domain.Document, rc io.ReadCloser, err error) {
	defer domain.Wrap(&err, "funding.OpenDocument(%d)", id)
	a := domain.ActorFrom(ctx)
	d, err = s.db.Document(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	uses, err := s.db.DocumentApplications(ctx, d.ID)
	if err != nil {
		return nil, nil, err
	}
	if !authz.DocumentReadable(a, d, uses) {
		if a.Anonymous() {
			return nil, nil, domain.ErrUnauthorized
		}
		return nil, nil, domain.ErrDocumentNotFound
	}
	rc, err = s.db.OpenDocument(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	return d, rc, nil
}
