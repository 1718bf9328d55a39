package domain

import (
	"fmt"
	"strings"
)

// The Leitweg-ID routes an e-invoice to a German public buyer (XRechnung
// BT-10). Its format (KoSIT, "Formatspezifikation Leitweg-ID"):
//
//	Grobadressierung  2–12 digits (the authority, from the AGS upwards)
//	Feinadressierung  optional, 1–30 letters A–Z or digits
//	Prüfziffer        2 digits
//
// separated by '-', for example 04011000-1234512345-06. The check digits are
// ISO/IEC 7064 MOD 97-10 over the ID without hyphens, letters replaced by
// their number A=10 … Z=35: the whole number mod 97 is 1.

// ValidLeitwegID reports whether s is a Leitweg-ID with the right format
// and check digits.
func ValidLeitwegID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	check := parts[len(parts)-1]
	if len(check) != 2 || !allDigits(check) {
		return false
	}
	if !leitwegBase(parts[:len(parts)-1]) {
		return false
	}
	return mod97(strings.Join(parts, "")) == 1
}

// CompleteLeitwegID appends the check digits to a Leitweg-ID without them
// ("04011000-1234512345" becomes "04011000-1234512345-06").
func CompleteLeitwegID(base string) (string, error) {
	parts := strings.Split(base, "-")
	if len(parts) > 2 || !leitwegBase(parts) {
		return "", fmt.Errorf("leitweg: %q is not a Grobadressierung (2–12 digits) with an optional Feinadressierung (up to 30 letters or digits)", base)
	}
	check := 98 - mod97(strings.Join(parts, "")+"00")
	return fmt.Sprintf("%s-%02d", base, check), nil
}

// leitwegBase checks the Grob- and the optional Feinadressierung.
func leitwegBase(parts []string) bool {
	if len(parts) == 0 || len(parts) > 2 {
		return false
	}
	if g := parts[0]; len(g) < 2 || len(g) > 12 || !allDigits(g) {
		return false
	}
	if len(parts) == 2 {
		f := parts[1]
		if f == "" || len(f) > 30 {
			return false
		}
		for _, c := range f {
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				return false
			}
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// mod97 is the remainder of s (digits and letters, A=10 … Z=35, case
// ignored) read as a decimal number, divided by 97.
func mod97(s string) int {
	rem := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		case c >= 'a' && c <= 'z':
			rem = (rem*100 + int(c-'a') + 10) % 97
		}
	}
	return rem
}
