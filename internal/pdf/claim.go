package pdf

import (
	"strconv"
	"time"
)

// ClaimSummary is the summary of a provider's settlement claim (Abrechnung)
// or credit note: who claims from whom, the sums and the vouchers. Texts
// come formatted from the caller (dates, labels); amounts are cents.
type ClaimSummary struct {
	Kind      string // "Abrechnung" or "Gutschrift"
	Number    string
	Programme string
	Status    string // German label of the claim's state
	// Provider and Payer: name bold, then detail lines (address, contact,
	// tax identifiers, bank account; Leitweg-ID, e-mail).
	Provider, Payer           string
	ProviderLines, PayerLines []string
	Facts                     [][2]string // label–value pairs under the parties
	Sums                      []ClaimSums // e.g. per track, per municipality
	Items                     []ClaimRow
	TotalCents                int64
	Note                      string    // a closing paragraph, optional
	CreatedAt                 time.Time // the document's date (zero: the clock's)
}

// ClaimSums is a table of sums by one attribute.
type ClaimSums struct {
	Title string // "Nach Qualifizierung"
	Label string // head of the name column: "Qualifizierung"
	Rows  []ClaimSum
}

// ClaimSum is one group's count and sum.
type ClaimSum struct {
	Name       string
	Count      int
	TotalCents int64
}

// ClaimRow is one voucher of the claim.
type ClaimRow struct {
	Code, Participant, Municipality, Track, Date string
	ValueCents                                   int64
}

func (c ClaimSummary) printable() ClaimSummary {
	c.Kind, c.Number, c.Programme, c.Status, c.Provider, c.Payer, c.Note =
		Text(c.Kind), Text(c.Number), Text(c.Programme), Text(c.Status), Text(c.Provider), Text(c.Payer), Text(c.Note)
	texts := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = Text(s)
		}
		return out
	}
	c.ProviderLines, c.PayerLines = texts(c.ProviderLines), texts(c.PayerLines)
	facts := make([][2]string, len(c.Facts))
	for i, f := range c.Facts {
		facts[i] = [2]string{Text(f[0]), Text(f[1])}
	}
	c.Facts = facts
	sums := make([]ClaimSums, len(c.Sums))
	for i, s := range c.Sums {
		rows := make([]ClaimSum, len(s.Rows))
		for j, r := range s.Rows {
			rows[j] = ClaimSum{Name: Text(r.Name), Count: r.Count, TotalCents: r.TotalCents}
		}
		sums[i] = ClaimSums{Title: Text(s.Title), Label: Text(s.Label), Rows: rows}
	}
	c.Sums = sums
	items := make([]ClaimRow, len(c.Items))
	for i, r := range c.Items {
		items[i] = ClaimRow{Code: Text(r.Code), Participant: Text(r.Participant), Municipality: Text(r.Municipality),
			Track: Text(r.Track), Date: Text(r.Date), ValueCents: r.ValueCents}
	}
	c.Items = items
	return c
}

