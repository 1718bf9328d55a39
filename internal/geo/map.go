package geo

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Category is one class of the legend. Fill is a CSS colour (#rrggbb);
// choose one with a contrast of at least 3:1 against white. Pattern
// ("hatch", "dots", "cross" or "") lays white marks over the fill so that
// categories differ without colour too.
type Category struct {
	Key, Label string
	Fill       string
	Pattern    string
}

// Area is what the caller knows about one district or municipality.
type Area struct {
	AGS      string
	Category string // a Category.Key
	Href     string // the area's page; "" for no link
	Label    string // accessible name and tooltip: "Gemeinde Kleinbach: 2 Plätze bewilligt"
}

// MapSpec describes one map. Level is "districts" or "municipalities"
// (the default). Areas of the level that the spec does not name fall into
// a neutral "keine Angabe" category. Attribution adds the BKG source line
// the licence requires beside the map; leave it off only where the page
// shows it next to the map itself.
type MapSpec struct {
	ID, Title, Desc string
	Level           string
	// Within, a district's AGS (5 digits), zooms to that district: only
	// its municipalities (or itself) are drawn; spec areas elsewhere are
	// left out. "" draws the whole state.
	Within      string
	Categories  []Category
	Areas       []Area
	Attribution bool
}

// Levels.
const (
	LevelDistricts      = "districts"
	LevelMunicipalities = "municipalities"
)

// NeutralFill is the fill of areas without data ("keine Angabe").
const NeutralFill = "#e6e6e6"

var (
	safeID     = regexp.MustCompile(`[^A-Za-z0-9_-]`)
	safeColour = regexp.MustCompile(`^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,20})$`)
)

// safeHref lets through links within the site and http(s) links only.
func safeHref(h string) string {
	if strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//") || strings.HasPrefix(h, "#") ||
		strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "http://") {
		return h
	}
	return ""
}

// areaSet is one area with a shape, ready to draw.
type areaSet struct {
	region *Region
	area   Area
	cat    int // index into the drawn categories; the last is "keine Angabe"
}

// Unmapped returns the spec's areas of the map's level that have no shape
// in the atlas (municipalities merged after 2021, or an unknown AGS).
func (a *Atlas) Unmapped(s MapSpec) []Area {
	_, missing := a.join(s)
	return missing
}

func (a *Atlas) level(s MapSpec) ([]*Region, int, string, string) {
	if s.Level == LevelDistricts {
		return within(a.Districts, s.Within), 5, "Kreis", "Kreise"
	}
	return within(a.Municipalities, s.Within), 8, "Gemeinde", "Gemeinden"
}

