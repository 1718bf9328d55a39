// Package pdf renders the platform's PDF documents: the transfer contract
// (Weitergabevertrag) and the list of its voucher codes. It knows nothing
// of the database: callers pass plain values.
//
// The documents are A4 with 20 mm margins, set in DejaVu Sans (embedded,
// subset), so German text (ä ö ü ß „ “ €) and other European names render
// everywhere and stay extractable as text. Equal input gives equal bytes:
// the document dates come from the input, never from the clock.
package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Berlin even without a system zone database

	"codeberg.org/go-pdf/fpdf"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Party is a party to the contract.
type Party struct {
	Name, Address string
	AGS           string // Amtlicher Gemeindeschlüssel, optional
}

// ContractVoucher is one voucher code of a contract.
type ContractVoucher struct {
	Code       string // display form, e.g. "08999001-K7QM-4XD2-P9HC"
	ValueCents int64
}

// Contract is the content of a Weitergabevertrag.
type Contract struct {
	Number       string // e.g. "WV-2026-000042"
	Programme    string // e.g. "Kommunale Digitallotsen"
	Funder       string // ministry name
	Association  Party  // passes the funding on, e.g. the Städtetag
	Municipality Party  // the applicant
	Provider     string
	Track        string // German track name, e.g. "Basisqualifizierung"
	People       int
	Vouchers     []ContractVoucher
	TotalCents   int64
	ValidUntil   time.Time
	ConcludedAt  time.Time // date of approval; also the document's creation date (zero: the clock's)
	ApprovedBy   string    // reviewer name
	SignedBy     string    // signatory who submitted
	Conditions   []string  // programme rules as German sentences
	Text         []string  // the programme's own contract text, as paragraphs
}

// VoucherList is the list of a contract's voucher codes, to hand them out.
type VoucherList struct {
	Title        string
	Municipality string
	Provider     string
	Track        string
	ValidUntil   time.Time
	Vouchers     []ContractVoucher
	CreatedAt    time.Time // also the document's creation date (zero: the clock's)
}

func (p Party) printable() Party {
	return Party{Name: Text(p.Name), Address: Text(p.Address), AGS: Text(p.AGS)}
}

func printableVouchers(vs []ContractVoucher) []ContractVoucher {
	out := make([]ContractVoucher, len(vs))
	for i, v := range vs {
		out[i] = ContractVoucher{Code: Text(v.Code), ValueCents: v.ValueCents}
	}
	return out
}

// printable is c with every text made drawable (see Text).
func (c Contract) printable() Contract {
	c.Number, c.Programme, c.Funder, c.Provider, c.Track = Text(c.Number), Text(c.Programme), Text(c.Funder), Text(c.Provider), Text(c.Track)
	c.ApprovedBy, c.SignedBy = Text(c.ApprovedBy), Text(c.SignedBy)
	c.Association, c.Municipality = c.Association.printable(), c.Municipality.printable()
	c.Vouchers = printableVouchers(c.Vouchers)
	conds := make([]string, len(c.Conditions))
	for i, s := range c.Conditions {
		conds[i] = Text(s)
	}
	text := make([]string, len(c.Text))
	for i, s := range c.Text {
		text[i] = Text(s)
	}
	c.Text = text
	if c.Conditions != nil {
		c.Conditions = conds
	}
	return c
}

