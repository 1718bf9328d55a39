package domain

// Errors of the account area (people, sessions, tokens, invitations, login
// limits), with their safe German messages.
var (
	// ErrLoginFailed is the one answer to a wrong address or password, so
	// that a login does not tell whether an account exists.
	ErrLoginFailed = &Error{Code: EUnauthorized, Message: "E-Mail-Adresse oder Passwort ist falsch.",
		Fields: map[string]string{"password": "E-Mail-Adresse oder Passwort ist falsch."}}
	// ErrLoginLimited refuses a login once too many attempts failed.
	ErrLoginLimited = &Error{Code: ERateLimited,
		Message: "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."}
	// ErrTooManyRequests refuses a request over a rate limit.
	ErrTooManyRequests = &Error{Code: ERateLimited, Message: "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."}
	// ErrLinkInvalid answers a reset or verification link that is unknown,
	// used or expired.
	ErrLinkInvalid = &Error{Code: EInvalid, Message: "Der Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an."}
	// ErrAlreadyVerified answers a verification request for a confirmed address.
	ErrAlreadyVerified = &Error{Code: EConflict, Message: "Ihre E-Mail-Adresse ist bereits bestätigt."}
	// ErrEmailTaken refuses a second account for one address.
	ErrEmailTaken = &Error{Code: EConflict, Message: "Für diese E-Mail-Adresse gibt es bereits ein Konto.",
		Fields: map[string]string{"email": "Für diese E-Mail-Adresse gibt es bereits ein Konto."}}
	// ErrInvitationGone answers an invitation link that no longer opens.
	ErrInvitationGone = &Error{Code: ENotFound, Message: "Diese Einladung ist ungültig, abgelaufen oder wurde bereits angenommen."}
	// ErrAlreadyMember refuses an invitation of a member.
	ErrAlreadyMember = &Error{Code: EConflict, Message: "Diese Person ist bereits Mitglied der Organisation.",
		Fields: map[string]string{"email": "Diese Person ist bereits Mitglied der Organisation."}}
	// ErrInvitationOpen refuses a second open invitation to one address.
	ErrInvitationOpen = &Error{Code: EConflict, Message: "An diese Adresse ist bereits eine offene Einladung unterwegs.",
		Fields: map[string]string{"email": "An diese Adresse ist bereits eine offene Einladung unterwegs."}}
)

// ErrInvitationForOther refuses an invitation accepted from another account.
func ErrInvitationForOther(email string) *Error {
	return Errorf(EForbidden, "Diese Einladung gilt für %s. Bitte melden Sie sich mit dieser Adresse an.", email)
}

// ErrInvitationAccountExists asks a visitor with an account to log in before
// accepting the invitation.
func ErrInvitationAccountExists(email string) *Error {
	return Errorf(EConflict, "Für %s gibt es bereits ein Konto. Bitte melden Sie sich an und öffnen Sie den Link erneut.", email)
}

// ValidateTokenName checks the name of a new API token.
func ValidateTokenName(name string) error {
	v := Validation{}
	if len(name) == 0 {
		v.Add("name", "Bitte geben Sie dem API-Schlüssel einen Namen, z. B. „Buchungssystem“.")
	} else if len(name) > 100 {
		v.Add("name", "Der Name darf höchstens 100 Zeichen lang sein.")
	}
	return v.Err()
}

// Errors of organisations and their members.
var (
	// ErrAGSUnknown refuses a municipality whose AGS the directory lacks.
	ErrAGSUnknown = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"ags": "Diesen Gemeindeschlüssel gibt es im Gemeindeverzeichnis nicht."}}
	// ErrMunicipalityTaken refuses a second account for one municipality.
	ErrMunicipalityTaken = &Error{Code: EConflict, Message: "Für diese Kommune gibt es bereits ein Behördenkonto.",
		Fields: map[string]string{"ags": "Für diese Kommune gibt es bereits ein Behördenkonto."}}
	// ErrLastAccountAdmin refuses to take the last account_admin away.
	ErrLastAccountAdmin = &Error{Code: EConflict, Message: "Die Organisation braucht mindestens eine Person mit der Rolle „Kontoverwaltung“."}
	// ErrNotMember answers a change of roles for someone outside the organisation.
	ErrNotMember = &Error{Code: ENotFound, Message: "Diese Person ist kein Mitglied der Organisation."}
)

// ErrInvalidToken answers an API request whose Bearer token is unknown,
// revoked or expired.
var ErrInvalidToken = &Error{Code: EUnauthorized, Message: "Der API-Schlüssel ist ungültig oder wurde widerrufen."}

// Errors of changes to one's own account.
var (
	// ErrWrongPassword refuses a change that needs the current password.
	ErrWrongPassword = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"current": "Das bisherige Passwort ist nicht richtig."}}
	// ErrSameEmail refuses a change to the address the account has.
	ErrSameEmail = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"email": "Das ist bereits Ihre E-Mail-Adresse."}}
	// ErrEmailChangeTaken refuses a new address another account has.
	ErrEmailChangeTaken = &Error{Code: EConflict, Message: "Diese E-Mail-Adresse gehört bereits zu einem anderen Konto.",
		Fields: map[string]string{"email": "Diese E-Mail-Adresse gehört bereits zu einem anderen Konto."}}
)

// ValidateName checks and trims a person's display name.
func ValidateName(name string) (string, error) {
	p := Person{Name: name, Email: "x@x.de"}
	if err := p.Validate(); err != nil {
		return "", err
	}
	return p.Name, nil
}
