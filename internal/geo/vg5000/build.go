package vg5000

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/geo"
)

// Options steer the simplification.
type Options struct {
	// Unit is the metres per path unit (default 100): coordinates are
	// rounded to this grid.
	Unit float64
	// Tolerance is the Douglas-Peucker tolerance in metres (default 150).
	Tolerance float64
}

// Build reads VG5000_KRS and VG5000_GEM from dir and returns the districts
// and municipalities of one state (two-digit key, "08"), simplified.
//
// Neighbours keep one common border: every ring is cut at the vertices
// where the set of areas sharing it changes, and each such arc is
// simplified once in a canonical direction, so a border shared by two
// municipalities (and by the district outline above them) is drawn with
// the same points on both sides: no slivers, no gaps.
func Build(dir, state string, opt Options) (*geo.File, error) {
	if len(state) != 2 {
		return nil, fmt.Errorf("state %q: want a two-digit key such as 08", state)
	}
	if opt.Unit <= 0 {
		opt.Unit = 100
	}
	if opt.Tolerance <= 0 {
		opt.Tolerance = 150
	}
	var regions []*region
	for _, layer := range []struct {
		file   string
		agsLen int
	}{{"VG5000_KRS", 5}, {"VG5000_GEM", 8}} {
		feats, err := ReadLayer(filepath.Join(dir, layer.file))
		if err != nil {
			return nil, err
		}
		byAGS := map[string]*region{}
		for _, f := range feats {
			ags := f.Attrs["AGS"]
			if !strings.HasPrefix(ags, state) || len(rings(f)) == 0 {
				continue
			}
			if len(ags) != layer.agsLen {
				return nil, fmt.Errorf("%s: AGS %q has %d digits, want %d", layer.file, ags, len(ags), layer.agsLen)
			}
			r := byAGS[ags]
			if r == nil {
				r = &region{ags: ags, name: f.Attrs["GEN"], kind: f.Attrs["BEZ"]}
				byAGS[ags] = r
				regions = append(regions, r)
			}
			r.rings = append(r.rings, rings(f)...)
		}
	}
	if len(regions) == 0 {
		return nil, fmt.Errorf("no areas with AGS %s… in %s", state, dir)
	}

	// The grid: origin at the north-west corner with a margin.
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, r := range regions {
		for _, ring := range r.rings {
			for _, p := range ring {
				minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
				minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
			}
		}
	}
	const margin = 5
	u := opt.Unit
	ox := (math.Floor(minX/u) - margin) * u
	oy := (math.Ceil(maxY/u) + margin) * u
	f := &geo.File{
		State:   state,
		Source:  geo.Attribution + ", VG5000 Stand 01.01.2021, vereinfacht von scripts/vg5000",
		Unit:    u,
		OriginX: ox,
		OriginY: oy,
		Width:   int(math.Ceil((maxX-ox)/u)) + margin,
		Height:  int(math.Ceil((oy-minY)/u)) + margin,
	}
	grid := func(p Point) [2]int {
		return [2]int{int(math.Round((p.X - ox) / u)), int(math.Round((oy - p.Y) / u))}
	}

	nodes := findNodes(regions)
	simplified := map[arcKey][]Point{}
	for _, r := range regions {
		x, y := centroid(r.rings)
		lat, lon := GKToWGS84(x, y)
		var paths [][][2]int
		for _, ring := range r.rings {
			g := gridRing(simplifyRing(ring, nodes, opt.Tolerance, simplified), grid)
			if len(g) >= 3 {
				paths = append(paths, g)
			}
		}
		if len(paths) == 0 {
			// Too small for the grid after simplification: keep its
			// largest ring as it is.
			big := slices.MaxFunc(r.rings, func(a, b Ring) int { return cmp.Compare(math.Abs(area(a)), math.Abs(area(b))) })
			if g := gridRing(big, grid); len(g) >= 3 {
				paths = append(paths, g)
			} else {
				return nil, fmt.Errorf("%s %s is smaller than the grid of %g m", r.ags, r.name, u)
			}
		}
		f.Regions = append(f.Regions, geo.Region{
			AGS: r.ags, Name: r.name, Kind: r.kind, Path: svgPath(paths),
			X: math.Round(x), Y: math.Round(y),
			Lat: math.Round(lat*1e5) / 1e5, Lon: math.Round(lon*1e5) / 1e5,
		})
	}
	return f, nil
}

type region struct {
	ags, name, kind string
	rings           []Ring
}

// rings drops degenerate rings and closes open ones.
func rings(f Feature) []Ring {
	var out []Ring
	for _, r := range f.Rings {
		if len(r) < 3 {
			continue
		}
		if r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		if len(r) >= 4 {
			out = append(out, r)
		}
	}
	return out
}

// area is the signed shoelace area of a closed ring.
func area(r Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i].X*r[i+1].Y - r[i+1].X*r[i].Y
	}
	return s / 2
}

// centroid is the area-weighted centroid of all rings; holes, which run
// the other way round, subtract. Coordinates are taken relative to the
// first point to keep the products small.
func centroid(rs []Ring) (x, y float64) {
	o := rs[0][0]
	var a, cx, cy float64
	for _, r := range rs {
		for i := 0; i+1 < len(r); i++ {
			x0, y0 := r[i].X-o.X, r[i].Y-o.Y
			x1, y1 := r[i+1].X-o.X, r[i+1].Y-o.Y
			c := x0*y1 - x1*y0
			a += c
			cx += (x0 + x1) * c
			cy += (y0 + y1) * c
		}
	}
	if a == 0 {
		return o.X, o.Y
	}
	return o.X + cx/(3*a), o.Y + cy/(3*a)
}