// printable is v with every text made drawable (see Text).
func (v VoucherList) printable() VoucherList {
	v.Title, v.Municipality, v.Provider, v.Track = Text(v.Title), Text(v.Municipality), Text(v.Provider), Text(v.Track)
	v.Vouchers = printableVouchers(v.Vouchers)
	return v
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil { // cannot happen with time/tzdata linked in
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// date formats a day the German way in Berlin time: 02.01.2006.
func date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(berlin).Format("02.01.2006")
}

// Money formats cents the German way: 300,00 €; 123456 -> 1.234,56 €.
func Money(cents int64) string { return domain.Money(cents) }

// Layout constants, in millimetres unless noted.
const (
	pageW    = 210.0
	margin   = 20.0
	contentW = pageW - 2*margin
	bottom   = 22.0 // auto page break; the footer sits below
)

type rgb struct{ r, g, b int }

var (
	ink    = rgb{33, 37, 41}
	muted  = rgb{96, 103, 112}
	accent = rgb{0, 72, 128}
	rule   = rgb{190, 198, 208}
	tint   = rgb{234, 240, 247}
	zebra  = rgb{246, 248, 251}
)

// doc wraps fpdf with the layout both documents share.
type doc struct {
	f *fpdf.Fpdf
}

func newDoc(title, subject, footer string, at time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, bottom)
	f.SetCellMargin(1.5)
	f.SetTitle(title, true)
	f.SetSubject(subject, true)
	f.SetAuthor("Lotse", true)
	f.SetCreator("Lotse", true)
	f.SetLang("de-DE")
	f.SetDisplayMode("fullwidth", "single")
	// Dates from the input and sorted catalogs: equal input, equal bytes.
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	d := &doc{f: f}
	f.SetFooterFunc(func() {
		y := 297 - 15.0
		d.color(rule, false)
		f.SetLineWidth(0.2)
		f.Line(margin, y, pageW-margin, y)
		d.font("", 8, muted)
		f.SetXY(margin, y+1.5)
		f.CellFormat(contentW*0.7, 4.5, footer, "", 0, "L", false, 0, "")
		// "{nb}" is replaced after layout, so align by the width the
		// final text will likely have, not by that of the alias.
		page := strconv.Itoa(f.PageNo())
		w := f.GetStringWidth("Seite "+page+" von "+page) + 2*f.GetCellMargin()
		f.SetXY(pageW-margin-w, y+1.5)
		f.CellFormat(w, 4.5, "Seite "+page+" von {nb}", "", 0, "L", false, 0, "")
	})
	f.AddPage()
	return d
}

func (d *doc) color(c rgb, fill bool) {
	if fill {
		d.f.SetFillColor(c.r, c.g, c.b)
	} else {
		d.f.SetDrawColor(c.r, c.g, c.b)
	}
}

// font sets face ("" or "B"), size in points and text colour.
func (d *doc) font(style string, size float64, c rgb) {
	d.f.SetFont(family, style, size)
	d.f.SetTextColor(c.r, c.g, c.b)
}

// ensure starts a new page unless h millimetres are left above the
// bottom margin, so that blocks like a table row stay together.
func (d *doc) ensure(h float64) bool {
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-bottom {
		d.f.AddPage()
		return true
	}
	return false
}

// lines is the height of s wrapped to width w at line height lh.
func (d *doc) lines(s string, w, lh float64) float64 {
	n := 0
	for _, para := range strings.Split(s, "\n") {
		n += max(1, len(d.f.SplitText(para, w)))
	}
	return float64(n) * lh
}

func (d *doc) title(title string, subtitle ...string) {
	d.font("B", 22, accent)
	d.f.MultiCell(contentW, 10, title, "", "L", false)
	d.font("", 10, muted)
	for _, s := range subtitle {
		d.f.MultiCell(contentW, 5, s, "", "L", false)
	}
	d.f.Ln(2)
	d.color(accent, false)
	d.f.SetLineWidth(0.6)
	d.f.Line(margin, d.f.GetY(), pageW-margin, d.f.GetY())
	d.f.Ln(4)
}

// section writes a heading; it keeps at least keep millimetres of the
// following content on the same page.
func (d *doc) section(title string, keep float64) {
	d.ensure(12 + keep)
	d.f.Ln(3)
	d.font("B", 12, accent)
	d.f.CellFormat(contentW, 7, title, "", 1, "L", false, 0, "")
	d.color(rule, false)
	d.f.SetLineWidth(0.2)
	d.f.Line(margin, d.f.GetY(), pageW-margin, d.f.GetY())
	d.f.Ln(2.5)
}

// para writes a paragraph; one of up to six lines is not split over pages.
func (d *doc) para(s string) {
	d.font("", 10, ink)
	if h := d.lines(s, contentW, 5); h <= 30 {
		d.ensure(h)
	}
	d.f.MultiCell(contentW, 5, s, "", "L", false)
	d.f.Ln(1.5)
}

