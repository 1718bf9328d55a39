package chart

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var months = []string{"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"}

func sixtyMonths() ([]string, []float64) {
	var labels []string
	var values []float64
	for i := range 60 {
		labels = append(labels, fmt.Sprintf("%s %d", months[i%12], 2022+i/12))
		values = append(values, 5_000_000-float64(i)*120_000) // cents: from 50.000 € down past zero
	}
	return labels, values
}

// examples are the charts the golden files pin down.
func examples() map[string]func() string {
	states := []string{"Baden-Württemberg", "Bayern", "Berlin", "Mecklenburg-Vorpommern", "Nordrhein-Westfalen"}
	m60, bal := sixtyMonths()
	return map[string]func() string{
		"bar_simple": func() string {
			return string(Bar(Spec{ID: "laender", Title: "Gutscheine nach Land", Desc: "Ausgegebene Gutscheine je Land",
				Labels: states, Series: []Series{{Name: "Gutscheine", Values: []float64{1234, 56, 789, 0, 12}}}}))
		},
		"bar_grouped_negative": func() string {
			return string(Bar(Spec{ID: "antraege", Title: "Anträge je Monat", Labels: months[:4],
				Series: []Series{{Name: "Eingereicht", Values: []float64{12, 30, 45, 20}}, {Name: "Saldo", Values: []float64{2, -5, 10, math.NaN()}}}}))
		},
		"stacked": func() string {
			return string(StackedBar(Spec{ID: "abdeckung", Title: "Abdeckung nach Größenklasse",
				Labels: []string{"bis 5.000", "5.000 bis 20.000", "über 20.000"},
				Series: []Series{{Name: "Kein Platz", Values: []float64{400, 200, 30}}, {Name: "Beantragt", Values: []float64{200, 150, 40}},
					{Name: "Qualifiziert", Values: []float64{80, 60, 20}}}}))
		},
		"line_60_months": func() string {
			return string(Line(Spec{ID: "budget", Title: "Freies Budget", Desc: "Freies Budget am Monatsende", Labels: m60,
				Series: []Series{{Name: "Frei", Values: bal}}, Format: Euros}))
		},
		"line_two_series": func() string {
			return string(Line(Spec{ID: "verlauf", Title: "Gebunden und ausgezahlt", Labels: months[:6], Format: Cents,
				Series: []Series{{Name: "Gebunden", Values: []float64{0, 10000, 25000, 25000, 30000, 32000}},
					{Name: "Ausgezahlt", Values: []float64{0, 0, 5000, math.NaN(), 20000, 30000}}}}))
		},
		"one_label": func() string {
			return string(Bar(Spec{ID: "eins", Title: "Summe 2026", Labels: []string{"2026"},
				Series: []Series{{Name: "Summe", Values: []float64{123456}}}, Format: Cents}))
		},
		"empty": func() string {
			return string(Line(Spec{ID: "leer", Title: "Budget über die Zeit", Desc: "Freies Budget je Monat"}))
		},
		"table": func() string {
			return string(Table(Spec{ID: "antraege", Title: "Anträge je Monat", Axis: "Monat", Labels: months[:3],
				Series: []Series{{Name: "Eingereicht", Values: []float64{12, 30, 1045}}, {Name: "Bewilligt", Values: []float64{10, math.NaN()}}}}))
		},
	}
}

func TestChartsRenderTheirGoldens(t *testing.T) {
	for name, render := range examples() {
		t.Run(name, func(t *testing.T) {
			got := render()
			// One element a line keeps golden diffs readable.
			got = strings.ReplaceAll(got, "><", ">\n<") + "\n"
			golden := filepath.Join("testdata", name+".golden.html")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden (run go test ./internal/chart -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -update if intended):\n%s", name, golden, got)
			}
		})
	}
}

