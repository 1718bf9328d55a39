// Package contracts makes the documents of an approved transfer contract
// (Weitergabevertrag): the contract PDF, and the voucher list as PDF and as
// CSV for spreadsheets. It maps the approval's data to the layouts of
// package pdf; it stores nothing.
package contracts

import (
	"bytes"
	"strings"

	"github.com/lotse-oss/lotse/internal/csvx"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/pdf"
)

// Files renders the contract and the voucher lists of an approval.
func Files(d *domain.ApprovalData) ([]domain.GeneratedFile, error) {
	vouchers := make([]pdf.ContractVoucher, len(d.Vouchers))
	var total int64
	for i, v := range d.Vouchers {
		vouchers[i] = pdf.ContractVoucher{Code: v.Code, ValueCents: v.ValueCents}
		total += v.ValueCents
	}
	municipality := d.Municipality.Name
	contract, err := pdf.ContractPDF(pdf.Contract{
		Number:       d.Number,
		Programme:    d.Programme.Name,
		Funder:       d.Funder.Name,
		Association:  pdf.Party{Name: d.Reviewer.Name},
		Municipality: pdf.Party{Name: municipality, AGS: d.Application.AGS, Address: d.Applicant.Postcode + " " + d.Applicant.Name},
		Provider:     d.Provider.Name,
		Track:        d.Track.Name,
		People:       d.Application.People,
		Vouchers:     vouchers,
		TotalCents:   total,
		ValidUntil:   d.ValidUntil,
		ConcludedAt:  d.At,
		ApprovedBy:   d.ReviewerName,
		SignedBy:     d.Signatory,
		Conditions:   d.Programme.Conditions,
		Text:         d.Programme.ContractParagraphs(),
	})
	if err != nil {
		return nil, err
	}
	list, err := pdf.VoucherListPDF(pdf.VoucherList{
		Title:        "Gutscheincodes zum Weitergabevertrag " + d.Number,
		Municipality: municipality,
		Provider:     d.Provider.Name,
		Track:        d.Track.Name,
		ValidUntil:   d.ValidUntil,
		Vouchers:     vouchers,
		CreatedAt:    d.At,
	})
	if err != nil {
		return nil, err
	}
	csvFile, err := VoucherCSV(d.Vouchers, d.Track.Name)
	if err != nil {
		return nil, err
	}
	base := strings.ToLower(d.Number)
	return []domain.GeneratedFile{
		{Kind: "contract", Name: "weitergabevertrag-" + base + ".pdf", MediaType: "application/pdf", Content: contract},
		{Kind: "voucher_list", Name: "gutscheincodes-" + base + ".pdf", MediaType: "application/pdf", Content: list},
		{Kind: "voucher_csv", Name: "gutscheincodes-" + base + ".csv", MediaType: "text/csv", Content: csvFile},
	}, nil
}

// VoucherCSV lists vouchers for German spreadsheets (csvx: UTF-8 with BOM,
// semicolons, decimal commas, and no cell a spreadsheet would run as a
// formula: names come from people and organisations).
func VoucherCSV(vs []domain.Voucher, track string) ([]byte, error) {
	var b bytes.Buffer
	w := csvx.NewWriter(&b)
	if err := w.Write("Gutscheincode", "Qualifizierung", "Bildungsträger", "Kommune", "Gemeindeschlüssel", "Wert in Euro", "Gültig bis", "Weitergegeben an"); err != nil {
		return nil, err
	}
	for _, v := range vs {
		if err := w.Write(v.Code, track, v.ProviderName, v.Municipality, v.AGS,
			strings.TrimSuffix(pdf.Money(v.ValueCents), " €"), v.ExpiresAt.Format("02.01.2006"), ""); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
