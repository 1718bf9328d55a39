package geo_test

import (
	"fmt"

	"github.com/lotse-oss/lotse/internal/geo"
)

// A coverage map of Baden-Württemberg's municipalities: three categories
// that differ by colour and pattern, each area linking to its page.
func ExampleAtlas_Map() {
	atlas, err := geo.Load("08")
	if err != nil {
		panic(err)
	}
	html := atlas.Map(geo.MapSpec{
		ID:    "abdeckung",
		Title: "Abdeckung nach Gemeinden",
		Desc:  "Gemeinden nach Stand ihrer Anträge im Programm",
		Categories: []geo.Category{
			{Key: "none", Label: "Noch kein Platz beantragt", Fill: "#8a6d00"},
			{Key: "applied", Label: "Platz beantragt", Fill: "#0b6bcb", Pattern: "hatch"},
			{Key: "pilots", Label: "Digitallotsen qualifiziert", Fill: "#0b3d91", Pattern: "dots"},
		},
		Areas: []geo.Area{
			{AGS: "08111000", Category: "pilots", Href: "/verzeichnis/08111000", Label: "Stadt Stuttgart: 3 Lotsen qualifiziert"},
			{AGS: "08116019", Category: "applied", Href: "/verzeichnis/08116019", Label: "Stadt Esslingen am Neckar: 2 Plätze beantragt"},
		},
		Attribution: true,
	})
	fmt.Println(len(html) > 0)
	lat1, lon1, _ := atlas.Centroid("08111000")
	lat2, lon2, _ := atlas.Centroid("08116019")
	fmt.Printf("%.0f km\n", geo.DistanceKm(lat1, lon1, lat2, lon2))
	// Output:
	// true
	// 12 km
}
