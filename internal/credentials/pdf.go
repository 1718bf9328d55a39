package credentials

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Berlin even without a system zone database

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode/qr"

	lotsepdf "github.com/lotse-oss/lotse/internal/pdf"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil { // cannot happen with time/tzdata linked in
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// date formats a day the German way in Berlin time: 02.01.2006.
func date(t time.Time) string {
	return t.In(berlin).Format("02.01.2006")
}

// Layout, in millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	margin   = 25.0
	contentW = pageW - 2*margin
	qrSize   = 40.0
)

type rgb struct{ r, g, b int }

var (
	ink    = rgb{33, 37, 41}
	muted  = rgb{96, 103, 112}
	accent = rgb{0, 72, 128}
	rule   = rgb{190, 198, 208}
)

// certDoc wraps fpdf for the certificate's layout.
type certDoc struct {
	f      *fpdf.Fpdf
	family string
}

func (d *certDoc) font(style string, size float64, c rgb) {
	d.f.SetFont(d.family, style, size)
	d.f.SetTextColor(c.r, c.g, c.b)
}

func (d *certDoc) draw(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }

// page starts a page with the certificate's frame.
func (d *certDoc) page() {
	d.f.AddPage()
	d.draw(accent)
	d.f.SetLineWidth(0.8)
	d.f.Rect(10, 10, pageW-20, pageH-20, "D")
	d.draw(rule)
	d.f.SetLineWidth(0.25)
	d.f.Rect(12.5, 12.5, pageW-25, pageH-25, "D")
}

// height is the height of s wrapped to width w at line height lh in the
// current font.
func (d *certDoc) height(s string, w, lh float64) float64 {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		n += max(1, len(d.f.SplitText(line, w)))
	}
	return float64(n) * lh
}

// centred sets s centred on the content width, wrapped if it is too long.
func (d *certDoc) centred(s, style string, size, lh float64, c rgb) {
	d.font(style, size, c)
	d.f.SetX(margin)
	d.f.MultiCell(contentW, lh, s, "", "C", false)
}

// fit sets s on one line of width w, shrinking the font from size down to
// 6 pt so that it never wraps (a URL or ID must stay one piece).
func (d *certDoc) fit(s, style string, size, w, h float64, c rgb, link string) {
	for ; size > 6; size -= 0.5 {
		d.f.SetFont(d.family, style, size)
		if d.f.GetStringWidth(s)+2*d.f.GetCellMargin() <= w {
			break
		}
	}
	d.font(style, size, c)
	d.f.CellFormat(w, h, s, "", 1, "L", false, 0, link)
}

