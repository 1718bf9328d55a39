// Package domain holds Lotse's domain types, their validation rules and the
// error type every layer uses. It imports neither net/http nor a database
// driver: storage, HTTP and UI packages are built around it.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. Only the HTTP layer maps them to status codes.
const (
	EInvalid      = "invalid"      // input failed validation (422)
	EBadRequest   = "bad_request"  // request could not be read (400)
	EUnauthorized = "unauthorized" // not logged in (401)
	EForbidden    = "forbidden"    // logged in, but not allowed (403)
	ENotFound     = "not_found"    // does not exist or must not be revealed (404)
	EConflict     = "conflict"     // clashes with the current state (409)
	ERateLimited  = "rate_limited" // too many attempts (429)
	ETooLarge     = "too_large"    // request body too large (413)
	EInternal     = "internal"     // anything else (500); its text is never shown
	EUnavailable  = "unavailable"  // not ready yet, try again shortly (503)
)

// Error is an error with a code and a German message that is safe to show to
// users. Fields holds per-field messages for forms.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Err     error // the cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted German message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err; a generic one for
// internal errors so that their text never reaches a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "Es ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später erneut."
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Sentinels that storage maps driver errors to.
var (
	ErrNotFound     = &Error{Code: ENotFound, Message: "Der Eintrag wurde nicht gefunden."}
	ErrConflict     = &Error{Code: EConflict, Message: "Der Eintrag steht im Widerspruch zu einem vorhandenen Eintrag."}
	ErrForbidden    = &Error{Code: EForbidden, Message: "Sie haben keine Berechtigung für diese Aktion."}
	ErrUnauthorized = &Error{Code: EUnauthorized, Message: "Bitte melden Sie sich an."}
)

// Validation collects per-field messages; Err returns nil when there are none.
type Validation map[string]string

// Add records msg for field unless the field already has a message.
func (v Validation) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Err returns an EInvalid *Error carrying the field messages, or nil.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.", Fields: map[string]string(v)}
}
