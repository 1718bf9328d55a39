package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// Table writes the chart's data as a KERN table: the title as caption,
// one row per label (a row header), one column per series. Every cell
// carries its column's name in data-label, which the page shows when it
// stacks the table on a phone.
func Table(s Spec) template.HTML {
	p := prepare(s)
	axis := s.Axis
	if axis == "" {
		axis = "Kategorie"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="kern-table-responsive"><table class="kern-table chart-table" id="%s-tabelle">`, p.id)
	fmt.Fprintf(&b, `<caption class="kern-title">%s</caption>`, esc(p.Title))
	fmt.Fprintf(&b, `<thead><tr class="kern-table__row"><th class="kern-table__header" scope="col">%s</th>`, esc(axis))
	names := make([]string, len(p.Series))
	for j, se := range p.Series {
		names[j] = se.Name
		if names[j] == "" {
			names[j] = "Wert"
		}
		fmt.Fprintf(&b, `<th class="kern-table__header kern-table__header--numeric" scope="col">%s</th>`, esc(names[j]))
	}
	b.WriteString(`</tr></thead><tbody class="kern-table__body">`)
	if p.empty {
		fmt.Fprintf(&b, `<tr class="kern-table__row"><td class="kern-table__cell" colspan="%d">Keine Daten vorhanden</td></tr>`, len(p.Series)+1)
	} else {
		for i, l := range p.Labels {
			fmt.Fprintf(&b, `<tr class="kern-table__row"><th class="kern-table__header" scope="row" data-label="%s">%s</th>`, esc(axis), esc(l))
			for j, se := range p.Series {
				text := "–"
				if v, ok := value(se, i); ok {
					text = p.format(v)
				}
				fmt.Fprintf(&b, `<td class="kern-table__cell kern-table__cell--numeric" data-label="%s">%s</td>`, esc(names[j]), esc(text))
			}
			b.WriteString(`</tr>`)
		}
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String())
}
