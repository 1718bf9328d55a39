package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Bar draws grouped vertical bars: one group per label, one bar per
// series (a single series gives simple bars). Negative values hang below
// the zero line. Few bars carry their value above them.
func Bar(s Spec) template.HTML {
	p := prepare(s)
	if p.empty {
		return p.emptyChart()
	}
	lo, hi := 0.0, 0.0
	for _, se := range p.Series {
		for i := range p.Labels {
			if v, ok := value(se, i); ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	f := p.layout(lo, hi, 8)
	// Room for the value labels above the highest and below the lowest bar.
	f.y0 += 8
	n, k := len(p.Labels), len(p.Series)
	band := (f.x1 - f.x0) / float64(n)
	group := math.Min(band*0.8, 72*float64(k))
	barW := group / float64(k)
	widest := 0
	for _, se := range p.Series {
		for i := range p.Labels {
			if v, ok := value(se, i); ok {
				widest = max(widest, runes(p.format(v)))
			}
		}
	}
	showValues := float64(widest)*charW <= barW+4 && n*k <= 24

	var b strings.Builder
	p.open(&b, f.h, p.description())
	for i := range p.Series {
		b.WriteString(patternDef(fmt.Sprintf("%s-muster-%d", p.id, i), i, 12))
	}
	p.grid(&b, f)
	b.WriteString(`<g class="ch-bars" stroke="#ffffff" stroke-width="1">`)
	for i, l := range p.Labels {
		gx := f.x0 + band*float64(i) + (band-group)/2
		for j, se := range p.Series {
			v, ok := value(se, i)
			if !ok {
				continue
			}
			x := gx + barW*float64(j)
			top, bottom := f.y(math.Max(v, 0)), f.y(math.Min(v, 0))
			name := l
			if se.Name != "" {
				name += ", " + se.Name
			}
			fmt.Fprintf(&b, `<rect class="ch-bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
				num(x), num(top), num(barW), num(bottom-top), fill(p.id+"-muster", j), esc(name), esc(p.format(v)))
			if showValues {
				y := top - 4
				if v < 0 {
					y = bottom + fontSize
				}
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" stroke="none">%s</text>`, num(x+barW/2), num(y), esc(p.format(v)))
			}
		}
	}
	b.WriteString(`</g>`)
	p.xLabels(&b, f, func(i int) float64 { return f.x0 + band*(float64(i)+0.5) })
	b.WriteString(`</svg>`)
	p.legend(&b, false)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// StackedBar draws one vertical bar per label with the series stacked on
// each other: positive values upwards from zero, negative ones downwards.
// With few bars the total stands above each.
func StackedBar(s Spec) template.HTML {
	p := prepare(s)
	if p.empty {
		return p.emptyChart()
	}
	n := len(p.Labels)
	pos, neg := make([]float64, n), make([]float64, n)
	for _, se := range p.Series {
		for i := range n {
			if v, ok := value(se, i); ok {
				if v >= 0 {
					pos[i] += v
				} else {
					neg[i] += v
				}
			}
		}
	}
	lo, hi := 0.0, 0.0
	for i := range n {
		lo, hi = math.Min(lo, neg[i]), math.Max(hi, pos[i])
	}
	f := p.layout(lo, hi, 8)
	f.y0 += 8
	band := (f.x1 - f.x0) / float64(n)
	barW := math.Min(band*0.7, 72)
	widest := 0
	for i := range n {
		widest = max(widest, runes(p.format(pos[i]+neg[i])))
	}
	showTotals := float64(widest)*charW <= band && n <= 24

	var b strings.Builder
	p.open(&b, f.h, p.description())
	for i := range p.Series {
		b.WriteString(patternDef(fmt.Sprintf("%s-muster-%d", p.id, i), i, 12))
	}
	p.grid(&b, f)
	b.WriteString(`<g class="ch-bars" stroke="#ffffff" stroke-width="1">`)
	for i, l := range p.Labels {
		x := f.x0 + band*float64(i) + (band-barW)/2
		up, down := 0.0, 0.0
		for j, se := range p.Series {
			v, ok := value(se, i)
			if !ok || v == 0 {
				continue
			}
			var top, bottom float64
			if v > 0 {
				top, bottom = f.y(up+v), f.y(up)
				up += v
			} else {
				top, bottom = f.y(down), f.y(down+v)
				down += v
			}
			name := l
			if se.Name != "" {
				name += ", " + se.Name
			}
			fmt.Fprintf(&b, `<rect class="ch-bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
				num(x), num(top), num(barW), num(bottom-top), fill(p.id+"-muster", j), esc(name), esc(p.format(v)))
		}
		if showTotals {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" stroke="none">%s</text>`, num(x+barW/2), num(f.y(up)-4), esc(p.format(up+down)))
		}
	}
	b.WriteString(`</g>`)
	p.xLabels(&b, f, func(i int) float64 { return f.x0 + band*(float64(i)+0.5) })
	b.WriteString(`</svg>`)
	p.legend(&b, false)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}
