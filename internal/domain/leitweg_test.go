package domain

import "testing"

// Real Leitweg-IDs: the worked example of the KoSIT format specification,
// the buyers of the XRechnung test suite's invoices, and test IDs of the
// federal invoice portals (with letters in the Feinadressierung).
var realLeitwegIDs = []string{
	"04011000-1234512345-06",
	"04011000-12345-03",
	"04011000-12353-76",
	"99000000-18188-18",
	"991-99012-32",
	"991-33333TEST-33",
	"99661-WEBSERVICEOZG-28",
}

func TestValidLeitwegID(t *testing.T) {
	for _, s := range realLeitwegIDs {
		if !ValidLeitwegID(s) {
			t.Errorf("%s: want valid", s)
		}
	}
	for _, s := range []string{
		"",
		"04011000-1234512345-05", // wrong check digits
		"04011000-1234512345-07",
		"04011000-12345-30",      // digits swapped
		"04011000-12354-03",      // digits of the Feinadressierung swapped
		"991-33333TEST",          // no check digits
		"0401100012345123450",    // no hyphens
		"4-12345-03",             // Grobadressierung too short
		"1234567890123-12345-03", // too long
		"04011000--03",           // empty Feinadressierung
		"04011000-12345-3",       // one check digit
		"04011000-123 45-03",     // space
		"04011000-123ß45-03",     // not A–Z
		"04011000-1234-5-03",     // four parts
		"04011000-1234567890123456789012345678901-06", // Feinadressierung over 30
		"0401A000-12345-03",                           // letter in the Grobadressierung
	} {
		if ValidLeitwegID(s) {
			t.Errorf("%q: want invalid", s)
		}
	}
}

func TestCompleteLeitwegID(t *testing.T) {
	for _, want := range realLeitwegIDs {
		base := want[:len(want)-3]
		got, err := CompleteLeitwegID(base)
		if err != nil || got != want {
			t.Errorf("CompleteLeitwegID(%q) = %q, %v; want %q", base, got, err, want)
		}
	}
	// (04011000-12345 gets 03 above: a small result is zero-padded.)
	// Only a Grobadressierung, or letters in the Feinadressierung.
	for _, base := range []string{"08111000", "05", "08111000-LOTSE", "09162000-BILDUNG2026"} {
		id, err := CompleteLeitwegID(base)
		if err != nil || !ValidLeitwegID(id) || len(id) != len(base)+3 {
			t.Errorf("CompleteLeitwegID(%q) = %q, %v", base, id, err)
		}
	}
	for _, bad := range []string{"", "1", "08111000-", "08111000-a-b", "08111000-Ä"} {
		if id, err := CompleteLeitwegID(bad); err == nil {
			t.Errorf("CompleteLeitwegID(%q) = %q, want an error", bad, id)
		}
	}
}
