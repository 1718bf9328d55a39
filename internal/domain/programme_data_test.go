package domain_test

import (
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestContingentRulesCoverBandsAndPerCapitaFormulas(t *testing.T) {
	p := &domain.Programme{Contingent: []domain.ContingentRule{
		{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 1, MaxPopulation: 9999, People: 1},
		{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 10000, People: 1, PerInhabitants: 15000, MaxPeople: 5},
		{ApplicantKind: domain.ApplicantDistrict, MinPopulation: 0, People: 2, PerInhabitants: 60000},
	}}
	for _, c := range []struct {
		name       string
		kind       string
		population int
		want       int
	}{
		{"small band", domain.ApplicantMunicipality, 4180, 1},
		{"formula at least People", domain.ApplicantMunicipality, 10000, 1},
		{"formula rounds up", domain.ApplicantMunicipality, 38420, 3},
		{"formula exact", domain.ApplicantMunicipality, 45000, 3},
		{"formula capped", domain.ApplicantMunicipality, 1_000_000, 5},
		{"no cap", domain.ApplicantDistrict, 1_000_000, 17},
		{"district minimum", domain.ApplicantDistrict, 50_000, 2},
		{"no row", domain.ApplicantMunicipality, 0, 0},
	} {
		if got := p.Entitlement(c.kind, c.population); got != c.want {
			t.Errorf("%s: %d inhabitants get %d, want %d", c.name, c.population, got, c.want)
		}
	}
}

func TestProgrammeDataIsValidated(t *testing.T) {
	base := func() *domain.Programme {
		return &domain.Programme{ID: "digitallotsen-he", Name: "Digitallotsen Hessen", State: "06", VoucherValidityDays: 30,
			Tracks:     []domain.Track{{Key: domain.TrackBasis, Name: "Basis", Rule: domain.RulePerPerson, AmountCents: 100, MaxCents: 100}},
			Contingent: []domain.ContingentRule{{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 1, People: 1}},
			Reviewers:  []domain.ReviewerRule{{AssociationID: 1, TypeCodes: []int{63}}}}
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("valid programme: %v", err)
	}
	for _, c := range []struct {
		field  string
		change func(p *domain.Programme)
	}{
		{"id", func(p *domain.Programme) { p.ID = "Hessen!" }},
		{"id", func(p *domain.Programme) { p.ID = "neu" }},
		{"starts_on", func(p *domain.Programme) { p.StartsOn = "1.1.2026" }},
		{"ends_on", func(p *domain.Programme) { p.StartsOn, p.EndsOn = "2026-02-01", "2026-01-01" }},
		{"budget_cents", func(p *domain.Programme) { p.BudgetCents = -1 }},
		{"contingent.0.max_people", func(p *domain.Programme) { p.Contingent[0].People, p.Contingent[0].MaxPeople = 3, 2 }},
		{"contingent.0.per_inhabitants", func(p *domain.Programme) { p.Contingent[0].PerInhabitants = -5 }},
		{"contract_text", func(p *domain.Programme) { p.ContractText = strings.Repeat("x", 20001) }},
	} {
		p := base()
		c.change(p)
		if domain.ErrorFields(p.Validate())[c.field] == "" {
			t.Errorf("%s: no message (%v)", c.field, p.Validate())
		}
	}
}

func TestExportDocumentsAreCheckedBeforeTheyAreRead(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{"not JSON", `kein json`, "kein gültiges JSON"},
		{"no format", `{"programme": {}}`, "„format“ fehlt"},
		{"newer format", `{"format": 2, "programme": {"neues_feld": 1}}`, "Format 2"},
		{"unknown field", `{"format": 1, "programme": {"id": "x", "neu": 1}, "organisations": []}`, "„neu“ ist unbekannt"},
		{"missing organisation", `{"format": 1, "programme": {"funder": "fg", "providers": ["bt"]}, "organisations": [{"key": "fg", "name": "F", "kind": "funder"}]}`,
			"„bt“ (eines Bildungsträgers) steht nicht in der Liste"},
		{"wrong kind", `{"format": 1, "programme": {"funder": "fg"}, "organisations": [{"key": "fg", "name": "F", "kind": "provider"}]}`,
			"hat aber eine andere Art"},
	} {
		_, err := domain.ParseProgrammeExport([]byte(c.doc))
		msg := domain.ErrorMessage(err)
		for _, m := range domain.ErrorFields(err) {
			msg += " " + m
		}
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %v, want a message with %q", c.name, msg, c.want)
		}
	}
}

func TestOrgKeysAreMadeFromNames(t *testing.T) {
	for name, want := range map[string]string{
		"Städtetag Baden-Württemberg":     "staedtetag-baden-wuerttemberg",
		"Kommunale Akademie Hessen (neu)": "kommunale-akademie-hessen-neu",
		"Ö":                               "oe",
	} {
		if got := domain.OrgKeyFromName(name); got != want || !domain.ValidOrgKey(got) {
			t.Errorf("%q: key %q, want %q", name, got, want)
		}
	}
}
