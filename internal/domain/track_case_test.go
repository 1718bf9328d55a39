package domain

import "testing"

func TestTrackNamesInTheirCase(t *testing.T) {
	tests := []struct {
		name               string
		nom, gen, dat, acc string
	}{
		{"Basisqualifizierung", "die Basisqualifizierung", "der Basisqualifizierung", "der Basisqualifizierung", "die Basisqualifizierung"},
		{"Aufbauprogramm", "das Aufbauprogramm", "des Aufbauprogramms", "dem Aufbauprogramm", "das Aufbauprogramm"},
		{"Grundkurs", "der Grundkurs", "des Grundkurses", "dem Grundkurs", "den Grundkurs"},
		{"KI-Fit", "die Qualifizierung „KI-Fit“", "der Qualifizierung „KI-Fit“", "der Qualifizierung „KI-Fit“", "die Qualifizierung „KI-Fit“"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := Track{Name: tt.name}
			if got := [4]string{tr.Nominative(), tr.Genitive(), tr.Dative(), tr.Accusative()}; got != [4]string{tt.nom, tt.gen, tt.dat, tt.acc} {
				t.Errorf("cases of %q = %q, want %q", tt.name, got, [4]string{tt.nom, tt.gen, tt.dat, tt.acc})
			}
		})
	}
}
