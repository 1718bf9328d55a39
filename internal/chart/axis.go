package chart

import (
	"fmt"
	"math"
	"strings"
)

// frame is the plot area of a chart in viewBox units and its value range.
type frame struct {
	x0, x1, y0, y1 float64 // left, right, top, bottom of the plot area
	lo, hi         float64
	ticks          []float64
	h              float64 // height of the whole chart
	labels         labelMode
}

type labelMode struct {
	rotate bool
	step   int // show every step-th label
	maxLen int // characters before truncation
}

func (f frame) y(v float64) float64 {
	return f.y1 - (v-f.lo)/(f.hi-f.lo)*(f.y1-f.y0)
}

// niceTicks returns round tick values that cover lo..hi and zero.
func niceTicks(lo, hi float64, whole bool) []float64 {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if hi-lo == 0 {
		hi = 1
	}
	raw := (hi - lo) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	if whole && step < 1 {
		step = 1
	}
	var ticks []float64
	for t := math.Floor(lo/step) * step; t <= math.Ceil(hi/step)*step+step/2; t += step {
		ticks = append(ticks, math.Round(t/step)*step)
	}
	return ticks
}

// layout places the plot area for the given value range, labels and the
// room the caller needs on the right.
func (p prepared) layout(lo, hi float64, right float64) frame {
	ticks := niceTicks(lo, hi, p.Format == nil)
	f := frame{lo: ticks[0], hi: ticks[len(ticks)-1], ticks: ticks, y0: 12}
	widest := 0
	for _, t := range ticks {
		widest = max(widest, runes(p.format(t)))
	}
	f.x0 = float64(widest)*charW + 14
	f.x1 = width - right
	n := len(p.Labels)
	longest := 0
	for _, l := range p.Labels {
		longest = max(longest, runes(l))
	}
	f.labels = labelMode{step: 1, maxLen: 20}
	longest = min(longest, f.labels.maxLen)
	band := (f.x1 - f.x0) / float64(max(n, 1))
	labelW := float64(longest)*charW + 8
	bottom := 24.0
	switch {
	case labelW <= band:
	case n <= 20:
		// Rotated, all shown: each needs only a line's height across.
		f.labels.rotate = true
		ext := float64(longest) * charW * 0.72
		bottom = ext + 30
		// The first label reaches left of its bar: make room for it.
		if need := ext - band/2; need > f.x0 {
			f.x0 = need
		}
	default:
		// Thin to a round step: every 2nd, 3rd, 6th, 12th (a year of months) …
		need := int(math.Ceil(labelW / band))
		f.labels.step = need
		for _, s := range []int{2, 3, 4, 5, 6, 10, 12, 20, 24, 50, 100} {
			if s >= need {
				f.labels.step = s
				break
			}
		}
	}
	// The plot keeps its height; rotated labels make the chart taller.
	f.y1 = height - 24
	f.h = f.y1 + bottom
	return f
}

// grid writes the value axis: grid lines, tick labels and the zero line.
func (p prepared) grid(b *strings.Builder, f frame) {
	b.WriteString(`<g class="ch-grid" aria-hidden="true">`)
	for _, t := range f.ticks {
		y := f.y(t)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#d0d0d0"/>`, num(f.x0), num(y), num(f.x1), num(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end">%s</text>`, num(f.x0-6), num(y+4), esc(p.format(t)))
	}
	fmt.Fprintf(b, `<line class="ch-zero" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b"/>`, num(f.x0), num(f.y(0)), num(f.x1), num(f.y(0)))
	b.WriteString(`</g>`)
}

// xLabels writes the category labels under the plot at the given centres.
func (p prepared) xLabels(b *strings.Builder, f frame, centre func(i int) float64) {
	b.WriteString(`<g class="ch-labels">`)
	for i, l := range p.Labels {
		if i%f.labels.step != 0 {
			continue
		}
		x, y := centre(i), f.y1+18
		l = truncate(l, f.labels.maxLen)
		if f.labels.rotate {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" transform="rotate(-45 %s %s)">%s</text>`, num(x+4), num(y-4), num(x+4), num(y-4), esc(l))
		} else {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, num(x), num(y), esc(l))
		}
		if f.labels.step > 1 {
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b"/>`, num(x), num(f.y1), num(x), num(f.y1+4))
		}
	}
	b.WriteString(`</g>`)
}
