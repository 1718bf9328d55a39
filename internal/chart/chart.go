// Package chart draws accessible charts as SVG on the server: bars,
// stacked bars and lines, each with a title and a description for
// assistive technology, German number formats, colours that hold 3:1
// against white plus patterns or dash styles so series differ without
// colour, and a viewBox so the chart scales to its container. Table
// renders the same data as an HTML table to stand beside the chart.
// The package draws only; it knows nothing of programmes or reports.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Series is one named row of values, one per label.
type Series struct {
	Name   string
	Values []float64
}

// Spec is the data and wording of one chart. A value that is NaN or
// missing (a series shorter than Labels) is left out of the chart and
// shown as "–" in the table.
type Spec struct {
	ID          string // unique per page, prefix of element ids
	Title, Desc string // German
	Labels      []string
	Series      []Series
	// Format writes values for labels, axis and table; nil: whole numbers
	// in German format (1.234).
	Format func(float64) string
	// Axis names the label column of Table ("Monat", "Land"); default
	// "Kategorie".
	Axis string
}

// Int formats a whole number the German way: 1234.4 -> "1.234".
func Int(v float64) string { return Decimal(0)(v) }

// Decimal formats with a fixed number of decimals: Decimal(1)(1234.56)
// is "1.234,6".
func Decimal(decimals int) func(float64) string {
	return func(v float64) string {
		s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
		whole, frac, _ := strings.Cut(s, ".")
		var b strings.Builder
		if v < 0 && strings.Trim(s, "0.") != "" {
			b.WriteByte('-')
		}
		for i := range len(whole) {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte('.')
			}
			b.WriteByte(whole[i])
		}
		if frac != "" {
			b.WriteByte(',')
			b.WriteString(frac)
		}
		return b.String()
	}
}

// Cents formats a value in cents as money: 123456 -> "1.234,56 €".
func Cents(v float64) string { return domain.Money(int64(math.Round(v))) }

// Euros formats whole euros for axes: 1234567 cents -> "12.346 €".
func Euros(cents float64) string { return Int(cents/100) + " €" }

// Percent formats a share given in per cent: 12.5 -> "12,5 %".
func Percent(v float64) string { return Decimal(1)(v) + " %" }

// Palette holds the series colours in order; each has a contrast of at
// least 3:1 against white (WCAG 1.4.11), checked by a test.
var Palette = []string{"#0b3d91", "#b35900", "#2e7d32", "#6a1b9a", "#8a6d00", "#ad1457"}

// Patterns, dash styles and markers tell series apart without colour.
var (
	patterns = []string{"", "hatch", "dots", "cross"}
	dashes   = []string{"", "8 4", "2 4", "12 4 2 4"}
)

const (
	// A narrow viewBox keeps the text readable when the chart shrinks to
	// a phone's width (13 units are about 10 px at 320 px).
	width    = 400.0
	height   = 240.0
	fontSize = 13.0
	charW    = 7.0 // average width of a character at fontSize
)

var safeID = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// prepared is a Spec with its defaults filled in and its values checked.
type prepared struct {
	Spec
	id     string
	format func(float64) string
	empty  bool
}

func prepare(s Spec) prepared {
	p := prepared{Spec: s, id: safeID.ReplaceAllString(s.ID, "-"), format: s.Format}
	if p.id == "" {
		p.id = "diagramm"
	}
	if p.format == nil {
		p.format = Int
	}
	p.empty = true
	for _, se := range s.Series {
		for i, v := range se.Values {
			if i < len(s.Labels) && valid(v) {
				p.empty = false
			}
		}
	}
	return p
}

// value is the i-th value of a series and whether it is there.
func value(se Series, i int) (float64, bool) {
	if i >= len(se.Values) || !valid(se.Values[i]) {
		return 0, false
	}
	return se.Values[i], true
}

