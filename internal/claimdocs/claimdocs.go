// Package claimdocs renders the documents of a provider's settlement claim
// (Abrechnung): the voucher list as CSV and XLSX, a PDF summary, and the
// XRechnung e-invoice (or credit note) for the paying body. It reads domain
// values only; the settlement service loads them and checks who may see
// what.
package claimdocs

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/einvoice"
	"github.com/lotse-oss/lotse/internal/pdf"
	"github.com/lotse-oss/lotse/internal/sheet"
)

// ExemptionReason is the VAT exemption of the invoiced training (BT-120):
// vocational training by approved providers is exempt under § 4 Nr. 21 UStG.
const ExemptionReason = "Umsatzsteuerfrei nach § 4 Nr. 21 UStG (Leistungen zur beruflichen Aus- und Weiterbildung)"

// PaymentDays is the term of payment of an invoice.
const PaymentDays = 30

// programme names the claim's programme.
func programme(c *domain.Claim) string {
	if c.ProgrammeName != "" {
		return c.ProgrammeName
	}
	return c.ProgrammeID
}

// title is "Abrechnung A-2026-0001" or "Gutschrift G-2026-0001".
func title(c *domain.Claim) string {
	kind := "Abrechnung"
	if c.Kind == domain.ClaimCreditNote {
		kind = "Gutschrift"
	}
	return kind + " " + c.Number
}

var columns = []sheet.Column{
	{Title: "Gutschein", Kind: sheet.Text},
	{Title: "Gemeinde", Kind: sheet.Text},
	{Title: "AGS", Kind: sheet.Text},
	{Title: "Qualifizierung", Kind: sheet.Text},
	{Title: "Teilnehmer/in", Kind: sheet.Text},
	{Title: "Angebot", Kind: sheet.Text},
	{Title: "Termin", Kind: sheet.DateTime},
	{Title: "Eingelöst am", Kind: sheet.Date},
	{Title: "Status", Kind: sheet.Text},
	{Title: "Betrag", Kind: sheet.Money},
}

// vouchers is the claim's voucher table with a closing sum row.
func vouchers(c *domain.Claim) sheet.Table {
	t := sheet.Table{
		Name:    "Gutscheine",
		Title:   fmt.Sprintf("%s · %s · Förderprogramm %s", title(c), c.ProviderName, programme(c)),
		Columns: columns,
		Rows:    make([][]any, 0, len(c.Items)+1),
	}
	var sum int64
	for _, it := range c.Items {
		sum += it.ValueCents
		t.Rows = append(t.Rows, []any{it.Code, it.Municipality, it.AGS, it.TrackName, it.Participant, it.OfferTitle,
			it.SessionStart, it.RedeemedAt, it.State.Label(), it.ValueCents})
	}
	t.Rows = append(t.Rows, []any{"Summe (" + domain.Plural(len(c.Items), "Gutschein", "Gutscheine") + ")",
		nil, nil, nil, nil, nil, nil, nil, nil, sum})
	return t
}

// CSV is the claim's voucher list for German Excel, with a sum row.
func CSV(c *domain.Claim) ([]byte, error) {
	return sheet.CSV(vouchers(c))
}

// XLSX is the claim's workbook: the vouchers with a sum row, and the sums
// per track and per municipality.
func XLSX(c *domain.Claim) ([]byte, error) {
	sums := sheet.Table{
		Name:  "Summen",
		Title: title(c) + " · Summen",
		Columns: []sheet.Column{
			{Title: "Gruppe", Kind: sheet.Text},
			{Title: "Name", Kind: sheet.Text},
			{Title: "Gutscheine", Kind: sheet.Int},
			{Title: "Betrag", Kind: sheet.Money},
		},
	}
	for _, g := range groups(c) {
		for _, r := range g.Rows {
			sums.Rows = append(sums.Rows, []any{g.Label, r.Name, r.Count, r.TotalCents})
		}
	}
	total := int64(0)
	for _, it := range c.Items {
		total += it.ValueCents
	}
	sums.Rows = append(sums.Rows, []any{"Summe", "", len(c.Items), total})
	return sheet.XLSX(vouchers(c), sums)
}

