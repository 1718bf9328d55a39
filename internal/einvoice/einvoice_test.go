package einvoice_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/einvoice"
	"github.com/lotse-oss/lotse/internal/einvoice/einvoicetest"
)

var exempt = einvoice.VAT{Category: einvoice.VATExempt, ExemptionReason: "Steuerfrei nach § 4 Nr. 21 UStG (Leistungen der beruflichen Weiterbildung)"}

func berlin(y int, m time.Month, d, h int) time.Time {
	loc, _ := time.LoadLocation("Europe/Berlin")
	return time.Date(y, m, d, h, 0, 0, 0, loc)
}

// umlautDocument has umlauts and ß in every name and address.
func umlautDocument(lines int) einvoice.Document {
	d := einvoice.Document{
		Number:       "A-2026-0001",
		IssueDate:    berlin(2026, 4, 2, 10),
		DueDate:      berlin(2026, 5, 2, 10),
		PaymentTerms: "Zahlbar innerhalb von 30 Tagen ohne Abzug.",
		Note:         "Abrechnung der Bildungsgutscheine „Weiterbildung für Ältere“ – Förderprogramm Süd & Öst <2026>.",
		PeriodStart:  berlin(2026, 3, 1, 0),
		PeriodEnd:    berlin(2026, 3, 31, 0),
		Seller: einvoice.Seller{
			Name:              "Bildungswerk Weißenfels für Übergänge gGmbH",
			Address:           einvoice.Address{Street: "Große Straße 12ß", Postcode: "06667", City: "Weißenfels-Süd"},
			VATID:             "DE123456789",
			TaxNumber:         "120/815/08150",
			ContactName:       "Jürgen Weiß-Öztürk",
			ContactPhone:      "+49 3443 123456",
			ContactEmail:      "rechnung@bildungswerk-weissenfels.example",
			ElectronicAddress: "rechnung@bildungswerk-weissenfels.example",
			IBAN:              "DE02120300000000202051",
			BIC:               "BYLADEM1001",
			AccountName:       "Bildungswerk Weißenfels für Übergänge",
		},
		Buyer: einvoice.Buyer{
			Name:              "Landratsamt Fürstenfeldbruck – Förderstelle Weiterbildung",
			Address:           einvoice.Address{Street: "Münchner Straße 32", Postcode: "82256", City: "Fürstenfeldbruck"},
			LeitwegID:         "04011000-1234512345-06",
			ElectronicAddress: "foerderung@lra-ffb.example",
		},
	}
	for i := range lines {
		d.Lines = append(d.Lines, einvoice.Line{
			ID:          fmt.Sprint(i + 1),
			Name:        fmt.Sprintf("Gutschein BG-%04d – Digitale Grundkompetenzen – Fürstenfeldbruck", i+1),
			Description: "Kurs „Sicher im Netz“ für Senioren, Gebühr",
			SellerRef:   fmt.Sprintf("BG-%04d", i+1),
			PriceCents:  int64(15000 + i%7*1), // 150,00 € … 150,06 €
			Start:       berlin(2026, 3, 1+i%28, 9),
			End:         berlin(2026, 3, 1+i%28, 17),
			VAT:         exempt,
		})
	}
	return d
}

func creditDocument() einvoice.Document {
	d := umlautDocument(2)
	d.Number = "G-2026-0001"
	d.IssueDate = berlin(2026, 5, 10, 9)
	d.DueDate = time.Time{}
	d.PaymentTerms = "Der Betrag wird mit der nächsten Auszahlung verrechnet."
	d.Preceding = &einvoice.Reference{Number: "A-2026-0001", IssueDate: berlin(2026, 4, 2, 10)}
	d.Seller.IBAN = ""
	return d
}

// parsed is the invoice read back with encoding/xml (paths match local
// names: encoding/xml checks a path's namespace on every step).
type parsed struct {
	XMLName         xml.Name
	CustomizationID string       `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 CustomizationID"`
	ID              string       `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
	InvoiceType     string       `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 InvoiceTypeCode"`
	CreditType      string       `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 CreditNoteTypeCode"`
	BuyerReference  string       `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 BuyerReference"`
	Billing         string       `xml:"BillingReference>InvoiceDocumentReference>ID"`
	SellerName      string       `xml:"AccountingSupplierParty>Party>PartyLegalEntity>RegistrationName"`
	Payable         string       `xml:"LegalMonetaryTotal>PayableAmount"`
	Exemption       string       `xml:"TaxTotal>TaxSubtotal>TaxCategory>TaxExemptionReason"`
	InvoiceLines    []parsedLine `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 InvoiceLine"`
	CreditLines     []parsedLine `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2 CreditNoteLine"`
}

type parsedLine struct {
	ID     string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
	Amount string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 LineExtensionAmount"`
	Name   string `xml:"Item>Name"`
}

