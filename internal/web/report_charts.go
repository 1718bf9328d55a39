package web

import (
	"html/template"

	"github.com/lotse-oss/lotse/internal/chart"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
)

// reportVisuals are the report's charts and map as accessible SVG (each
// with a title and a description; the page puts the data table beside
// it). An empty field means the page shows no drawing, only the table.
type reportVisuals struct {
	Budget, Vouchers, Applications, Coverage, Map template.HTML
	// MapCounts are the map's categories with their number of
	// municipalities, for the table beside the map.
	MapCounts []mapCount
}

type mapCount struct {
	Label string
	Count int
}

// mapCategories colour the municipalities by coverage; each has a pattern
// too, so they differ without colour.
var mapCategories = []geo.Category{
	{Key: domain.CoverageNone, Label: "kein Platz beantragt", Fill: "#767676"},
	{Key: domain.CoverageApplied, Label: "Platz beantragt oder bewilligt", Fill: "#b35900", Pattern: "hatch"},
	{Key: domain.CoverageQualified, Label: "Lotsen qualifiziert", Fill: "#1a6e31", Pattern: "dots"},
}

// reportCharts draws the report's charts and map.
func reportCharts(r *domain.Report) reportVisuals {
	var v reportVisuals
	if len(r.Budget) > 0 {
		s := chart.Spec{ID: "budget", Title: "Budget am Monatsende", Axis: "Monat", Format: chart.Euros,
			Desc: "Geplantes, gebundenes, ausgezahltes und freies Budget des Förderprogramms am Ende jedes Monats."}
		planned, committed, paid, free := chart.Series{Name: "Geplant"}, chart.Series{Name: "Gebunden"}, chart.Series{Name: "Ausgezahlt"}, chart.Series{Name: "Frei"}
		for _, b := range r.Budget {
			s.Labels = append(s.Labels, monthLabel(b.Month))
			planned.Values = append(planned.Values, float64(b.PlannedCents))
			committed.Values = append(committed.Values, float64(b.CommittedCents))
			paid.Values = append(paid.Values, float64(b.PaidCents))
			free.Values = append(free.Values, float64(b.FreeCents))
		}
		s.Series = []chart.Series{planned, committed, paid, free}
		v.Budget = chart.Line(s)
	}
	vs := chart.Spec{ID: "gutscheine", Title: "Gutscheine nach Status", Axis: "Status",
		Desc: "Zahl der Gutscheine in jedem Status, getrennt nach Qualifizierung."}
	for _, t := range r.Tracks {
		vs.Series = append(vs.Series, chart.Series{Name: t.Name})
	}
	for _, row := range r.Vouchers {
		vs.Labels = append(vs.Labels, row.Label)
		for i, n := range row.ByTrack {
			vs.Series[i].Values = append(vs.Series[i].Values, float64(n))
		}
	}
	v.Vouchers = chart.Bar(vs)
	if len(r.Applications) > 0 {
		as := chart.Spec{ID: "antraege", Title: "Eingereichte Anträge je Monat", Axis: "Monat",
			Desc: "Zahl der in jedem Monat eingereichten Anträge.", Series: []chart.Series{{Name: "Anträge"}}}
		for _, m := range r.Applications {
			as.Labels = append(as.Labels, monthLabel(m.Month))
			as.Series[0].Values = append(as.Series[0].Values, float64(m.Applications))
		}
		v.Applications = chart.Bar(as)
	}
	if len(r.Coverage) > 0 {
		cs := chart.Spec{ID: "abdeckung", Title: "Abdeckung nach Größenklasse", Axis: "Größenklasse",
			Desc:   "Gemeinden jeder Größenklasse mit bewilligtem Platz, mit Antrag ohne Bewilligung und ohne Antrag.",
			Series: []chart.Series{{Name: "Mit bewilligtem Platz"}, {Name: "Beantragt"}, {Name: "Ohne Antrag"}}}
		for _, c := range r.Coverage {
			cs.Labels = append(cs.Labels, c.Label)
			cs.Series[0].Values = append(cs.Series[0].Values, float64(c.Covered))
			cs.Series[1].Values = append(cs.Series[1].Values, float64(c.AppliedOnly))
			cs.Series[2].Values = append(cs.Series[2].Values, float64(c.Municipalities-c.Covered-c.AppliedOnly))
		}
		v.Coverage = chart.StackedBar(cs)
	}
	v.Map, v.MapCounts = reportMap(r)
	return v
}

// reportMap draws the municipalities of the programme's state (or of the
// chosen district) coloured by coverage, each linking to its page.
func reportMap(r *domain.Report) (template.HTML, []mapCount) {
	atlas, err := geo.Load(r.State)
	if err != nil {
		return "", nil
	}
	counts := map[string]int{}
	spec := geo.MapSpec{ID: "karte", Title: "Kommunen nach Stand der Qualifizierung", Level: geo.LevelMunicipalities,
		Within: r.Filter.District, Categories: mapCategories, Attribution: true,
		Desc: "Karte der Gemeinden: ohne beantragten Platz, mit beantragtem oder bewilligtem Platz, mit qualifizierten Lotsen. Jede Gemeinde verweist auf ihre Seite."}
	for _, m := range r.Municipalities {
		if len(m.AGS) != 8 {
			continue
		}
		c := m.Coverage()
		counts[c]++
		spec.Areas = append(spec.Areas, geo.Area{AGS: m.AGS, Category: c, Href: "/kommunen/" + m.AGS, Label: m.Name + ": " + coverageLabel(c)})
	}
	var out []mapCount
	for _, c := range mapCategories {
		out = append(out, mapCount{Label: c.Label, Count: counts[c.Key]})
	}
	return atlas.Map(spec), out
}
