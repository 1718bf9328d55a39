package voucher

import (
	"errors"
	"strings"
	"testing"
)

// example is a valid code (see TestExampleIsValid) for tests that need a
// fixed one. The example in the format error message, 08999001-K7QM-4XD2-P9HC,
// is not valid: its check character would be 1.
const example = Code("08999001K7QM4XD2P9H1")

func mustNew(tb testing.TB, ags string) Code {
	tb.Helper()
	c, err := New(ags)
	if err != nil {
		tb.Fatalf("New(%q): %v", ags, err)
	}
	return c
}

// sampleCodes returns n fresh codes over a few AGS values plus the example.
func sampleCodes(tb testing.TB, n int) []Code {
	tb.Helper()
	agss := []string{"08999001", "08111000", "16077", "01001000", "09162000"}
	codes := []Code{example}
	for i := range n {
		codes = append(codes, mustNew(tb, agss[i%len(agss)]))
	}
	return codes
}

func TestExampleIsValid(t *testing.T) {
	if got := alphabet[checkValue([]byte(example[:codeLen-1]))]; got != example[codeLen-1] {
		t.Fatalf("check character of %s is %c", example[:codeLen-1], got)
	}
}

func TestNewParseRoundTrip(t *testing.T) {
	for _, tc := range []struct{ ags, want string }{
		{"08999001", "08999001"},
		{"08111000", "08111000"},
		{"08999", "08999000"},
		{"16077", "16077000"},
	} {
		c := mustNew(t, tc.ags)
		if len(c) != codeLen {
			t.Fatalf("New(%q) = %q: length %d, want %d", tc.ags, c, len(c), codeLen)
		}
		if c.AGS() != tc.want {
			t.Errorf("New(%q).AGS() = %q, want %q", tc.ags, c.AGS(), tc.want)
		}
		for _, r := range c[agsLen:] {
			if !strings.ContainsRune(alphabet, r) {
				t.Errorf("New(%q) = %q: character %q not in alphabet", tc.ags, c, r)
			}
		}
		for _, in := range []string{string(c), c.String(), strings.ToLower(c.String())} {
			got, err := Parse(in)
			if err != nil || got != c {
				t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, c)
			}
		}
	}
}

func TestNewInvalidAGS(t *testing.T) {
	for name, ags := range map[string]string{
		"empty":           "",
		"four digits":     "0899",
		"six digits":      "089990",
		"seven digits":    "0899900",
		"nine digits":     "089990010",
		"twelve digits":   "089990010001",
		"letter":          "0899900A",
		"space":           " 08999001",
		"hyphen":          "08-999001",
		"fullwidth digit": "０８９９９",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(ags)
			if !errors.Is(err, ErrInvalidAGS) || c != "" {
				t.Errorf("New(%q) = %q, %v; want ErrInvalidAGS", ags, c, err)
			}
		})
	}
}

func TestString(t *testing.T) {
	if got, want := example.String(), "08999001-K7QM-4XD2-P9H1"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := example.AGS(), "08999001"; got != want {
		t.Errorf("AGS() = %q, want %q", got, want)
	}
	// Invalid Code values must not panic.
	for _, c := range []Code{"", "0899", "08999001K7QM"} {
		if got := c.String(); got != string(c) {
			t.Errorf("Code(%q).String() = %q", c, got)
		}
	}
	if got := Code("0899").AGS(); got != "" {
		t.Errorf(`Code("0899").AGS() = %q, want ""`, got)
	}
	c := mustNew(t, "08999001")
	s := c.String()
	if len(s) != 23 || s[8] != '-' || s[13] != '-' || s[18] != '-' || strings.ReplaceAll(s, "-", "") != string(c) {
		t.Errorf("String() = %q, want AAAAAAAA-XXXX-XXXX-XXXX", s)
	}
}

// chiSquare returns the chi-square statistic of counts against a uniform
// distribution.
func chiSquare(counts []int) float64 {
	total := 0
	for _, n := range counts {
		total += n
	}
	exp := float64(total) / float64(len(counts))
	var x2 float64
	for _, n := range counts {
		d := float64(n) - exp
		x2 += d * d / exp
	}
	return x2
}

// chiLimit bounds the chi-square statistic for 31 degrees of freedom
// (mean 31, standard deviation 7.9); a uniform source exceeds it with
// probability about 1e-9, so the test does not flake.
const chiLimit = 95