// findNodes marks the vertices where the set of areas that share a vertex
// changes along a ring: the ends of common borders.
func findNodes(regions []*region) map[Point]bool {
	owners := map[Point][]int{}
	for i, r := range regions {
		for _, ring := range r.rings {
			for _, p := range ring[:len(ring)-1] {
				if o := owners[p]; len(o) == 0 || o[len(o)-1] != i {
					owners[p] = append(o, i)
				}
			}
		}
	}
	nodes := map[Point]bool{}
	for _, r := range regions {
		for _, ring := range r.rings {
			n := len(ring) - 1
			for i := range n {
				prev, next := ring[(i+n-1)%n], ring[(i+1)%n]
				if !slices.Equal(owners[ring[i]], owners[prev]) || !slices.Equal(owners[ring[i]], owners[next]) {
					nodes[ring[i]] = true
				}
			}
		}
	}
	return nodes
}

type arcKey struct {
	a, b, second Point
	n            int
}

// simplifyRing cuts a closed ring at its nodes and simplifies each arc in
// a direction that does not depend on the ring it belongs to. A ring
// without nodes (an island, or an enclave shared whole with its
// neighbour) is cut at its smallest point and the point farthest from it.
func simplifyRing(ring Ring, nodes map[Point]bool, tol float64, done map[arcKey][]Point) Ring {
	pts := ring[:len(ring)-1]
	var cuts []int
	for i, p := range pts {
		if nodes[p] {
			cuts = append(cuts, i)
		}
	}
	if len(cuts) < 2 {
		lo := 0
		for i, p := range pts {
			if less(p, pts[lo]) {
				lo = i
			}
		}
		far := lo
		for i, p := range pts {
			if dist2(p, pts[lo]) > dist2(pts[far], pts[lo]) {
				far = i
			}
		}
		cuts = []int{lo, far}
		if lo == far {
			return ring
		}
		slices.Sort(cuts)
	}
	var out Ring
	for k, c := range cuts {
		end := cuts[(k+1)%len(cuts)]
		var arc []Point
		for i := c; ; i = (i + 1) % len(pts) {
			arc = append(arc, pts[i])
			if i == end && len(arc) > 1 {
				break
			}
		}
		s := simplifyArc(arc, tol, done)
		out = append(out, s[:len(s)-1]...)
	}
	return append(out, out[0])
}

func simplifyArc(arc []Point, tol float64, done map[arcKey][]Point) []Point {
	rev := less(arc[len(arc)-1], arc[0]) ||
		(arc[len(arc)-1] == arc[0] && len(arc) > 2 && less(arc[len(arc)-2], arc[1]))
	canon := arc
	if rev {
		canon = slices.Clone(arc)
		slices.Reverse(canon)
	}
	key := arcKey{a: canon[0], b: canon[len(canon)-1], n: len(canon)}
	if len(canon) > 2 {
		key.second = canon[1]
	}
	s, ok := done[key]
	if !ok {
		s = douglasPeucker(canon, tol)
		done[key] = s
	}
	if rev {
		s = slices.Clone(s)
		slices.Reverse(s)
	}
	return s
}

func less(a, b Point) bool { return a.X < b.X || (a.X == b.X && a.Y < b.Y) }

func dist2(a, b Point) float64 { return (a.X-b.X)*(a.X-b.X) + (a.Y-b.Y)*(a.Y-b.Y) }

// douglasPeucker keeps the end points and every point farther than tol
// from the chord of its section.
func douglasPeucker(pts []Point, tol float64) []Point {
	if len(pts) <= 2 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		if j <= i+1 {
			return
		}
		best, bestD := -1, tol
		for k := i + 1; k < j; k++ {
			if d := segDist(pts[k], pts[i], pts[j]); d > bestD {
				best, bestD = k, d
			}
		}
		if best < 0 {
			return
		}
		keep[best] = true
		rec(i, best)
		rec(best, j)
	}
	rec(0, len(pts)-1)
	out := make([]Point, 0, len(pts)/4+2)
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance from p to the segment a–b.
func segDist(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Sqrt(dist2(p, a))
	}
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return math.Sqrt(dist2(p, Point{a.X + t*dx, a.Y + t*dy}))
}

// gridRing rounds a ring to the grid, drops repeated points and returns
// the open ring (nil when fewer than three points remain).
func gridRing(r Ring, grid func(Point) [2]int) [][2]int {
	var out [][2]int
	for _, p := range r[:len(r)-1] {
		g := grid(p)
		if len(out) == 0 || out[len(out)-1] != g {
			out = append(out, g)
		}
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil
	}
	return out
}

// svgPath writes rings as "M x y l dx dy … z": relative steps are short.
func svgPath(rings [][][2]int) string {
	var b strings.Builder
	for _, r := range rings {
		b.WriteByte('M')
		b.WriteString(strconv.Itoa(r[0][0]))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(r[0][1]))
		b.WriteByte('l')
		for i := 1; i < len(r); i++ {
			dx, dy := r[i][0]-r[i-1][0], r[i][1]-r[i-1][1]
			if i > 1 && dx >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(dx))
			if dy >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(dy))
		}
		b.WriteByte('z')
	}
	return b.String()
}