// within keeps the regions whose AGS begins with the prefix.
func within(rs []*Region, prefix string) []*Region {
	if prefix == "" {
		return rs
	}
	var out []*Region
	for _, r := range rs {
		if strings.HasPrefix(r.AGS, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// view is the viewBox around the regions, with a margin.
func (a *Atlas) view(rs []*Region, zoom bool) (x, y, w, h int) {
	if len(rs) == 0 || !zoom {
		return 0, 0, a.Width, a.Height
	}
	b := rs[0].box
	for _, r := range rs[1:] {
		b[0], b[1] = min(b[0], r.box[0]), min(b[1], r.box[1])
		b[2], b[3] = max(b[2], r.box[2]), max(b[3], r.box[3])
	}
	m := max(3, (b[2]-b[0])/50)
	return b[0] - m, b[1] - m, b[2] - b[0] + 2*m, b[3] - b[1] + 2*m
}

// join pairs every region of the level with the spec's area for it.
func (a *Atlas) join(s MapSpec) ([]areaSet, []Area) {
	regions, agsLen, _, _ := a.level(s)
	catIndex := map[string]int{}
	for i, c := range s.Categories {
		if _, dup := catIndex[c.Key]; !dup {
			catIndex[c.Key] = i
		}
	}
	neutral := len(s.Categories)
	given := map[string]Area{}
	var missing []Area
	for _, ar := range s.Areas {
		if _, dup := given[ar.AGS]; dup {
			continue
		}
		if !strings.HasPrefix(ar.AGS, s.Within) {
			continue // outside the zoomed district
		}
		r, ok := a.byAGS[ar.AGS]
		if !ok || len(r.AGS) != agsLen {
			missing = append(missing, ar)
			continue
		}
		given[ar.AGS] = ar
	}
	out := make([]areaSet, 0, len(regions))
	for _, r := range regions {
		ar, ok := given[r.AGS]
		ci, known := catIndex[ar.Category]
		if !ok || !known {
			ci = neutral
		}
		if !ok {
			ar = Area{AGS: r.AGS}
		}
		if ar.Label == "" {
			ar.Label = r.Kind + " " + r.Name
			if ci == neutral {
				ar.Label += ": keine Angabe"
			}
		}
		out = append(out, areaSet{region: r, area: ar, cat: ci})
	}
	return out, missing
}

// Map draws the spec as an SVG map in a figure with its legend (counts per
// category), the areas without a shape and the BKG attribution. The SVG
// scales to its container (viewBox, no fixed size). Areas with a link are
// focusable <a> elements named by their Label; the SVG is a labelled
// group, not an image, so that assistive technology reaches the links.
func (a *Atlas) Map(s MapSpec) template.HTML {
	id := safeID.ReplaceAllString(s.ID, "-")
	if id == "" {
		id = "karte"
	}
	cats := append([]Category(nil), s.Categories...)
	cats = append(cats, Category{Key: "", Label: "keine Angabe", Fill: NeutralFill})
	for i := range cats {
		if !safeColour.MatchString(cats[i].Fill) {
			cats[i].Fill = NeutralFill
		}
	}
	sets, missing := a.join(s)
	counts := make([]int, len(cats))
	for _, as := range sets {
		counts[as.cat]++
	}
	regions, _, one, many := a.level(s)
	vx, vy, vw, vh := a.view(regions, s.Within != "")
	// Pattern cells scale with the view, so a zoomed map keeps fine marks.
	cell := max(4, vw/60)

	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="geo-map" id="%s">`, id)
	fmt.Fprintf(&b, `<svg class="geo-map__svg" role="group" aria-labelledby="%[1]s-title" aria-describedby="%[1]s-desc" viewBox="%d %d %d %d" width="100%%" preserveAspectRatio="xMidYMid meet">`,
		id, vx, vy, vw, vh)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, id, esc(s.Title))
	var desc strings.Builder
	desc.WriteString(strings.TrimSpace(s.Desc))
	if desc.Len() > 0 && !strings.HasSuffix(desc.String(), ".") {
		desc.WriteString(".")
	}
	var legend []string
	for i, c := range cats {
		if counts[i] > 0 || i < len(s.Categories) {
			legend = append(legend, c.Label+": "+domain.Plural(counts[i], one, many))
		}
	}
	if desc.Len() > 0 {
		desc.WriteString(" ")
	}
	desc.WriteString("Legende: " + strings.Join(legend, "; ") + ".")
	fmt.Fprintf(&b, `<desc id="%s-desc">%s</desc>`, id, esc(desc.String()))

	// Fills: a plain colour, or a pattern over the colour.
	fills := make([]string, len(cats))
	b.WriteString("<defs>")
	for i, c := range cats {
		fills[i] = c.Fill
		if p := patternBody(c.Pattern, cell); p != "" {
			pid := fmt.Sprintf("%s-muster-%d", id, i)
			fmt.Fprintf(&b, `<pattern id="%[1]s" patternUnits="userSpaceOnUse" width="%[2]d" height="%[2]d" patternTransform="rotate(45)"><rect width="%[2]d" height="%[2]d" fill="%[3]s"/>%[4]s</pattern>`, pid, cell, c.Fill, p)
			fills[i] = "url(#" + pid + ")"
		}
	}
	b.WriteString("</defs>")

	b.WriteString(`<g class="geo-map__areas" fill-rule="evenodd" stroke="#ffffff" stroke-width="1" stroke-linejoin="round">`)
	for _, as := range sets {
		label := esc(as.area.Label)
		if href := safeHref(as.area.Href); href != "" {
			fmt.Fprintf(&b, `<a class="geo-area" href="%s" aria-label="%s"><title>%s</title><path d="%s" fill="%s" vector-effect="non-scaling-stroke"/></a>`,
				esc(href), label, label, as.region.Path, fills[as.cat])
		} else {
			fmt.Fprintf(&b, `<path class="geo-area" d="%s" fill="%s" vector-effect="non-scaling-stroke"><title>%s</title></path>`,
				as.region.Path, fills[as.cat], label)
		}
	}
	b.WriteString(`</g>`)
	// District borders on top of the municipalities, and the state's outline
	// on top of districts.
	b.WriteString(`<g class="geo-map__borders" aria-hidden="true" fill="none" stroke="#1b1b1b" stroke-width="1.5" stroke-linejoin="round" pointer-events="none">`)
	for _, d := range within(a.Districts, s.Within) {
		fmt.Fprintf(&b, `<path d="%s" vector-effect="non-scaling-stroke"/>`, d.Path)
	}
	b.WriteString(`</g></svg>`)

	b.WriteString(`<figcaption class="geo-map__caption">`)
	b.WriteString(`<ul class="geo-legend">`)
	for i, c := range cats {
		if counts[i] == 0 && i == len(s.Categories) {
			continue
		}
		fmt.Fprintf(&b, `<li><svg class="geo-swatch" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">`)
		if p := patternBody(c.Pattern, 8); p != "" {
			fmt.Fprintf(&b, `<defs><pattern id="%[1]s-zeichen-%[2]d" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="%[3]s"/>%[4]s</pattern></defs><rect width="24" height="24" fill="url(#%[1]s-zeichen-%[2]d)" stroke="#1b1b1b"/>`,
				id, i, c.Fill, p)
		} else {
			fmt.Fprintf(&b, `<rect width="24" height="24" fill="%s" stroke="#1b1b1b"/>`, c.Fill)
		}
		fmt.Fprintf(&b, `</svg> %s: %s</li>`, esc(c.Label), esc(domain.Plural(counts[i], one, many)))
	}
	b.WriteString(`</ul>`)
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = m.Label
			if names[i] == "" {
				names[i] = "AGS " + m.AGS
			}
		}
		fmt.Fprintf(&b, `<p class="geo-map__note">Ohne Umriss auf der Karte (nach 2021 neu gebildet oder unbekannt): %s.</p>`, esc(strings.Join(names, "; ")))
	}
	if s.Attribution {
		fmt.Fprintf(&b, `<p class="geo-map__source">Kartengrundlage: <a href="%s">%s</a></p>`, AttributionURL, esc(Attribution))
	}
	b.WriteString(`</figcaption></figure>`)
	return template.HTML(b.String())
}

// patternBody is the white marks of a pattern in a cell of the given size.
func patternBody(kind string, size int) string {
	switch kind {
	case "hatch":
		return fmt.Sprintf(`<rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/>`, size/3, size)
	case "cross":
		return fmt.Sprintf(`<rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/><rect width="%d" height="%d" fill="#ffffff" fill-opacity=".6"/>`, size/4, size, size, size/4)
	case "dots":
		return fmt.Sprintf(`<circle cx="%d" cy="%d" r="%d" fill="#ffffff" fill-opacity=".7"/>`, size/2, size/2, size/5)
	}
	return ""
}
