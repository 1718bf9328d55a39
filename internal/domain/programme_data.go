package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ProgrammeFormat is the version of the programme export (ProgrammeExport).
// An import refuses other versions; a change that old readers would
// misread gets a new number.
const ProgrammeFormat = 1

var (
	programmeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$`)
	orgKeyPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$`)
)

// ValidProgrammeID reports whether id can name a programme: 3 to 64
// lower-case letters, digits and hyphens, e.g. "digitallotsen-he".
func ValidProgrammeID(id string) bool {
	return programmeIDPattern.MatchString(id) && id != "neu" && id != "import"
}

// ValidOrgKey reports whether k can be an organisation's stable key.
func ValidOrgKey(k string) bool { return orgKeyPattern.MatchString(k) }

// OrgKeyFromName makes a stable key from an organisation's name:
// "Städtetag Baden-Württemberg" becomes "staedtetag-baden-wuerttemberg".
func OrgKeyFromName(name string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")
	s := strings.ToLower(r.Replace(name))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	k := strings.TrimRight(b.String(), "-")
	if len(k) > 56 {
		k = strings.TrimRight(k[:56], "-")
	}
	if len(k) < 2 {
		k = "org-" + k
	}
	return k
}

// ParseDay reads a date such as "2026-01-31".
func ParseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// validateProgrammeData checks the settings that make a programme data:
// its ID, dates, contract text and budget.
func validateProgrammeData(p *Programme, v Validation) {
	if p.ID != "" && !ValidProgrammeID(p.ID) {
		v.Add("id", "Die Kennung besteht aus 3 bis 64 Kleinbuchstaben, Ziffern und Bindestrichen, z. B. digitallotsen-he.")
	}
	p.StartsOn, p.EndsOn = strings.TrimSpace(p.StartsOn), strings.TrimSpace(p.EndsOn)
	start, okStart := ParseDay(p.StartsOn)
	end, okEnd := ParseDay(p.EndsOn)
	if p.StartsOn != "" && !okStart {
		v.Add("starts_on", "Bitte geben Sie den Beginn als Datum an, z. B. 2026-01-01.")
	}
	if p.EndsOn != "" && !okEnd {
		v.Add("ends_on", "Bitte geben Sie das Ende als Datum an, z. B. 2027-12-31.")
	}
	if okStart && okEnd && end.Before(start) {
		v.Add("ends_on", "Das Ende darf nicht vor dem Beginn liegen.")
	}
	p.ContractText = strings.TrimSpace(strings.ReplaceAll(p.ContractText, "\r\n", "\n"))
	if utf8.RuneCountInString(p.ContractText) > 20000 {
		v.Add("contract_text", "Der Vertragstext darf höchstens 20.000 Zeichen lang sein.")
	}
	if p.BudgetCents < 0 || p.BudgetCents > 100_000_000_000 {
		v.Add("budget_cents", "Das Budget muss zwischen 0 € und 1 Mrd. € liegen.")
	}
	if len(p.Conditions) > 50 {
		v.Add("conditions", "Ein Programm hat höchstens 50 Förderbedingungen.")
	}
	for i, c := range p.Conditions {
		if utf8.RuneCountInString(c) > 2000 {
			v.Add(fmt.Sprintf("conditions.%d", i), "Eine Förderbedingung darf höchstens 2.000 Zeichen lang sein.")
		}
	}
}

// AcceptsOn reports whether day lies within the programme's dates (the
// dates are whole days, in the programme's time zone as written).
func (p *Programme) AcceptsOn(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return (p.StartsOn == "" || d >= p.StartsOn) && (p.EndsOn == "" || d <= p.EndsOn)
}

