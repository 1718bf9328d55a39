// Package programmes holds the default funding programme, Baden-Württemberg's
// "Kommunale Digitallotsen", as data, and installs it with the
// organisations it names (ministry, associations, providers) on a fresh
// platform. Everything in it can be changed afterwards in the UI or API.
package programmes

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// BWID is the id of the Baden-Württemberg programme.
const BWID = "digitallotsen-bw"

// Names of the organisations of the BW programme.
const (
	Ministry          = "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg"
	Staedtetag        = "Städtetag Baden-Württemberg"
	Gemeindetag       = "Gemeindetag Baden-Württemberg"
	Landkreistag      = "Landkreistag Baden-Württemberg"
	Verwaltungsschule = "Verwaltungsschule des Gemeindetags Baden-Württemberg"
	VWA               = "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg"
)

var orgs = []struct {
	name string
	kind domain.OrgKind
}{
	{Ministry, domain.OrgFunder},
	{Staedtetag, domain.OrgAssociation},
	{Gemeindetag, domain.OrgAssociation},
	{Landkreistag, domain.OrgAssociation},
	{Verwaltungsschule, domain.OrgProvider},
	{VWA, domain.OrgProvider},
}

// BW returns the BW programme with the organisations' IDs filled in.
func BW(ids map[string]int64) *domain.Programme {
	return &domain.Programme{
		ID: BWID, Name: "Kommunale Digitallotsen", State: "08", Open: true, FunderID: ids[Ministry],
		Tracks: []domain.Track{
			{Key: domain.TrackBasis, Name: "Basisqualifizierung", Rule: domain.RulePerPerson, AmountCents: 30000, MaxCents: 30000, Days: 3,
				CountsAgainstContingent: true},
			{Key: domain.TrackAdvanced, Name: "Aufbauprogramm", Rule: domain.RulePerDay, AmountCents: 5000, MaxDays: 3, MaxCents: 15000,
				RequiresBaseCertificate: true},
		},
		Contingent: []domain.ContingentRule{
			{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 1, MaxPopulation: 9999, People: 1},
			{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 10000, MaxPopulation: 30000, People: 2},
			{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 30001, MaxPopulation: 130000, People: 3},
			{ApplicantKind: domain.ApplicantDistrict, MinPopulation: 0, MaxPopulation: 175000, People: 4},
			{ApplicantKind: domain.ApplicantDistrict, MinPopulation: 175001, People: 5},
		},
		// The Städtetag pays the providers' claims with the ministry's money.
		Payer: &domain.Payer{Name: "Städtetag Baden-Württemberg", Street: "Königstraße 2", Postcode: "70173", City: "Stuttgart",
			LeitwegID: "08111000-STBW01-73", Email: "rechnungen@staedtetag-bw.example"},
		ProviderIDs: []int64{ids[Verwaltungsschule], ids[VWA]},
		// The Städtetag reviews the cities (Stadt, Große Kreisstadt,
		// Stadtkreis), the Gemeindetag the other municipalities, the
		// Landkreistag the districts.
		Reviewers: []domain.ReviewerRule{
			{AssociationID: ids[Staedtetag], TypeCodes: []int{61, 62, 63, 67, 41, 42}},
			{AssociationID: ids[Gemeindetag], TypeCodes: []int{60, 64, 65, 66}},
			{AssociationID: ids[Landkreistag], TypeCodes: []int{43, 44, 45}},
		},
		VoucherValidityDays: 365,
		// One reviewer decides; the funder can ask for four eyes.
		FourEyes: domain.FourEyesOff,
		Conditions: []string{
			"Der Weitergabevertrag muss vor Beginn der Schulung abgeschlossen sein; Schulungen, die bereits stattgefunden haben, werden nicht gefördert.",
			"Wer bereits ohne Gutschein bei einem Bildungsträger angemeldet ist, kann nachträglich nicht gefördert werden.",
			"Die Basisqualifizierung wird mit 100 € je Seminartag gefördert (300 € für drei Tage); Aufbauschulungen mit bis zu 50 € je Schulungstag.",
			"Das Aufbauprogramm wird nur nach abgeschlossener Basisqualifizierung gefördert.",
			"Ein Vertrag umfasst mehrere Personen, wenn alle denselben Bildungsträger besuchen.",
			"Jeder Gutscheincode gilt für eine Person, nur beim genannten Bildungsträger und nur für die genannte Qualifizierung.",
		},
	}
}

// Install creates the BW programme's organisations and the programme itself
// where they are missing, and returns the organisations' IDs by name.
func Install(ctx context.Context, db *store.DB) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, o := range orgs {
		name := o.name
		kind := o.kind
		found, _, err := db.Organisations(ctx, domain.OrgFilter{Kind: &kind, Query: &name, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if f.Name == name {
				ids[name] = f.ID
			}
		}
		if ids[name] == 0 {
			org := &domain.Organisation{Name: name, Kind: kind}
			if err := db.CreateOrganisation(ctx, org); err != nil {
				return nil, err
			}
			ids[name] = org.ID
		}
	}
	if _, err := db.Programme(ctx, BWID); domain.ErrorCode(err) == domain.ENotFound {
		if err := db.SaveProgramme(ctx, BW(ids)); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if err := installPaths(ctx, db, ids); err != nil { // matching: paths
		return nil, err
	}
	return ids, nil
}