func TestDistinctAndUniform(t *testing.T) {
	const n = 10_000
	seen := make(map[Code]bool, n)
	all := make([]int, len(alphabet))
	var perPos [randomLen][]int
	for i := range perPos {
		perPos[i] = make([]int, len(alphabet))
	}
	for range n {
		c := mustNew(t, "08999001")
		if seen[c] {
			t.Fatalf("duplicate code %s", c)
		}
		seen[c] = true
		for i := range randomLen {
			v := strings.IndexByte(alphabet, c[agsLen+i])
			all[v]++
			perPos[i][v]++
		}
	}
	if x2 := chiSquare(all); x2 > chiLimit {
		t.Errorf("random characters not uniform over the alphabet: chi-square %.1f > %d; counts %v", x2, chiLimit, all)
	} else {
		t.Logf("chi-square over all random characters: %.1f (df 31)", x2)
	}
	for i, counts := range perPos {
		if x2 := chiSquare(counts); x2 > chiLimit {
			t.Errorf("random character %d not uniform: chi-square %.1f > %d; counts %v", i, x2, chiLimit, counts)
		}
	}

	// The statistic catches typical generator bugs, e.g. a character
	// drawn from 4 bits instead of 5, or a slightly biased modulo.
	broken := make([]int, len(alphabet))
	for i := range n {
		broken[i%16]++
	}
	if x2 := chiSquare(broken); x2 <= chiLimit {
		t.Errorf("chi-square %.1f does not reject a 4-bit generator", x2)
	}
	biased := make([]int, len(alphabet))
	for i := range n {
		biased[(i*7)%37%32]++ // values 0-4 twice as likely
	}
	if x2 := chiSquare(biased); x2 <= chiLimit {
		t.Errorf("chi-square %.1f does not reject a mod-37 bias", x2)
	}
}

func TestSubstitutionsDetected(t *testing.T) {
	// Canonical characters plus characters that are not in the alphabet.
	replacements := alphabet + "U*#ÄÖß"
	tried, format, check := 0, 0, 0
	for _, c := range sampleCodes(t, 200) {
		for i := range codeLen {
			for _, r := range replacements {
				if byte(r) == c[i] && r < 0x80 {
					continue
				}
				typo := c[:i] + Code(r) + c[i+1:]
				got, err := Parse(string(typo))
				tried++
				var e *Error
				switch {
				case err == nil:
					t.Fatalf("substitution at %d: %s accepted as %s (original %s)", i, typo, got, c)
				case !errors.As(err, &e):
					t.Fatalf("Parse(%q): error %T, want *Error", typo, err)
				case e.Kind == KindFormat:
					format++
				case e.Kind == KindCheck:
					check++
				default:
					t.Fatalf("Parse(%q): kind %v", typo, e.Kind)
				}
			}
		}
	}
	t.Logf("single substitutions: %d tried, 100%% detected (%d format, %d check)", tried, format, check)
}

