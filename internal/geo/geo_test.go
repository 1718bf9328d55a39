package geo

import (
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
)

func mustLoad(t *testing.T) *Atlas {
	t.Helper()
	a, err := Load("08")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestEmbeddedBadenWuerttembergHasEveryDistrictAndMunicipality(t *testing.T) {
	a := mustLoad(t)
	if len(a.Districts) != 44 {
		t.Errorf("districts: %d, want 44", len(a.Districts))
	}
	if n := len(a.Municipalities); n < 1090 || n > 1110 {
		t.Errorf("municipalities: %d, want about 1,100", n)
	}
	for _, r := range a.Districts {
		if len(r.AGS) != 5 || !strings.HasPrefix(r.AGS, "08") || r.Name == "" || r.Kind == "" || !strings.HasPrefix(r.Path, "M") {
			t.Errorf("district %+v incomplete", *r)
		}
	}
	for _, r := range a.Municipalities {
		if len(r.AGS) != 8 || !strings.HasPrefix(r.AGS, "08") || r.Name == "" || !strings.HasPrefix(r.Path, "M") {
			t.Errorf("municipality %s %q incomplete", r.AGS, r.Name)
		}
		// Every municipality lies in Baden-Württemberg (47.5–49.8 N, 7.5–10.5 E).
		if r.Lat < 47.5 || r.Lat > 49.8 || r.Lon < 7.5 || r.Lon > 10.5 {
			t.Errorf("%s %s: centroid %.3f, %.3f outside the state", r.AGS, r.Name, r.Lat, r.Lon)
		}
		if _, ok := a.Lookup(r.AGS[:5]); !ok {
			t.Errorf("%s %s: no district %s", r.AGS, r.Name, r.AGS[:5])
		}
	}
	s, ok := a.Lookup("08111000")
	if !ok || s.Name != "Stuttgart" || s.Kind != "Stadt" {
		t.Fatalf("Stuttgart: %+v, %v", s, ok)
	}
	if d, ok := a.Lookup("08111"); !ok || d.Name != "Stuttgart" || !d.District() {
		t.Errorf("district Stuttgart: %+v, %v", d, ok)
	}
	if _, ok := a.Lookup("08999999"); ok {
		t.Error("an unknown AGS was found")
	}
}

func TestCentroidsAreWhereThePlacesAre(t *testing.T) {
	a := mustLoad(t)
	lat, lon, ok := a.Centroid("08111000")
	if !ok {
		t.Fatal("no centroid for Stuttgart")
	}
	// Stuttgart's centre (Schlossplatz) is at 48.778 N, 9.180 E.
	if d := DistanceKm(lat, lon, 48.7784, 9.1800); d > 5 {
		t.Errorf("Stuttgart's centroid %.4f, %.4f is %.1f km from the city centre", lat, lon, d)
	}
	elat, elon, ok := a.Centroid("08116019") // Esslingen am Neckar
	if !ok {
		t.Fatal("no centroid for Esslingen")
	}
	if d := DistanceKm(lat, lon, elat, elon); d < 9 || d > 15 {
		t.Errorf("Stuttgart–Esslingen: %.1f km, want about 12", d)
	}
	if _, _, ok := a.Centroid("08000000"); ok {
		t.Error("a centroid for an unknown AGS")
	}
}

func TestDistanceKm(t *testing.T) {
	for _, c := range []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 48.78, 9.18, 48.78, 9.18, 0},
		{"Berlin–München", 52.5200, 13.4050, 48.1374, 11.5755, 504.4},
		{"one degree of latitude", 48, 9, 49, 9, 111.2},
	} {
		got := DistanceKm(c.lat1, c.lon1, c.lat2, c.lon2)
		if math.Abs(got-c.want) > 1 {
			t.Errorf("%s: %.1f km, want %.1f", c.name, got, c.want)
		}
	}
}

func TestLoadRejectsUnknownStates(t *testing.T) {
	for _, s := range []string{"", "8", "99", "../08", "xx"} {
		if _, err := Load(s); err == nil {
			t.Errorf("Load(%q): no error", s)
		}
	}
	if st := States(); len(st) == 0 || st[0] != "08" {
		t.Errorf("States() = %v, want 08 among them", st)
	}
}

func TestEmbeddedDataIsSmall(t *testing.T) {
	b, err := data.ReadFile("data/08.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 400_000 {
		t.Errorf("08.json.gz: %d bytes, want under 400 KB", len(b))
	}
	t.Logf("08.json.gz: %d bytes", len(b))
}

