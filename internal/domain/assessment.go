package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Competence levels of a self-assessment, a role profile and an offer
// (an offer teaches up to level 1-3).
const (
	CompetenceNone    = 0
	CompetenceBasic   = 1
	CompetenceApplied = 2
	CompetenceExpert  = 3
)

// CompetenceLevel describes one level in plain German, for the form.
type CompetenceLevel struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// CompetenceLevels are the four levels people rate themselves on.
var CompetenceLevels = []CompetenceLevel{
	{CompetenceNone, "Keine Kenntnisse", "Ich habe mich mit dem Thema noch nicht befasst."},
	{CompetenceBasic, "Grundlagen", "Ich kenne die Begriffe und kann einfache Aufgaben mit Anleitung erledigen."},
	{CompetenceApplied, "Anwendung", "Ich wende das Wissen in meiner Arbeit selbstständig an."},
	{CompetenceExpert, "Expertise", "Ich berate andere, leite Vorhaben und gebe mein Wissen weiter."},
}

// CompetenceLevelName is the German name of level l ("Grundlagen").
func CompetenceLevelName(l int) string {
	if l >= 0 && l < len(CompetenceLevels) {
		return CompetenceLevels[l].Name
	}
	return ""
}

// AssessmentItem is a person's rating of one competence: where they stand
// and where they want to be.
type AssessmentItem struct {
	Code   string `json:"code"`
	Name   string `json:"name,omitempty"`
	Level  int    `json:"level"`
	Target int    `json:"target"`
}

// Gap is how many levels lie between Level and Target (0 when none).
func (it AssessmentItem) Gap() int { return max(it.Target-it.Level, 0) }

// Region preferences of an assessment.
const (
	RegionAny    = ""       // online and in person
	RegionOnline = "online" // online only
	RegionNearby = "nearby" // in person within MaxDistanceKm, or online
)

// Preferences are how a person wants to learn.
type Preferences struct {
	// Formats the person prefers (Format* constants); empty: any.
	Formats []string `json:"formats"`
	// Region is RegionAny, RegionOnline or RegionNearby.
	Region string `json:"region"`
	// MaxDistanceKm is the longest journey to a session; 0: no limit.
	MaxDistanceKm int `json:"max_distance_km"`
	// DaysPerMonth is how many days a month the person can spend; 0: not said.
	DaysPerMonth int `json:"days_per_month"`
	// BudgetCents is the most the person (or their employer) would pay
	// after funding; 0: not said.
	BudgetCents int64 `json:"budget_cents"`
}

// Limits of an assessment.
const (
	MaxGoalsLength    = 2000
	MaxAssessmentKm   = 1000
	MaxAssessmentDays = 31
)

