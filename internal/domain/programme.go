package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Track keys of the default programme.
const (
	TrackBasis    = "basis"
	TrackAdvanced = "advanced"
)

// TrackLabel names a track key for the UI, whatever the programme calls
// its own tracks.
func TrackLabel(key string) string {
	switch key {
	case TrackBasis:
		return "Basisqualifizierung"
	case TrackAdvanced:
		return "Aufbauprogramm"
	}
	return "Qualifizierung"
}

// Funding rules of a track.
const (
	RulePerPerson = "per_person" // a flat amount per person
	RulePerDay    = "per_day"    // an amount per training day, up to a maximum
)

// Applicant kinds of the contingent table.
const (
	ApplicantMunicipality = "municipality"
	ApplicantDistrict     = "district"
)

// Track is a qualification a programme funds.
type Track struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Rule is RulePerPerson or RulePerDay.
	Rule string `json:"rule"`
	// AmountCents is the amount per person (per_person) or per day (per_day).
	AmountCents int64 `json:"amount_cents"`
	// MaxDays limits per_day funding; MaxCents is the most one voucher is worth.
	MaxDays  int   `json:"max_days,omitempty"`
	MaxCents int64 `json:"max_cents"`
	// Days is the length of the training for per_person tracks (basis: 3).
	Days int `json:"days,omitempty"`
	// CountsAgainstContingent: places of this track use the contingent.
	CountsAgainstContingent bool `json:"counts_against_contingent"`
	// RequiresBaseCertificate: each person needs a certificate of the base track.
	RequiresBaseCertificate bool `json:"requires_base_certificate"`
}

// ContingentRule is one row of the contingent table: applicants of a kind
// within a population bracket may have People funded.
type ContingentRule struct {
	ApplicantKind string `json:"applicant_kind"`
	MinPopulation int    `json:"min_population"`
	MaxPopulation int    `json:"max_population"` // 0: no upper bound
	// People is the number of people funded in the band; with
	// PerInhabitants it is the least number.
	People int `json:"people"`
	// PerInhabitants > 0 turns the band into a per-capita formula: one
	// person per PerInhabitants inhabitants (rounded up), at least People
	// and at most MaxPeople (0: no cap).
	PerInhabitants int `json:"per_inhabitants,omitempty"`
	MaxPeople      int `json:"max_people,omitempty"`
}

// PeopleFor is what the rule grants an applicant with the population.
func (r ContingentRule) PeopleFor(population int) int {
	n := r.People
	if r.PerInhabitants > 0 {
		n = max(n, (population+r.PerInhabitants-1)/r.PerInhabitants)
		if r.MaxPeople > 0 {
			n = min(n, r.MaxPeople)
		}
	}
	return n
}

// ReviewerRule assigns applicants, by the type code of their directory
// entry (63 Stadt, 64 Gemeinde, 44 Landkreis, ...), to the association that
// reviews their applications.
type ReviewerRule struct {
	AssociationID int64 `json:"association_id"`
	TypeCodes     []int `json:"type_codes"`
}

// Reviewer returns the association responsible for an applicant whose
// directory entry has the type code, or 0.
func (p *Programme) Reviewer(typeCode int) int64 {
	for _, r := range p.Reviewers {
		if slices.Contains(r.TypeCodes, typeCode) {
			return r.AssociationID
		}
	}
	return 0
}