func parse(t testing.TB, b []byte) parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInvoiceStructureAndTotals(t *testing.T) {
	d := umlautDocument(10)
	b, err := einvoice.Invoice(d)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if p.XMLName.Space != "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" || p.XMLName.Local != "Invoice" {
		t.Errorf("root = %v", p.XMLName)
	}
	if p.CustomizationID != einvoice.CustomizationID || p.InvoiceType != "380" || p.ID != "A-2026-0001" || p.BuyerReference != "04011000-1234512345-06" {
		t.Errorf("header = %+v", p)
	}
	if p.SellerName != "Bildungswerk Weißenfels für Übergänge gGmbH" || !strings.Contains(p.Exemption, "§ 4 Nr. 21 UStG") {
		t.Errorf("seller %q, exemption %q", p.SellerName, p.Exemption)
	}
	// 10 lines of 150,00 … 150,06 € (i%7): 1500,00 + (0+1+2+3+4+5+6+0+1+2) cents.
	if p.Payable != "1500.24" || len(p.InvoiceLines) != 10 || p.InvoiceLines[1].Amount != "150.01" {
		t.Errorf("payable %q, %d lines, line 2 %+v", p.Payable, len(p.InvoiceLines), p.InvoiceLines[1])
	}
	s := string(b)
	for _, want := range []string{
		`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"`,
		`<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>`,
		`<cbc:IssueDate>2026-04-02</cbc:IssueDate>`,
		`<cbc:DueDate>2026-05-02</cbc:DueDate>`,
		`<cbc:EndpointID schemeID="EM">foerderung@lra-ffb.example</cbc:EndpointID>`,
		`<cbc:CompanyID>120/815/08150</cbc:CompanyID>`,
		`<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>`,
		`<cbc:ID>DE02120300000000202051</cbc:ID>`,
		`<cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>`,
		`<cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>`,
		`Förderprogramm Süd &amp; Öst &lt;2026&gt;`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(s, "CreditNote") || strings.Contains(s, "BillingReference") {
		t.Error("an invoice with credit note parts")
	}
}

func TestCreditNoteStructure(t *testing.T) {
	b, err := einvoice.CreditNote(creditDocument())
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if p.XMLName.Local != "CreditNote" || p.XMLName.Space != "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" {
		t.Errorf("root = %v", p.XMLName)
	}
	if p.CreditType != "381" || p.InvoiceType != "" || p.Billing != "A-2026-0001" || len(p.CreditLines) != 2 || p.Payable != "300.01" {
		t.Errorf("credit note = %+v", p)
	}
	s := string(b)
	for _, want := range []string{`<cbc:CreditedQuantity unitCode="C62">1</cbc:CreditedQuantity>`, `<cbc:IssueDate>2026-04-02</cbc:IssueDate>`, `<cbc:PaymentMeansCode>1</cbc:PaymentMeansCode>`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(s, "<cbc:DueDate>") || strings.Contains(s, "PayeeFinancialAccount") {
		t.Error("a credit note with an invoice's due date or a payee account")
	}
	// A credit note needs the invoice it corrects.
	d := creditDocument()
	d.Preceding = nil
	if _, err := einvoice.CreditNote(d); err == nil || !strings.Contains(err.Error(), "Nummer der Rechnung, die sie korrigiert") {
		t.Errorf("err = %v", err)
	}
}

func TestInvalidInputIsReported(t *testing.T) {
	d := umlautDocument(2)
	d.Buyer.LeitwegID = " "
	d.Seller.VATID, d.Seller.TaxNumber = "", ""
	d.Seller.ContactPhone = ""
	d.DueDate = d.IssueDate.AddDate(0, 0, -1)
	d.Lines[1].ID = d.Lines[0].ID
	d.Lines[0].VAT.ExemptionReason = ""
	d.Lines[1].PriceCents = -1
	_, err := einvoice.Invoice(d)
	var e *einvoice.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"Die Leitweg-ID des Rechnungsempfängers fehlt.",
		"Umsatzsteuer-Identifikationsnummer oder die Steuernummer",
		"Die Telefonnummer des Rechnungsstellers fehlt.",
		"Das Fälligkeitsdatum liegt vor dem Rechnungsdatum.",
		`Position 2: Die Positionsnummer "1" kommt doppelt vor.`,
		"Position 1: Der Grund der Steuerbefreiung fehlt.",
		"Position 2: Der Preis ist negativ.",
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in %v", w, err)
		}
	}
	if len(e.Problems) != len(want) {
		t.Errorf("problems = %q", e.Problems)
	}
	// Without a VAT ID the seller needs another identifier (BR-CO-26).
	d = umlautDocument(1)
	d.Seller.VATID = ""
	if _, err := einvoice.Invoice(d); err == nil || !strings.Contains(err.Error(), "Kennung des Rechnungsstellers") {
		t.Errorf("no VAT ID, no identifier: err = %v", err)
	}
	d.Seller.LegalRegistrationID = "VR 1234, Amtsgericht Stuttgart"
	if b, err := einvoice.Invoice(d); err != nil || !strings.Contains(string(b), "<cbc:CompanyID>VR 1234, Amtsgericht Stuttgart</cbc:CompanyID>") {
		t.Errorf("with a registration: %v", err)
	}
	d.Seller.LegalRegistrationID, d.Seller.Identifier = "", "120/815/08150"
	if b, err := einvoice.Invoice(d); err != nil || !strings.Contains(string(b), "<cac:PartyIdentification>\n        <cbc:ID>120/815/08150</cbc:ID>") {
		t.Errorf("with an identifier: %v", err)
	}
	if _, err := einvoice.Invoice(einvoice.Document{}); err == nil {
		t.Error("empty document accepted")
	}
}

