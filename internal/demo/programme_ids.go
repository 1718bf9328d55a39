package demo

// The demo's programmes: Baden-Württemberg's, shipped as seed data
// (internal/programmes/seed/bw.json), and the fictional Hessen programme
// the demo imports (hessen.go).
const (
	BWID     = "digitallotsen-bw"
	HessenID = "digitallotsen-he"
)