func TestEmbeddedDataNeedsNoSharedFolderAtRunTime(t *testing.T) {
	t.Chdir(t.TempDir())
	cacheMu.Lock()
	saved := cache
	cache = map[string]*Atlas{}
	cacheMu.Unlock()
	t.Cleanup(func() { cacheMu.Lock(); cache = saved; cacheMu.Unlock() })
	if _, err := os.Stat("../shared/data/vg5000"); err == nil {
		t.Fatal("the temporary folder should have no ../shared")
	}
	a, err := Load("08")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Districts) != 44 {
		t.Errorf("districts: %d", len(a.Districts))
	}
}

func TestLoadIsCached(t *testing.T) {
	a, b := mustLoad(t), mustLoad(t)
	if a != b {
		t.Error("Load decoded the data twice")
	}
}

var coverage = []Category{
	{Key: "none", Label: "Noch kein Platz beantragt", Fill: "#8a6d00"},
	{Key: "applied", Label: "Platz beantragt", Fill: "#0b6bcb", Pattern: "hatch"},
	{Key: "pilot", Label: "Pilotinnen und Piloten qualifiziert", Fill: "#0b3d91", Pattern: "dots"},
}

func TestMapDrawsEveryMunicipalityOnceWithItsLink(t *testing.T) {
	a := mustLoad(t)
	var areas []Area
	for i, m := range a.Municipalities {
		if i%10 == 9 {
			continue // no data: neutral
		}
		areas = append(areas, Area{AGS: m.AGS, Category: coverage[i%3].Key, Href: "/gemeinden/" + m.AGS,
			Label: "Gemeinde " + m.Name + ": " + coverage[i%3].Label})
	}
	areas = append(areas, Area{AGS: "08999001", Category: "applied", Label: "Gemeinde Neuhausen <neu>"})
	areas = append(areas, Area{AGS: "08111", Category: "applied", Label: "Kreis Stuttgart"}) // a district on a municipality map
	html := string(a.Map(MapSpec{ID: "karte 1", Title: "Abdeckung in Baden-Württemberg", Desc: "Gemeinden nach Stand der Anträge",
		Categories: coverage, Areas: areas, Attribution: true}))

	for _, want := range []string{
		`<figure class="geo-map" id="karte-1">`,
		`role="group" aria-labelledby="karte-1-title" aria-describedby="karte-1-desc"`,
		`<title id="karte-1-title">Abdeckung in Baden-Württemberg</title>`,
		`<desc id="karte-1-desc">Gemeinden nach Stand der Anträge. Legende: Noch kein Platz beantragt: `,
		`keine Angabe: 110 Gemeinden`,
		`Ohne Umriss auf der Karte (nach 2021 neu gebildet oder unbekannt): Gemeinde Neuhausen &lt;neu&gt;; Kreis Stuttgart.`,
		`<a href="https://www.bkg.bund.de">© GeoBasis-DE / BKG 2021 (Daten verändert)</a>`,
		`viewBox="0 0 `, `width="100%"`,
		`<a class="geo-area" href="/gemeinden/08111000" aria-label="Gemeinde Stuttgart: `,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	if n := strings.Count(html, `class="geo-area"`); n != len(a.Municipalities) {
		t.Errorf("%d areas drawn, want %d", n, len(a.Municipalities))
	}
	areasPart := html[:strings.Index(html, "geo-map__borders")]
	for _, m := range a.Municipalities {
		if n := strings.Count(areasPart, `"`+m.Path+`"`); n != 1 {
			t.Fatalf("%s %s drawn %d times", m.AGS, m.Name, n)
		}
	}
	if n := strings.Count(html, `<a class="geo-area" href="/gemeinden/`); n != len(areas)-2 {
		t.Errorf("%d links, want %d", n, len(areas)-2)
	}
	// District borders on top of the municipalities.
	if i, j := strings.Index(html, `geo-map__areas`), strings.Index(html, `geo-map__borders`); i < 0 || j < i {
		t.Error("district borders are not drawn after the municipalities")
	}
	if d, _ := a.Lookup("08115"); strings.Count(html, `"`+d.Path+`"`) != 1 {
		t.Error("district outline missing")
	}
	// Legend counts add up.
	re := regexp.MustCompile(`</svg> [^<:]+: (\d+) Gemeinden</li>`)
	sum := 0
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		n := 0
		for _, c := range m[1] {
			n = n*10 + int(c-'0')
		}
		sum += n
	}
	if sum != len(a.Municipalities) {
		t.Errorf("legend counts add up to %d, want %d", sum, len(a.Municipalities))
	}
	if strings.Count(html, `<pattern id="karte-1-muster-`) != 2 {
		t.Error("the hatch and dot patterns are not defined")
	}
	if m := regexp.MustCompile(`<svg class="geo-map__svg"[^>]*\sheight=`).FindString(html); m != "" {
		t.Errorf("the map has a fixed height: %s", m)
	}
}