func TestComputeRoundsVATPerCategory(t *testing.T) {
	d := einvoice.Document{Lines: []einvoice.Line{
		{PriceCents: 1005, VAT: einvoice.VAT{Category: einvoice.VATStandard, RateBasisPoints: 1900}},
		{PriceCents: 1005, Quantity: 2, VAT: einvoice.VAT{Category: einvoice.VATStandard, RateBasisPoints: 1900}},
		{PriceCents: 333, VAT: einvoice.VAT{Category: einvoice.VATStandard, RateBasisPoints: 700}},
		{PriceCents: 15000, VAT: exempt},
	}}
	tot := einvoice.Compute(&d)
	// 19 % of 30,15 = 5,7285 → 5,73; 7 % of 3,33 = 0,2331 → 0,23.
	if tot.LineCents != 18348 || tot.TaxCents != 596 || tot.PayableCents != 18944 || len(tot.TaxBreakdowns) != 3 {
		t.Fatalf("totals = %+v", tot)
	}
	if b := tot.TaxBreakdowns[0]; b.Category != "E" || b.TaxableCents != 15000 || b.TaxCents != 0 {
		t.Errorf("exempt breakdown = %+v", b)
	}
	if b := tot.TaxBreakdowns[2]; b.RateBasisPoints != 1900 || b.TaxableCents != 3015 || b.TaxCents != 573 {
		t.Errorf("19 %% breakdown = %+v", b)
	}
}

func TestControlCharactersAreDropped(t *testing.T) {
	d := umlautDocument(1)
	d.Lines[0].Name = "Kurs\x00\x1b mit Steuerzeichen"
	b, err := einvoice.Invoice(d)
	if err != nil {
		t.Fatal(err)
	}
	if p := parse(t, b); p.InvoiceLines[0].Name != "Kurs mit Steuerzeichen" {
		t.Errorf("name = %q", p.InvoiceLines[0].Name)
	}
}

// The Schematron checks (validate.sh, a few seconds each): an invoice with
// umlauts and ß everywhere and 500 lines, a credit note, and a broken invoice
// that must be reported.

func TestXRechnungInvoiceValidates(t *testing.T) {
	t.Parallel()
	b, err := einvoice.Invoice(umlautDocument(500))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("<cac:InvoiceLine>")); n != 500 {
		t.Fatalf("%d lines", n)
	}
	einvoicetest.RequireValid(t, "invoice-500.xml", b)
}

func TestXRechnungCreditNoteValidates(t *testing.T) {
	t.Parallel()
	b, err := einvoice.CreditNote(creditDocument())
	if err != nil {
		t.Fatal(err)
	}
	einvoicetest.RequireValid(t, "credit-note.xml", b)
}

func TestXRechnungBrokenInvoiceIsReported(t *testing.T) {
	t.Parallel()
	b, err := einvoice.Invoice(umlautDocument(2))
	if err != nil {
		t.Fatal(err)
	}
	// Force in what Invoice refuses: no Leitweg-ID, and a payable amount
	// that is not the sum.
	broken := bytes.Replace(b, []byte("<cbc:BuyerReference>04011000-1234512345-06</cbc:BuyerReference>"), nil, 1)
	broken = bytes.Replace(broken, []byte(`<cbc:PayableAmount currencyID="EUR">300.01</cbc:PayableAmount>`), []byte(`<cbc:PayableAmount currencyID="EUR">300.00</cbc:PayableAmount>`), 1)
	if bytes.Equal(b, broken) || bytes.Contains(broken, []byte("BuyerReference")) {
		t.Fatal("the test did not break the invoice")
	}
	out, ok := einvoicetest.Run(t, "broken.xml", broken)
	if ok {
		t.Fatalf("broken invoice reported valid:\n%s", out)
	}
	for _, rule := range []string{"BR-DE-15", "BR-CO-16"} {
		if !strings.Contains(out, rule) {
			t.Errorf("%s not reported:\n%s", rule, out)
		}
	}
}

// BenchmarkInvoice500 generates a 500-line invoice and parses it back.
func BenchmarkInvoice500(b *testing.B) {
	d := umlautDocument(500)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		x, err := einvoice.Invoice(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(x)
		if p := parse(b, x); len(p.InvoiceLines) != 500 {
			b.Fatal(len(p.InvoiceLines))
		}
	}
	b.ReportMetric(float64(size), "bytes/doc")
}
