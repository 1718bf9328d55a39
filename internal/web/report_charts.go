package web

import (
	"html/template"

	"github.com/lotse-oss/lotse/internal/domain"
)

// reportVisuals are the report's charts and map as accessible SVG. Empty
// until the chart and map packages are wired in: the page then shows a
// marked placeholder beside each data table.
type reportVisuals struct {
	Budget, Vouchers, Applications, Coverage, Map template.HTML
}

// reportCharts draws the report's charts and map.
// TODO(lead): render with internal/chart (Line budget, Bar vouchers, Bar
// applications, StackedBar coverage) and internal/geo (municipalities by
// coverage, linking to /kommunen/{ags}) once they are on main.
func reportCharts(r *domain.Report) reportVisuals { return reportVisuals{} }
