// Package einvoice writes electronic invoices for German public buyers:
// XRechnung 3.0, the German CIUS of EN 16931, in the UBL 2.1 syntax. An
// Invoice (type code 380) asks for money, a CreditNote (type code 381)
// corrects an earlier invoice and refers to it.
//
// The package knows nothing about the platform: the caller maps its data to
// a Document. Amounts are int64 cents and all totals are computed exactly in
// cents. Only the VAT categories "E" (exempt, e.g. training under § 4 Nr. 21
// UStG, with the exemption reason) and "S" (standard rate) are supported.
package einvoice

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Identifiers of the specification this package implements.
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

	TypeInvoice    = "380" // commercial invoice
	TypeCreditNote = "381" // credit note

	// Payment means codes (UNTDID 4461).
	PaymentUndefined      = "1"  // instrument not defined (credit notes: the buyer is owed)
	PaymentSEPATransfer   = "58" // SEPA credit transfer to the seller's account
	unitOne               = "C62"
	vatScheme             = "VAT"
	taxNumberScheme       = "FC" // seller tax registration identifier (BT-32): the German Steuernummer
	electronicAddressMail = "EM"
)

// VAT categories (UNTDID 5305) supported here.
const (
	VATExempt   = "E"
	VATStandard = "S"
)

// Document is the content of an invoice or credit note.
type Document struct {
	Number    string    // BT-1, unique per seller
	IssueDate time.Time // BT-2, the German day of it is used
	// DueDate (BT-9) of an invoice; optional for a credit note. PaymentTerms
	// (BT-20) is the text about it, e.g. "Zahlbar innerhalb von 30 Tagen".
	DueDate      time.Time
	PaymentTerms string
	Currency     string // BT-5, "EUR" when empty (the only one supported)
	Note         string // BT-22, optional
	// PeriodStart, PeriodEnd (BG-14, optional): the invoiced period.
	PeriodStart, PeriodEnd time.Time
	// Preceding (BG-3) is the invoice a credit note corrects: required for
	// credit notes.
	Preceding *Reference
	Seller    Seller
	Buyer     Buyer
	Lines     []Line
}

// Reference names an earlier invoice.
type Reference struct {
	Number    string    // BT-25
	IssueDate time.Time // BT-26, optional
}

// Address is a postal address in Germany unless Country says otherwise.
type Address struct {
	Street   string // BT-35/BT-50
	Postcode string
	City     string
	Country  string // ISO 3166-1 alpha-2, "DE" when empty
}

// Seller is the provider who invoices (BG-4).
type Seller struct {
	Name string // legal name, BT-27
	Address
	VATID     string // BT-31, e.g. DE123456789
	TaxNumber string // BT-32, the Steuernummer; VATID and/or TaxNumber is required
	// Identifier (BT-29) and LegalRegistrationID (BT-30, e.g. the number in
	// the register of associations): without a VATID one of them is
	// required (BR-CO-26), so that the buyer can identify the seller.
	Identifier, LegalRegistrationID string
	// Contact (BG-6), all three required by XRechnung.
	ContactName, ContactPhone, ContactEmail string
	// ElectronicAddress (BT-34) is the seller's e-mail address for replies.
	ElectronicAddress string
	IBAN, BIC         string // the account to pay to (BG-17)
	AccountName       string // optional (BT-85)
}

// Buyer is the public body that pays (BG-7).
type Buyer struct {
	Name string // BT-44
	Address
	LeitwegID string // BT-10 buyer reference: the routing ID, required
	// ElectronicAddress (BT-49) is the buyer's e-mail address.
	ElectronicAddress string
}

// Line is one invoice line (BG-25).
type Line struct {
	ID          string // BT-126, unique within the document
	Name        string // BT-153
	Description string // BT-154, optional
	SellerRef   string // BT-155 seller's item identifier, optional
	Quantity    int64  // BT-129, 1 when 0
	PriceCents  int64  // BT-146 net price per unit, not negative
	// Start, End (BG-26, optional): when the service was given.
	Start, End time.Time
	VAT        VAT
}

// VAT is a line's VAT category.
type VAT struct {
	Category string // VATExempt or VATStandard
	// RateBasisPoints is the rate of VATStandard (1900 = 19 %); 0 for exempt.
	RateBasisPoints int64
	// ExemptionReason (BT-120) is required for VATExempt, e.g.
	// "Steuerfrei nach § 4 Nr. 21 UStG".
	ExemptionReason string
}

// Error lists what is missing or wrong in a Document, in German.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "E-Rechnung unvollständig: " + strings.Join(e.Problems, " ")
}

