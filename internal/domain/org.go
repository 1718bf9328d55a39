package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgKind is the kind of an organisation.
type OrgKind string

const (
	OrgMunicipality OrgKind = "municipality" // Kommune or Landkreis/Stadtkreis
	OrgAssociation  OrgKind = "association"  // Kommunaler Landesverband
	OrgProvider     OrgKind = "provider"     // Bildungsträger
	OrgFunder       OrgKind = "funder"       // Ministerium
	OrgPlatform     OrgKind = "platform"     // the platform operator
)

// OrgKinds lists every kind in display order.
var OrgKinds = []OrgKind{OrgMunicipality, OrgAssociation, OrgProvider, OrgFunder, OrgPlatform}

// Label is the German name of the kind.
func (k OrgKind) Label() string {
	switch k {
	case OrgMunicipality:
		return "Kommune"
	case OrgAssociation:
		return "Kommunaler Landesverband"
	case OrgProvider:
		return "Bildungsträger"
	case OrgFunder:
		return "Fördergeber"
	case OrgPlatform:
		return "Plattformbetrieb"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { return slices.Contains(OrgKinds, k) }

// Role is a role within an organisation membership.
type Role string

const (
	RoleSignatory      Role = "signatory"
	RoleHR             Role = "hr"
	RoleAccountAdmin   Role = "account_admin"
	RoleParticipant    Role = "participant"
	RoleReviewer       Role = "reviewer"
	RoleEventOrganiser Role = "event_organiser"
	RoleModerator      Role = "moderator"
	RoleProviderStaff  Role = "provider_staff"
	RoleFunder         Role = "funder"
	RoleAdmin          Role = "admin"
)

// Label is the German name of the role.
func (r Role) Label() string {
	switch r {
	case RoleSignatory:
		return "Zeichnungsberechtigt"
	case RoleHR:
		return "Personalabteilung"
	case RoleAccountAdmin:
		return "Kontoverwaltung"
	case RoleParticipant:
		return "Teilnehmende Person"
	case RoleReviewer:
		return "Prüfung"
	case RoleEventOrganiser:
		return "Veranstaltungsorganisation"
	case RoleModerator:
		return "Moderation"
	case RoleProviderStaff:
		return "Mitarbeit Bildungsträger"
	case RoleFunder:
		return "Förderung"
	case RoleAdmin:
		return "Plattformadministration"
	}
	return string(r)
}

// RolesFor lists the roles a membership in an organisation of kind k may hold.
// account_admin and participant exist in every kind.
func RolesFor(k OrgKind) []Role {
	base := []Role{RoleParticipant, RoleAccountAdmin}
	switch k {
	case OrgMunicipality:
		return append([]Role{RoleSignatory, RoleHR}, base...)
	case OrgAssociation:
		return append([]Role{RoleReviewer, RoleEventOrganiser, RoleModerator}, base...)
	case OrgProvider:
		return append([]Role{RoleProviderStaff}, base...)
	case OrgFunder:
		return append([]Role{RoleFunder}, base...)
	case OrgPlatform:
		return append([]Role{RoleAdmin}, base...)
	}
	return base
}

// ValidateRoles checks that every role is allowed for kind k and removes
// duplicates, keeping the order of RolesFor.
func ValidateRoles(k OrgKind, roles []Role) ([]Role, error) {
	allowed := RolesFor(k)
	var out []Role
	for _, r := range roles {
		if !slices.Contains(allowed, r) {
			return nil, Errorf(EInvalid, "Die Rolle „%s“ gibt es für %s nicht.", r, k.Label())
		}
	}
	for _, r := range allowed {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Organisation is an account on the platform that people act for.
type Organisation struct {
	ID        int64     `json:"id"`
	Kind      OrgKind   `json:"kind"`
	Name      string    `json:"name"`
	AGS       string    `json:"ags,omitempty"` // municipalities: the directory key
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the organisation's fields.
func (o *Organisation) Validate() error {
	v := Validation{}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		v.Add("name", "Bitte geben Sie einen Namen an.")
	} else if utf8.RuneCountInString(o.Name) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if !o.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie eine Art der Organisation.")
	}
	if o.Kind == OrgMunicipality {
		if !ValidAGS(o.AGS) {
			v.Add("ags", "Bitte geben Sie einen gültigen Amtlichen Gemeindeschlüssel (5 oder 8 Ziffern) an.")
		}
	} else if o.AGS != "" {
		v.Add("ags", "Nur Kommunen haben einen Amtlichen Gemeindeschlüssel.")
	}
	return v.Err()
}

// ValidAGS reports whether s is a district (5 digits) or municipality (8 digits) key.
func ValidAGS(s string) bool {
	if len(s) != 5 && len(s) != 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// OrgFilter selects organisations; nil fields are not filtered.
type OrgFilter struct {
	Kind     *OrgKind
	Query    *string
	PersonID *int64 // organisations the person is a member of
	// After is where the page continues: the name (Key) and ID of the
	// last organisation of the previous page.
	After   KeyCursor
	Limit   int
	Offset  int  // for the page numbers of older API clients
	NoTotal bool // count nothing (the total is -1)
}

// Membership is a person's membership in an organisation with its roles.
type Membership struct {
	OrgID     int64     `json:"organisation_id"`
	OrgName   string    `json:"organisation_name"`
	OrgKind   OrgKind   `json:"organisation_kind"`
	PersonID  int64     `json:"person_id"`
	Roles     []Role    `json:"roles"`
	CreatedAt time.Time `json:"created_at"`
}

// Has reports whether the membership holds role r.
func (m Membership) Has(r Role) bool { return slices.Contains(m.Roles, r) }

// Member is a person seen from their organisation.
type Member struct {
	Person     Person     `json:"person"`
	Membership Membership `json:"membership"`
}