func TestAdjacentTranspositionsDetected(t *testing.T) {
	tried, detected := 0, 0
	for _, c := range sampleCodes(t, 500) {
		b := []byte(c)
		for i := range codeLen - 1 {
			if b[i] == b[i+1] {
				continue
			}
			b[i], b[i+1] = b[i+1], b[i]
			tried++
			if _, err := Parse(string(b)); err != nil {
				detected++
			} else {
				t.Errorf("transposition at %d: %s accepted (original %s)", i, b, c)
			}
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	rate := float64(detected) / float64(tried)
	t.Logf("adjacent transpositions: %d/%d detected (%.2f%%)", detected, tried, 100*rate)
	if rate != 1 {
		t.Errorf("detection rate %.4f, want 1 as documented", rate)
	}
}

// TestCheckExhaustive verifies the documented guarantees of the check
// scheme on the check computation itself, for all positions and all pairs
// of values (letters in the AGS positions included).
func TestCheckExhaustive(t *testing.T) {
	valid := func(b []byte) bool { return checkValue(b) == 0 }
	base := []byte(example)
	b := make([]byte, codeLen)
	var subst, transp, adjacent, twin int
	for i := range codeLen {
		for v := range len(alphabet) {
			copy(b, base)
			if b[i] == alphabet[v] {
				continue
			}
			b[i] = alphabet[v]
			subst++
			if valid(b) {
				t.Fatalf("substitution undetected: %s", b)
			}
		}
		for j := i + 1; j < codeLen; j++ {
			// Transpositions of positions i and j in a valid code.
			for x := range len(alphabet) {
				for y := range len(alphabet) {
					if x == y || (j == codeLen-1 && y != (x+1)%len(alphabet)) {
						continue // with j the check character, y is given by x: try once per x
					}
					copy(b, base)
					b[i] = alphabet[x]
					if j < codeLen-1 {
						b[j] = alphabet[y]
					}
					b[codeLen-1] = alphabet[checkValue(b[:codeLen-1])]
					if b[i] == b[j] {
						continue
					}
					b[i], b[j] = b[j], b[i]
					transp++
					if j == i+1 {
						adjacent++
					}
					if valid(b) {
						t.Fatalf("transposition of positions %d and %d undetected: %s", i, j, b)
					}
				}
			}
			// Twin errors aa -> bb at positions i and j, neither the check
			// character.
			if j == codeLen-1 {
				continue
			}
			for x := range len(alphabet) {
				for y := range len(alphabet) {
					if x == y {
						continue
					}
					copy(b, base)
					b[i], b[j] = alphabet[x], alphabet[x]
					b[codeLen-1] = alphabet[checkValue(b[:codeLen-1])]
					b[i], b[j] = alphabet[y], alphabet[y]
					twin++
					if valid(b) {
						t.Fatalf("twin error at %d and %d undetected: %s", i, j, b)
					}
				}
			}
		}
	}
	if subst == 0 || transp == 0 || adjacent == 0 || twin == 0 {
		t.Fatal("exhaustive test tried nothing")
	}
	t.Logf("exhaustive: %d substitutions, %d transpositions (%d adjacent), %d twin errors: all detected", subst, transp, adjacent, twin)
}

// TestAlphaOrder checks that α = 2 has order 31 in GF(32), so that all
// 20 positions of a code have different weights.
func TestAlphaOrder(t *testing.T) {
	v := byte(1)
	for k := 1; k <= 31; k++ {
		v = gfDouble(v)
		if v == 1 && k != 31 {
			t.Fatalf("order of α is %d, want 31", k)
		}
	}
	if v != 1 {
		t.Fatal("α^31 != 1")
	}
}

// luhnMod32Valid is the Luhn mod N algorithm over the Crockford alphabet,
// kept to document why it was not chosen.
func luhnMod32Valid(vals []int) bool {
	sum, factor := 0, 1
	for i := len(vals) - 1; i >= 0; i-- {
		a := factor * vals[i]
		sum += a/32 + a%32
		factor = 3 - factor
	}
	return sum%32 == 0
}

func TestLuhnMod32Comparison(t *testing.T) {
	// Adjacent transpositions: count the pairs of different values whose
	// swap Luhn mod 32 misses. Position parity does not matter since the
	// factors of two adjacent positions are always 1 and 2.
	missed, pairs := 0, 0
	for x := range 32 {
		for y := x + 1; y < 32; y++ {
			pairs++
			// A valid 3-character code x y c; swap x and y.
			for c := range 32 {
				if luhnMod32Valid([]int{x, y, c}) {
					if luhnMod32Valid([]int{y, x, c}) {
						missed++
						t.Logf("Luhn mod 32 misses the transposition %c%c <-> %c%c", alphabet[x], alphabet[y], alphabet[y], alphabet[x])
					}
					break
				}
			}
		}
	}
	if missed != 1 || pairs != 496 {
		t.Errorf("Luhn mod 32 misses %d of %d adjacent transpositions, documented 1 of 496", missed, pairs)
	}
	// Jump transpositions abc -> cba: positions 1 and 3 have the same
	// factor, so Luhn never sees them.
	jumpMissed, jumpTried := 0, 0
	for a := range 32 {
		for c := range 32 {
			if a == c {
				continue
			}
			for chk := range 32 {
				if luhnMod32Valid([]int{a, 7, c, chk}) {
					jumpTried++
					if luhnMod32Valid([]int{c, 7, a, chk}) {
						jumpMissed++
					}
					break
				}
			}
		}
	}
	if jumpMissed != jumpTried {
		t.Errorf("Luhn mod 32 detects %d of %d jump transpositions, documented none", jumpTried-jumpMissed, jumpTried)
	}
}

func TestParseLenient(t *testing.T) {
	want := example
	for name, in := range map[string]string{
		"canonical":           "08999001K7QM4XD2P9H1",
		"display":             "08999001-K7QM-4XD2-P9H1",
		"lower case":          "08999001-k7qm-4xd2-p9h1",
		"mixed case":          "08999001-K7qm-4Xd2-p9H1",
		"spaces":              "08999001 K7QM 4XD2 P9H1",
		"surrounding spaces":  "  08999001-K7QM-4XD2-P9H1\t",
		"separators anywhere": "0-8 9-9 9 0 0 1 K7 QM4X D2P 9H1--",
		"O for zero":          "O8999OO1-K7QM-4XD2-P9H1",
		"o for zero":          "o8999oo1-K7QM-4XD2-P9H1",
		"I and L for one":     "08999001-K7QM-4XD2-P9HI",
		"l for one":           "O8999OOl-K7QM-4XD2-P9Hl",
		"en dash":             "08999001–K7QM–4XD2–P9H1",
		"no-break space":      "08999001\u00a0K7QM\u00a04XD2\u00a0P9H1",
		"minus sign":          "08999001\u2212K7QM\u22124XD2\u2212P9H1",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(in)
			if err != nil || got != want {
				t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		kind     ErrorKind
	}{
		{"empty", "", KindFormat},
		{"only separators", " - - ", KindFormat},
		{"AGS only", "08999001", KindFormat},
		{"one character short", "08999001-K7QM-4XD2-P9H", KindFormat},
		{"one character long", "08999001-K7QM-4XD2-P9H1X", KindFormat},
		{"code twice", "08999001-K7QM-4XD2-P9H108999001-K7QM-4XD2-P9H1", KindFormat},
		{"five-digit AGS", "08999-K7QM-4XD2-P9H1", KindFormat},
		{"letter in AGS", "08999A01-K7QM-4XD2-P9H1", KindFormat},
		{"U", "08999001-K7QU-4XD2-P9H1", KindFormat},
		{"punctuation", "08999001-K7QM-4XD2-P9H*", KindFormat},
		{"dot separators", "08999001.K7QM.4XD2.P9H1", KindFormat},
		{"umlaut", "08999001-K7QÄ-4XD2-P9H1", KindFormat},
		{"fullwidth digit", "０8999001-K7QM-4XD2-P9H1", KindFormat},
		{"invalid UTF-8", "08999001-K7QM-4XD2-P9H\xff", KindFormat},
		{"NUL", "08999001-K7QM-4XD2-P9H\x00", KindFormat},
		{"wrong check character", "08999001-K7QM-4XD2-P9H2", KindCheck},
		{"typo in AGS", "08999002-K7QM-4XD2-P9H1", KindCheck},
		{"typo in random part", "08999001-K7QN-4XD2-P9H1", KindCheck},
		{"swapped characters", "08999001-7KQM-4XD2-P9H1", KindCheck},
		{"example of the error message", "08999001-K7QM-4XD2-P9HC", KindCheck},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) = %q, %v; want *Error", tc.in, c, err)
			}
			if c != "" {
				t.Errorf("Parse(%q) returned code %q with error", tc.in, c)
			}
			if e.Kind != tc.kind {
				t.Errorf("Parse(%q): kind %v, want %v", tc.in, e.Kind, tc.kind)
			}
			want := map[ErrorKind]string{
				KindFormat: "Ein Gutscheincode hat 20 Zeichen: die 8 Ziffern des Gemeindeschlüssels und 12 Buchstaben oder Ziffern, z. B. 08999001-K7QM-4XD2-P9HC.",
				KindCheck:  "Die Prüfziffer stimmt nicht: Bitte prüfen Sie den Code auf Tippfehler.",
			}[tc.kind]
			if e.Message != want || err.Error() != want {
				t.Errorf("Parse(%q): message %q, want %q", tc.in, e.Message, want)
			}
			if !errors.Is(err, &Error{Kind: tc.kind}) {
				t.Errorf("errors.Is(err, &Error{Kind: %v}) = false", tc.kind)
			}
			if errors.Is(err, &Error{Kind: 3 - tc.kind}) {
				t.Errorf("errors.Is(err, &Error{Kind: %v}) = true", 3-tc.kind)
			}
		})
	}
}

