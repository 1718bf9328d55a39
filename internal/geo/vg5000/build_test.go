package vg5000

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/geo"
)

// sourceDir finds ../shared/data/vg5000 above the test's folder; tests
// that need the original files skip without it.
func sourceDir(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "data", "vg5000")
		if _, err := os.Stat(filepath.Join(p, "VG5000_GEM.shp")); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no shared/data/vg5000 above this folder")
		}
		dir = parent
	}
}

func TestBuildBadenWuerttembergMatchesTheEmbeddedFile(t *testing.T) {
	src := sourceDir(t)
	f, err := Build(src, "08", Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := geo.Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	built, err := geo.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(built.Districts) != 44 || len(built.Municipalities) != 1103 {
		t.Errorf("%d districts, %d municipalities; want 44 and 1103", len(built.Districts), len(built.Municipalities))
	}
	s, ok := built.Lookup("08111000")
	if !ok || s.Name != "Stuttgart" {
		t.Fatalf("Stuttgart: %+v", s)
	}
	if d := geo.DistanceKm(s.Lat, s.Lon, 48.78, 9.18); d > 5 {
		t.Errorf("Stuttgart's centroid %.4f %.4f is %.1f km off", s.Lat, s.Lon, d)
	}
	// The committed file is what the script makes from the sources.
	embedded, err := geo.Load("08")
	if err != nil {
		t.Fatal(err)
	}
	if len(embedded.Municipalities) != len(built.Municipalities) || embedded.Width != built.Width || embedded.Height != built.Height {
		t.Fatalf("embedded data differs from a fresh build: run go run ./scripts/vg5000 -state 08")
	}
	for i, m := range built.Municipalities {
		if *embedded.Municipalities[i] != *m {
			t.Fatalf("embedded %s differs from a fresh build: run go run ./scripts/vg5000 -state 08", m.AGS)
		}
	}
	if len(raw) > 400_000 {
		t.Errorf("%d bytes compressed, want under 400 KB", len(raw))
	}
}

func TestBuildKeepsSharedBordersIdentical(t *testing.T) {
	src := sourceDir(t)
	// A tolerance far above the data's detail simplifies a lot; shared
	// borders must still be drawn with the same points on both sides, so
	// every grid edge of a municipality's outline appears in exactly one
	// other outline, or is part of the state's border.
	f, err := Build(src, "08", Options{Tolerance: 2000})
	if err != nil {
		t.Fatal(err)
	}
	edges := map[[4]int]int{}
	for _, r := range f.Regions {
		if len(r.AGS) != 8 {
			continue
		}
		for _, ring := range parsePath(t, r.Path) {
			for i := range ring {
				a, b := ring[i], ring[(i+1)%len(ring)]
				if a[0] > b[0] || a[0] == b[0] && a[1] > b[1] {
					a, b = b, a
				}
				edges[[4]int{a[0], a[1], b[0], b[1]}]++
			}
		}
	}
	shared, single := 0, 0
	for _, n := range edges {
		switch n {
		case 2:
			shared++
		case 1:
			single++
		default:
			t.Fatalf("an edge is used %d times", n)
		}
	}
	// Only the state's outline (and the shore of Lake Constance) is single.
	if single*4 > shared {
		t.Errorf("%d edges shared, %d not: neighbours were simplified apart", shared, single)
	}
}

// parsePath reads the "M x y l dx dy … z" paths that svgPath writes.
func parsePath(t *testing.T, d string) [][][2]int {
	t.Helper()
	var rings [][][2]int
	for _, part := range strings.Split(d, "z") {
		if part == "" {
			continue
		}
		part = strings.TrimPrefix(part, "M")
		part = strings.Replace(part, "l", " ", 1)
		part = strings.ReplaceAll(part, "-", " -")
		var nums []int
		for _, f := range strings.Fields(part) {
			var n int
			if err := json.Unmarshal([]byte(f), &n); err != nil {
				t.Fatalf("path %q: %v", d, err)
			}
			nums = append(nums, n)
		}
		ring := [][2]int{{nums[0], nums[1]}}
		for i := 2; i+1 < len(nums); i += 2 {
			last := ring[len(ring)-1]
			ring = append(ring, [2]int{last[0] + nums[i], last[1] + nums[i+1]})
		}
		rings = append(rings, ring)
	}
	return rings
}

func TestBuildAnyState(t *testing.T) {
	src := sourceDir(t)
	for _, c := range []struct {
		state                     string
		districts, municipalities int
	}{{"11", 1, 1}, {"04", 2, 2}} {
		f, err := Build(src, c.state, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var d, m int
		for _, r := range f.Regions {
			if len(r.AGS) == 5 {
				d++
			} else {
				m++
			}
		}
		if d != c.districts || m != c.municipalities {
			t.Errorf("state %s: %d districts, %d municipalities", c.state, d, m)
		}
	}
	if _, err := Build(src, "17", Options{}); err == nil {
		t.Error("no error for a state that does not exist")
	}
}

// TestTransformationAgreesWithTheGeoJSONLayer compares the southernmost
// point of every district after GKToWGS84 with the same point in BKG's
// own WGS84 layer of the districts.
func TestTransformationAgreesWithTheGeoJSONLayer(t *testing.T) {
	src := sourceDir(t)
	raw, err := os.ReadFile(filepath.Join(src, "Ebene_Kreise.geojson"))
	if err != nil {
		t.Skip(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ ARS string }
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	south := map[string][2]float64{}
	for _, f := range fc.Features {
		if !strings.HasPrefix(f.Properties.ARS, "08") {
			continue
		}
		var polys [][][][2]float64
		if f.Geometry.Type == "Polygon" {
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				t.Fatal(err)
			}
			polys = [][][][2]float64{p}
		} else if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
			t.Fatal(err)
		}
		best := [2]float64{0, 90}
		for _, p := range polys {
			for _, r := range p {
				for _, pt := range r {
					if pt[1] < best[1] {
						best = pt
					}
				}
			}
		}
		south[f.Properties.ARS[:5]] = best
	}
	feats, err := ReadLayer(filepath.Join(src, "VG5000_KRS"))
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	n := 0
	for _, f := range feats {
		want, ok := south[f.Attrs["AGS"]]
		if !ok {
			continue
		}
		lowest := Point{0, math.Inf(1)}
		for _, r := range f.Rings {
			for _, p := range r {
				if p.Y < lowest.Y {
					lowest = p
				}
			}
		}
		lat, lon := GKToWGS84(lowest.X, lowest.Y)
		d := geo.DistanceKm(lat, lon, want[1], want[0]) * 1000
		worst = math.Max(worst, d)
		n++
	}
	if n != 44 {
		t.Fatalf("compared %d districts, want 44", n)
	}
	if worst > 100 {
		t.Errorf("GKToWGS84 is up to %.0f m off BKG's own WGS84 layer", worst)
	}
	t.Logf("GKToWGS84 against BKG's WGS84 layer: at most %.1f m apart", worst)
}

func TestDouglasPeuckerKeepsCornersAndDropsNoise(t *testing.T) {
	line := []Point{{0, 0}, {100, 10}, {200, -10}, {300, 0}, {300, 300}, {0, 300}}
	got := douglasPeucker(line, 50)
	want := []Point{{0, 0}, {300, 0}, {300, 300}, {0, 300}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestReadLayerRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "x")
	os.WriteFile(base+".shp", []byte("not a shapefile at all, not even close to a hundred bytes long"), 0o644)
	os.WriteFile(base+".dbf", []byte{}, 0o644)
	if _, err := ReadLayer(base); err == nil {
		t.Error("no error for a broken shapefile")
	}
	if _, err := ReadLayer(filepath.Join(dir, "missing")); err == nil {
		t.Error("no error for a missing shapefile")
	}
}