// Programme is a funding programme. It is data, not code: another state's
// programme is another row.
type Programme struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	State      string           `json:"state"` // two-digit AGS of the state
	Open       bool             `json:"open"`
	FunderID   int64            `json:"funder_id"`
	Tracks     []Track          `json:"tracks"`
	Contingent []ContingentRule `json:"contingent"`
	// ProviderIDs are the training providers the programme funds.
	ProviderIDs []int64 `json:"provider_ids"`
	// Reviewers say which association reviews which applicants.
	Reviewers []ReviewerRule `json:"reviewers"`
	// VoucherValidityDays: how long an issued voucher stays valid.
	VoucherValidityDays int `json:"voucher_validity_days"`
	// Conditions are the programme's rules as German sentences for the contract.
	Conditions []string `json:"conditions"`
	// FourEyes says which applications need a second reviewer to confirm a
	// decision: FourEyesOff (the default), FourEyesAll, FourEyesDistricts,
	// FourEyesMunicipalities.
	FourEyes string `json:"four_eyes"`
	// Payer is the body that pays the providers' claims (the buyer of the
	// e-invoices); claims cannot be submitted while it is missing.
	Payer *Payer `json:"payer,omitempty"`
	// ContractText is the programme's own text of the Weitergabevertrag:
	// paragraphs (separated by blank lines) printed after the contract's
	// opening sentence. Empty: the contract has no such section.
	ContractText string `json:"contract_text,omitempty"`
	// BudgetCents is the programme's planned budget per year (the ledger
	// books the actual budget of each year, see settlement).
	BudgetCents int64 `json:"budget_cents,omitempty"`
	// StartsOn and EndsOn ("2026-01-31", both optional) bound when the
	// programme accepts applications.
	StartsOn  string    `json:"starts_on,omitempty"`
	EndsOn    string    `json:"ends_on,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Track returns the track with key k.
func (p *Programme) Track(k string) (Track, bool) {
	for _, t := range p.Tracks {
		if t.Key == k {
			return t, true
		}
	}
	return Track{}, false
}

// FundsProvider reports whether the programme funds provider id.
func (p *Programme) FundsProvider(id int64) bool { return slices.Contains(p.ProviderIDs, id) }

// Entitlement is the number of people an applicant may have funded.
func (p *Programme) Entitlement(applicantKind string, population int) int {
	for _, r := range p.Contingent {
		if r.ApplicantKind == applicantKind && population >= r.MinPopulation && (r.MaxPopulation == 0 || population <= r.MaxPopulation) {
			return r.PeopleFor(population)
		}
	}
	return 0
}

// VoucherValue is what one voucher of track t is worth for a training of
// days days (0: the track's standard length).
func (t Track) VoucherValue(days int) int64 {
	switch t.Rule {
	case RulePerDay:
		if days <= 0 {
			days = 1
		}
		if t.MaxDays > 0 && days > t.MaxDays {
			days = t.MaxDays
		}
		v := t.AmountCents * int64(days)
		if t.MaxCents > 0 && v > t.MaxCents {
			v = t.MaxCents
		}
		return v
	default:
		return t.AmountCents
	}
}

// Validate checks the programme's settings.
func (p *Programme) Validate() error {
	v := Validation{}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 200 {
		v.Add("name", "Bitte geben Sie einen Namen mit höchstens 200 Zeichen an.")
	}
	if len(p.State) != 2 || !ValidAGS(p.State+"000") {
		v.Add("state", "Das Land wird mit seinem zweistelligen Schlüssel angegeben, z. B. 08.")
	}
	if len(p.Tracks) == 0 {
		v.Add("tracks", "Ein Förderprogramm braucht mindestens eine Qualifizierung.")
	}
	seen := map[string]bool{}
	for i, t := range p.Tracks {
		f := fmt.Sprintf("tracks.%d", i)
		switch {
		case t.Key != TrackBasis && t.Key != TrackAdvanced:
			v.Add(f+".key", "Die Qualifizierung muss „basis“ oder „advanced“ sein.")
		case seen[t.Key]:
			v.Add(f+".key", "Jede Qualifizierung darf nur einmal vorkommen.")
		}
		seen[t.Key] = true
		if strings.TrimSpace(t.Name) == "" {
			v.Add(f+".name", "Bitte geben Sie der Qualifizierung einen Namen.")
		}
		if t.Rule != RulePerPerson && t.Rule != RulePerDay {
			v.Add(f+".rule", "Die Förderregel muss „per_person“ oder „per_day“ sein.")
		}
		if t.AmountCents <= 0 || t.AmountCents > 10_000_00 {
			v.Add(f+".amount_cents", "Der Förderbetrag muss zwischen 0,01 € und 10.000 € liegen.")
		}
		if t.MaxCents < 0 || (t.MaxCents > 0 && t.MaxCents < t.AmountCents && t.Rule == RulePerPerson) {
			v.Add(f+".max_cents", "Der Höchstbetrag darf nicht kleiner als der Förderbetrag sein.")
		}
		if t.MaxDays < 0 || t.Days < 0 || t.MaxDays > 365 || t.Days > 365 {
			v.Add(f+".max_days", "Die Zahl der Tage muss zwischen 0 und 365 liegen.")
		}
	}
	if len(p.Contingent) == 0 {
		v.Add("contingent", "Die Kontingenttabelle braucht mindestens eine Zeile.")
	}
	for i, r := range p.Contingent {
		f := fmt.Sprintf("contingent.%d", i)
		if r.ApplicantKind != ApplicantMunicipality && r.ApplicantKind != ApplicantDistrict {
			v.Add(f+".applicant_kind", "Antragsteller sind „municipality“ oder „district“.")
		}
		if r.MinPopulation < 0 || (r.MaxPopulation != 0 && r.MaxPopulation < r.MinPopulation) {
			v.Add(f+".max_population", "Die Obergrenze der Einwohnerzahl muss über der Untergrenze liegen.")
		}
		if r.People < 1 || r.People > 1000 {
			v.Add(f+".people", "Die Zahl der förderfähigen Personen muss zwischen 1 und 1.000 liegen.")
		}
		if r.PerInhabitants < 0 || r.PerInhabitants > 10_000_000 {
			v.Add(f+".per_inhabitants", "Die Einwohnerzahl je Person muss zwischen 0 (keine Formel) und 10.000.000 liegen.")
		}
		if r.MaxPeople < 0 || r.MaxPeople > 1000 || (r.MaxPeople > 0 && r.MaxPeople < r.People) {
			v.Add(f+".max_people", "Die Höchstzahl muss zwischen der Mindestzahl der Personen und 1.000 liegen (0: ohne Obergrenze).")
		}
		for j := 0; j < i; j++ {
			o := p.Contingent[j]
			if o.ApplicantKind == r.ApplicantKind && overlaps(o, r) {
				v.Add(f+".min_population", "Die Einwohnerspannen einer Antragstellerart dürfen sich nicht überschneiden.")
			}
		}
	}
	if len(p.Reviewers) == 0 {
		v.Add("reviewers", "Bitte legen Sie fest, welcher Verband welche Anträge prüft.")
	}
	if p.FourEyes == "" {
		p.FourEyes = FourEyesOff
	}
	if !slices.Contains(FourEyesModes, p.FourEyes) {
		v.Add("four_eyes", "Das Vier-Augen-Prinzip ist „off“, „all“, „districts“ oder „municipalities“.")
	}
	if p.VoucherValidityDays < 1 || p.VoucherValidityDays > 3650 {
		v.Add("voucher_validity_days", "Die Gültigkeit der Gutscheine muss zwischen 1 und 3.650 Tagen liegen.")
	}
	validateProgrammeData(p, v)
	if p.Payer != nil {
		py := p.Payer
		for _, f := range []*string{&py.Name, &py.Street, &py.Postcode, &py.City, &py.LeitwegID, &py.Email} {
			*f = strings.TrimSpace(*f)
		}
		if py.Name == "" || py.Street == "" || py.City == "" {
			v.Add("payer.name", "Bitte geben Sie Name und Anschrift der zahlenden Stelle an.")
		}
		if len(py.Postcode) != 5 || strings.Trim(py.Postcode, "0123456789") != "" {
			v.Add("payer.postcode", "Die Postleitzahl der zahlenden Stelle hat fünf Ziffern.")
		}
		if !ValidLeitwegID(py.LeitwegID) {
			v.Add("payer.leitweg_id", "Diese Leitweg-ID ist nicht gültig: Bitte prüfen Sie Aufbau und Prüfziffer (z. B. 08111000-STBW01-73).")
		}
		if !ValidEmail(py.Email) {
			v.Add("payer.email", "Bitte geben Sie die E-Mail-Adresse an, an die E-Rechnungen gehen.")
		}
	}
	return v.Err()
}

func overlaps(a, b ContingentRule) bool {
	amax, bmax := a.MaxPopulation, b.MaxPopulation
	if amax == 0 {
		amax = int(^uint(0) >> 1)
	}
	if bmax == 0 {
		bmax = int(^uint(0) >> 1)
	}
	return a.MinPopulation <= bmax && b.MinPopulation <= amax
}

// Contingent is what an applicant may still apply for.
type Contingent struct {
	Programme     string `json:"programme"`
	AGS           string `json:"ags"`
	Name          string `json:"name"`
	Population    int    `json:"population"`
	ApplicantKind string `json:"applicant_kind"`
	Total         int    `json:"total"`
	Used          int    `json:"used"`
	Remaining     int    `json:"remaining"`
}

// trackGender is the grammatical gender of a track's name, read from its
// ending: "Basisqualifizierung" is feminine, "Aufbauprogramm" neuter.
// Names it cannot read are said with "Qualifizierung „…“".
func trackGender(name string) byte {
	lower := strings.ToLower(name)
	for _, suf := range []string{"ung", "heit", "keit", "schaft", "ion", "reihe", "schulung"} {
		if strings.HasSuffix(lower, suf) {
			return 'f'
		}
	}
	for _, suf := range []string{"programm", "modul", "seminar", "training", "studium", "zertifikat"} {
		if strings.HasSuffix(lower, suf) {
			return 'n'
		}
	}
	for _, suf := range []string{"kurs", "lehrgang", "workshop"} {
		if strings.HasSuffix(lower, suf) {
			return 'm'
		}
	}
	return 0
}

// trackCase names the track with its article in a grammatical case
// (0 nominative, 1 genitive, 2 dative, 3 accusative).
func (t Track) trackCase(c int) string {
	articles := map[byte][4]string{
		'f': {"die", "der", "der", "die"},
		'n': {"das", "des", "dem", "das"},
		'm': {"der", "des", "dem", "den"},
	}
	g := trackGender(t.Name)
	if g == 0 {
		return [4]string{"die", "der", "der", "die"}[c] + " Qualifizierung „" + t.Name + "“"
	}
	name := t.Name
	if c == 1 && g != 'f' {
		if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "ß") || strings.HasSuffix(name, "x") || strings.HasSuffix(name, "z") {
			name += "es"
		} else {
			name += "s"
		}
	}
	return articles[g][c] + " " + name
}

// Nominative is the track's name with its article: "die
// Basisqualifizierung", "das Aufbauprogramm".
func (t Track) Nominative() string { return t.trackCase(0) }

// Genitive: "der Basisqualifizierung", "des Aufbauprogramms".
func (t Track) Genitive() string { return t.trackCase(1) }

// Dative: "der Basisqualifizierung", "dem Aufbauprogramm".
func (t Track) Dative() string { return t.trackCase(2) }

// Accusative: "die Basisqualifizierung", "das Aufbauprogramm".
func (t Track) Accusative() string { return t.trackCase(3) }

// PeopleWithinContingent checks a number of people for a track against
// what remains of the contingent; own are the places the application
// itself holds already (one returned for changes). Tracks that do not
// count against the contingent pass.
func PeopleWithinContingent(t Track, c *Contingent, own, n int) error {
	if !t.CountsAgainstContingent || c == nil {
		return nil
	}
	avail := c.Remaining + own
	if n <= avail {
		return nil
	}
	var msg string
	switch {
	case avail <= 0:
		msg = "Im Kontingent ist kein Platz mehr frei."
	case avail == 1:
		msg = "Im Kontingent ist nur noch 1 Platz frei."
	default:
		msg = fmt.Sprintf("Im Kontingent sind nur noch %d Plätze frei.", avail)
	}
	return &Error{Code: EInvalid, Message: "Das Kontingent reicht nicht für " + Plural(n, "Person", "Personen") + ".",
		Fields: map[string]string{"people": msg}}
}
