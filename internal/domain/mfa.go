package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TokenScope limits what an API token may do. A token without scopes has
// full access: tokens made before scopes existed, and tokens made with
// full access on purpose.
type TokenScope string

const (
	ScopeRead     TokenScope = "read"     // reading only
	ScopeBookings TokenScope = "bookings" // reading, and booking actions
	ScopeVouchers TokenScope = "vouchers" // reading, and voucher actions
	// ScopeFull is how full access is written in forms and JSON; it is
	// never stored with other scopes.
	ScopeFull TokenScope = "full"
)

// TokenScopes lists the scopes a token can be limited to.
var TokenScopes = []TokenScope{ScopeRead, ScopeBookings, ScopeVouchers}

// Label is the German name of the scope.
func (s TokenScope) Label() string {
	switch s {
	case ScopeRead:
		return "Nur lesen"
	case ScopeBookings:
		return "Lesen und Buchungen"
	case ScopeVouchers:
		return "Lesen und Gutscheine"
	case ScopeFull:
		return "Vollzugriff"
	}
	return string(s)
}

// Token lifetimes: chosen at creation, at most a year.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
)

// TokenLifetimeDays are the lifetimes the account page offers.
var TokenLifetimeDays = []int{30, 90, 365}

// NewToken is what a person asks for when creating an API token.
type NewToken struct {
	Name string
	// ExpiresAt is when the token stops working; zero means the default
	// lifetime from now.
	ExpiresAt time.Time
	// Scopes limit the token; empty or [ScopeFull] means full access.
	Scopes []TokenScope
}

// Validate checks the request at time now, fills the default expiry and
// normalises the scopes (full access becomes no scopes).
func (t *NewToken) Validate(now time.Time) error {
	t.Name = strings.TrimSpace(t.Name)
	v := Validation{}
	if err := ValidateTokenName(t.Name); err != nil {
		v.Add("name", ErrorFields(err)["name"])
	}
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.Add(DefaultTokenLifetime)
	}
	t.ExpiresAt = t.ExpiresAt.UTC().Truncate(time.Second)
	switch {
	case !t.ExpiresAt.After(now):
		v.Add("expires_at", "Das Ablaufdatum muss in der Zukunft liegen.")
	case t.ExpiresAt.After(now.Add(MaxTokenLifetime)):
		v.Add("expires_at", "Ein API-Schlüssel gilt höchstens ein Jahr.")
	}
	var scopes []TokenScope
	full := false
	for _, s := range t.Scopes {
		switch {
		case s == ScopeFull:
			full = true
		case slices.Contains(TokenScopes, s):
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		default:
			v.Add("scopes", "Bitte wählen Sie, was der API-Schlüssel darf: read, bookings, vouchers oder full.")
		}
	}
	if full && len(scopes) > 0 {
		v.Add("scopes", "Vollzugriff lässt sich nicht mit einer Einschränkung verbinden.")
	}
	// read is contained in bookings and vouchers.
	if len(scopes) > 1 {
		scopes = slices.DeleteFunc(scopes, func(s TokenScope) bool { return s == ScopeRead })
	}
	slices.Sort(scopes)
	t.Scopes = scopes
	return v.Err()
}

// ScopesLabel names what a token with these scopes may do, in German.
func ScopesLabel(scopes []TokenScope) string {
	if len(scopes) == 0 {
		return ScopeFull.Label()
	}
	if len(scopes) == 2 {
		return "Lesen, Buchungen und Gutscheine"
	}
	return scopes[0].Label()
}

// JoinScopes is the stored form of scopes ("" is full access).
func JoinScopes(scopes []TokenScope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ",")
}

// SplitScopes reads the stored form of scopes.
func SplitScopes(s string) []TokenScope {
	if s == "" {
		return nil
	}
	var out []TokenScope
	for _, p := range strings.Split(s, ",") {
		out = append(out, TokenScope(p))
	}
	return out
}

// SecondFactor is what a person has set up as a second factor.
type SecondFactor struct {
	TOTP         bool       `json:"totp"`
	TOTPSince    *time.Time `json:"totp_since,omitempty"`
	RecoveryLeft int        `json:"recovery_codes_left"`
	Passkeys     []Passkey  `json:"passkeys"`
	Required     bool       `json:"required"`
}