// PDF renders the certificate as a one-page A4 PDF in German
// (Teilnahmezertifikat): participant, offer, provider, dates, hours,
// competences, credits if any, and the certificate ID, with a QR code that
// encodes VerifyURL next to the URL in text. Equal input gives equal bytes:
// the document date is c.Issued, never the clock.
func PDF(c Certificate) ([]byte, error) {
	// Names and titles are what people typed: characters the embedded font
	// cannot draw (emoji, say) become "?" rather than failing the document.
	c.Participant, c.Offer, c.Provider = lotsepdf.Text(c.Participant), lotsepdf.Text(c.Offer), lotsepdf.Text(c.Provider)
	comps := make([]string, len(c.Competences))
	for i, comp := range c.Competences {
		comps[i] = lotsepdf.Text(comp)
	}
	c.Competences = comps
	qrPNG, err := qrCode(c.VerifyURL)
	if err != nil {
		return nil, err
	}

	f := fpdf.New("P", "mm", "A4", "")
	d := &certDoc{f: f, family: lotsepdf.AddFonts(f)}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(1)
	f.SetTitle("Teilnahmezertifikat – "+c.Participant, true)
	f.SetSubject(c.Offer, true)
	f.SetAuthor(IssuerName, true)
	f.SetCreator(IssuerName, true)
	f.SetLang("de-DE")
	f.SetDisplayMode("fullpage", "single")
	f.SetCreationDate(c.Issued)
	f.SetModificationDate(c.Issued)
	f.SetCatalogSort(true)
	d.page()

	// Heading.
	f.SetY(26)
	d.centred(strings.ToUpper(IssuerName)+" · Qualifizierung für Kommunen", "", 9, 5, muted)
	f.Ln(6)
	d.centred("Teilnahmezertifikat", "B", 30, 13, accent)
	y := f.GetY() + 3
	d.draw(accent)
	f.SetLineWidth(0.6)
	f.Line(pageW/2-20, y, pageW/2+20, y)
	f.SetY(y + 10)

	// The statement.
	d.centred("Hiermit wird bestätigt, dass", "", 12, 6, ink)
	f.Ln(3)
	d.centred(c.Participant, "B", 24, 11, ink)
	f.Ln(3)
	d.centred("am Angebot", "", 12, 6, ink)
	f.Ln(2)
	d.centred("„"+c.Offer+"“", "B", 17, 8, accent)
	f.Ln(2)
	tail := "teilgenommen hat."
	if p := period(c.SessionStart, c.SessionEnd); p != "" {
		tail = p + " " + tail
	}
	if c.Provider != "" {
		d.centred("des Bildungsträgers "+c.Provider, "", 12, 6, ink)
	}
	d.centred(tail, "", 12, 6, ink)
	f.Ln(10)

	// Facts.
	var rows [][2]string
	if p := spanText(c.SessionStart, c.SessionEnd); p != "" {
		rows = append(rows, [2]string{"Zeitraum", p})
	}
	if s := scope(c); s != "" {
		rows = append(rows, [2]string{"Umfang", s})
	}
	if c.Provider != "" {
		rows = append(rows, [2]string{"Bildungsträger", c.Provider})
	}
	for i, comp := range c.Competences { // one row each, so a long list can break across pages
		label := ""
		if i == 0 {
			label = "Kompetenzen"
		}
		rows = append(rows, [2]string{label, "• " + comp})
	}
	if c.Credits > 0 {
		rows = append(rows, [2]string{"Leistungspunkte", credits(c.Credits)})
	}
	rows = append(rows, [2]string{"Ausgestellt am", date(c.Issued)})
	if c.Expires != nil {
		rows = append(rows, [2]string{"Gültig bis", date(*c.Expires)})
	}
	const labelW = 42.0
	d.draw(rule)
	f.SetLineWidth(0.2)
	f.Line(margin, f.GetY(), pageW-margin, f.GetY())
	f.Ln(2)
	for _, r := range rows {
		d.font("", 10, ink)
		if f.GetY()+d.height(r[1], contentW-labelW, 6) > pageH-28 {
			d.page()
			f.SetY(30)
		}
		top := f.GetY()
		f.SetX(margin)
		d.font("B", 10, muted)
		f.CellFormat(labelW, 6, r[0], "", 0, "L", false, 0, "")
		d.font("", 10, ink)
		f.SetXY(margin+labelW, top)
		f.MultiCell(contentW-labelW, 6, r[1], "", "L", false)
		f.SetY(max(f.GetY(), top+6) + 0.5)
	}
	f.Ln(1.5)
	f.Line(margin, f.GetY(), pageW-margin, f.GetY())

	// Verification block at the foot of the page; on a page of its own
	// only if the facts ran that far (dozens of competences).
	const blockH = qrSize + 12
	blockY := max(f.GetY()+8, pageH-22-blockH)
	if blockY+blockH > pageH-22 {
		d.page()
		blockY = 30
	}
	f.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qrPNG))
	f.ImageOptions("qr", margin, blockY, qrSize, qrSize, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, c.VerifyURL)
	textX := margin + qrSize + 6
	textW := pageW - margin - textX
	f.SetXY(textX, blockY+1)
	d.font("B", 11, accent)
	f.CellFormat(textW, 6, "Echtheit prüfen", "", 1, "L", false, 0, "")
	f.SetX(textX)
	d.font("", 9, ink)
	f.MultiCell(textW, 4.6, "Dieses Zertifikat ist zusätzlich als digital signierter Nachweis "+
		"(Open Badges 3.0, W3C Verifiable Credential) ausgestellt. Scannen Sie den QR-Code "+
		"oder rufen Sie diese Adresse auf:", "", "L", false)
	f.SetX(textX)
	d.fit(c.VerifyURL, "", 9, textW, 5.5, accent, c.VerifyURL)
	f.Ln(1.5)
	f.SetX(textX)
	d.font("B", 9, muted)
	label := "Zertifikats-ID: "
	lw := f.GetStringWidth(label) + 2*f.GetCellMargin()
	f.CellFormat(lw, 5, label, "", 0, "L", false, 0, "")
	d.fit(c.ID, "", 9, textW-lw, 5, ink, "")

	// Issuer line.
	f.SetXY(margin, pageH-22)
	d.font("", 8, muted)
	issuer := "Ausgestellt über " + IssuerName
	if c.IssuerURL != "" {
		issuer += " – " + c.IssuerURL
	}
	f.CellFormat(contentW, 4, issuer, "", 0, "C", false, 0, "")

	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("credentials: pdf: %w", err)
	}
	return b.Bytes(), nil
}

// spanText is the period for the facts: "12.01.2027" or
// "12.01.2027 – 14.01.2027".
func spanText(start, end time.Time) string {
	switch {
	case start.IsZero() && end.IsZero():
		return ""
	case end.IsZero() || date(start) == date(end):
		return date(start)
	case start.IsZero():
		return date(end)
	}
	return date(start) + " – " + date(end)
}

// credits in German: "5 ECTS-Punkte", "2,5 ECTS-Punkte", "1 ECTS-Punkt".
func credits(v float64) string {
	s := strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	if v == 1 {
		return s + " ECTS-Punkt"
	}
	return s + " ECTS-Punkte"
}

// qrCode encodes url as a QR code (error correction level M) and returns it
// as a grey PNG with the standard quiet zone of four modules, eight pixels
// a module so that viewers that smooth images still show sharp modules.
func qrCode(url string) ([]byte, error) {
	if url == "" {
		return nil, fmt.Errorf("credentials: certificate without VerifyURL")
	}
	code, err := qr.Encode(url, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("credentials: qr code: %w", err)
	}
	const px, quiet = 8, 4
	n := code.Bounds().Dx()
	side := (n + 2*quiet) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n {
		for x := range n {
			if !isDark(code.At(x, y)) {
				continue
			}
			for dy := range px {
				off := img.PixOffset((x+quiet)*px, (y+quiet)*px+dy)
				for dx := range px {
					img.Pix[off+dx] = 0
				}
			}
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("credentials: qr png: %w", err)
	}
	return b.Bytes(), nil
}

func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}
