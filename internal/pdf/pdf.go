// Package pdf renders the platform's PDF documents: the transfer contract
// (Weitergabevertrag) and the voucher list. It knows nothing of the
// database. The documents use the PDF core font Helvetica with the
// Windows-1252 encoding, which covers German (ä ö ü ß „ “ €) without
// embedding a font file, and keeps the text extractable.
package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Party is a party to the contract.
type Party struct {
	Name, Address string
	AGS           string // optional
}

// ContractVoucher is one voucher code of a contract.
type ContractVoucher struct {
	Code       string // display form
	ValueCents int64
}

// Contract is the content of a Weitergabevertrag.
type Contract struct {
	Number       string // e.g. "WV-2026-000042"
	Programme    string
	Funder       string
	Association  Party // passes the funding on
	Municipality Party // the applicant
	Provider     string
	Track        string
	People       int
	Vouchers     []ContractVoucher
	TotalCents   int64
	ValidUntil   time.Time
	ConcludedAt  time.Time
	ApprovedBy   string
	SignedBy     string
	Conditions   []string
}

// VoucherList is the list of a contract's voucher codes.
type VoucherList struct {
	Title        string
	Municipality string
	Provider     string
	Track        string
	ValidUntil   time.Time
	Vouchers     []ContractVoucher
	CreatedAt    time.Time
}

var berlin = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return loc
	}
	return time.FixedZone("MEZ", 3600)
}()

func date(t time.Time) string { return t.In(berlin).Format("02.01.2006") }

// Money formats cents the German way: 300,00 €; 1.234,56 €.
func Money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	euros := strconv.FormatInt(cents/100, 10)
	var b []byte
	for i := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, euros[i])
	}
	return fmt.Sprintf("%s%s,%02d €", sign, b, cents%100)
}

// doc wraps fpdf with the layout shared by both documents.
type doc struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

