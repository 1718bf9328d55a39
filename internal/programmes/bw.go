// Package programmes installs the funding programme shipped with the
// platform as seed data (seed/bw.json: Baden-Württemberg's "Kommunale
// Digitallotsen") with the organisations it names (ministry, associations,
// providers) on a fresh platform, through the funding service's import.
// Everything in it can be changed afterwards in the UI or API; no code
// depends on a particular programme.
package programmes

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/store"
)

//go:embed seed/bw.json
var bwSeed []byte

// Seed returns the shipped programme's export document.
func Seed() *domain.ProgrammeExport {
	var x domain.ProgrammeExport
	if err := json.Unmarshal(bwSeed, &x); err != nil {
		panic(fmt.Sprintf("programmes: seed/bw.json: %v", err)) // embedded at build time; a test reads it
	}
	return &x
}

// BWID is the ID of the shipped programme, read from its seed. Only seed
// data (the demo, test fixtures) may rely on it.
var BWID = Seed().Programme.ID

// Names of the organisations of the shipped programme, as the demo knows
// them (they come from the seed).
const (
	Ministry          = "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg"
	Staedtetag        = "Städtetag Baden-Württemberg"
	Gemeindetag       = "Gemeindetag Baden-Württemberg"
	Landkreistag      = "Landkreistag Baden-Württemberg"
	Verwaltungsschule = "Verwaltungsschule des Gemeindetags Baden-Württemberg"
	VWA               = "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg"
)

// Install imports the shipped programme and its organisations where they
// are missing, and returns the organisations' IDs by name.
func Install(ctx context.Context, db *store.DB) (map[string]int64, error) {
	x := Seed()
	if _, err := funding.InstallProgramme(ctx, db, x); err != nil {
		return nil, err
	}
	ids, err := OrgIDs(ctx, db, x)
	if err != nil {
		return nil, err
	}
	if err := installPaths(ctx, db, ids); err != nil { // matching: paths
		return nil, err
	}
	return ids, nil
}

// OrgIDs returns the IDs of the organisations an export names, by name.
func OrgIDs(ctx context.Context, db *store.DB, x *domain.ProgrammeExport) (map[string]int64, error) {
	ids := map[string]int64{}
	err := db.Transact(ctx, func(tx *store.Tx) error {
		byKey, err := tx.ResolveOrgRefs(ctx, x.Organisations, false)
		for _, o := range x.Organisations {
			ids[o.Name] = byKey[o.Key]
		}
		return err
	})
	return ids, err
}

// BW returns the shipped programme with the organisations' IDs filled in
// from ids (by name), for fixtures that build a programme without a
// database.
func BW(ids map[string]int64) *domain.Programme {
	x := Seed()
	byKey := map[string]int64{}
	for _, o := range x.Organisations {
		byKey[o.Key] = ids[o.Name]
		if byKey[o.Key] == 0 {
			byKey[o.Key] = -1 // not given: still a programme, with an unknown organisation
		}
	}
	p, _ := x.ToProgramme(byKey)
	return p
}
