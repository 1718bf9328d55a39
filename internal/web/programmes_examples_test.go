package web

import "github.com/lotse-oss/lotse/internal/domain"

// programmeExamples are the example data of the programmes' pages
// (programmes: a programme as data).
func programmeExamples(base Page, p *domain.Programme) map[string]any {
	p.Contingent = append(p.Contingent, domain.ContingentRule{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 200000, People: 2,
		PerInhabitants: 50000, MaxPeople: 6})
	p.StartsOn, p.EndsOn, p.BudgetCents = "2026-01-01", "2027-12-31", 25_000_000
	providers := []domain.Organisation{{ID: 3, Name: "Verwaltungsschule", Kind: domain.OrgProvider}, {ID: 4, Name: "VWA", Kind: domain.OrgProvider}}
	assocs := []domain.Organisation{{ID: 2, Name: "Städtetag", Kind: domain.OrgAssociation}}
	withErrors := base
	withErrors.Errors = map[string]string{"contingent.0.people": "Die Zahl der förderfähigen Personen muss zwischen 1 und 1.000 liegen.",
		"tracks.1.amount_cents": "Bitte geben Sie einen Betrag in Euro an, z. B. 300,00.", "id": "Bitte geben Sie eine Kennung an."}
	return map[string]any{
		"programmes": &programmesPage{Page: base, MayCreate: true, Items: []programmeItem{{P: *p, Funder: "Ministerium"}}},
		"programme_form": &programmeFormPage{Page: withErrors, New: true, F: newProgrammeForm(p, providers, assocs), CanFunder: true,
			Funders: []domain.Organisation{{ID: 1, Name: "Ministerium", Kind: domain.OrgFunder}}},
		"programme_clone":  &programmeClonePage{Page: base, P: p, ID: "digitallotsen-he", Name: "Digitallotsen Hessen"},
		"programme_import": &programmeImportPage{Page: withErrors, MayCreateOrgs: true, JSON: `{"format": 1}`},
	}
}
