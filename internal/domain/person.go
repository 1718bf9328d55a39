package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Person is a user account. A person has one account and any number of
// memberships.
type Person struct {
	ID              int64      `json:"id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	PasswordHash    string     `json:"-"`
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address without a display name.
func ValidEmail(s string) bool {
	if len(s) > 254 || s == "" {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// Validate checks the person's fields and normalizes the address.
func (p *Person) Validate() error {
	v := Validation{}
	p.Email = NormalizeEmail(p.Email)
	p.Name = strings.TrimSpace(p.Name)
	if !ValidEmail(p.Email) {
		v.Add("email", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de.")
	}
	if p.Name == "" {
		v.Add("name", "Bitte geben Sie Ihren Namen an.")
	} else if utf8.RuneCountInString(p.Name) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	return v.Err()
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	v := Validation{}
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		v.Add("password", "Das Passwort muss mindestens 10 Zeichen lang sein.")
	case len(pw) > 256:
		v.Add("password", "Das Passwort darf höchstens 256 Zeichen lang sein.")
	}
	return v.Err()
}

// Actor is who performs a request: a person with their memberships, or nobody.
type Actor struct {
	Person      *Person
	Memberships []Membership
	TokenID     int64 // set when the request is authenticated by an API token
	// Scopes limit an API token (none: full access); Changes says the
	// request changes something (not GET or HEAD). authz decides with both.
	Scopes  []TokenScope
	Changes bool
}

// Anonymous reports whether no one is logged in.
func (a *Actor) Anonymous() bool { return a == nil || a.Person == nil }

// PersonID returns the person's ID or 0.
func (a *Actor) PersonID() int64 {
	if a.Anonymous() {
		return 0
	}
	return a.Person.ID
}

// HasRole reports whether the actor holds role r in organisation orgID.
func (a *Actor) HasRole(orgID int64, r Role) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgID == orgID && m.Has(r) {
			return true
		}
	}
	return false
}

// MemberOf reports whether the actor is a member of organisation orgID.
func (a *Actor) MemberOf(orgID int64) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgID == orgID {
			return true
		}
	}
	return false
}

// HasAnyRole reports whether the actor holds role r in any organisation.
func (a *Actor) HasAnyRole(r Role) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.Has(r) {
			return true
		}
	}
	return false
}

// APIToken is a personal token for the API. Only its hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	PersonID   int64      `json:"-"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters, to recognise it in lists
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	ExpiresAt  time.Time  `json:"expires_at"`
	// Scopes limit the token; ["full"] is full access.
	Scopes []TokenScope `json:"scopes"`
}

// Expired reports whether the token has expired at now.
func (t APIToken) Expired(now time.Time) bool { return !t.ExpiresAt.After(now) }

// ScopesLabel names what the token may do, in German.
func (t APIToken) ScopesLabel() string {
	if len(t.Scopes) == 1 && t.Scopes[0] == ScopeFull {
		return ScopeFull.Label()
	}
	return ScopesLabel(t.Scopes)
}

// Invitation invites an e-mail address into an organisation with roles.
type Invitation struct {
	ID         int64      `json:"id"`
	OrgID      int64      `json:"organisation_id"`
	Email      string     `json:"email"`
	Roles      []Role     `json:"roles"`
	InvitedBy  int64      `json:"invited_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Status is the German status of the invitation at time now.
func (i Invitation) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return "angenommen"
	case i.RevokedAt != nil:
		return "zurückgezogen"
	case now.After(i.ExpiresAt):
		return "abgelaufen"
	}
	return "offen"
}

// Open reports whether the invitation can still be accepted at time now.
func (i Invitation) Open(now time.Time) bool { return i.Status(now) == "offen" }