func TestMapOfDistrictsWithoutDataIsNeutralAndSafe(t *testing.T) {
	a := mustLoad(t)
	html := string(a.Map(MapSpec{ID: "k", Title: "Kreise", Level: LevelDistricts, Categories: coverage[:1],
		Areas: []Area{
			{AGS: "08111", Category: "none", Href: "javascript:alert(1)", Label: "Stuttgart"},
			{AGS: "08115", Category: "unknown", Href: "/kreise/08115", Label: "Böblingen"},
		}}))
	if strings.Contains(html, "javascript:") {
		t.Error("a javascript: link was let through")
	}
	if strings.Contains(html, "bkg.bund.de") {
		t.Error("attribution shown though not asked for")
	}
	if n := strings.Count(html, `class="geo-area"`); n != 44 {
		t.Errorf("%d districts drawn, want 44", n)
	}
	for _, want := range []string{"Noch kein Platz beantragt: 1 Kreis", "keine Angabe: 43 Kreise",
		`aria-label="Böblingen"`, `<title>Landkreis Ludwigsburg: keine Angabe</title>`} {
		if !strings.Contains(html, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	if strings.Contains(html, "Ohne Umriss") {
		t.Error("a note on missing shapes though all have one")
	}
}

func TestPathBox(t *testing.T) {
	if got := pathBox("M10 20l5-3 -10 0 0 10zM100 5l1 1 -2 0z"); got != [4]int{5, 5, 101, 27} {
		t.Errorf("pathBox = %v, want [5 5 101 27]", got)
	}
	a := mustLoad(t)
	for _, r := range append(a.Districts, a.Municipalities...) {
		if b := r.box; b[0] < 0 || b[1] < 0 || b[2] > a.Width || b[3] > a.Height || b[0] >= b[2] || b[1] >= b[3] {
			t.Fatalf("%s %s: box %v outside the atlas %dx%d", r.AGS, r.Name, b, a.Width, a.Height)
		}
	}
}

func TestMapWithinADistrictZoomsToItsMunicipalities(t *testing.T) {
	a := mustLoad(t)
	// Esslingen has as many municipalities as the state has districts.
	for _, district := range []string{"08116", "08115"} {
		html := string(a.Map(MapSpec{ID: "z", Title: "Kreis", Within: district}))
		vb := regexp.MustCompile(`viewBox="-?\d+ -?\d+ (\d+) \d+"`).FindStringSubmatch(html)
		if vb == nil || len(vb[1]) > 3 {
			t.Errorf("%s: not zoomed: %v", district, vb)
		}
	}
	var inside int
	for _, m := range a.Municipalities {
		if strings.HasPrefix(m.AGS, "08115") {
			inside++
		}
	}
	html := string(a.Map(MapSpec{ID: "bb", Title: "Landkreis Böblingen", Within: "08115", Categories: coverage,
		Areas: []Area{
			{AGS: "08115003", Category: "applied", Href: "/gemeinden/08115003", Label: "Stadt Böblingen: beantragt"},
			{AGS: "08111000", Category: "pilot", Href: "/gemeinden/08111000", Label: "Stuttgart"}, // outside: left out
			{AGS: "08115999", Category: "pilot", Label: "Gemeinde Neu"},
		}}))
	if n := strings.Count(html, `class="geo-area"`); n != inside || inside < 20 {
		t.Errorf("%d areas drawn, want the district's %d", n, inside)
	}
	if strings.Contains(html, "/gemeinden/08111000") || strings.Contains(html, "Stuttgart") {
		t.Error("an area outside the district was drawn")
	}
	if !strings.Contains(html, "Ohne Umriss auf der Karte (nach 2021 neu gebildet oder unbekannt): Gemeinde Neu.") {
		t.Error("the district's area without a shape is not named")
	}
	d, _ := a.Lookup("08115")
	vb := regexp.MustCompile(`viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"`).FindStringSubmatch(html)
	if vb == nil || vb[3] == "0" {
		t.Fatalf("no viewBox in %.300s", html)
	}
	if w := vb[3]; len(w) > 3 {
		t.Errorf("viewBox width %s: not zoomed to the district (box %v)", w, d.box)
	}
	if strings.Count(html, `vector-effect="non-scaling-stroke"/></g></svg>`) != 1 || strings.Count(html, d.Path) != 1 {
		t.Error("the district's outline is not drawn on top")
	}
}
