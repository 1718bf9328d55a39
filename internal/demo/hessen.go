package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// programmes: a second state's programme, without code. The fictional
// "Digitallotsen Hessen" comes as an export document (seed/hessen.json)
// with its own contingent rule (one person per 15,000 inhabitants, at least
// one, at most five; districts one per 60,000, two to six), its own
// reviewing associations and provider, and is imported like any other.

//go:embed seed/hessen.json
var hessenSeed []byte

// NeuwiesenAGS is the fictional Hessen city of the demo: district 06999
// does not exist in Hessen.
const NeuwiesenAGS = "06999001"

// HessenLogins are the demo accounts of the Hessen programme.
var HessenLogins = []Login{
	{"foerderung@digitales-hessen.example", "Hanna Hessler", "Ministerium für Digitales Hessen", []domain.Role{domain.RoleFunder}},
	{"pruefung@kommunalverbund-hessen.example", "Konrad Kurz", "Kommunalverbund Hessen", []domain.Role{domain.RoleReviewer}},
	{"pruefung@kreisverbund-hessen.example", "Karla Kreis", "Kreisverbund Hessen", []domain.Role{domain.RoleReviewer}},
	{"kurse@akademie-hessen.example", "Anton Akademie", "Kommunale Akademie Hessen", []domain.Role{domain.RoleProviderStaff}},
	{"nora@neuwiesen.example", "Nora Neuwirth", "Stadt Neuwiesen", []domain.Role{domain.RoleSignatory, domain.RoleHR}},
}

// hessenPlaces are the fictional directory entries of the Hessen demo.
func hessenPlaces(ref time.Time) []domain.Municipality {
	m := func(ags, name string, code, pop int, plz string) domain.Municipality {
		return domain.Municipality{AGS: ags, Name: name, Kind: domain.AreaMunicipality, TypeCode: code, DistrictAGS: "06999",
			StateAGS: "06", Population: pop, AreaHa: 4000, Postcode: plz, RefDate: ref}
	}
	return []domain.Municipality{
		{AGS: "06999", Name: "Waldhessen", Kind: domain.AreaDistrict, TypeCode: 44, StateAGS: "06", Population: 131640, AreaHa: 81200, RefDate: ref},
		m(NeuwiesenAGS, "Neuwiesen", 63, 38420, "35999"),
		m("06999002", "Tannrode", 64, 6180, "35998"),
		m("06999003", "Lindenau", 64, 12040, "35997"),
	}
}

// HessenExport is the Hessen programme's export document.
func HessenExport() (*domain.ProgrammeExport, error) {
	return domain.ParseProgrammeExport(hessenSeed)
}

// loadHessen imports the Hessen programme with its organisations, adds the
// fictional district with its city and the programme's people.
func loadHessen(ctx context.Context, db *store.DB, password string) error {
	ref := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	entries := hessenPlaces(ref)
	if _, err := db.Municipality(ctx, "06"); domain.ErrorCode(err) == domain.ENotFound {
		entries = append(entries, domain.Municipality{AGS: "06", Name: "Hessen", Kind: domain.AreaState, StateAGS: "06",
			Population: 6391360, AreaHa: 2111572, RefDate: ref})
	} else if err != nil {
		return err
	}
	if _, err := db.ImportMunicipalities(ctx, entries, "demo"); err != nil {
		return err
	}
	x, err := HessenExport()
	if err != nil {
		return err
	}
	if _, err := funding.InstallProgramme(ctx, db, x); err != nil {
		return err
	}
	ids, err := programmes.OrgIDs(ctx, db, x)
	if err != nil {
		return err
	}
	for _, o := range []domain.Organisation{{Name: "Stadt Neuwiesen", Kind: domain.OrgMunicipality, AGS: NeuwiesenAGS},
		{Name: "Landkreis Waldhessen", Kind: domain.OrgMunicipality, AGS: "06999"}} {
		if err := db.CreateOrganisation(ctx, &o); err != nil {
			return err
		}
		ids[o.Name] = o.ID
	}
	members := map[string][]string{
		"Kommunalverbund Hessen": {NeuwiesenAGS, "06999002", "06999003"},
		"Kreisverbund Hessen":    {"06999"},
	}
	for name, ags := range members {
		if err := db.SetAssociationMembers(ctx, ids[name], ags); err != nil {
			return err
		}
	}
	for _, l := range HessenLogins {
		now := db.Now()
		p := &domain.Person{Email: l.Email, Name: l.Name, EmailVerifiedAt: &now}
		if err := db.CreatePerson(ctx, p, password); err != nil {
			return err
		}
		if ids[l.Org] == 0 {
			return fmt.Errorf("hessen: no organisation %q", l.Org)
		}
		if err := db.SetRoles(ctx, ids[l.Org], p.ID, l.Roles); err != nil {
			return err
		}
	}
	return nil
}

// hessenStory: Nora applies for two people of Neuwiesen in the Hessen
// programme, so that its reviewer finds an application waiting.
func hessenStory(ctx context.Context, db *store.DB, a *app.App, as func(string) (context.Context, error)) error {
	noraCtx, err := as("nora@neuwiesen.example")
	if err != nil {
		return err
	}
	org, err := db.OrganisationByAGS(ctx, NeuwiesenAGS)
	if err != nil {
		return err
	}
	p, err := a.Funding.Programme(noraCtx, HessenID)
	if err != nil {
		return err
	}
	prog, track, people, yes, ags, provider := HessenID, domain.TrackBasis, 2, true, NeuwiesenAGS, p.ProviderIDs[0]
	app, err := a.Funding.CreateApplication(noraCtx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, AGS: &ags, Track: &track,
		ProviderID: &provider, People: &people, Declarations: &yes})
	if err != nil {
		return err
	}
	_, err = a.Funding.SubmitApplication(noraCtx, app.ID)
	return err
}