// Enrolled reports whether the person has any second factor.
func (f *SecondFactor) Enrolled() bool { return f != nil && (f.TOTP || len(f.Passkeys) > 0) }

// Passkey is a WebAuthn credential registered as a second factor.
type Passkey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// ValidatePasskeyName checks and trims the name of a new passkey.
func ValidatePasskeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	v := Validation{}
	if name == "" {
		v.Add("passkey_name", "Bitte geben Sie dem Passkey einen Namen, z. B. „Laptop“.")
	} else if utf8.RuneCountInString(name) > 100 {
		v.Add("passkey_name", "Der Name darf höchstens 100 Zeichen lang sein.")
	}
	return name, v.Err()
}

// MFARoles are the roles an organisation or programme can require a
// second factor for: those who act on contracts and money.
var MFARoles = []Role{RoleSignatory, RoleReviewer, RoleFunder, RoleAdmin}

// MFARequirements are the requirements that apply to a person: the
// organisations and programmes that require a second factor.
type MFARequirements struct {
	// Orgs are the organisations requiring it for their own members.
	Orgs []int64
	// Programmes are the programmes requiring it for everyone taking part
	// in one of MFARoles.
	Programmes []ProgrammeMFA
}

// ProgrammeMFA is a programme that requires a second factor, with the
// organisations taking part in it.
type ProgrammeMFA struct {
	ID          string
	FunderID    int64
	ReviewerIDs []int64
}

// MFA is the programme as a requirement of a second factor: its funder
// and its reviewing associations.
func (p *Programme) MFA() ProgrammeMFA {
	pm := ProgrammeMFA{ID: p.ID, FunderID: p.FunderID}
	for _, r := range p.Reviewers {
		pm.ReviewerIDs = append(pm.ReviewerIDs, r.AssociationID)
	}
	return pm
}

// Errors of the second factor.
var (
	// ErrMFACode refuses a wrong or used code.
	ErrMFACode = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"code": "Der Code ist nicht richtig oder wurde schon verwendet. Bitte geben Sie den aktuellen Code ein."}}
	// ErrMFALimited refuses codes once too many were wrong.
	ErrMFALimited = &Error{Code: ERateLimited,
		Message: "Zu viele falsche Codes. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."}
	// ErrMFANotPending answers the second-factor step without a login.
	ErrMFANotPending = &Error{Code: EUnauthorized, Message: "Bitte melden Sie sich zuerst mit Ihrem Passwort an."}
	// ErrTOTPExists refuses a second TOTP enrolment.
	ErrTOTPExists = &Error{Code: EConflict, Message: "Sie haben bereits eine Authenticator-App eingerichtet."}
	// ErrTOTPNone answers a change to a TOTP that is not set up.
	ErrTOTPNone = &Error{Code: ENotFound, Message: "Sie haben keine Authenticator-App eingerichtet."}
	// ErrMFARequired refuses to switch off the last second factor of a
	// person who must have one.
	ErrMFARequired = &Error{Code: EConflict, Message: "Für Ihre Rollen ist ein zweiter Faktor vorgeschrieben. Richten Sie zuerst einen anderen ein."}
	// ErrPasskeyFailed answers a passkey ceremony that did not verify.
	ErrPasskeyFailed = &Error{Code: EInvalid, Message: "Der Passkey konnte nicht geprüft werden. Bitte versuchen Sie es erneut."}
	// ErrSessionPending answers a session that waits for its second factor.
	ErrSessionPending = &Error{Code: EUnauthorized, Message: "Bitte bestätigen Sie Ihre Anmeldung mit dem zweiten Faktor."}
	// ErrTokenExpired answers an API request with an expired token.
	ErrTokenExpired = &Error{Code: EUnauthorized, Message: "Der API-Schlüssel ist abgelaufen. Bitte legen Sie einen neuen an."}
	// ErrTokenScope refuses a request outside the token's scopes.
	ErrTokenScope = &Error{Code: EForbidden, Message: "Dieser API-Schlüssel darf diese Aktion nicht ausführen."}
)