// ContractParagraphs splits the contract text into paragraphs.
func (p *Programme) ContractParagraphs() []string {
	var out []string
	for _, para := range strings.Split(p.ContractText, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// OrgRef names an organisation across instances: by its stable key, with
// its name and kind so that a missing one can be reported and created.
type OrgRef struct {
	Key  string  `json:"key"`
	Name string  `json:"name"`
	Kind OrgKind `json:"kind"`
}

// ExportReviewer is a ReviewerRule that names its association by key.
type ExportReviewer struct {
	Association string `json:"association"`
	TypeCodes   []int  `json:"type_codes"`
}

// ExportedProgramme is a programme's settings with organisations named by
// their stable keys instead of this instance's IDs.
type ExportedProgramme struct {
	ID                  string           `json:"id"`
	Name                string           `json:"name"`
	State               string           `json:"state"`
	Open                bool             `json:"open"`
	Funder              string           `json:"funder"`
	Tracks              []Track          `json:"tracks"`
	Contingent          []ContingentRule `json:"contingent"`
	Providers           []string         `json:"providers"`
	Reviewers           []ExportReviewer `json:"reviewers"`
	VoucherValidityDays int              `json:"voucher_validity_days"`
	Conditions          []string         `json:"conditions"`
	FourEyes            string           `json:"four_eyes"`
	Payer               *Payer           `json:"payer,omitempty"`
	ContractText        string           `json:"contract_text,omitempty"`
	BudgetCents         int64            `json:"budget_cents,omitempty"`
	StartsOn            string           `json:"starts_on,omitempty"`
	EndsOn              string           `json:"ends_on,omitempty"`
	// RequireSecondFactor: the programme requires a second factor of the
	// people who act on its contracts and money (signatories, reviewers,
	// its funder).
	RequireSecondFactor bool `json:"require_second_factor,omitempty"`
}

// ProgrammeExport is the versioned JSON document a programme travels in
// from one instance to another (docs/programmes.md).
type ProgrammeExport struct {
	Format     int               `json:"format"`
	ExportedAt time.Time         `json:"exported_at"`
	Programme  ExportedProgramme `json:"programme"`
	// Organisations lists every organisation the programme names.
	Organisations []OrgRef `json:"organisations"`
}

// ExportProgramme turns p into the export document; refs gives each
// organisation p names its reference.
func ExportProgramme(p *Programme, refs map[int64]OrgRef, at time.Time) *ProgrammeExport {
	x := &ProgrammeExport{Format: ProgrammeFormat, ExportedAt: at.UTC(), Programme: ExportedProgramme{
		ID: p.ID, Name: p.Name, State: p.State, Open: p.Open, Funder: refs[p.FunderID].Key,
		Tracks: p.Tracks, Contingent: p.Contingent, Providers: []string{}, Reviewers: []ExportReviewer{},
		VoucherValidityDays: p.VoucherValidityDays, Conditions: p.Conditions, FourEyes: p.FourEyes, Payer: p.Payer,
		ContractText: p.ContractText, BudgetCents: p.BudgetCents, StartsOn: p.StartsOn, EndsOn: p.EndsOn}}
	seen := map[int64]bool{}
	add := func(id int64) string {
		r := refs[id]
		if !seen[id] {
			seen[id] = true
			x.Organisations = append(x.Organisations, r)
		}
		return r.Key
	}
	add(p.FunderID)
	for _, id := range p.ProviderIDs {
		x.Programme.Providers = append(x.Programme.Providers, add(id))
	}
	for _, r := range p.Reviewers {
		x.Programme.Reviewers = append(x.Programme.Reviewers, ExportReviewer{Association: add(r.AssociationID), TypeCodes: r.TypeCodes})
	}
	return x
}

// Check validates the document's frame: its version and that every key
// the programme uses is listed with a name and the right kind. The
// programme's own settings are checked by Programme.Validate.
func (x *ProgrammeExport) Check() error {
	if x.Format != ProgrammeFormat {
		if x.Format == 0 {
			return Errorf(EInvalid, "Die Datei ist kein Export eines Förderprogramms: Das Feld „format“ fehlt.")
		}
		return Errorf(EInvalid, "Die Datei hat das Format %d; diese Plattform liest nur Format %d. Bitte exportieren Sie das Programm mit einer passenden Version.", x.Format, ProgrammeFormat)
	}
	v := Validation{}
	listed := map[string]OrgRef{}
	for i, o := range x.Organisations {
		if !ValidOrgKey(o.Key) {
			v.Add(fmt.Sprintf("organisations.%d.key", i), fmt.Sprintf("Der Schlüssel „%s“ ist ungültig: erlaubt sind Kleinbuchstaben, Ziffern und Bindestriche.", o.Key))
			continue
		}
		if strings.TrimSpace(o.Name) == "" || !o.Kind.Valid() {
			v.Add(fmt.Sprintf("organisations.%d", i), fmt.Sprintf("Zur Organisation „%s“ fehlen Name oder Art.", o.Key))
		}
		listed[o.Key] = o
	}
	need := func(field, key string, kind OrgKind, what string) {
		o, ok := listed[key]
		switch {
		case key == "":
			v.Add(field, "Es fehlt der Schlüssel "+what+".")
		case !ok:
			v.Add(field, fmt.Sprintf("Die Organisation „%s“ (%s) steht nicht in der Liste der Organisationen.", key, what))
		case o.Kind != kind:
			v.Add(field, fmt.Sprintf("Die Organisation „%s“ ist als %s angegeben, hat aber eine andere Art.", key, what))
		}
	}
	p := x.Programme
	need("programme.funder", p.Funder, OrgFunder, "des Fördergebers")
	for i, k := range p.Providers {
		need(fmt.Sprintf("programme.providers.%d", i), k, OrgProvider, "eines Bildungsträgers")
	}
	for i, r := range p.Reviewers {
		need(fmt.Sprintf("programme.reviewers.%d", i), r.Association, OrgAssociation, "einer prüfenden Stelle")
	}
	return v.Err()
}

// Programme turns the document back into a programme with this instance's
// IDs; ids maps each key to an organisation ID. Keys without an ID are
// returned as missing (sorted), and the programme is then nil.
func (x *ProgrammeExport) ToProgramme(ids map[string]int64) (*Programme, []OrgRef) {
	var missing []OrgRef
	for _, o := range x.Organisations {
		if ids[o.Key] == 0 {
			missing = append(missing, o)
		}
	}
	if len(missing) > 0 {
		slices.SortFunc(missing, func(a, b OrgRef) int { return strings.Compare(a.Key, b.Key) })
		return nil, missing
	}
	e := x.Programme
	p := &Programme{ID: e.ID, Name: e.Name, State: e.State, Open: e.Open, FunderID: ids[e.Funder], Tracks: e.Tracks,
		Contingent: e.Contingent, VoucherValidityDays: e.VoucherValidityDays, Conditions: e.Conditions, FourEyes: e.FourEyes,
		Payer: e.Payer, ContractText: e.ContractText, BudgetCents: e.BudgetCents, StartsOn: e.StartsOn, EndsOn: e.EndsOn}
	for _, k := range e.Providers {
		p.ProviderIDs = append(p.ProviderIDs, ids[k])
	}
	for _, r := range e.Reviewers {
		p.Reviewers = append(p.Reviewers, ReviewerRule{AssociationID: ids[r.Association], TypeCodes: r.TypeCodes})
	}
	return p, nil
}

// MissingOrganisations is the import's error when the other instance lacks
// organisations the programme names.
func MissingOrganisations(missing []OrgRef) error {
	names := make([]string, len(missing))
	for i, o := range missing {
		names[i] = fmt.Sprintf("„%s“ (%s, Schlüssel %s)", o.Name, o.Kind.Label(), o.Key)
	}
	msg := "Auf dieser Plattform fehlt die Organisation " + names[0] + "."
	if len(names) > 1 {
		msg = "Auf dieser Plattform fehlen die Organisationen " + strings.Join(names[:len(names)-1], ", ") + " und " + names[len(names)-1] + "."
	}
	msg += " Bitte legen Sie sie an oder wählen Sie beim Import, dass fehlende Organisationen angelegt werden."
	return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"organisations": msg}}
}

