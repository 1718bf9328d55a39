package domain

import "unicode"

// HasControlChars reports whether s holds a control or format character
// that has no place in a name: C0/C1 controls (tabs, line breaks, escape),
// and bidirectional overrides that would reorder what others see. Joiners
// and variation selectors, which emoji and some scripts need, are allowed.
func HasControlChars(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return true
		case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return true
		}
	}
	return false
}