func newDoc(title string, at time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(true, 22)
	f.SetTitle(title, true)
	f.SetCreator("Lotse", true)
	f.SetAuthor("Lotse", true)
	// Fixed dates make equal input give equal bytes.
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	d := &doc{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont("Helvetica", "", 8)
		f.CellFormat(0, 5, d.tr(fmt.Sprintf("%s · Seite %d von {nb}", title, f.PageNo())), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	return d
}

func (d *doc) heading(s string, size float64) {
	d.f.SetFont("Helvetica", "B", size)
	d.f.MultiCell(0, size*0.5, d.tr(s), "", "L", false)
	d.f.Ln(2)
}

func (d *doc) para(s string) {
	d.f.SetFont("Helvetica", "", 10)
	d.f.MultiCell(0, 5, d.tr(s), "", "L", false)
	d.f.Ln(1.5)
}

func (d *doc) section(title string) {
	d.f.Ln(2)
	d.f.SetFont("Helvetica", "B", 11)
	d.f.CellFormat(0, 6, d.tr(title), "B", 1, "L", false, 0, "")
	d.f.Ln(1.5)
}

// fact writes a label and a value on one line.
func (d *doc) fact(label, value string) {
	d.f.SetFont("Helvetica", "B", 10)
	d.f.CellFormat(64, 5.5, d.tr(label), "", 0, "L", false, 0, "")
	d.f.SetFont("Helvetica", "", 10)
	d.f.MultiCell(0, 5.5, d.tr(value), "", "L", false)
}

// voucherTable writes the codes with their values; codes are in a
// monospaced font and never broken.
func (d *doc) voucherTable(vs []ContractVoucher) {
	d.f.SetFont("Helvetica", "B", 10)
	d.f.SetFillColor(230, 236, 245)
	d.f.CellFormat(12, 7, "Nr.", "1", 0, "C", true, 0, "")
	d.f.CellFormat(100, 7, "Gutscheincode", "1", 0, "L", true, 0, "")
	d.f.CellFormat(0, 7, "Wert", "1", 1, "R", true, 0, "")
	for i, v := range vs {
		d.f.SetFont("Helvetica", "", 10)
		d.f.CellFormat(12, 7, strconv.Itoa(i+1), "1", 0, "C", false, 0, "")
		d.f.SetFont("Courier", "B", 11)
		d.f.CellFormat(100, 7, v.Code, "1", 0, "L", false, 0, "")
		d.f.SetFont("Helvetica", "", 10)
		d.f.CellFormat(0, 7, d.tr(Money(v.ValueCents)), "1", 1, "R", false, 0, "")
	}
}

func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ContractPDF renders the Weitergabevertrag.
func ContractPDF(c Contract) ([]byte, error) {
	d := newDoc("Weitergabevertrag "+c.Number, c.ConcludedAt)
	d.heading("Weitergabevertrag", 20)
	d.para(fmt.Sprintf("Förderprogramm „%s“ · Vertragsnummer %s · abgeschlossen am %s", c.Programme, c.Number, date(c.ConcludedAt)))

	d.section("Vertragsparteien")
	d.fact("Zuwendungsgeber", c.Funder)
	d.fact("Weitergebende Stelle", c.Association.Name)
	muni := c.Municipality.Name
	if c.Municipality.AGS != "" {
		muni += " (Gemeindeschlüssel " + c.Municipality.AGS + ")"
	}
	d.fact("Zuwendungsempfängerin (Kommune)", muni)
	if c.Municipality.Address != "" {
		d.fact("Anschrift", c.Municipality.Address)
	}
	d.fact("Bildungsträger", c.Provider)

	d.section("Gegenstand")
	d.para(fmt.Sprintf("Die weitergebende Stelle gibt der Kommune Fördermittel des Zuwendungsgebers in Form von %d Bildungsgutschein(en) "+
		"für die %s beim Bildungsträger %s weiter. Jeder Gutschein gilt für eine Person.", c.People, c.Track, c.Provider))
	d.fact("Qualifizierung", c.Track)
	d.fact("Anzahl der Personen", strconv.Itoa(c.People))
	d.fact("Gültig bis", date(c.ValidUntil))

	d.section("Gutscheincodes")
	d.voucherTable(c.Vouchers)
	d.f.Ln(1)
	d.f.SetFont("Helvetica", "B", 10)
	d.f.CellFormat(112, 7, d.tr("Fördersumme insgesamt"), "", 0, "R", false, 0, "")
	d.f.CellFormat(0, 7, d.tr(Money(c.TotalCents)), "", 1, "R", false, 0, "")

	if len(c.Conditions) > 0 {
		d.section("Förderbedingungen")
		for i, s := range c.Conditions {
			d.para(fmt.Sprintf("%d. %s", i+1, s))
		}
	}

	d.section("Abschluss")
	d.para(fmt.Sprintf("Elektronisch abgeschlossen über Lotse am %s durch %s (zeichnungsberechtigt für %s); "+
		"geprüft und angenommen durch %s für %s.", date(c.ConcludedAt), orDash(c.SignedBy), c.Municipality.Name,
		orDash(c.ApprovedBy), c.Association.Name))
	return d.bytes()
}

// VoucherListPDF renders the list of a contract's voucher codes, to hand
// them to the people who take part.
func VoucherListPDF(v VoucherList) ([]byte, error) {
	d := newDoc(v.Title, v.CreatedAt)
	d.heading(v.Title, 16)
	d.fact("Kommune", v.Municipality)
	d.fact("Qualifizierung", v.Track)
	d.fact("Bildungsträger", v.Provider)
	d.fact("Gültig bis", date(v.ValidUntil))
	d.f.Ln(3)
	d.voucherTable(v.Vouchers)
	d.f.Ln(3)
	d.para("Jede Person nennt ihren Code bei der Anmeldung beim Bildungsträger. Ein Code gilt nur einmal, nur beim genannten " +
		"Bildungsträger und nur für die genannte Qualifizierung. Bitte halten Sie fest, wer welchen Code erhalten hat.")
	return d.bytes()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