// facts writes label–value pairs as two aligned columns.
func (d *doc) facts(rows [][2]string) {
	const lw = 52.0
	for _, r := range rows {
		d.font("", 10, ink)
		h := d.lines(r[1], contentW-lw, 5.5)
		d.ensure(h)
		y := d.f.GetY()
		d.font("", 10, muted)
		d.f.CellFormat(lw, 5.5, r[0], "", 0, "L", false, 0, "")
		d.f.SetXY(margin+lw, y)
		d.font("B", 10, ink)
		d.f.MultiCell(contentW-lw, 5.5, r[1], "", "L", false)
	}
}

// partyBox is one party of the contract.
type partyBox struct {
	role, note string   // e.g. "Zuwendungsgeber", what the party does
	name       string   // bold
	details    []string // address, AGS
}

// parties writes the boxes two per row.
func (d *doc) parties(boxes []partyBox) {
	const gap, pad = 4.0, 3.0
	w := (contentW - gap) / 2
	inner := w - 2*pad
	height := func(b partyBox) float64 {
		h := 2 * pad
		d.font("B", 8.5, accent)
		h += d.lines(b.role, inner, 4.2)
		d.font("B", 10.5, ink)
		h += 0.8 + d.lines(b.name, inner, 5.2)
		d.font("", 9, ink)
		for _, s := range b.details {
			h += d.lines(s, inner, 4.4)
		}
		if b.note != "" {
			d.font("", 8, muted)
			h += 0.8 + d.lines(b.note, inner, 3.8)
		}
		return h
	}
	for i := 0; i < len(boxes); i += 2 {
		row := boxes[i:min(i+2, len(boxes))]
		h := 0.0
		for _, b := range row {
			h = max(h, height(b))
		}
		d.ensure(h)
		y := d.f.GetY()
		for j, b := range row {
			x := margin + float64(j)*(w+gap)
			d.color(tint, true)
			d.color(rule, false)
			d.f.SetLineWidth(0.2)
			d.f.Rect(x, y, w, h, "FD")
			d.color(accent, true)
			d.f.Rect(x, y, 1.2, h, "F")
			d.f.SetCellMargin(0)
			d.f.SetXY(x+pad, y+pad)
			d.font("B", 8.5, accent)
			d.f.MultiCell(inner, 4.2, b.role, "", "L", false)
			d.f.SetXY(x+pad, d.f.GetY()+0.8)
			d.font("B", 10.5, ink)
			d.f.MultiCell(inner, 5.2, b.name, "", "L", false)
			d.font("", 9, ink)
			for _, s := range b.details {
				d.f.SetX(x + pad)
				d.f.MultiCell(inner, 4.4, s, "", "L", false)
			}
			if b.note != "" {
				d.f.SetXY(x+pad, d.f.GetY()+0.8)
				d.font("", 8, muted)
				d.f.MultiCell(inner, 3.8, b.note, "", "L", false)
			}
			d.f.SetCellMargin(1.5)
		}
		d.f.SetXY(margin, y+h+gap)
	}
	d.f.SetY(d.f.GetY() - gap + 1)
}

// column of a voucher table.
type column struct {
	head  string
	w     float64
	align string
}

// voucherTable writes the codes with their values and, if total is not
// nil, a closing row with the sum. Codes are single cells, so they are
// never broken across lines; a code too wide for its column is set smaller.
func (d *doc) voucherTable(cols []column, vs []ContractVoucher, cells func(i int, v ContractVoucher) []string, total []string) {
	const rh = 7.0
	header := func() {
		d.font("B", 9, accent)
		d.color(tint, true)
		d.color(rule, false)
		d.f.SetLineWidth(0.2)
		for _, c := range cols {
			d.f.CellFormat(c.w, rh, c.head, "TB", 0, c.align, true, 0, "")
		}
		d.f.Ln(-1)
	}
	d.ensure(2 * rh)
	header()
	for i, v := range vs {
		need := rh
		if total != nil && i == len(vs)-1 {
			need = 2 * rh // keep the sum with the last row
		}
		if d.ensure(need) {
			header()
		}
		for j, s := range cells(i, v) {
			c := cols[j]
			switch j {
			case 1: // the code
				d.fit(s, c.w, 10.5)
			default:
				d.font("", 10, ink)
			}
			d.color(zebra, true)
			d.color(rule, false)
			d.f.CellFormat(c.w, rh, s, "B", 0, c.align, i%2 == 1, 0, "")
		}
		d.f.Ln(-1)
	}
	if total != nil {
		d.ensure(rh)
		d.font("B", 10, ink)
		d.color(accent, false)
		d.f.SetLineWidth(0.4)
		for j, s := range total {
			c := cols[j]
			d.f.CellFormat(c.w, rh, s, "B", 0, c.align, false, 0, "")
		}
		d.f.Ln(-1)
		d.f.SetLineWidth(0.2)
	}
}

