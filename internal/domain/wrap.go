package domain

import "fmt"

// Wrap adds the operation's name to a returned error, keeping the *Error
// reachable for errors.As: defer domain.Wrap(&err, "booking.Cancel(%d)", id).
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf(format+": %w", append(args, *errp)...)
	}
}