func valid(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// truncate shortens a label for the axis; the table keeps it whole.
func truncate(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// open writes the svg element with its title and description.
func (p prepared) open(b *strings.Builder, h float64, desc string) {
	fmt.Fprintf(b, `<figure class="chart-figure" id="%s">`, p.id)
	fmt.Fprintf(b, `<svg class="lchart" role="img" aria-labelledby="%[1]s-title %[1]s-desc" viewBox="0 0 %[2]s %[3]s" width="100%%" font-size="%[4]s">`,
		p.id, num(width), num(h), num(fontSize))
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, p.id, esc(p.Title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`, p.id, esc(desc))
}

// description joins the caller's text and a summary of the data.
func (p prepared) description() string {
	d := strings.TrimSpace(p.Desc)
	if d != "" && !strings.HasSuffix(d, ".") {
		d += "."
	}
	add := func(s string) {
		if d != "" {
			d += " "
		}
		d += s
	}
	if p.empty {
		add("Keine Daten.")
		return d
	}
	if len(p.Labels) <= 12 {
		for _, se := range p.Series {
			var parts []string
			for i, l := range p.Labels {
				if v, ok := value(se, i); ok {
					parts = append(parts, l+": "+p.format(v))
				}
			}
			prefix := ""
			if len(p.Series) > 1 || se.Name != "" {
				prefix = se.Name + ": "
			}
			add(prefix + strings.Join(parts, "; ") + ".")
		}
		return d
	}
	for _, se := range p.Series {
		lo, hi := -1, -1
		for i := range p.Labels {
			v, ok := value(se, i)
			if !ok {
				continue
			}
			if lo < 0 || v < se.Values[lo] {
				lo = i
			}
			if hi < 0 || v > se.Values[hi] {
				hi = i
			}
		}
		if lo < 0 {
			continue
		}
		prefix := ""
		if se.Name != "" {
			prefix = se.Name + ": "
		}
		add(fmt.Sprintf("%s%d Werte von %s bis %s; höchster Wert %s (%s), niedrigster %s (%s).", prefix, len(p.Labels),
			p.Labels[0], p.Labels[len(p.Labels)-1], p.format(se.Values[hi]), p.Labels[hi], p.format(se.Values[lo]), p.Labels[lo]))
	}
	return d
}

// emptyChart is the chart without data: the frame and a visible note.
func (p prepared) emptyChart() template.HTML {
	var b strings.Builder
	p.open(&b, 80, p.description())
	fmt.Fprintf(&b, `<rect x="0.5" y="0.5" width="%s" height="79" fill="none" stroke="#6b6b6b"/>`, num(width-1))
	fmt.Fprintf(&b, `<text x="%s" y="45" text-anchor="middle" class="chart-empty">Keine Daten vorhanden</text>`, num(width/2))
	b.WriteString(`</svg></figure>`)
	return template.HTML(b.String())
}

// legend is the HTML list of series with their colour and pattern or
// line style; one series needs none.
func (p prepared) legend(b *strings.Builder, lines bool) {
	if len(p.Series) < 2 {
		return
	}
	b.WriteString(`<ul class="chart-legend">`)
	for i, se := range p.Series {
		b.WriteString(`<li><svg class="chart-swatch" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">`)
		if lines {
			fmt.Fprintf(b, `<line x1="0" y1="12" x2="24" y2="12" stroke="%s" stroke-width="3" stroke-dasharray="%s"/>%s`,
				colour(i), dashes[i%len(dashes)], marker(i, 12, 12, 4))
		} else {
			fmt.Fprintf(b, `%s<rect width="24" height="24" fill="%s" stroke="#1b1b1b"/>`,
				patternDef(fmt.Sprintf("%s-zeichen-%d", p.id, i), i, 8), fill(p.id+"-zeichen", i))
		}
		fmt.Fprintf(b, `</svg> %s</li>`, esc(se.Name))
	}
	b.WriteString(`</ul>`)
}

func colour(i int) string { return Palette[i%len(Palette)] }

// patternDef defines the fill of series i as a pattern over its colour,
// or nothing for a plain fill.
func patternDef(id string, i, size int) string {
	var marks string
	switch patterns[i%len(patterns)] {
	case "hatch":
		marks = fmt.Sprintf(`<rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/>`, size/3, size)
	case "dots":
		marks = fmt.Sprintf(`<circle cx="%d" cy="%d" r="%d" fill="#ffffff" fill-opacity=".7"/>`, size/2, size/2, size/5+1)
	case "cross":
		marks = fmt.Sprintf(`<rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/><rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/>`, size/4, size, size, size/4)
	default:
		return ""
	}
	return fmt.Sprintf(`<defs><pattern id="%s" patternUnits="userSpaceOnUse" width="%d" height="%d" patternTransform="rotate(45)"><rect width="%d" height="%d" fill="%s"/>%s</pattern></defs>`,
		id, size, size, size, size, colour(i), marks)
}

// fill is the fill attribute value of series i given the pattern prefix.
func fill(prefix string, i int) string {
	if patterns[i%len(patterns)] == "" {
		return colour(i)
	}
	return fmt.Sprintf("url(#%s-%d)", prefix, i)
}

// marker draws the point marker of series i: circle, square, triangle,
// diamond.
func marker(i int, x, y, r float64) string {
	c := colour(i)
	switch i % 4 {
	case 1:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(x-r), num(y-r), num(2*r), num(2*r), c)
	case 2:
		return fmt.Sprintf(`<path d="M%s %sl%s %sh%sz" fill="%s"/>`, num(x), num(y-r-1), num(r+1), num(2*r+1), num(-2*r-2), c)
	case 3:
		return fmt.Sprintf(`<path d="M%s %sl%s %sl%s %sl%s %sz" fill="%s"/>`, num(x), num(y-r-1), num(r+1), num(r+1), num(-r-1), num(r+1), num(-r-1), num(-r-1), c)
	}
	return fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, num(x), num(y), num(r), c)
}