// fit sets the bold face at size points, or smaller until s fits w.
func (d *doc) fit(s string, w, size float64) {
	for ; ; size -= 0.5 {
		d.font("B", size, ink)
		if size <= 6 || d.f.GetStringWidth(s)+2*d.f.GetCellMargin() <= w {
			return
		}
	}
}

// numbered writes a numbered list with hanging indent.
func (d *doc) numbered(items []string) {
	const indent = 8.0
	for i, s := range items {
		d.font("", 10, ink)
		d.ensure(d.lines(s, contentW-indent, 5))
		y := d.f.GetY()
		d.font("B", 10, accent)
		d.f.CellFormat(indent, 5, strconv.Itoa(i+1)+".", "", 0, "L", false, 0, "")
		d.f.SetXY(margin+indent, y)
		d.font("", 10, ink)
		d.f.MultiCell(contentW-indent, 5, s, "", "L", false)
		d.f.Ln(1.2)
	}
}

// signature writes one signature field at x: the electronic act above a
// line, the name and capacity below it.
func (d *doc) signature(x, y, w float64, act, name, capacity string) {
	d.f.SetXY(x, y)
	d.font("", 8.5, muted)
	d.f.MultiCell(w, 4.2, act, "", "L", false)
	d.color(ink, false)
	d.f.SetLineWidth(0.3)
	d.f.Line(x, y+10, x+w, y+10)
	d.f.SetXY(x, y+11)
	d.font("B", 10, ink)
	d.f.MultiCell(w, 5, name, "", "L", false)
	d.f.SetX(x)
	d.font("", 8.5, muted)
	d.f.MultiCell(w, 4.2, capacity, "", "L", false)
}

func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return b.Bytes(), nil
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// plural picks the German singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func partyDetails(p Party) []string {
	var out []string
	if p.Address != "" {
		out = append(out, p.Address)
	}
	if p.AGS != "" {
		out = append(out, "Amtlicher Gemeindeschlüssel: "+p.AGS)
	}
	return out
}