// Assessment is a person's self-assessment with goals and preferences. It
// belongs to the person; HR of an organisation sees it only while it is
// shared with that organisation.
type Assessment struct {
	PersonID    int64             `json:"person"`
	Items       []AssessmentItem  `json:"items"`
	Goals       string            `json:"goals"`
	Preferences Preferences       `json:"preferences"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Shares      []AssessmentShare `json:"shares"`
}

// AssessmentShare is an organisation an assessment is shared with.
type AssessmentShare struct {
	OrgID    int64     `json:"organisation"`
	OrgName  string    `json:"organisation_name,omitempty"`
	SharedAt time.Time `json:"shared_at"`
}

// SharedAssessment is an assessment as the HR of the organisation it is
// shared with sees it.
type SharedAssessment struct {
	Assessment
	PersonName  string `json:"person_name"`
	PersonEmail string `json:"person_email"`
}

// Normalize trims the text and drops the format preferences given twice.
// The items keep their order, so that field messages name the input's
// positions.
func (a *Assessment) Normalize() {
	a.Goals = strings.TrimSpace(a.Goals)
	a.Preferences.Region = strings.TrimSpace(a.Preferences.Region)
	for i := range a.Items {
		a.Items[i].Code = strings.TrimSpace(a.Items[i].Code)
	}
	slices.Sort(a.Preferences.Formats)
	a.Preferences.Formats = slices.Compact(a.Preferences.Formats)
}

// Validate checks the assessment against the framework: every code must be
// a competence of it (not an area), levels and targets 0-3, no code twice.
// Field names follow the JSON: items.N.code, items.N.level, items.N.target,
// goals, preferences.formats, ...; the messages are German.
func (a *Assessment) Validate(framework []Competence) error {
	known := map[string]Competence{}
	for _, c := range framework {
		if c.Code != c.Area {
			known[c.Code] = c
		}
	}
	v := Validation{}
	seen := map[string]bool{}
	for i, it := range a.Items {
		f := fmt.Sprintf("items.%d.", i)
		c, ok := known[it.Code]
		switch {
		case it.Code == "":
			v.Add(f+"code", "Bitte geben Sie den Code der Kompetenz an.")
		case !ok:
			v.Add(f+"code", fmt.Sprintf("Die Kompetenz „%s“ gibt es im Kompetenzrahmen nicht.", clipRunes(it.Code, 40)))
		case seen[it.Code]:
			v.Add(f+"code", fmt.Sprintf("Die Kompetenz „%s“ ist doppelt angegeben.", c.Name))
		}
		seen[it.Code] = true
		name := it.Code
		if ok {
			name = c.Name
		}
		if it.Level < CompetenceNone || it.Level > CompetenceExpert {
			v.Add(f+"level", fmt.Sprintf("Der heutige Stand für „%s“ muss zwischen 0 und 3 liegen.", clipRunes(name, 60)))
		}
		if it.Target < CompetenceNone || it.Target > CompetenceExpert {
			v.Add(f+"target", fmt.Sprintf("Das Ziel für „%s“ muss zwischen 0 und 3 liegen.", clipRunes(name, 60)))
		}
	}
	if len(a.Items) > len(known) {
		v.Add("items", "Es sind mehr Kompetenzen angegeben, als der Kompetenzrahmen enthält.")
	}
	if utf8.RuneCountInString(a.Goals) > MaxGoalsLength {
		v.Add("goals", fmt.Sprintf("Bitte fassen Sie Ihre Ziele in höchstens %d Zeichen.", MaxGoalsLength))
	}
	p := a.Preferences
	for _, f := range p.Formats {
		if !slices.Contains(OfferFormats, f) {
			v.Add("preferences.formats", "Bitte wählen Sie die Formate aus der Liste.")
		}
	}
	if p.Region != RegionAny && p.Region != RegionOnline && p.Region != RegionNearby {
		v.Add("preferences.region", "Bitte wählen Sie „online“, „in der Nähe“ oder „egal“.")
	}
	if p.MaxDistanceKm < 0 || p.MaxDistanceKm > MaxAssessmentKm {
		v.Add("preferences.max_distance_km", fmt.Sprintf("Die Entfernung muss zwischen 0 und %d km liegen.", MaxAssessmentKm))
	}
	if p.DaysPerMonth < 0 || p.DaysPerMonth > MaxAssessmentDays {
		v.Add("preferences.days_per_month", fmt.Sprintf("Die Tage im Monat müssen zwischen 0 und %d liegen.", MaxAssessmentDays))
	}
	if p.BudgetCents < 0 || p.BudgetCents > 100_000_00 {
		v.Add("preferences.budget_cents", "Das Budget muss zwischen 0 und 100.000 € liegen.")
	}
	return v.Err()
}

// Gaps are the items whose target lies above the level, largest gap first
// (then by code).
func (a *Assessment) Gaps() []AssessmentItem {
	var out []AssessmentItem
	for _, it := range a.Items {
		if it.Gap() > 0 {
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(x, y AssessmentItem) int {
		if x.Gap() != y.Gap() {
			return y.Gap() - x.Gap()
		}
		return strings.Compare(x.Code, y.Code)
	})
	return out
}

// Item returns the rating of code.
func (a *Assessment) Item(code string) (AssessmentItem, bool) {
	for _, it := range a.Items {
		if it.Code == code {
			return it, true
		}
	}
	return AssessmentItem{}, false
}

// SharedWith reports whether the assessment is shared with org.
func (a *Assessment) SharedWith(org int64) bool {
	return slices.ContainsFunc(a.Shares, func(s AssessmentShare) bool { return s.OrgID == org })
}

// MinGroupSize is the smallest group whose aggregated figures are shown
// (assessments, role gaps, demand): smaller groups would reveal people.
const MinGroupSize = 5

// Assessment errors.
var (
	ErrAssessmentMissing  = &Error{Code: ENotFound, Message: "Sie haben noch keine Selbsteinschätzung gespeichert."}
	ErrAssessmentShareOrg = &Error{Code: EInvalid, Message: "Sie können Ihre Selbsteinschätzung nur mit einer Organisation teilen, der Sie angehören.",
		Fields: map[string]string{"organisation": "Bitte wählen Sie eine Organisation, der Sie angehören."}}
)

// clipRunes cuts s to at most n characters, with an ellipsis.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// CompetenceCount is how many people have a gap in a competence.
type CompetenceCount struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	People int    `json:"people"`
}