// ClaimPDF renders the summary of a settlement claim. Characters the font
// cannot draw are replaced (see Text), so no name makes it fail.
func ClaimPDF(c ClaimSummary) ([]byte, error) {
	c = c.printable()
	head := c.Kind + " " + c.Number
	d := newDoc(head, head+" im Förderprogramm „"+c.Programme+"“", head+" · "+c.Provider, c.CreatedAt)
	sub := []string{"Förderprogramm „" + c.Programme + "“"}
	if c.Status != "" {
		sub = append(sub, "Stand "+date(c.CreatedAt)+" · "+c.Status)
	}
	d.title(head, sub...)
	d.parties([]partyBox{
		{role: "Bildungsträger (Rechnungssteller)", name: orDash(c.Provider), details: c.ProviderLines},
		{role: "Zahlstelle (Rechnungsempfänger)", name: orDash(c.Payer), details: c.PayerLines},
	})
	d.f.Ln(2)
	d.facts(append(c.Facts,
		[2]string{"Gutscheine", strconv.Itoa(len(c.Items))},
		[2]string{"Summe", Money(c.TotalCents)}))

	for _, s := range c.Sums {
		if len(s.Rows) == 0 {
			continue
		}
		d.section(s.Title, 21)
		cols := []column{{s.Label, 110, "L"}, {"Gutscheine", 25, "R"}, {"Betrag", 35, "R"}}
		rows := make([][]string, len(s.Rows))
		for i, r := range s.Rows {
			rows[i] = []string{r.Name, strconv.Itoa(r.Count), Money(r.TotalCents)}
		}
		d.table(cols, rows, []string{"Summe", strconv.Itoa(len(c.Items)), Money(c.TotalCents)}, -1)
	}

	d.section("Gutscheine", 21)
	cols := []column{{"Nr.", 10, "R"}, {"Gutschein", 37, "L"}, {"Teilnehmer/in", 31, "L"},
		{"Gemeinde", 26, "L"}, {"Qualifizierung", 28, "L"}, {"Termin", 18, "L"}, {"Betrag", 20, "R"}}
	rows := make([][]string, len(c.Items))
	for i, r := range c.Items {
		rows[i] = []string{strconv.Itoa(i+1) + ".", r.Code, r.Participant, r.Municipality, r.Track, r.Date, Money(r.ValueCents)}
	}
	d.table(cols, rows, []string{"", "Summe", "", "", "", "", Money(c.TotalCents)}, 1)
	if c.Note != "" {
		d.f.Ln(4)
		d.para(c.Note)
	}
	return d.bytes()
}

// table writes rows under a header that repeats on every page, and a sum
// row kept with the last row when total is not nil. Cells are single lines:
// each column is set in the largest size (9 points down to 6.5) in which
// its widest cell fits; a cell still too wide is shortened with "…". The
// column boldCol (-1: none) is set in bold.
func (d *doc) table(cols []column, rows [][]string, total []string, boldCol int) {
	const rh = 6.2
	sizes := make([]float64, len(cols))
	for j, c := range cols {
		style := ""
		if j == boldCol {
			style = "B"
		}
		sizes[j] = 6.5
		for size := 9.0; size >= 6.5; size -= 0.5 {
			d.font(style, size, ink)
			fits := true
			for _, row := range rows {
				if j < len(row) && d.f.GetStringWidth(row[j])+2*d.f.GetCellMargin() > c.w {
					fits = false
					break
				}
			}
			if fits {
				sizes[j] = size
				break
			}
		}
	}
	header := func() {
		d.font("B", 8.5, accent)
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
	for i, row := range rows {
		need := rh
		if total != nil && i == len(rows)-1 {
			need = 2 * rh
		}
		if d.ensure(need) {
			header()
		}
		for j, s := range row {
			c := cols[j]
			style := ""
			if j == boldCol {
				style = "B"
			}
			d.font(style, sizes[j], ink)
			s = d.shorten(s, c.w)
			d.color(zebra, true)
			d.color(rule, false)
			d.f.CellFormat(c.w, rh, s, "B", 0, c.align, i%2 == 1, 0, "")
		}
		d.f.Ln(-1)
	}
	if total != nil {
		d.ensure(rh)
		d.color(accent, false)
		d.f.SetLineWidth(0.4)
		for j, s := range total {
			c := cols[j]
			d.font("B", 9, ink)
			if d.f.GetStringWidth(s)+2*d.f.GetCellMargin() > c.w {
				d.font("B", sizes[j], ink)
			}
			s = d.shorten(s, c.w)
			d.f.CellFormat(c.w, rh, s, "B", 0, c.align, false, 0, "")
		}
		d.f.Ln(-1)
		d.f.SetLineWidth(0.2)
	}
}

// shorten cuts s, in the current font, to fit w with a closing "…".
func (d *doc) shorten(s string, w float64) string {
	fits := func(s string) bool { return d.f.GetStringWidth(s)+2*d.f.GetCellMargin() <= w }
	if fits(s) {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; fits(t) {
			return t
		}
	}
	return s
}
