package chart_test

import (
	"fmt"
	"strings"

	"github.com/lotse-oss/lotse/internal/chart"
)

// A chart and its table from one spec; money in cents.
func ExampleLine() {
	spec := chart.Spec{
		ID:     "budget",
		Title:  "Freies Budget",
		Desc:   "Freies Budget des Programms am Monatsende",
		Axis:   "Monat",
		Labels: []string{"Jan 2026", "Feb 2026", "Mär 2026"},
		Series: []chart.Series{{Name: "Frei", Values: []float64{100_000_00, 62_500_50, -1_200_00}}},
		Format: chart.Cents,
	}
	svg, table := chart.Line(spec), chart.Table(spec)
	fmt.Println(strings.Contains(string(svg), `role="img"`))
	fmt.Println(strings.Contains(string(table), `data-label="Frei">-1.200,00 €</td>`))
	// Output:
	// true
	// true
}