// checkSVG asserts what every chart must have: well-formed markup, a
// labelled img role, title and description, a viewBox without a fixed
// pixel size, and no NaN or infinite coordinates.
func checkSVG(t *testing.T, id, html string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(html))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, html)
		}
	}
	for _, want := range []string{
		`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`, `width="100%"`, `viewBox="0 0 `,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("chart %s lacks %q", id, want)
		}
	}
	if !regexp.MustCompile(`<title id="` + id + `-title">[^<]+</title>`).MatchString(html) {
		t.Errorf("chart %s has no title", id)
	}
	if !regexp.MustCompile(`<desc id="` + id + `-desc">[^<]+</desc>`).MatchString(html) {
		t.Errorf("chart %s has no description", id)
	}
	for _, bad := range []string{"NaN", "Inf", `height="-`, `width="-`} {
		if strings.Contains(html, bad) {
			t.Errorf("chart %s contains %q", id, bad)
		}
	}
	if m := regexp.MustCompile(`<svg class="lchart"[^>]*\sheight=`).FindString(html); m != "" {
		t.Errorf("chart %s has a fixed height: %s", id, m)
	}
}

func TestEveryExampleIsAnAccessibleSVG(t *testing.T) {
	for name, render := range examples() {
		if name == "table" {
			continue
		}
		html := render()
		id := regexp.MustCompile(`<figure class="chart-figure" id="([^"]+)"`).FindStringSubmatch(html)
		if id == nil {
			t.Fatalf("%s: no figure id", name)
		}
		checkSVG(t, id[1], html)
	}
}

type rect struct{ x, y, w, h float64 }

var rectRE = regexp.MustCompile(`<rect class="ch-bar" x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)"`)