// Totals are a document's sums in cents.
type Totals struct {
	LineCents     int64 // BT-106 sum of line net amounts
	TaxCents      int64 // BT-110
	GrossCents    int64 // BT-112
	PayableCents  int64 // BT-115
	TaxBreakdowns []TaxBreakdown
}

// TaxBreakdown is the VAT of one category and rate (BG-23).
type TaxBreakdown struct {
	VAT
	TaxableCents int64
	TaxCents     int64
}

func (d *Document) validate(credit bool) error {
	var p []string
	need := func(v, msg string) {
		if strings.TrimSpace(v) == "" {
			p = append(p, msg)
		}
	}
	need(d.Number, "Die Rechnungsnummer fehlt.")
	if d.IssueDate.IsZero() {
		p = append(p, "Das Rechnungsdatum fehlt.")
	}
	if d.Currency != "" && d.Currency != "EUR" {
		p = append(p, "Nur Rechnungen in Euro werden unterstützt.")
	}
	if !d.PeriodStart.IsZero() && !d.PeriodEnd.IsZero() && day(d.PeriodEnd) < day(d.PeriodStart) {
		p = append(p, "Der Leistungszeitraum endet vor seinem Beginn.")
	}
	if credit {
		if d.Preceding == nil || strings.TrimSpace(d.Preceding.Number) == "" {
			p = append(p, "Eine Gutschrift braucht die Nummer der Rechnung, die sie korrigiert.")
		}
	} else {
		if d.DueDate.IsZero() {
			p = append(p, "Das Fälligkeitsdatum fehlt.")
		} else if day(d.DueDate) < day(d.IssueDate) {
			p = append(p, "Das Fälligkeitsdatum liegt vor dem Rechnungsdatum.")
		}
	}
	s := &d.Seller
	need(s.Name, "Der Name des Rechnungsstellers fehlt.")
	need(s.Street, "Die Straße des Rechnungsstellers fehlt.")
	need(s.Postcode, "Die Postleitzahl des Rechnungsstellers fehlt.")
	need(s.City, "Der Ort des Rechnungsstellers fehlt.")
	if strings.TrimSpace(s.VATID) == "" && strings.TrimSpace(s.TaxNumber) == "" {
		p = append(p, "Die Umsatzsteuer-Identifikationsnummer oder die Steuernummer des Rechnungsstellers fehlt.")
	} else if strings.TrimSpace(s.VATID) == "" && strings.TrimSpace(s.Identifier) == "" && strings.TrimSpace(s.LegalRegistrationID) == "" {
		p = append(p, "Ohne Umsatzsteuer-Identifikationsnummer braucht die Rechnung eine Kennung des Rechnungsstellers, etwa seine Registernummer.")
	}
	need(s.ContactName, "Die Ansprechperson des Rechnungsstellers fehlt.")
	need(s.ContactPhone, "Die Telefonnummer des Rechnungsstellers fehlt.")
	need(s.ContactEmail, "Die E-Mail-Adresse der Ansprechperson des Rechnungsstellers fehlt.")
	need(s.ElectronicAddress, "Die elektronische Adresse des Rechnungsstellers fehlt.")
	if !credit {
		need(s.IBAN, "Die IBAN des Rechnungsstellers fehlt.")
	}
	b := &d.Buyer
	need(b.Name, "Der Name des Rechnungsempfängers fehlt.")
	need(b.Street, "Die Straße des Rechnungsempfängers fehlt.")
	need(b.Postcode, "Die Postleitzahl des Rechnungsempfängers fehlt.")
	need(b.City, "Der Ort des Rechnungsempfängers fehlt.")
	need(b.LeitwegID, "Die Leitweg-ID des Rechnungsempfängers fehlt.")
	need(b.ElectronicAddress, "Die elektronische Adresse des Rechnungsempfängers fehlt.")
	for _, a := range []Address{s.Address, b.Address} {
		if c := a.Country; c != "" && (len(c) != 2 || strings.ToUpper(c) != c) {
			p = append(p, fmt.Sprintf("%q ist kein Ländercode aus zwei Großbuchstaben.", c))
		}
	}
	if len(d.Lines) == 0 {
		p = append(p, "Die Rechnung hat keine Positionen.")
	}
	ids := map[string]bool{}
	for i, l := range d.Lines {
		at := fmt.Sprintf("Position %d: ", i+1)
		if strings.TrimSpace(l.ID) == "" {
			p = append(p, at+"Die Positionsnummer fehlt.")
		} else if ids[l.ID] {
			p = append(p, at+fmt.Sprintf("Die Positionsnummer %q kommt doppelt vor.", l.ID))
		}
		ids[l.ID] = true
		if strings.TrimSpace(l.Name) == "" {
			p = append(p, at+"Die Bezeichnung fehlt.")
		}
		if l.Quantity < 0 {
			p = append(p, at+"Die Menge ist negativ.")
		}
		if l.PriceCents < 0 {
			p = append(p, at+"Der Preis ist negativ.")
		}
		if !l.Start.IsZero() && !l.End.IsZero() && day(l.End) < day(l.Start) {
			p = append(p, at+"Der Leistungszeitraum endet vor seinem Beginn.")
		}
		switch l.VAT.Category {
		case VATExempt:
			if l.VAT.RateBasisPoints != 0 {
				p = append(p, at+"Eine steuerbefreite Leistung hat den Steuersatz 0.")
			}
			if strings.TrimSpace(l.VAT.ExemptionReason) == "" {
				p = append(p, at+"Der Grund der Steuerbefreiung fehlt.")
			}
		case VATStandard:
			if l.VAT.RateBasisPoints <= 0 || l.VAT.RateBasisPoints >= 10000 {
				p = append(p, at+"Der Steuersatz ist nicht gültig.")
			}
		default:
			p = append(p, at+fmt.Sprintf("Die Umsatzsteuerkategorie %q wird nicht unterstützt.", l.VAT.Category))
		}
	}
	if len(p) > 0 {
		return &Error{Problems: p}
	}
	return nil
}

