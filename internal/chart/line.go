package chart

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
)

// Line draws one line per series over the labels, e.g. a budget's
// balances by month. Series differ by colour, dash style and marker, and
// each line is named at its end. A missing value breaks the line.
func Line(s Spec) template.HTML {
	p := prepare(s)
	if p.empty {
		return p.emptyChart()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, se := range p.Series {
		for i := range p.Labels {
			if v, ok := value(se, i); ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	// Names at the line ends need room on the right when there are several.
	right := 12.0
	if len(p.Series) > 1 {
		longest := 0
		for _, se := range p.Series {
			longest = max(longest, runes(truncate(se.Name, 16)))
		}
		right = float64(longest)*charW + 16
	}
	f := p.layout(lo, hi, right)
	n := len(p.Labels)
	band := (f.x1 - f.x0) / float64(n)
	x := func(i int) float64 { return f.x0 + band*(float64(i)+0.5) }
	markers := n <= 24

	var b strings.Builder
	p.open(&b, f.h, p.description())
	p.grid(&b, f)
	type end struct {
		y    float64
		name string
		i    int
	}
	var ends []end
	for j, se := range p.Series {
		var d strings.Builder
		pen := false
		last := -1
		for i := range p.Labels {
			v, ok := value(se, i)
			if !ok {
				pen = false
				continue
			}
			if pen {
				d.WriteString("L")
			} else {
				d.WriteString("M")
			}
			d.WriteString(num(x(i)) + " " + num(f.y(v)))
			pen = true
			last = i
		}
		fmt.Fprintf(&b, `<g class="ch-series"><path class="ch-line" d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round" stroke-dasharray="%s"/>`,
			d.String(), colour(j), dashes[j%len(dashes)])
		for i, l := range p.Labels {
			v, ok := value(se, i)
			if !ok {
				continue
			}
			// A lone point (its neighbours missing) needs a marker to be seen.
			alone := (i == 0 || !has(se, i-1)) && (i == n-1 || !has(se, i+1))
			if markers || alone {
				m := marker(j, x(i), f.y(v), 3.5)
				name := l
				if se.Name != "" {
					name += ", " + se.Name
				}
				fmt.Fprintf(&b, `<g class="ch-point">%s<title>%s: %s</title></g>`, m, esc(name), esc(p.format(v)))
			}
		}
		b.WriteString(`</g>`)
		if last >= 0 && len(p.Series) > 1 {
			ends = append(ends, end{f.y(se.Values[last]), se.Name, j})
		}
	}
	// Direct labels at the right, pushed apart so they do not overlap.
	sort.Slice(ends, func(a, b int) bool { return ends[a].y < ends[b].y })
	for k := 1; k < len(ends); k++ {
		ends[k].y = math.Max(ends[k].y, ends[k-1].y+fontSize+2)
	}
	for _, e := range ends {
		fmt.Fprintf(&b, `<text x="%s" y="%s" fill="%s" font-weight="600">%s</text>`, num(f.x1+6), num(e.y+4), colour(e.i), esc(truncate(e.name, 16)))
	}
	p.xLabels(&b, f, x)
	b.WriteString(`</svg>`)
	p.legend(&b, true)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

func has(se Series, i int) bool { _, ok := value(se, i); return ok }
