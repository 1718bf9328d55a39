package web

import (
	"github.com/lotse-oss/lotse/internal/domain"
)

// contingentChart is the geometry of the server-rendered SVG bar chart of a
// programme's contingent brackets for one kind of applicant, with the
// applicant's own bracket marked.
type contingentChart struct {
	Width, Height int
	Bars          []chartBar
	Title         string
}

type chartBar struct {
	X, Y, W, H int
	LabelX     int
	People     int
	Range      string
	Current    bool
}

func newContingentChart(p *domain.Programme, c *domain.Contingent) contingentChart {
	var rules []domain.ContingentRule
	maxPeople := 1
	for _, r := range p.Contingent {
		if r.ApplicantKind == c.ApplicantKind {
			rules = append(rules, r)
			maxPeople = max(maxPeople, r.People, r.MaxPeople, r.PeopleFor(c.Population))
		}
	}
	const barW, gap, top, chartH = 120, 30, 30, 160
	ch := contingentChart{Width: len(rules)*(barW+gap) + gap, Height: top + chartH + 60}
	for i, r := range rules {
		h := chartH * r.People / maxPeople
		x := gap + i*(barW+gap)
		rng := formatInt(r.MinPopulation) + " bis " + formatInt(r.MaxPopulation)
		if r.MaxPopulation == 0 {
			rng = "ab " + formatInt(r.MinPopulation)
		}
		current := c.Population >= r.MinPopulation && (r.MaxPopulation == 0 || c.Population <= r.MaxPopulation)
		people := r.People
		if current {
			people = r.PeopleFor(c.Population) // a per-capita rule: what this applicant gets
			h = chartH * min(people, maxPeople) / maxPeople
		}
		ch.Bars = append(ch.Bars, chartBar{X: x, Y: top + chartH - h, W: barW, H: h, LabelX: x + barW/2, People: people, Range: rng,
			Current: current})
	}
	return ch
}