func bars(t *testing.T, html string) []rect {
	t.Helper()
	var out []rect
	for _, m := range rectRE.FindAllStringSubmatch(html, -1) {
		var r rect
		for i, p := range []*float64{&r.x, &r.y, &r.w, &r.h} {
			v, err := strconv.ParseFloat(m[i+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			*p = v
		}
		out = append(out, r)
	}
	return out
}

func zeroY(t *testing.T, html string) float64 {
	t.Helper()
	m := regexp.MustCompile(`class="ch-zero" x1="[-\d.]+" y1="([-\d.]+)"`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no zero line")
	}
	y, _ := strconv.ParseFloat(m[1], 64)
	return y
}

func TestBarHeightsAreProportionalToTheValues(t *testing.T) {
	html := string(Bar(Spec{ID: "b", Title: "T", Labels: []string{"a", "b", "c", "d"},
		Series: []Series{{Name: "S", Values: []float64{10, 20, 40, -10}}}}))
	checkSVG(t, "b", html)
	bs := bars(t, html)
	if len(bs) != 4 {
		t.Fatalf("%d bars, want 4", len(bs))
	}
	unit := bs[0].h / 10
	for i, want := range []float64{10, 20, 40, 10} {
		if math.Abs(bs[i].h-want*unit) > 0.2 {
			t.Errorf("bar %d: height %.1f, want %.1f", i, bs[i].h, want*unit)
		}
	}
	zero := zeroY(t, html)
	if math.Abs(bs[0].y+bs[0].h-zero) > 0.2 {
		t.Errorf("positive bar ends at %.1f, zero line at %.1f", bs[0].y+bs[0].h, zero)
	}
	if math.Abs(bs[3].y-zero) > 0.2 {
		t.Errorf("negative bar starts at %.1f, not at the zero line %.1f", bs[3].y, zero)
	}
	for _, want := range []string{">-10<", ">40<", "<title>d, S: -10</title>"} {
		if !strings.Contains(html, want) {
			t.Errorf("bar chart lacks %q", want)
		}
	}
}

func TestStackedBarsAddUp(t *testing.T) {
	html := string(StackedBar(Spec{ID: "s", Title: "T", Labels: []string{"a", "b"},
		Series: []Series{{Name: "x", Values: []float64{10, 30}}, {Name: "y", Values: []float64{30, 10}}}}))
	checkSVG(t, "s", html)
	bs := bars(t, html)
	if len(bs) != 4 {
		t.Fatalf("%d segments, want 4", len(bs))
	}
	// Both stacks are 40 high and their segments touch.
	if math.Abs((bs[0].h+bs[1].h)-(bs[2].h+bs[3].h)) > 0.2 {
		t.Errorf("stacks differ: %.1f and %.1f", bs[0].h+bs[1].h, bs[2].h+bs[3].h)
	}
	if math.Abs(bs[1].y+bs[1].h-bs[0].y) > 0.2 {
		t.Errorf("the second segment does not sit on the first: %+v %+v", bs[0], bs[1])
	}
	if math.Abs(bs[0].h*3-bs[1].h) > 0.3 {
		t.Errorf("segments 10 and 30 drawn as %.1f and %.1f", bs[0].h, bs[1].h)
	}
	if !strings.Contains(html, ">40<") {
		t.Error("no total above the stacks")
	}
	if !strings.Contains(html, `class="chart-legend"`) {
		t.Error("two series without a legend")
	}
}

func TestManyLabelsAreThinned(t *testing.T) {
	labels, values := sixtyMonths()
	for name, html := range map[string]string{
		"line": string(Line(Spec{ID: "l", Title: "T", Labels: labels, Series: []Series{{Name: "S", Values: values}}, Format: Euros})),
		"bar":  string(Bar(Spec{ID: "l", Title: "T", Labels: labels, Series: []Series{{Name: "S", Values: values}}, Format: Euros})),
	} {
		checkSVG(t, "l", html)
		shown := 0
		for _, l := range labels {
			if strings.Contains(html, ">"+l+"</text>") {
				shown++
			}
		}
		if shown < 3 || shown > 15 {
			t.Errorf("%s: %d of 60 axis labels shown, want a readable few", name, shown)
		}
		if !strings.Contains(html, ">Jan 2022</text>") {
			t.Errorf("%s: the first label is not shown", name)
		}
		// The values run below zero: the axis shows a negative tick.
		if !strings.Contains(html, ">-") {
			t.Errorf("%s: no negative tick for negative balances", name)
		}
		if name == "line" && strings.Count(html, `class="ch-point"`) != 0 {
			t.Errorf("line of 60 points has markers")
		}
	}
}

func TestLongLabelsAreRotatedAndKeptInside(t *testing.T) {
	labels := []string{"Baden-Württemberg", "Mecklenburg-Vorpommern", "Nordrhein-Westfalen", "Sachsen-Anhalt", "Thüringen",
		"Schleswig-Holstein", "Rheinland-Pfalz", "Niedersachsen"}
	html := string(Bar(Spec{ID: "r", Title: "T", Labels: labels, Series: []Series{{Values: []float64{1, 2, 3, 4, 5, 6, 7, 8}}}}))
	checkSVG(t, "r", html)
	if c := strings.Count(html, "rotate(-45"); c != len(labels) {
		t.Errorf("%d rotated labels, want %d", c, len(labels))
	}
	if !strings.Contains(html, ">Mecklenburg-Vorpomm…</text>") {
		t.Error("a long label is not shortened on the axis")
	}
	// The first label ends at its bar and reaches left by its length.
	m := regexp.MustCompile(`<text x="([\d.]+)" y="[\d.]+" text-anchor="end" transform="rotate`).FindStringSubmatch(html)
	x, _ := strconv.ParseFloat(m[1], 64)
	if x-float64(len("Baden-Württemberg"))*charW*0.72 < -1 {
		t.Errorf("the first label starts left of the chart (x=%.1f)", x)
	}
}

func TestEmptyChartsSayKeineDaten(t *testing.T) {
	for name, html := range map[string]string{
		"bar":     string(Bar(Spec{ID: "e", Title: "Leer"})),
		"stacked": string(StackedBar(Spec{ID: "e", Title: "Leer", Labels: []string{"a"}, Series: []Series{{Name: "S"}}})),
		"line":    string(Line(Spec{ID: "e", Title: "Leer", Labels: []string{"a", "b"}, Series: []Series{{Name: "S", Values: []float64{math.NaN(), math.Inf(1)}}}})),
	} {
		checkSVG(t, "e", html)
		if !strings.Contains(html, `<desc id="e-desc">Keine Daten.</desc>`) || !strings.Contains(html, ">Keine Daten vorhanden</text>") {
			t.Errorf("%s: empty chart without its note:\n%s", name, html)
		}
	}
	table := string(Table(Spec{ID: "e", Title: "Leer", Series: []Series{{Name: "S"}}}))
	if !strings.Contains(table, `colspan="2">Keine Daten vorhanden</td>`) {
		t.Errorf("empty table without its note: %s", table)
	}
}

func TestLineWithOneLabelShowsAPoint(t *testing.T) {
	html := string(Line(Spec{ID: "p", Title: "T", Labels: []string{"2026"}, Series: []Series{{Name: "S", Values: []float64{-5}}}}))
	checkSVG(t, "p", html)
	if strings.Count(html, `class="ch-point"`) != 1 {
		t.Error("a single value has no marker")
	}
	if !strings.Contains(html, "<title>2026, S: -5</title>") {
		t.Error("the point has no title")
	}
}

func TestDescriptionSummarisesTheData(t *testing.T) {
	html := string(Bar(Spec{ID: "d", Title: "T", Desc: "Gutscheine je Land", Labels: []string{"Bayern", "Berlin"},
		Series: []Series{{Name: "Gutscheine", Values: []float64{1500, 20}}}}))
	if !strings.Contains(html, `<desc id="d-desc">Gutscheine je Land. Gutscheine: Bayern: 1.500; Berlin: 20.</desc>`) {
		t.Errorf("description: %s", regexp.MustCompile(`<desc.*</desc>`).FindString(html))
	}
	labels, values := sixtyMonths()
	html = string(Line(Spec{ID: "d", Title: "T", Labels: labels, Series: []Series{{Name: "Frei", Values: values}}, Format: Euros}))
	if !strings.Contains(html, "Frei: 60 Werte von Jan 2022 bis Dez 2026; höchster Wert 50.000 € (Jan 2022), niedrigster -20.800 € (Dez 2026).") {
		t.Errorf("description: %s", regexp.MustCompile(`<desc.*</desc>`).FindString(html))
	}
}

func TestTableHasCaptionHeadersAndDataLabels(t *testing.T) {
	html := string(Table(Spec{ID: "t", Title: "Anträge <je> Monat", Axis: "Monat", Labels: []string{"Jan", "<b>Feb</b>"},
		Series: []Series{{Name: "Eingereicht", Values: []float64{1234, 5}}, {Name: "Bewilligt", Values: []float64{math.NaN()}}}}))
	for _, want := range []string{
		`<caption class="kern-title">Anträge &lt;je&gt; Monat</caption>`,
		`<th class="kern-table__header" scope="col">Monat</th>`,
		`<th class="kern-table__header kern-table__header--numeric" scope="col">Eingereicht</th>`,
		`<th class="kern-table__header" scope="row" data-label="Monat">&lt;b&gt;Feb&lt;/b&gt;</th>`,
		`<td class="kern-table__cell kern-table__cell--numeric" data-label="Eingereicht">1.234</td>`,
		`<td class="kern-table__cell kern-table__cell--numeric" data-label="Bewilligt">–</td>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("table lacks %q:\n%s", want, html)
		}
	}
	if n := strings.Count(html, "<td "); n != strings.Count(html, "<td class=\"kern-table__cell kern-table__cell--numeric\" data-label=") || n != 4 {
		t.Errorf("%d cells, each needs a data-label", n)
	}
}

func TestGermanNumberFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Int(1234567), "1.234.567"},
		{Int(999.5), "1.000"},
		{Int(-0.4), "0"},
		{Int(-1234), "-1.234"},
		{Decimal(2)(-1234.5), "-1.234,50"},
		{Decimal(1)(0.26), "0,3"},
		{Cents(123456), "1.234,56 €"},
		{Cents(-5), "-0,05 €"},
		{Euros(123456789), "1.234.568 €"},
		{Percent(12.5), "12,5 %"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestPaletteHasContrastAgainstWhite checks WCAG 1.4.11: 3:1 for the
// colours that carry the data.
func TestPaletteHasContrastAgainstWhite(t *testing.T) {
	for _, c := range Palette {
		if r := contrast(c); r < 3 {
			t.Errorf("%s: contrast %.2f:1 against white, want at least 3:1", c, r)
		}
	}
}

func contrast(hex string) float64 {
	var rgb [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	l := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	return 1.05 / (l + 0.05)
}

func TestIDsAreSanitised(t *testing.T) {
	html := string(Bar(Spec{ID: `x" onload="alert(1)`, Title: "T", Labels: []string{"a"}, Series: []Series{{Values: []float64{1}}}}))
	if strings.Contains(html, `onload="`) {
		t.Error("the id broke out of its attribute")
	}
}