// Compute returns the document's totals: line amounts are quantity × price,
// the VAT of each category and rate is rounded half up once on its sum.
func Compute(d *Document) Totals {
	var t Totals
	groups := map[VAT]*TaxBreakdown{}
	for _, l := range d.Lines {
		net := qty(l) * l.PriceCents
		t.LineCents += net
		key := VAT{Category: l.VAT.Category, RateBasisPoints: l.VAT.RateBasisPoints}
		g := groups[key]
		if g == nil {
			g = &TaxBreakdown{VAT: l.VAT}
			groups[key] = g
		}
		g.TaxableCents += net
	}
	for _, g := range groups {
		if g.Category == VATStandard {
			g.TaxCents = roundDiv(g.TaxableCents*g.RateBasisPoints, 10000)
		}
		t.TaxCents += g.TaxCents
		t.TaxBreakdowns = append(t.TaxBreakdowns, *g)
	}
	sort.Slice(t.TaxBreakdowns, func(i, j int) bool {
		a, b := t.TaxBreakdowns[i], t.TaxBreakdowns[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.RateBasisPoints < b.RateBasisPoints
	})
	t.GrossCents = t.LineCents + t.TaxCents
	t.PayableCents = t.GrossCents
	return t
}

// roundDiv is a/b rounded half away from zero (b > 0).
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}

func qty(l Line) int64 {
	if l.Quantity == 0 {
		return 1
	}
	return l.Quantity
}

// Invoice writes d as an XRechnung UBL Invoice (type code 380).
func Invoice(d Document) ([]byte, error) {
	if err := d.validate(false); err != nil {
		return nil, err
	}
	doc := build(&d, false)
	return marshal(doc)
}

// CreditNote writes d as an XRechnung UBL CreditNote (type code 381) that
// refers to the corrected invoice d.Preceding. Its amounts are positive:
// what the seller owes the buyer.
func CreditNote(d Document) ([]byte, error) {
	if err := d.validate(true); err != nil {
		return nil, err
	}
	doc := build(&d, true)
	return marshal(doc)
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("einvoice: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// date is the German day of t as YYYY-MM-DD.
func date(t time.Time) string { return t.In(berlin).Format("2006-01-02") }

// day orders German days.
func day(t time.Time) string { return date(t) }

// amount formats cents as a UBL amount: "1234.50".
func amount(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10) + "." + fmt.Sprintf("%02d", u%100)
	if neg {
		s = "-" + s
	}
	return s
}

// percent formats basis points as a UBL percentage: 1900 → "19", 750 → "7.5".
func percent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		s += strings.TrimRight("."+fmt.Sprintf("%02d", r), "0")
	}
	return s
}

// clean trims the text and drops the control characters XML 1.0 cannot
// carry.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badRune(r) {
			return -1
		}
		return r
	}, s)
}

func badRune(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF
}

func countryCode(c string) string {
	if c == "" {
		return "DE"
	}
	return c
}
