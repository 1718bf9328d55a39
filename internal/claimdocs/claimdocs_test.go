package claimdocs_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/claimdocs"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/einvoice/einvoicetest"
	"github.com/xuri/excelize/v2"
)

func at(y int, m time.Month, d, h, min int) *time.Time {
	t := time.Date(y, m, d, h, min, 0, 0, domain.Berlin)
	return &t
}

var tracks = []struct{ key, name string }{{"basis", "Basisqualifizierung"}, {"vertiefung", "Vertiefung Digitalisierung"}}

var places = []struct{ ags, name string }{
	{"08111000", "Stuttgart"}, {"08425020", "Ehingen (Donau)"}, {"08136088", "Schwäbisch Gmünd"}, {"08317096", "Weißach im Tal"},
}

// claim has n vouchers with umlauts and ß in names and places.
func claim(n int) *domain.Claim {
	c := &domain.Claim{
		ID: 7, Number: "A-2026-0007", Kind: domain.ClaimInvoice, ProgrammeID: "digitallotsen-bw",
		ProviderID: 3, ProviderName: "Verwaltungsschule des Gemeindetags Baden-Württemberg",
		Status:    domain.ClaimSubmitted,
		CreatedAt: *at(2026, 4, 1, 9, 0), UpdatedAt: *at(2026, 4, 2, 10, 30), SubmittedAt: at(2026, 4, 2, 10, 30),
	}
	for i := range n {
		tr, pl := tracks[i%len(tracks)], places[i%len(places)]
		start := at(2026, 3, 2+i%27, 9, 0)
		end := at(2026, 3, 2+i%27, 16, 30)
		redeemed := at(2026, 3, 2+i%27, 17, 0)
		it := domain.ClaimItem{
			Code: fmt.Sprintf("%s-K7QM-%04d", pl.ags, i+1), Track: tr.key, TrackName: tr.name,
			AGS: pl.ags, Municipality: pl.name, Participant: fmt.Sprintf("Jürgen Weiß-Öztürk %d", i+1),
			OfferTitle: "Digitale Verwaltung für Einsteiger – „Grundlagen“", SessionStart: start, SessionEnd: end,
			RedeemedAt: redeemed, State: domain.VoucherRedeemed, ValueCents: 45000 + int64(i%3)*5,
		}
		c.Items = append(c.Items, it)
		c.TotalCents += it.ValueCents
	}
	return c
}

func seller() *domain.BillingProfile {
	return &domain.BillingProfile{
		OrgID: 3, LegalName: "Verwaltungsschule des Gemeindetags Baden-Württemberg e. V.",
		Street: "Panoramastraße 31", Postcode: "70174", City: "Stuttgart",
		TaxNumber: "99015/12345", IBAN: "DE02600501010002034304", BIC: "SOLADEST600",
		ContactName: "Jürgen Weiß", ContactPhone: "0711 22572-0", ContactEmail: "rechnung@verwaltungsschule-bw.example",
	}
}

func payer() *domain.Payer {
	return &domain.Payer{
		Name: "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg", Street: "Willy-Brandt-Straße 41",
		Postcode: "70173", City: "Stuttgart", LeitwegID: "08000000-LOTSE-89", Email: "e-rechnung@im.bwl.example",
	}
}

