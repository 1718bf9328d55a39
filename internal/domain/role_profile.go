package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RoleTarget is the level a role profile expects in one competence (1-3).
type RoleTarget struct {
	Code  string `json:"code"`
	Name  string `json:"name,omitempty"`
	Level int    `json:"level"`
}

// RoleMember is a person HR assigned to a role profile.
type RoleMember struct {
	PersonID int64  `json:"person"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// RoleProfile describes a role of a municipality ("Digitallotse/
// Digitallotsin") as target levels per competence, with the people HR
// assigned to it. It belongs to the municipality; its HR edits it.
type RoleProfile struct {
	ID          int64  `json:"id"`
	OrgID       int64  `json:"organisation"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Template is the key of the shipped template the profile was copied
	// from ("" for profiles HR created).
	Template string       `json:"template"`
	Targets  []RoleTarget `json:"targets"`
	// Members are the first RoleMembersShown of the assigned people who
	// are members of the organisation (in the order they were added to
	// the platform); MemberCount counts them all. The team overview
	// filtered by the profile lists them all, a page at a time.
	Members     []RoleMember `json:"members"`
	MemberCount int          `json:"member_count"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// RoleMembersShown is how many of a role profile's people a profile
// carries by name.
const RoleMembersShown = 20

// MoreMembers is the number of assigned people the profile does not
// carry by name.
func (p *RoleProfile) MoreMembers() int { return max(p.MemberCount-len(p.Members), 0) }

// Limits of a role profile.
const (
	MaxRoleNameLength        = 120
	MaxRoleDescriptionLength = 2000
	MaxRoleProfiles          = 100
)

// Normalize trims the text fields and codes.
func (p *RoleProfile) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Description = strings.TrimSpace(p.Description)
	for i := range p.Targets {
		p.Targets[i].Code = strings.TrimSpace(p.Targets[i].Code)
	}
}

// Validate checks the profile against the framework: a name, at least one
// target, every code a competence of the framework (not an area), levels
// 1-3, no code twice. Field names follow the JSON (name, description,
// targets.N.code, targets.N.level); the messages are German.
func (p *RoleProfile) Validate(framework []Competence) error {
	known := map[string]Competence{}
	for _, c := range framework {
		if c.Code != c.Area {
			known[c.Code] = c
		}
	}
	v := Validation{}
	switch {
	case p.Name == "":
		v.Add("name", "Bitte geben Sie der Rolle einen Namen.")
	case utf8.RuneCountInString(p.Name) > MaxRoleNameLength:
		v.Add("name", fmt.Sprintf("Der Name darf höchstens %d Zeichen lang sein.", MaxRoleNameLength))
	}
	if utf8.RuneCountInString(p.Description) > MaxRoleDescriptionLength {
		v.Add("description", fmt.Sprintf("Bitte fassen Sie die Beschreibung in höchstens %d Zeichen.", MaxRoleDescriptionLength))
	}
	if len(p.Targets) == 0 {
		v.Add("targets", "Bitte geben Sie für mindestens eine Kompetenz eine Zielstufe an.")
	}
	if len(p.Targets) > len(known) {
		v.Add("targets", "Es sind mehr Kompetenzen angegeben, als der Kompetenzrahmen enthält.")
	}
	seen := map[string]bool{}
	for i, t := range p.Targets {
		f := fmt.Sprintf("targets.%d.", i)
		c, ok := known[t.Code]
		switch {
		case t.Code == "":
			v.Add(f+"code", "Bitte geben Sie den Code der Kompetenz an.")
		case !ok:
			v.Add(f+"code", fmt.Sprintf("Die Kompetenz „%s“ gibt es im Kompetenzrahmen nicht.", clipRunes(t.Code, 40)))
		case seen[t.Code]:
			v.Add(f+"code", fmt.Sprintf("Die Kompetenz „%s“ ist doppelt angegeben.", c.Name))
		}
		seen[t.Code] = true
		name := t.Code
		if ok {
			name = c.Name
		}
		if t.Level < CompetenceBasic || t.Level > CompetenceExpert {
			v.Add(f+"level", fmt.Sprintf("Die Zielstufe für „%s“ muss zwischen 1 und 3 liegen.", clipRunes(name, 60)))
		}
	}
	return v.Err()
}

// Target returns the profile's target level for code (0: none).
func (p *RoleProfile) Target(code string) int {
	for _, t := range p.Targets {
		if t.Code == code {
			return t.Level
		}
	}
	return 0
}

// RoleProfileTemplate is a shipped role profile every municipality starts
// with (as its own, editable copy).
type RoleProfileTemplate struct {
	Key         string
	Name        string
	Description string
	Targets     []RoleTarget
}

// RoleProfileTemplates are the shipped role profiles: the programme's
// pilot role first. Codes the framework no longer has are left out when a
// template is copied.
var RoleProfileTemplates = []RoleProfileTemplate{
	{Key: "digitallotse", Name: "Digitallotse/Digitallotsin",
		Description: "Begleitet die Digitalisierung der Kommune, berät Kolleginnen und Kollegen und bringt Vorhaben vom Antrag bis zum Onlinedienst (Pilotrolle des Förderprogramms).",
		Targets: []RoleTarget{{Code: "STRAT.1", Level: 2}, {Code: "RECHT.1", Level: 2}, {Code: "EGOV.1", Level: 2}, {Code: "CHANGE.1", Level: 2},
			{Code: "CHANGE.2", Level: 2}, {Code: "PM.1", Level: 2}, {Code: "PROZ.1", Level: 2}, {Code: "KI.1", Level: 1}, {Code: "SEC.2", Level: 1}}},
	{Key: "buergerbuero", Name: "Sachbearbeitung Bürgerbüro",
		Description: "Bearbeitet Anliegen der Bürgerinnen und Bürger, auch über Onlinedienste und das Servicekonto.",
		Targets: []RoleTarget{{Code: "EGOV.1", Level: 2}, {Code: "RECHT.1", Level: 1}, {Code: "PROZ.2", Level: 1}, {Code: "SEC.2", Level: 2},
			{Code: "NEWWORK.2", Level: 1}}},
	{Key: "fuehrungskraft", Name: "Führungskraft",
		Description: "Leitet ein Amt oder eine Abteilung, setzt Prioritäten für die Digitalisierung und führt auch auf Distanz.",
		Targets: []RoleTarget{{Code: "STRAT.1", Level: 2}, {Code: "STRAT.2", Level: 2}, {Code: "CHANGE.1", Level: 3}, {Code: "PM.2", Level: 1},
			{Code: "NEWWORK.1", Level: 2}, {Code: "KI.2", Level: 1}, {Code: "SEC.1", Level: 1}}},
}

// Role profile errors.
var (
	ErrRoleProfileNotFound = &Error{Code: ENotFound, Message: "Diese Rolle gibt es nicht (mehr)."}
	ErrRoleProfileName     = &Error{Code: EConflict, Message: "Eine Rolle mit diesem Namen gibt es schon.",
		Fields: map[string]string{"name": "Eine Rolle mit diesem Namen gibt es schon. Bitte wählen Sie einen anderen Namen."}}
	ErrRoleProfileLimit = &Error{Code: EInvalid, Message: fmt.Sprintf("Eine Kommune kann höchstens %d Rollen anlegen.", MaxRoleProfiles)}
	ErrRoleOrgKind      = &Error{Code: EInvalid, Message: "Rollen und Teamlücken gibt es nur für Kommunen."}
)

// RoleMemberError says which assigned person does not belong to the
// municipality (field persons.N).
func RoleMemberError(i int) error {
	v := Validation{}
	v.Add(fmt.Sprintf("persons.%d", i), "Diese Person gehört nicht zu Ihrer Kommune.")
	return v.Err()
}

// Team gaps: what HR sees per role profile.

// GapPerson is one person who shared their assessment, with their gaps
// against the profile (missing ratings count as level 0).
type GapPerson struct {
	PersonID int64     `json:"person"`
	Name     string    `json:"name"`
	Gaps     []RoleGap `json:"gaps"`
}

// RoleGap is the distance between a profile's target and a person's level.
type RoleGap struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Target int    `json:"target"`
	Level  int    `json:"level"`
	Gap    int    `json:"gap"`
}

// GapOffer is a published offer that would close a gap, with its next
// open session and what it costs after funding.
type GapOffer struct {
	OfferID      int64      `json:"offer"`
	Title        string     `json:"title"`
	ProviderName string     `json:"provider_name"`
	Level        int        `json:"level"`
	PriceCents   int64      `json:"price_cents"`
	Track        string     `json:"funding_track,omitempty"` // "programme/track"
	TrackName    string     `json:"funding_track_name,omitempty"`
	FundingCents int64      `json:"funding_cents"`
	CostCents    int64      `json:"cost_after_funding_cents"`
	NextSession  *time.Time `json:"next_session,omitempty"`
	Place        string     `json:"place,omitempty"`
}

// CompetenceGaps are a profile's figures for one target competence. The
// aggregates are nil (BelowThreshold) when fewer than MinGroupSize people
// shared their assessment.
type CompetenceGaps struct {
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	Target         int        `json:"target"`
	WithGap        *int       `json:"people_with_gap"`
	AverageGap     *float64   `json:"average_gap"`
	BelowThreshold bool       `json:"below_threshold"`
	Offers         []GapOffer `json:"offers"`
}

// GapPeopleShown is the most people the team gaps name per role profile.
const GapPeopleShown = 50

// ProfileGaps are the gaps of one team: the people assigned to a profile.
type ProfileGaps struct {
	ProfileID int64  `json:"profile"`
	Name      string `json:"name"`
	Assigned  int    `json:"assigned"`
	Shared    int    `json:"shared"`
	NotShared int    `json:"not_shared"`
	// People are the first GapPeopleShown of those who shared, by name;
	// MorePeople counts the others.
	People      []GapPerson      `json:"people"`
	MorePeople  int              `json:"more_people"`
	Competences []CompetenceGaps `json:"competences"`
}
