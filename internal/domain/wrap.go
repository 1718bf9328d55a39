package domain

import "fmt"

// Wrap adds the operation's name to *errp, keeping the error reachable with
// errors.As, so that a *Error's code and message survive (pkgsite's
// derrors.Wrap). Use it deferred: defer domain.Wrap(&err, "booking.Cancel(%d)", id).
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf(format+": %w", append(args, *errp)...)
	}
}