// groups are the sums per track and per municipality, by name.
func groups(c *domain.Claim) []pdf.ClaimSums {
	by := func(title, label string, key func(domain.ClaimItem) string) pdf.ClaimSums {
		idx := map[string]int{}
		var rows []pdf.ClaimSum
		for _, it := range c.Items {
			k := key(it)
			i, ok := idx[k]
			if !ok {
				i = len(rows)
				idx[k] = i
				rows = append(rows, pdf.ClaimSum{Name: k})
			}
			rows[i].Count++
			rows[i].TotalCents += it.ValueCents
		}
		slices.SortFunc(rows, func(a, b pdf.ClaimSum) int { return cmp.Compare(a.Name, b.Name) })
		return pdf.ClaimSums{Title: "Nach " + label, Label: label, Rows: rows}
	}
	return []pdf.ClaimSums{
		by("Qualifizierung", "Qualifizierung", func(it domain.ClaimItem) string { return cmp.Or(it.TrackName, it.Track) }),
		by("Gemeinde", "Gemeinde", func(it domain.ClaimItem) string {
			if it.AGS == "" {
				return it.Municipality
			}
			return it.Municipality + " (" + it.AGS + ")"
		}),
	}
}

// period is the first and the last day of the claim's sessions (or, for a
// voucher without a session, of its redemption).
func period(c *domain.Claim) (from, to time.Time) {
	for _, it := range c.Items {
		for _, t := range []*time.Time{cmp.Or(it.SessionStart, it.RedeemedAt), cmp.Or(it.SessionEnd, it.SessionStart, it.RedeemedAt)} {
			if t == nil {
				continue
			}
			if from.IsZero() || t.Before(from) {
				from = *t
			}
			if to.IsZero() || t.After(to) {
				to = *t
			}
		}
	}
	return from, to
}

func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(domain.Berlin).Format("02.01.2006")
}

func address(street, postcode, city string) string {
	return strings.TrimSpace(street + ", " + strings.TrimSpace(postcode+" "+city))
}

// PDF is the claim's summary in German: parties, period, count and sum, the
// sums per track and municipality, and the voucher list.
func PDF(c *domain.Claim, seller *domain.BillingProfile, payer *domain.Payer) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("claimdocs: no claim")
	}
	s := pdf.ClaimSummary{
		Kind:       "Abrechnung",
		Number:     c.Number,
		Programme:  programme(c),
		Status:     c.Status.Label(),
		Provider:   c.ProviderName,
		Sums:       groups(c),
		CreatedAt:  cmp.Or(c.UpdatedAt, c.CreatedAt),
		TotalCents: 0,
	}
	if c.Kind == domain.ClaimCreditNote {
		s.Kind = "Gutschrift"
	}
	if seller != nil {
		s.Provider = cmp.Or(seller.LegalName, c.ProviderName)
		s.ProviderLines = append(s.ProviderLines, address(seller.Street, seller.Postcode, seller.City))
		if seller.VATID != "" {
			s.ProviderLines = append(s.ProviderLines, "USt-IdNr. "+seller.VATID)
		}
		if seller.TaxNumber != "" {
			s.ProviderLines = append(s.ProviderLines, "Steuernummer "+seller.TaxNumber)
		}
		s.ProviderLines = append(s.ProviderLines, "IBAN "+seller.IBAN)
		s.ProviderLines = append(s.ProviderLines, strings.Join(nonEmpty(seller.ContactName, seller.ContactPhone, seller.ContactEmail), " · "))
	}
	if payer != nil {
		s.Payer = payer.Name
		s.PayerLines = append(s.PayerLines, address(payer.Street, payer.Postcode, payer.City))
		if payer.LeitwegID != "" {
			s.PayerLines = append(s.PayerLines, "Leitweg-ID "+payer.LeitwegID)
		}
		if payer.Email != "" {
			s.PayerLines = append(s.PayerLines, payer.Email)
		}
	}
	s.Facts = append(s.Facts, [2]string{"Nummer", c.Number}, [2]string{"Art", c.Kind.Label()})
	if c.Kind == domain.ClaimCreditNote && c.Reason != "" {
		s.Facts = append(s.Facts, [2]string{"Grund der Korrektur", c.Reason})
	}
	if from, to := period(c); !from.IsZero() {
		s.Facts = append(s.Facts, [2]string{"Leistungszeitraum", day(&from) + " – " + day(&to)})
	}
	if c.SubmittedAt != nil {
		s.Facts = append(s.Facts, [2]string{"Eingereicht am", day(c.SubmittedAt)})
	}
	if c.CheckedAt != nil {
		s.Facts = append(s.Facts, [2]string{"Sachlich geprüft", day(c.CheckedAt) + by(c.CheckedBy)})
	}
	if c.ApprovedAt != nil {
		s.Facts = append(s.Facts, [2]string{"Freigegeben", day(c.ApprovedAt) + by(c.ApprovedBy)})
	}
	for _, it := range c.Items {
		s.TotalCents += it.ValueCents
		s.Items = append(s.Items, pdf.ClaimRow{Code: it.Code, Participant: it.Participant, Municipality: it.Municipality,
			Track: cmp.Or(it.TrackName, it.Track), Date: day(cmp.Or(it.SessionStart, it.RedeemedAt)), ValueCents: it.ValueCents})
	}
	return pdf.ClaimPDF(s)
}

