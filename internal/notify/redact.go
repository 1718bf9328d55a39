package notify

import "regexp"

// secretLink matches the secret part of the links that open an account: the
// reset and verification links carry it as "token=", the invitation link as
// the last path segment. Any other "token=" parameter counts as secret too.
var secretLink = regexp.MustCompile(`(/einladung/|[?&]token=)[^\s&#"'<>]+`)

// Redacted stands where a link's secret was.
const Redacted = "[entfernt]"

// Redact returns a mail body for people other than its recipient (the
// admin's outbox view): the links that would open someone's account keep
// their address but lose their secret. The outbox itself keeps the whole
// mail, which the sender delivers.
func Redact(body string) string {
	return secretLink.ReplaceAllString(body, "${1}"+Redacted)
}
