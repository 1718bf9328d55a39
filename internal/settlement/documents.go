package settlement

import (
	"context"
	"fmt"

	"github.com/lotse-oss/lotse/internal/claimdocs"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Document formats of a claim.
const (
	DocCSV       = "csv"
	DocXLSX      = "xlsx"
	DocPDF       = "pdf"
	DocXRechnung = "xrechnung"
)

// Document renders a claim for whoever may see it: the voucher list as CSV
// (German Excel) or XLSX, the PDF summary, or the XRechnung 3.0 e-invoice
// (UBL 2.1; a CreditNote for a credit note) addressed to the programme's
// paying body.
func (s *Service) Document(ctx context.Context, id int64, format string) (f *domain.GeneratedFile, err error) {
	defer domain.Wrap(&err, "settlement.Document(%d, %s)", id, format)
	c, err := s.Claim(ctx, id)
	if err != nil {
		return nil, err
	}
	base := "abrechnung-" + c.Number
	if c.Kind == domain.ClaimCreditNote {
		base = "gutschrift-" + c.Number
	}
	f = &domain.GeneratedFile{Kind: "claim_" + format}
	switch format {
	case DocCSV:
		f.Name, f.MediaType = base+".csv", "text/csv; charset=utf-8"
		f.Content, err = claimdocs.CSV(c)
	case DocXLSX:
		f.Name, f.MediaType = base+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		f.Content, err = claimdocs.XLSX(c)
	case DocPDF, DocXRechnung:
		seller, payer, corrected, perr := s.parties(ctx, c)
		if perr != nil {
			return nil, perr
		}
		if format == DocPDF {
			f.Name, f.MediaType = base+".pdf", "application/pdf"
			f.Content, err = claimdocs.PDF(c, seller, payer)
			break
		}
		issued := s.db.Now()
		if c.SubmittedAt != nil {
			issued = *c.SubmittedAt
		}
		f.Name, f.MediaType = base+"-xrechnung.xml", "application/xml"
		f.Content, err = claimdocs.XRechnung(c, seller, payer, corrected, issued)
	default:
		return nil, domain.Errorf(domain.ENotFound, "Dieses Format gibt es nicht.")
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parties are the seller's billing data, the programme's paying body and,
// for a credit note, the claim it corrects.
func (s *Service) parties(ctx context.Context, c *domain.Claim) (*domain.BillingProfile, *domain.Payer, *domain.Claim, error) {
	seller, err := s.db.BillingProfile(ctx, c.ProviderID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil, nil, domain.Errorf(domain.EConflict, "Für %s sind noch keine Rechnungsdaten hinterlegt: Ohne sie entsteht keine Rechnung.", c.ProviderName)
	} else if err != nil {
		return nil, nil, nil, err
	}
	p, err := s.db.Programme(ctx, c.ProgrammeID)
	if err != nil {
		return nil, nil, nil, err
	}
	if p.Payer == nil {
		return nil, nil, nil, domain.Errorf(domain.EConflict, "Für das Förderprogramm ist keine zahlende Stelle hinterlegt.")
	}
	var corrected *domain.Claim
	if c.Kind == domain.ClaimCreditNote {
		if corrected, err = s.db.Claim(ctx, c.CorrectsID); err != nil {
			return nil, nil, nil, fmt.Errorf("corrected claim %d: %w", c.CorrectsID, err)
		}
	}
	return seller, p.Payer, corrected, nil
}