func TestPayerLeitwegIDIsValid(t *testing.T) {
	if !domain.ValidLeitwegID(payer().LeitwegID) {
		id, _ := domain.CompleteLeitwegID("08000000-LOTSE")
		t.Fatalf("fixture Leitweg-ID invalid; want %s", id)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no BOM")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCSV(t *testing.T) {
	c := claim(3)
	c.Items[1].Participant = "=HYPERLINK(\"http://evil.example\")"
	c.Items[2].State = domain.VoucherForfeited
	c.Items[2].RedeemedAt = nil
	b, err := claimdocs.CSV(c)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b)
	want := [][]string{
		{"Gutschein", "Gemeinde", "AGS", "Qualifizierung", "Teilnehmer/in", "Angebot", "Termin", "Eingelöst am", "Status", "Betrag"},
		{"08111000-K7QM-0001", "Stuttgart", "08111000", "Basisqualifizierung", "Jürgen Weiß-Öztürk 1", "Digitale Verwaltung für Einsteiger – „Grundlagen“", "02.03.2026 09:00", "02.03.2026", "Eingelöst", "450,00"},
		{"08425020-K7QM-0002", "Ehingen (Donau)", "08425020", "Vertiefung Digitalisierung", `'=HYPERLINK("http://evil.example")`, "Digitale Verwaltung für Einsteiger – „Grundlagen“", "03.03.2026 09:00", "03.03.2026", "Eingelöst", "450,05"},
		{"08136088-K7QM-0003", "Schwäbisch Gmünd", "08136088", "Basisqualifizierung", "Jürgen Weiß-Öztürk 3", "Digitale Verwaltung für Einsteiger – „Grundlagen“", "04.03.2026 09:00", "", "Verfallen (Stornierung)", "450,10"},
		{"Summe (3 Gutscheine)", "", "", "", "", "", "", "", "", "1350,15"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

func TestXLSX(t *testing.T) {
	c := claim(5)
	c.Items[0].Participant = "@SUM(A1)"
	b, err := claimdocs.XLSX(c)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Gutscheine" || got[1] != "Summen" {
		t.Fatalf("sheets = %q", got)
	}
	raw := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := raw("Gutscheine", "A1"); !strings.Contains(v, "Abrechnung A-2026-0007") {
		t.Errorf("title = %q", v)
	}
	if raw("Gutscheine", "J2") != "Betrag" || raw("Gutscheine", "A3") != "08111000-K7QM-0001" {
		t.Errorf("header/first row: %q %q", raw("Gutscheine", "J2"), raw("Gutscheine", "A3"))
	}
	// Betrag is a number, Termin a date-time serial, the formula-looking
	// participant a string without formula.
	if ct, _ := f.GetCellType("Gutscheine", "J3"); ct != excelize.CellTypeUnset && ct != excelize.CellTypeNumber {
		t.Errorf("Betrag type = %v", ct)
	}
	if raw("Gutscheine", "J4") != "450.05" || raw("Gutscheine", "C3") != "08111000" {
		t.Errorf("J4 = %q, AGS = %q", raw("Gutscheine", "J4"), raw("Gutscheine", "C3"))
	}
	if shown, _ := f.GetCellValue("Gutscheine", "G3"); shown != "02.03.2026 09:00" {
		t.Errorf("Termin shown as %q", shown)
	}
	if ct, _ := f.GetCellType("Gutscheine", "C3"); ct != excelize.CellTypeSharedString {
		t.Errorf("AGS must stay text (leading zero), type %v", ct)
	}
	if fo, _ := f.GetCellFormula("Gutscheine", "E3"); fo != "" || raw("Gutscheine", "E3") != "@SUM(A1)" {
		t.Errorf("participant: formula %q value %q", fo, raw("Gutscheine", "E3"))
	}
	// Sum row after the 5 vouchers: 450,00+450,05+450,10+450,00+450,05.
	if raw("Gutscheine", "A8") != "Summe (5 Gutscheine)" || raw("Gutscheine", "J8") != "2250.2" {
		t.Errorf("sum row: %q %q", raw("Gutscheine", "A8"), raw("Gutscheine", "J8"))
	}
	rows, err := f.GetRows("Summen")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[2:] {
		got = append(got, strings.Join(r, "|"))
	}
	if len(got) != 7 || !strings.HasPrefix(got[0], "Qualifizierung|Basisqualifizierung|3|") || !strings.HasPrefix(got[6], "Summe||5|") {
		t.Errorf("sums = %q", got)
	}
	if v := raw("Summen", "D3"); v != "1350.15" { // vouchers 1, 3, 5: 450,00 + 450,10 + 450,05
		t.Errorf("Basisqualifizierung sum = %q", v)
	}
}

func pdftotext(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "claim.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPDF(t *testing.T) {
	c := claim(60)
	b, err := claimdocs.PDF(c, seller(), payer())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, b)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Abrechnung A-2026-0007",
		"Förderprogramm „digitallotsen-bw“",
		"Verwaltungsschule des Gemeindetags Baden-Württemberg e. V.",
		"Panoramastraße 31, 70174 Stuttgart",
		"Steuernummer 99015/12345",
		"IBAN DE02600501010002034304",
		"Ministerium des Inneren",
		"Leitweg-ID 08000000-LOTSE-89",
		"Leistungszeitraum 02.03.2026 – 28.03.2026",
		"Gutscheine 60",
		"Summe 27.003,00 €", // 60 × 450,00 + 20 × (0,05 + 0,10)
		"Nach Qualifizierung", "Basisqualifizierung 30 13.501,50 €",
		"Nach Gemeinde", "Weißach im Tal (08317096) 15",
		"08111000-K7QM-0001", "08317096-K7QM-0060",
		"Jürgen Weiß-Öztürk 60",
		"Eingereicht",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if strings.Count(text, "\f") < 2 {
		t.Errorf("60 vouchers on %d page(s)", strings.Count(text, "\f"))
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
	// Equal input, equal bytes: the date comes from the claim.
	again, _ := claimdocs.PDF(c, seller(), payer())
	if !bytes.Equal(b, again) {
		t.Error("two renderings differ")
	}
	// Without billing data and payer it still renders; a name too long
	// for its column is shortened, an emoji replaced.
	one := claim(1)
	one.Items[0].Municipality = "Gemeindeverwaltungsverband Oberes Schwäbisch-Fränkisches Waldgebiet 🌲 Nord"
	b, err = claimdocs.PDF(one, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	text = pdftotext(t, b)
	if !strings.Contains(text, "Gemeindeverwaltungs") || !strings.Contains(text, "…") || !strings.Contains(text, "Waldgebiet ? Nord") || strings.Contains(text, "02.03.20…") {
		t.Errorf("long name:\n%s", text)
	}
}

type parsed struct {
	XMLName  xml.Name
	ID       string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
	Issue    string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 IssueDate"`
	Due      string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 DueDate"`
	Note     string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 Note"`
	BuyerRef string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 BuyerReference"`
	Billing  string `xml:"BillingReference>InvoiceDocumentReference>ID"`
	Seller   string `xml:"AccountingSupplierParty>Party>EndpointID"`
	Buyer    string `xml:"AccountingCustomerParty>Party>EndpointID"`
	Payable  string `xml:"LegalMonetaryTotal>PayableAmount"`
	Lines    []struct {
		Name  string `xml:"Item>Name"`
		Desc  string `xml:"Item>Description"`
		Price string `xml:"Price>PriceAmount"`
	} `xml:"InvoiceLine"`
	CreditLines []struct {
		Name string `xml:"Item>Name"`
	} `xml:"CreditNoteLine"`
}

func parse(t *testing.T, b []byte) parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

var now = time.Date(2026, 4, 3, 8, 0, 0, 0, time.UTC)

func TestXRechnungMapping(t *testing.T) {
	c := claim(3)
	b, err := claimdocs.XRechnung(c, seller(), payer(), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if p.XMLName.Local != "Invoice" || p.ID != "A-2026-0007" || p.Issue != "2026-04-03" || p.Due != "2026-05-03" {
		t.Errorf("header = %+v", p)
	}
	if p.BuyerRef != "08000000-LOTSE-89" || p.Seller != "rechnung@verwaltungsschule-bw.example" || p.Buyer != "e-rechnung@im.bwl.example" {
		t.Errorf("parties = %q %q %q", p.BuyerRef, p.Seller, p.Buyer)
	}
	if !strings.Contains(p.Note, "digitallotsen-bw") || !strings.Contains(p.Note, "3 Bildungsgutscheine") {
		t.Errorf("note = %q", p.Note)
	}
	if len(p.Lines) != 3 || p.Lines[1].Name != "Gutschein 08425020-K7QM-0002 – Vertiefung Digitalisierung – Ehingen (Donau)" || p.Lines[1].Price != "450.05" {
		t.Errorf("lines = %+v", p.Lines)
	}
	if p.Payable != "1350.15" {
		t.Errorf("payable = %q", p.Payable)
	}
	if bytes.Contains(b, []byte("Jürgen Weiß-Öztürk")) {
		t.Error("participant names in the e-invoice")
	}
}

func creditNote() (*domain.Claim, *domain.Claim) {
	orig := claim(4)
	orig.Status = domain.ClaimApproved
	orig.ApprovedAt = at(2026, 4, 10, 11, 0)
	cn := claim(1)
	cn.ID, cn.Number, cn.Kind, cn.CorrectsID = 9, "G-2026-0001", domain.ClaimCreditNote, orig.ID
	cn.Reason = "Die Teilnehmerin hat den Kurs nicht abgeschlossen."
	cn.Items[0].ValueCents = -cn.Items[0].ValueCents
	cn.TotalCents = cn.Items[0].ValueCents
	return cn, orig
}

func TestXRechnungCreditNoteMapping(t *testing.T) {
	cn, orig := creditNote()
	b, err := claimdocs.XRechnung(cn, seller(), payer(), orig, now)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if p.XMLName.Local != "CreditNote" || p.Billing != "A-2026-0007" || len(p.CreditLines) != 1 || p.Payable != "450.00" {
		t.Errorf("credit note = %+v", p)
	}
	if !strings.Contains(p.Note, "korrigiert die Abrechnung A-2026-0007") || !strings.Contains(p.Note, "nicht abgeschlossen") {
		t.Errorf("note = %q", p.Note)
	}
	// The corrected claim's e-invoice was dated when it was submitted.
	if !bytes.Contains(b, []byte("<cac:InvoiceDocumentReference>\n      <cbc:ID>A-2026-0007</cbc:ID>\n      <cbc:IssueDate>2026-04-02</cbc:IssueDate>")) {
		t.Errorf("no issue date of the corrected claim:\n%s", b[:min(len(b), 1500)])
	}
}

func TestXRechnungRefusesMissingData(t *testing.T) {
	cn, _ := creditNote()
	bad := payer()
	bad.LeitwegID = "08000000-LOTSE-88"
	noPhone := seller()
	noPhone.ContactPhone = ""
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"no payer", func() error { _, err := claimdocs.XRechnung(claim(1), seller(), nil, nil, now); return err }, "Die Zahlstelle des Förderprogramms fehlt."},
		{"no billing", func() error { _, err := claimdocs.XRechnung(claim(1), nil, payer(), nil, now); return err }, "Die Rechnungsdaten des Bildungsträgers fehlen."},
		{"bad Leitweg-ID", func() error { _, err := claimdocs.XRechnung(claim(1), seller(), bad, nil, now); return err }, "Die Leitweg-ID der Zahlstelle ist nicht gültig."},
		{"no corrected", func() error { _, err := claimdocs.XRechnung(cn, seller(), payer(), nil, now); return err }, "Die Abrechnung, die die Gutschrift korrigiert, fehlt."},
		{"empty", func() error { _, err := claimdocs.XRechnung(claim(0), seller(), payer(), nil, now); return err }, "keine Gutscheine"},
		{"no phone", func() error { _, err := claimdocs.XRechnung(claim(1), noPhone, payer(), nil, now); return err }, "Die Telefonnummer des Rechnungsstellers fehlt."},
	}
	for _, tc := range cases {
		err := tc.err()
		if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), tc.want) ||
			!strings.HasPrefix(domain.ErrorMessage(err), "Die E-Rechnung lässt sich noch nicht erstellen:") {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

// The e-invoice of a 500-voucher claim with umlauts, and a credit note for
// a corrected claim, pass the XRechnung rules.
func TestXRechnung500Validates(t *testing.T) {
	t.Parallel()
	b, err := claimdocs.XRechnung(claim(500), seller(), payer(), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(parse(t, b).Lines); n != 500 {
		t.Fatalf("%d lines", n)
	}
	einvoicetest.RequireValid(t, "claim-500.xml", b)
}

func TestXRechnungCreditNoteValidates(t *testing.T) {
	t.Parallel()
	cn, orig := creditNote()
	b, err := claimdocs.XRechnung(cn, seller(), payer(), orig, now)
	if err != nil {
		t.Fatal(err)
	}
	einvoicetest.RequireValid(t, "claim-credit-note.xml", b)
}

// BenchmarkXRechnung500 maps a 500-voucher claim to its e-invoice and parses
// it back (the Schematron run aside).
func BenchmarkXRechnung500(b *testing.B) {
	c, s, p := claim(500), seller(), payer()
	b.ReportAllocs()
	for b.Loop() {
		x, err := claimdocs.XRechnung(c, s, p, nil, now)
		if err != nil {
			b.Fatal(err)
		}
		var back parsed
		if err := xml.Unmarshal(x, &back); err != nil || len(back.Lines) != 500 {
			b.Fatal(err, len(back.Lines))
		}
	}
}

// BenchmarkExports500 renders the CSV, XLSX and PDF of a 500-voucher claim.
func BenchmarkExports500(b *testing.B) {
	c, s, p := claim(500), seller(), payer()
	for _, bm := range []struct {
		name string
		f    func() ([]byte, error)
	}{
		{"CSV", func() ([]byte, error) { return claimdocs.CSV(c) }},
		{"XLSX", func() ([]byte, error) { return claimdocs.XLSX(c) }},
		{"PDF", func() ([]byte, error) { return claimdocs.PDF(c, s, p) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bm.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
