package einvoice

import (
	"encoding/xml"
	"strconv"
	"time"
)

// UBL 2.1 namespaces.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// The structs below follow the element order of the UBL 2.1 schemas
// (xsd:sequence): encoding/xml writes fields in declaration order. Element
// names carry the conventional cac:/cbc: prefixes declared on the root.
// Invoice and CreditNote share one shape; of the elements that differ (type
// code, lines, quantity) only one is filled.

type ublDocument struct {
	XMLName         xml.Name          // Invoice or CreditNote, with its namespace
	CAC             string            `xml:"xmlns:cac,attr"`
	CBC             string            `xml:"xmlns:cbc,attr"`
	CustomizationID string            `xml:"cbc:CustomizationID"`
	ProfileID       string            `xml:"cbc:ProfileID"`
	ID              string            `xml:"cbc:ID"`
	IssueDate       string            `xml:"cbc:IssueDate"`
	DueDate         string            `xml:"cbc:DueDate,omitempty"` // Invoice only
	InvoiceType     string            `xml:"cbc:InvoiceTypeCode,omitempty"`
	CreditNoteType  string            `xml:"cbc:CreditNoteTypeCode,omitempty"`
	Note            string            `xml:"cbc:Note,omitempty"`
	Currency        string            `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference  string            `xml:"cbc:BuyerReference"`
	Period          *period           `xml:"cac:InvoicePeriod,omitempty"`
	Billing         *billingReference `xml:"cac:BillingReference,omitempty"`
	Supplier        partyWrap         `xml:"cac:AccountingSupplierParty"`
	Customer        partyWrap         `xml:"cac:AccountingCustomerParty"`
	PaymentMeans    paymentMeans      `xml:"cac:PaymentMeans"`
	PaymentTerms    *paymentTerms     `xml:"cac:PaymentTerms,omitempty"`
	TaxTotal        taxTotal          `xml:"cac:TaxTotal"`
	Total           monetaryTotal     `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines    []ublLine         `xml:"cac:InvoiceLine"`
	CreditNoteLines []ublLine         `xml:"cac:CreditNoteLine"`
}

type period struct {
	Start string `xml:"cbc:StartDate,omitempty"`
	End   string `xml:"cbc:EndDate,omitempty"`
}

type billingReference struct {
	Invoice docReference `xml:"cac:InvoiceDocumentReference"`
}

type docReference struct {
	ID        string `xml:"cbc:ID"`
	IssueDate string `xml:"cbc:IssueDate,omitempty"`
}

type partyWrap struct {
	Party party `xml:"cac:Party"`
}

type party struct {
	Endpoint    endpoint         `xml:"cbc:EndpointID"`
	Identifier  *partyID         `xml:"cac:PartyIdentification,omitempty"`
	Address     postalAddress    `xml:"cac:PostalAddress"`
	TaxSchemes  []partyTaxScheme `xml:"cac:PartyTaxScheme"`
	LegalEntity legalEntity      `xml:"cac:PartyLegalEntity"`
	Contact     *contact         `xml:"cac:Contact,omitempty"`
}

type partyID struct {
	ID string `xml:"cbc:ID"`
}

type endpoint struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

type postalAddress struct {
	Street   string  `xml:"cbc:StreetName,omitempty"`
	City     string  `xml:"cbc:CityName"`
	Postcode string  `xml:"cbc:PostalZone"`
	Country  country `xml:"cac:Country"`
}

type country struct {
	Code string `xml:"cbc:IdentificationCode"`
}

type partyTaxScheme struct {
	CompanyID string    `xml:"cbc:CompanyID"`
	TaxScheme taxScheme `xml:"cac:TaxScheme"`
}

type taxScheme struct {
	ID string `xml:"cbc:ID"`
}

type legalEntity struct {
	Name      string `xml:"cbc:RegistrationName"`
	CompanyID string `xml:"cbc:CompanyID,omitempty"`
}

type contact struct {
	Name      string `xml:"cbc:Name"`
	Telephone string `xml:"cbc:Telephone"`
	Email     string `xml:"cbc:ElectronicMail"`
}

type paymentMeans struct {
	Code      string            `xml:"cbc:PaymentMeansCode"`
	DueDate   string            `xml:"cbc:PaymentDueDate,omitempty"` // CreditNote only
	PaymentID string            `xml:"cbc:PaymentID,omitempty"`
	Payee     *financialAccount `xml:"cac:PayeeFinancialAccount,omitempty"`
}

