// Package voucher handles the voucher codes of funding programmes:
// generation, display format, and parsing with typo detection.
//
// A code is 20 characters long: the applicant's 8-digit official
// municipality key (AGS; a 5-digit district key is padded with "000"),
// 11 random characters and 1 check character, both from Crockford's
// base32 alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ (no I, L, O, U). The
// random part carries 55 bits from crypto/rand, so codes cannot be
// guessed. Codes are displayed as the AGS followed by the 12 remaining
// characters in three groups of four, e.g. 08999001-K7QM-4XD2-P9H1, which
// is short enough to type and to read out over the phone.
//
// # Check character
//
// Every character of the code (AGS digits included) is read as its value
// 0-31 in the Crockford alphabet and taken as an element of the finite
// field GF(32) = GF(2)[x]/(x^5+x^2+1). The check character c is chosen so
// that
//
//	d1·α^19 + d2·α^18 + … + d19·α + c = 0   (in GF(32), α = x = 2)
//
// Computed left to right this is the Damm algorithm with the totally
// anti-symmetric quasigroup a∘b = 2·a ⊕ b of order 32: interim = 2·interim
// XOR d for each character, and the check character is 2·interim, so the
// check character lies in the same unambiguous alphabet as the rest. Since
// α has multiplicative order 31 and a code has only 20 characters, every
// position has a different non-zero weight, which guarantees detection of
//
//   - every single-character substitution,
//   - every transposition of two different characters, adjacent or not,
//   - every twin error (aa → bb) at any two positions.
//
// The tests verify these for all positions and all pairs of characters
// (the scheme is linear, so the rest of the code does not matter). Like
// any single check character it lets 1 in 32 of the other errors, e.g.
// two unrelated typos, through. The Luhn mod N algorithm over the
// same alphabet (mod 32) was considered and rejected: it detects all
// single substitutions too, but misses the adjacent transposition of
// "0" and "Z" (values 0 and 31), i.e. 1 of the 496 pairs of different
// characters, and it detects no jump transpositions (abc → cba) at all.
// Check schemes mod 37 need a 37th symbol (Crockford proposes * ~ $ = U),
// which is awkward to type and to read out.
//
// Parse is lenient where that is unambiguous: it accepts lower case,
// spaces and hyphens anywhere, and Crockford's aliases O → 0 and I, L → 1.
package voucher

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// alphabet is Crockford's base32 alphabet; a character's index is its value.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Lengths of a canonical code and its parts.
const (
	agsLen    = 8
	randomLen = 11
	codeLen   = agsLen + randomLen + 1
)

// invalid marks bytes that are not in the alphabet in decode.
const invalid = 0xFF

// decode maps an input byte to its value in the alphabet, accepting lower
// case and Crockford's aliases; other bytes map to invalid.
var decode = func() (t [256]byte) {
	for i := range t {
		t[i] = invalid
	}
	for v := range len(alphabet) {
		c := alphabet[v]
		t[c] = byte(v)
		if c >= 'A' && c <= 'Z' {
			t[c+'a'-'A'] = byte(v)
		}
	}
	for _, alias := range []struct{ from, to byte }{{'O', '0'}, {'I', '1'}, {'L', '1'}} {
		t[alias.from] = t[alias.to]
		t[alias.from+'a'-'A'] = t[alias.to]
	}
	return t
}()

// Code is a voucher code in canonical form: 20 characters, the 8-digit AGS,
// 11 random characters and the check character, upper case, no separators.
type Code string

// ErrInvalidAGS is returned by New for a municipality key that is not 5
// or 8 digits.
var ErrInvalidAGS = errors.New("voucher: AGS must be 5 or 8 digits")