func by(name string) string {
	if name == "" {
		return ""
	}
	return " von " + name
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// XRechnung is the claim as an XRechnung 3.0 e-invoice to the payer, one
// line per voucher (code, track, municipality, offer and session; no
// participant names: the e-invoice travels through the public invoice
// portals, the PDF and the exports carry the names for the reviewers): an invoice, or for a credit note a CreditNote that
// refers to the corrected claim (corrected, nil for invoices; its issue
// date is taken as its SubmittedAt). The issue date is now (the settlement
// service passes the claim's SubmittedAt, so the document is the same at
// every download); an invoice is due PaymentDays later.
func XRechnung(c *domain.Claim, seller *domain.BillingProfile, payer *domain.Payer, corrected *domain.Claim, now time.Time) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("claimdocs: no claim")
	}
	var problems []string
	if seller == nil {
		problems = append(problems, "Die Rechnungsdaten des Bildungsträgers fehlen.")
	}
	if payer == nil {
		problems = append(problems, "Die Zahlstelle des Förderprogramms fehlt.")
	} else if payer.LeitwegID == "" {
		problems = append(problems, "Die Leitweg-ID der Zahlstelle fehlt.")
	} else if !domain.ValidLeitwegID(payer.LeitwegID) {
		problems = append(problems, "Die Leitweg-ID der Zahlstelle ist nicht gültig.")
	}
	credit := c.Kind == domain.ClaimCreditNote
	if credit && (corrected == nil || corrected.Number == "") {
		problems = append(problems, "Die Abrechnung, die die Gutschrift korrigiert, fehlt.")
	}
	if len(c.Items) == 0 {
		problems = append(problems, "Die Abrechnung enthält keine Gutscheine.")
	}
	if len(problems) > 0 {
		return nil, cannot(problems, nil)
	}

	d := einvoice.Document{
		Number:    c.Number,
		IssueDate: now,
		Currency:  "EUR",
		Note: fmt.Sprintf("%s über %s im Förderprogramm „%s“.", title(c),
			domain.Plural(len(c.Items), "Bildungsgutschein", "Bildungsgutscheine"), programme(c)),
		Seller: einvoice.Seller{
			Name:              seller.LegalName,
			Address:           einvoice.Address{Street: seller.Street, Postcode: seller.Postcode, City: seller.City},
			VATID:             seller.VATID,
			TaxNumber:         seller.TaxNumber,
			ContactName:       seller.ContactName,
			ContactPhone:      seller.ContactPhone,
			ContactEmail:      seller.ContactEmail,
			ElectronicAddress: seller.ContactEmail,
			IBAN:              seller.IBAN,
			BIC:               seller.BIC,
		},
		Buyer: einvoice.Buyer{
			Name:              payer.Name,
			Address:           einvoice.Address{Street: payer.Street, Postcode: payer.Postcode, City: payer.City},
			LeitwegID:         payer.LeitwegID,
			ElectronicAddress: payer.Email,
		},
	}
	if seller.VATID == "" {
		// Without a VAT ID the buyer needs another identifier of the
		// seller (BR-CO-26): the tax number is the one the profile has.
		d.Seller.Identifier = seller.TaxNumber
	}
	d.PeriodStart, d.PeriodEnd = period(c)
	if credit {
		// The corrected invoice was issued when it was submitted (the
		// settlement service dates a claim's e-invoice so).
		d.Preceding = &einvoice.Reference{Number: corrected.Number}
		if corrected.SubmittedAt != nil {
			d.Preceding.IssueDate = *corrected.SubmittedAt
		}
		if c.Reason != "" {
			d.Note += " Grund der Korrektur: " + c.Reason
		}
		d.Note += " Sie korrigiert die Abrechnung " + corrected.Number + "."
		d.PaymentTerms = "Der Betrag wird mit der nächsten Zahlung verrechnet oder zurücküberwiesen."
	} else {
		d.DueDate = now.AddDate(0, 0, PaymentDays)
		d.PaymentTerms = fmt.Sprintf("Zahlbar bis %s ohne Abzug auf das angegebene Konto.", day(&d.DueDate))
	}
	for i, it := range c.Items {
		price := it.ValueCents
		if price < 0 { // a credit note's items may carry negative values; its lines are positive
			price = -price
		}
		l := einvoice.Line{
			ID:         fmt.Sprint(i + 1),
			Name:       lineName(it),
			SellerRef:  it.Code,
			Quantity:   1,
			PriceCents: price,
			VAT:        einvoice.VAT{Category: einvoice.VATExempt, ExemptionReason: ExemptionReason},
		}
		var parts []string
		if it.OfferTitle != "" {
			parts = append(parts, it.OfferTitle)
		}
		if it.State == domain.VoucherForfeited {
			parts = append(parts, "späte Stornierung nach den Stornobedingungen des Angebots")
		}
		l.Description = strings.Join(parts, "; ")
		if it.SessionStart != nil {
			l.Start = *it.SessionStart
			l.End = *cmp.Or(it.SessionEnd, it.SessionStart)
		} else if it.RedeemedAt != nil {
			l.Start, l.End = *it.RedeemedAt, *it.RedeemedAt
		}
		d.Lines = append(d.Lines, l)
	}
	var out []byte
	var err error
	if credit {
		out, err = einvoice.CreditNote(d)
	} else {
		out, err = einvoice.Invoice(d)
	}
	var e *einvoice.Error
	if errors.As(err, &e) {
		return nil, cannot(e.Problems, err)
	}
	return out, err
}

// cannot says in German why the e-invoice cannot be made: the data it needs
// is missing (a conflict with the current state, not bad input).
func cannot(problems []string, cause error) error {
	return &domain.Error{Code: domain.EConflict, Err: cause,
		Message: "Die E-Rechnung lässt sich noch nicht erstellen: " + strings.Join(problems, " ")}
}

// lineName is "Gutschein CODE – Track – Municipality".
func lineName(it domain.ClaimItem) string {
	parts := []string{"Gutschein " + it.Code}
	if t := cmp.Or(it.TrackName, it.Track); t != "" {
		parts = append(parts, t)
	}
	if it.Municipality != "" {
		parts = append(parts, it.Municipality)
	}
	return strings.Join(parts, " – ")
}