// ContractPDF renders the Weitergabevertrag. Characters the font cannot
// draw are replaced (see Text), so no name makes it fail.
func ContractPDF(c Contract) ([]byte, error) {
	c = c.printable()
	concluded := date(c.ConcludedAt)
	d := newDoc("Weitergabevertrag "+c.Number,
		"Weitergabevertrag im Förderprogramm „"+c.Programme+"“",
		"Weitergabevertrag "+c.Number+" · "+c.Municipality.Name, c.ConcludedAt)
	d.title("Weitergabevertrag", "Förderprogramm „"+c.Programme+"“", "Vertragsnummer "+c.Number+" · abgeschlossen am "+concluded)
	d.para("über die Weitergabe von Fördermitteln in Form von Bildungsgutscheinen zwischen den folgenden Beteiligten.")
	for _, p := range c.Text {
		d.para(p)
	}

	d.section("§ 1 Vertragsparteien", 30)
	d.parties([]partyBox{
		{role: "Zuwendungsgeber", name: orDash(c.Funder), note: "stellt die Fördermittel bereit"},
		{role: "Weitergebende Stelle", name: orDash(c.Association.Name), details: partyDetails(c.Association),
			note: "gibt die Fördermittel an die Kommune weiter"},
		{role: "Zuwendungsempfängerin (Kommune)", name: orDash(c.Municipality.Name), details: partyDetails(c.Municipality),
			note: "erhält die Bildungsgutscheine"},
		{role: "Bildungsträger", name: orDash(c.Provider), note: "führt die Qualifizierung durch und löst die Gutscheine ein"},
	})

	d.section("§ 2 Gegenstand", 25)
	d.para(fmt.Sprintf("Die weitergebende Stelle gibt Fördermittel des Zuwendungsgebers aus dem Förderprogramm „%s“ an die Kommune weiter. "+
		"Die Förderung wird in Form von %s für die Qualifizierung „%s“ beim Bildungsträger %s gewährt. Jeder Gutschein gilt für eine Person.",
		c.Programme, plural(len(c.Vouchers), "Bildungsgutschein", "Bildungsgutscheinen"), c.Track, orDash(c.Provider)))
	d.facts([][2]string{
		{"Qualifizierung", orDash(c.Track)},
		{"Anzahl der Personen", strconv.Itoa(c.People)},
		{"Fördersumme", Money(c.TotalCents)},
		{"Gutscheine gültig bis", date(c.ValidUntil)},
	})

	d.section("§ 3 Bildungsgutscheine", 25)
	cols := []column{{"Nr.", 14, "R"}, {"Gutscheincode", 110, "L"}, {"Wert je Gutschein", 46, "R"}}
	d.voucherTable(cols, c.Vouchers, func(i int, v ContractVoucher) []string {
		return []string{strconv.Itoa(i+1) + ".", v.Code, Money(v.ValueCents)}
	}, []string{"", "Fördersumme insgesamt (" + plural(len(c.Vouchers), "Gutschein", "Gutscheine") + ")", Money(c.TotalCents)})
	d.f.Ln(2)
	d.para("Die Gutscheine sind gültig bis " + date(c.ValidUntil) + ". Jeder Code kann einmal eingelöst werden, nur beim genannten " +
		"Bildungsträger und nur für die genannte Qualifizierung.")

	if len(c.Conditions) > 0 {
		d.section("§ 4 Förderbedingungen", 12)
		d.numbered(c.Conditions)
	}

	n := 4
	if len(c.Conditions) > 0 {
		n = 5
	}
	d.section(fmt.Sprintf("§ %d Abschluss", n), 45)
	d.para(fmt.Sprintf("Abgeschlossen elektronisch über Lotse am %s durch %s (zeichnungsberechtigt); geprüft und angenommen durch %s.",
		concluded, orDash(c.SignedBy), orDash(c.ApprovedBy)))
	d.f.Ln(3)
	y := d.f.GetY()
	w := (contentW - 12) / 2
	d.signature(margin, y, w, "abgeschlossen am "+concluded+" (elektronisch)",
		orDash(c.SignedBy), "zeichnungsberechtigt für "+orDash(c.Municipality.Name))
	d.signature(margin+w+12, y, w, "angenommen am "+concluded+" (elektronisch)",
		orDash(c.ApprovedBy), "für "+orDash(c.Association.Name))
	return d.bytes()
}

// VoucherListPDF renders the list of a contract's voucher codes, to hand
// them to the people who take part. A blank column takes the name of the
// person each code was given to.
func VoucherListPDF(v VoucherList) ([]byte, error) {
	v = v.printable()
	var total int64
	for _, x := range v.Vouchers {
		total += x.ValueCents
	}
	d := newDoc(v.Title, "Gutscheincodes für "+v.Municipality, v.Title, v.CreatedAt)
	d.title(v.Title, "Stand "+date(v.CreatedAt)+" · "+plural(len(v.Vouchers), "Gutschein", "Gutscheine"))
	d.facts([][2]string{
		{"Kommune", orDash(v.Municipality)},
		{"Qualifizierung", orDash(v.Track)},
		{"Bildungsträger", orDash(v.Provider)},
		{"Gültig bis", date(v.ValidUntil)},
	})
	d.f.Ln(5)
	cols := []column{{"Nr.", 12, "R"}, {"Gutscheincode", 72, "L"}, {"Wert", 28, "R"}, {"Ausgegeben an", 58, "L"}}
	d.voucherTable(cols, v.Vouchers, func(i int, x ContractVoucher) []string {
		return []string{strconv.Itoa(i+1) + ".", x.Code, Money(x.ValueCents), ""}
	}, []string{"", "Summe", Money(total), ""})
	d.f.Ln(4)
	d.para("Jede Person nennt ihren Code bei der Anmeldung beim Bildungsträger. Ein Code gilt nur einmal, nur beim genannten " +
		"Bildungsträger und nur für die genannte Qualifizierung. Bitte halten Sie fest, wer welchen Code erhalten hat.")
	return d.bytes()
}