// New returns a fresh random code for the applicant with the given
// official municipality key: 8 digits, or 5 digits for a district, which
// are padded with "000".
func New(ags string) (Code, error) {
	if (len(ags) != 5 && len(ags) != agsLen) || !allDigits(ags) {
		return "", fmt.Errorf("%w: %q", ErrInvalidAGS, ags)
	}
	var buf [codeLen]byte
	n := copy(buf[:], ags)
	copy(buf[n:agsLen], "000")

	var rnd [8]byte
	if _, err := rand.Read(rnd[1:]); err != nil { // 56 bits, 55 used
		return "", fmt.Errorf("voucher: reading random bytes: %w", err)
	}
	bits := binary.BigEndian.Uint64(rnd[:])
	for i := agsLen; i < agsLen+randomLen; i++ {
		buf[i] = alphabet[bits&31]
		bits >>= 5
	}
	buf[codeLen-1] = alphabet[checkValue(buf[:codeLen-1])]
	return Code(buf[:]), nil
}

// String returns the display form, e.g. "08999001-K7QM-4XD2-P9H1". A Code
// that is not 20 characters long is returned unchanged.
func (c Code) String() string {
	if len(c) != codeLen {
		return string(c)
	}
	s := string(c)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:]
}

// AGS returns the 8-digit municipality key the code begins with, or "" if
// the Code is too short to hold one.
func (c Code) AGS() string {
	if len(c) < agsLen {
		return ""
	}
	return string(c[:agsLen])
}

// ErrorKind classifies a Parse error.
type ErrorKind int

// The kinds of Parse errors.
const (
	// KindFormat: wrong length, a character outside the alphabet, or a
	// letter among the AGS digits.
	KindFormat ErrorKind = iota + 1
	// KindCheck: well-formed, but the check character does not match.
	KindCheck
)

// String returns the kind's name for logs and test output.
func (k ErrorKind) String() string {
	switch k {
	case KindFormat:
		return "format"
	case KindCheck:
		return "check"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// German messages of the Parse errors, shown to the user as they are.
const (
	msgFormat = "Ein Gutscheincode hat 20 Zeichen: die 8 Ziffern des Gemeindeschlüssels und 12 Buchstaben oder Ziffern, z. B. 08999001-K7QM-4XD2-P9HC."
	msgCheck  = "Die Prüfziffer stimmt nicht: Bitte prüfen Sie den Code auf Tippfehler."
)

// Error is a Parse error. Message is German and meant for the user.
type Error struct {
	Kind    ErrorKind
	Message string
}

// Error returns the German message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error of the same kind, so that
// errors.Is(err, &voucher.Error{Kind: voucher.KindCheck}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

var (
	errFormat = &Error{Kind: KindFormat, Message: msgFormat}
	errCheck  = &Error{Kind: KindCheck, Message: msgCheck}
)

// Parse reads a code as a user typed it: any case, spaces and hyphens
// anywhere (including no-break spaces, en dashes and minus signs), and
// Crockford's aliases O for 0 and I or L for 1. It returns
// the canonical code or an *Error of kind KindFormat or KindCheck.
func Parse(s string) (Code, error) {
	var buf [codeLen]byte
	n := 0
	for _, r := range s {
		switch r {
		case ' ', '-', '\t',
			// What copy and paste or word processors make of them: no-break
			// spaces, hyphen variants, figure and en dash, minus sign.
			'\u00a0', '\u202f', '\u2010', '\u2011', '\u2012', '\u2013', '\u2212':
			continue
		}
		if r >= 0x80 || decode[r] == invalid || n == codeLen {
			return "", errFormat
		}
		buf[n] = alphabet[decode[r]]
		n++
	}
	if n != codeLen || !allDigits(string(buf[:agsLen])) {
		return "", errFormat
	}
	if checkValue(buf[:]) != 0 {
		return "", errCheck
	}
	return Code(buf[:]), nil
}

// checkValue runs the check computation over canonical characters. For the
// 19 characters before the check character it returns the value of the
// check character; for a whole code it returns 0 if and only if the check
// character matches.
func checkValue(chars []byte) byte {
	var interim byte
	for _, c := range chars {
		interim = gfDouble(interim) ^ decode[c]
	}
	return gfDouble(interim)
}

// gfDouble multiplies by α = x in GF(32) = GF(2)[x]/(x^5+x^2+1).
func gfDouble(v byte) byte {
	v <<= 1
	if v&0x20 != 0 {
		v ^= 0x25
	}
	return v
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