type financialAccount struct {
	ID     string     `xml:"cbc:ID"`
	Name   string     `xml:"cbc:Name,omitempty"`
	Branch *branchRef `xml:"cac:FinancialInstitutionBranch,omitempty"`
}

type branchRef struct {
	ID string `xml:"cbc:ID"`
}

type paymentTerms struct {
	Note string `xml:"cbc:Note"`
}

type money struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type taxTotal struct {
	TaxAmount money         `xml:"cbc:TaxAmount"`
	Subtotals []taxSubtotal `xml:"cac:TaxSubtotal"`
}

type taxSubtotal struct {
	Taxable  money       `xml:"cbc:TaxableAmount"`
	Tax      money       `xml:"cbc:TaxAmount"`
	Category taxCategory `xml:"cac:TaxCategory"`
}

type taxCategory struct {
	ID              string    `xml:"cbc:ID"`
	Percent         string    `xml:"cbc:Percent"`
	ExemptionReason string    `xml:"cbc:TaxExemptionReason,omitempty"`
	TaxScheme       taxScheme `xml:"cac:TaxScheme"`
}

type monetaryTotal struct {
	LineExtension money `xml:"cbc:LineExtensionAmount"`
	TaxExclusive  money `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive  money `xml:"cbc:TaxInclusiveAmount"`
	Payable       money `xml:"cbc:PayableAmount"`
}

type ublLine struct {
	ID            string       `xml:"cbc:ID"`
	Invoiced      *ublQuantity `xml:"cbc:InvoicedQuantity,omitempty"`
	Credited      *ublQuantity `xml:"cbc:CreditedQuantity,omitempty"`
	LineExtension money        `xml:"cbc:LineExtensionAmount"`
	Period        *period      `xml:"cac:InvoicePeriod,omitempty"`
	Item          item         `xml:"cac:Item"`
	Price         price        `xml:"cac:Price"`
}

type ublQuantity struct {
	Unit  string `xml:"unitCode,attr"`
	Value string `xml:",chardata"`
}

type item struct {
	Description string           `xml:"cbc:Description,omitempty"`
	Name        string           `xml:"cbc:Name"`
	SellersID   *itemID          `xml:"cac:SellersItemIdentification,omitempty"`
	TaxCategory classifiedTaxCat `xml:"cac:ClassifiedTaxCategory"`
}

type itemID struct {
	ID string `xml:"cbc:ID"`
}

type classifiedTaxCat struct {
	ID        string    `xml:"cbc:ID"`
	Percent   string    `xml:"cbc:Percent"`
	TaxScheme taxScheme `xml:"cac:TaxScheme"`
}

type price struct {
	Amount money `xml:"cbc:PriceAmount"`
}

// build maps a validated document to its UBL tree.
func build(d *Document, credit bool) *ublDocument {
	cur := "EUR"
	eur := func(cents int64) money { return money{Currency: cur, Value: amount(cents)} }
	tot := Compute(d)

	u := &ublDocument{
		CAC:             nsCAC,
		CBC:             nsCBC,
		CustomizationID: CustomizationID,
		ProfileID:       ProfileID,
		ID:              clean(d.Number),
		IssueDate:       date(d.IssueDate),
		Note:            clean(d.Note),
		Currency:        cur,
		BuyerReference:  clean(d.Buyer.LeitwegID),
	}
	if credit {
		u.XMLName = xml.Name{Space: nsCreditNote, Local: "CreditNote"}
		u.CreditNoteType = TypeCreditNote
		ref := docReference{ID: clean(d.Preceding.Number)}
		if !d.Preceding.IssueDate.IsZero() {
			ref.IssueDate = date(d.Preceding.IssueDate)
		}
		u.Billing = &billingReference{Invoice: ref}
	} else {
		u.XMLName = xml.Name{Space: nsInvoice, Local: "Invoice"}
		u.InvoiceType = TypeInvoice
		u.DueDate = date(d.DueDate)
	}
	if !d.PeriodStart.IsZero() || !d.PeriodEnd.IsZero() {
		u.Period = linePeriod(d.PeriodStart, d.PeriodEnd)
	}

	s := &d.Seller
	sp := party{
		Endpoint:    endpoint{Scheme: electronicAddressMail, Value: clean(s.ElectronicAddress)},
		Address:     address(s.Address),
		LegalEntity: legalEntity{Name: clean(s.Name), CompanyID: clean(s.LegalRegistrationID)},
		Contact:     &contact{Name: clean(s.ContactName), Telephone: clean(s.ContactPhone), Email: clean(s.ContactEmail)},
	}
	if v := clean(s.Identifier); v != "" {
		sp.Identifier = &partyID{ID: v}
	}
	if v := clean(s.VATID); v != "" {
		sp.TaxSchemes = append(sp.TaxSchemes, partyTaxScheme{CompanyID: v, TaxScheme: taxScheme{ID: vatScheme}})
	}
	if v := clean(s.TaxNumber); v != "" {
		sp.TaxSchemes = append(sp.TaxSchemes, partyTaxScheme{CompanyID: v, TaxScheme: taxScheme{ID: taxNumberScheme}})
	}
	u.Supplier.Party = sp
	b := &d.Buyer
	u.Customer.Party = party{
		Endpoint:    endpoint{Scheme: electronicAddressMail, Value: clean(b.ElectronicAddress)},
		Address:     address(b.Address),
		LegalEntity: legalEntity{Name: clean(b.Name)},
	}

	if credit {
		// The seller owes the buyer: no account of the seller to pay to.
		u.PaymentMeans = paymentMeans{Code: PaymentUndefined, PaymentID: clean(d.Number)}
		if !d.DueDate.IsZero() {
			u.PaymentMeans.DueDate = date(d.DueDate)
		}
	} else {
		acc := &financialAccount{ID: clean(s.IBAN), Name: clean(s.AccountName)}
		if bic := clean(s.BIC); bic != "" {
			acc.Branch = &branchRef{ID: bic}
		}
		u.PaymentMeans = paymentMeans{Code: PaymentSEPATransfer, PaymentID: clean(d.Number), Payee: acc}
	}
	if t := clean(d.PaymentTerms); t != "" {
		u.PaymentTerms = &paymentTerms{Note: t}
	}

	u.TaxTotal.TaxAmount = eur(tot.TaxCents)
	for _, g := range tot.TaxBreakdowns {
		cat := taxCategory{ID: g.Category, Percent: percent(g.RateBasisPoints), TaxScheme: taxScheme{ID: vatScheme}}
		if g.Category == VATExempt {
			cat.ExemptionReason = clean(g.ExemptionReason)
		}
		u.TaxTotal.Subtotals = append(u.TaxTotal.Subtotals, taxSubtotal{Taxable: eur(g.TaxableCents), Tax: eur(g.TaxCents), Category: cat})
	}
	u.Total = monetaryTotal{
		LineExtension: eur(tot.LineCents),
		TaxExclusive:  eur(tot.LineCents),
		TaxInclusive:  eur(tot.GrossCents),
		Payable:       eur(tot.PayableCents),
	}

	lines := make([]ublLine, len(d.Lines))
	for i, l := range d.Lines {
		q := qty(l)
		ul := ublLine{
			ID:            clean(l.ID),
			LineExtension: eur(q * l.PriceCents),
			Item: item{
				Description: clean(l.Description),
				Name:        clean(l.Name),
				TaxCategory: classifiedTaxCat{ID: l.VAT.Category, Percent: percent(l.VAT.RateBasisPoints), TaxScheme: taxScheme{ID: vatScheme}},
			},
			Price: price{Amount: eur(l.PriceCents)},
		}
		if !l.Start.IsZero() || !l.End.IsZero() {
			ul.Period = linePeriod(l.Start, l.End)
		}
		if ref := clean(l.SellerRef); ref != "" {
			ul.Item.SellersID = &itemID{ID: ref}
		}
		n := &ublQuantity{Unit: unitOne, Value: strconv.FormatInt(q, 10)}
		if credit {
			ul.Credited = n
		} else {
			ul.Invoiced = n
		}
		lines[i] = ul
	}
	if credit {
		u.CreditNoteLines = lines
	} else {
		u.InvoiceLines = lines
	}
	return u
}

func linePeriod(start, end time.Time) *period {
	p := &period{}
	if !start.IsZero() {
		p.Start = date(start)
	}
	if !end.IsZero() {
		p.End = date(end)
	}
	return p
}

func address(a Address) postalAddress {
	return postalAddress{Street: clean(a.Street), City: clean(a.City), Postcode: clean(a.Postcode), Country: country{Code: countryCode(a.Country)}}
}
