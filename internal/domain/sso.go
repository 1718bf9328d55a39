package domain

import "strings"

// Errors of single sign-on (OpenID Connect). Each one ends a login without
// writing anything: no account, no linked identity, no session.
var (
	ErrSSOUnknownProvider = &Error{Code: ENotFound, Message: "Diese Anmeldung gibt es hier nicht. Bitte wählen Sie eine der Schaltflächen auf der Anmeldeseite."}
	ErrSSOUnavailable     = &Error{Code: EUnavailable, Message: "Der Anmeldedienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal."}
	ErrSSOState           = &Error{Code: EBadRequest, Message: "Diese Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Bitte starten Sie die Anmeldung noch einmal."}
	ErrSSODenied          = &Error{Code: EUnauthorized, Message: "Die Anmeldung wurde beim Anmeldedienst abgebrochen. Sie sind nicht angemeldet."}
	ErrSSOToken           = &Error{Code: EUnauthorized, Message: "Der Anmeldedienst hat keine gültige Bestätigung Ihrer Anmeldung geschickt. Bitte starten Sie die Anmeldung noch einmal."}
	ErrSSOExpired         = &Error{Code: EUnauthorized, Message: "Die Bestätigung des Anmeldedienstes ist abgelaufen. Bitte starten Sie die Anmeldung noch einmal."}
	ErrSSONonce           = &Error{Code: EUnauthorized, Message: "Die Antwort des Anmeldedienstes gehört nicht zu dieser Anmeldung. Bitte starten Sie die Anmeldung noch einmal."}
	ErrSSOEmailUnverified = &Error{Code: EForbidden, Message: "Der Anmeldedienst hat Ihre E-Mail-Adresse nicht als bestätigt gemeldet. Bitte bestätigen Sie Ihre Adresse dort und melden Sie sich dann noch einmal an."}
	ErrSSONoEmail         = &Error{Code: EForbidden, Message: "Der Anmeldedienst hat keine gültige E-Mail-Adresse geschickt. Ohne sie können wir kein Konto für Sie anlegen."}
)

// ErrPasswordLoginOff refuses a password login (or a new password) of a
// person whose organisation logs its members in through single sign-on;
// labels are the sign-on buttons' labels.
func ErrPasswordLoginOff(labels []string) *Error {
	msg := "Ihre Organisation hat die Anmeldung mit Passwort abgeschaltet."
	switch len(labels) {
	case 0:
		msg += " Bitte wenden Sie sich an die Kontoverwaltung Ihrer Organisation."
	case 1:
		msg += " Bitte melden Sie sich über die Schaltfläche „" + labels[0] + "“ an."
	default:
		msg += " Bitte melden Sie sich über eine der Schaltflächen „" + strings.Join(labels, "“ oder „") + "“ an."
	}
	return &Error{Code: EForbidden, Message: msg}
}
