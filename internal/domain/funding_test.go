package domain

import (
	"strings"
	"testing"
)

func TestBaseCertificateProblem(t *testing.T) {
	p := &Programme{ID: "p", ProviderIDs: []int64{5}}
	ok := BaseCertificateFacts{Found: true, Participant: "Niklas Neumann", ProviderID: 5, FundedBase: true, Member: true}
	for _, c := range []struct {
		name   string
		change func(f *BaseCertificateFacts)
		person string
		want   string
	}{
		{"counts", func(*BaseCertificateFacts) {}, "niklas neumann", ""},
		{"unknown", func(f *BaseCertificateFacts) { f.Found = false }, "Niklas Neumann", "gibt es auf Lotse nicht"},
		{"revoked", func(f *BaseCertificateFacts) { f.Revoked = true }, "Niklas Neumann", "widerrufen"},
		{"other provider", func(f *BaseCertificateFacts) { f.ProviderID = 6 }, "Niklas Neumann", "keine Basisqualifizierung"},
		{"not the base course", func(f *BaseCertificateFacts) { f.FundedBase = false }, "Niklas Neumann", "keine Basisqualifizierung"},
		{"other person", func(*BaseCertificateFacts) {}, "Anna Albrecht", "ausgestellt"},
		{"other municipality", func(f *BaseCertificateFacts) { f.Member = false }, "Niklas Neumann", "Ihrer Kommune"},
		{"used already", func(f *BaseCertificateFacts) { f.UsedElsewhere = true }, "Niklas Neumann", "anderen Antrag"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.change(&f)
			got := BaseCertificateProblem(p, &f, c.person)
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestHasControlChars(t *testing.T) {
	for s, want := range map[string]bool{
		"Jürgen Weiß": false, "Lilly 🚀 Müller": false, "👩\u200d💻": false,
		"Tab\there": true, "zwei\nZeilen": true, "\x1b[31m": true, "abc\u202edef": true,
	} {
		if got := HasControlChars(s); got != want {
			t.Errorf("HasControlChars(%q) = %v", s, got)
		}
	}
}