// PeriodLabel says when the programme accepts applications, e.g. "vom
// 01.01.2026 bis zum 31.12.2027", "ab dem 01.01.2026"; "" without dates.
func (p *Programme) PeriodLabel() string {
	de := func(s string) string {
		if t, ok := ParseDay(s); ok {
			return t.Format("02.01.2006")
		}
		return s
	}
	switch {
	case p.StartsOn != "" && p.EndsOn != "":
		return "vom " + de(p.StartsOn) + " bis zum " + de(p.EndsOn)
	case p.StartsOn != "":
		return "ab dem " + de(p.StartsOn)
	case p.EndsOn != "":
		return "bis zum " + de(p.EndsOn)
	}
	return ""
}

// ErrProgrammeIDTaken is the conflict of a new programme whose ID exists.
func ErrProgrammeIDTaken(id string) error {
	msg := fmt.Sprintf("Ein Förderprogramm mit der Kennung „%s“ gibt es schon. Bitte wählen Sie eine andere Kennung.", id)
	return &Error{Code: EConflict, Message: msg, Fields: map[string]string{"id": msg}}
}

// ErrProgrammeOrgGone is the error of a programme naming an organisation
// that no longer exists.
func ErrProgrammeOrgGone(id int64) error {
	return Errorf(EInvalid, "Eine Organisation des Programms gibt es nicht mehr (Nummer %d).", id)
}

// ErrOrgKeyTaken is the conflict of a stable key another organisation holds.
func ErrOrgKeyTaken(k string) error {
	return Errorf(EConflict, "Den Schlüssel „%s“ trägt schon eine andere Organisation.", k)
}

// ParseProgrammeExport reads an export document: first its version (so a
// newer format is refused by its number, not by a field this version does
// not know), then the document itself, strictly.
func ParseProgrammeExport(b []byte) (*ProgrammeExport, error) {
	var head struct {
		Format json.RawMessage `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, Errorf(EInvalid, "Die Datei ist kein gültiges JSON und damit kein Export eines Förderprogramms.")
	}
	var n int
	if len(head.Format) == 0 || json.Unmarshal(head.Format, &n) != nil {
		return nil, Errorf(EInvalid, "Die Datei ist kein Export eines Förderprogramms: Das Feld „format“ fehlt oder ist keine Zahl.")
	}
	if n != ProgrammeFormat {
		return nil, (&ProgrammeExport{Format: n}).Check()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var x ProgrammeExport
	if err := dec.Decode(&x); err != nil {
		return nil, Errorf(EInvalid, "Die Datei passt nicht zum Format %d eines Förderprogramms: %s", ProgrammeFormat, jsonProblem(err))
	}
	return &x, x.Check()
}

// jsonProblem says in German what is wrong with a document, without the
// decoder's English.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("Das Feld „%s“ hat den falschen Typ.", te.Field)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("Das Feld „%s“ ist unbekannt.", strings.ReplaceAll(f, `"`, ""))
	}
	return "Der Aufbau ist fehlerhaft."
}

var stateNames = map[string]string{"01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
	"05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland",
	"11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen"}

// StateName names a state by its two-digit key ("06": "Hessen").
func StateName(code string) string {
	if n, ok := stateNames[code]; ok {
		return n
	}
	return code
}
