// Command vg5000 writes the simplified map data of one state for package
// geo from the BKG VG5000 shapefiles:
//
//	go run ./scripts/vg5000 -src ../shared/data/vg5000 -state 08 -out internal/geo/data/08.json.gz
//
// The source is "© GeoBasis-DE / BKG 2021", Datenlizenz Deutschland –
// Namensnennung – 2.0; the output is a changed derivative and must be
// shown with "(Daten verändert)".
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/geo/vg5000"
)

func main() {
	src := flag.String("src", "../shared/data/vg5000", "folder with VG5000_KRS.* and VG5000_GEM.*")
	state := flag.String("state", "08", "two-digit state key")
	out := flag.String("out", "", "output file (default internal/geo/data/<state>.json.gz)")
	unit := flag.Float64("unit", 100, "metres per path unit")
	tol := flag.Float64("tolerance", 150, "Douglas-Peucker tolerance in metres")
	flag.Parse()
	if *out == "" {
		*out = "internal/geo/data/" + *state + ".json.gz"
	}
	f, err := vg5000.Build(*src, *state, vg5000.Options{Unit: *unit, Tolerance: *tol})
	if err != nil {
		fmt.Fprintln(os.Stderr, "vg5000:", err)
		os.Exit(1)
	}
	b, err := geo.Encode(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vg5000:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "vg5000:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d areas, %d bytes\n", *out, len(f.Regions), len(b))
}