func TestErrorKindString(t *testing.T) {
	for k, want := range map[ErrorKind]string{KindFormat: "format", KindCheck: "check", 0: "ErrorKind(0)"} {
		if got := k.String(); got != want {
			t.Errorf("ErrorKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "08999001-K7QM-4XD2-P9H1", "08999001K7QM4XD2P9H1", "o8999ool-k7qm-4xd2-p9hi",
		"08999001-K7QM-4XD2-P9HC", "08999-K7QM-4XD2-P9H1", "08999001\u00a0K7QM–4XD2−P9H1",
		"\xff\xfe", strings.Repeat("-", 100), strings.Repeat("0", 21),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Kind != KindFormat && e.Kind != KindCheck) || c != "" {
				t.Fatalf("Parse(%q) = %q, %#v", s, c, err)
			}
			return
		}
		if len(c) != codeLen || !allDigits(c.AGS()) {
			t.Fatalf("Parse(%q) = %q: not canonical", s, c)
		}
		for i := range len(c) {
			if strings.IndexByte(alphabet, c[i]) < 0 {
				t.Fatalf("Parse(%q) = %q: character %q not canonical", s, c, c[i])
			}
		}
		for _, in := range []string{c.String(), string(c)} {
			if got, err := Parse(in); err != nil || got != c {
				t.Fatalf("Parse(%q) = %q, %v; want %q (from %q)", in, got, err, c, s)
			}
		}
	})
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New("08999001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	s := example.String()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
