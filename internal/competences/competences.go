// Package competences holds the competence framework for digital
// administration skills: the default framework shipped as data
// (default.csv: areas and their competences) and the CSV format it can be
// replaced or extended with.
package competences

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

//go:embed default.csv
var defaultCSV string

// Default returns the shipped framework.
func Default() []domain.Competence {
	cs, err := Parse(strings.NewReader(defaultCSV))
	if err != nil {
		panic("competences: default.csv: " + err.Error())
	}
	return cs
}

// Parse reads a framework from CSV with the header code;area;name;description
// (semicolons, UTF-8, as German spreadsheets write it). An area is a row whose
// code equals its area; a competence's code is AREA.n.
func Parse(r io.Reader) ([]domain.Competence, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = 4
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, domain.Errorf(domain.EInvalid, "Die CSV-Datei ist fehlerhaft: %v", err)
	}
	if len(rows) < 2 || strings.TrimPrefix(strings.Join(rows[0], ";"), "\ufeff") != "code;area;name;description" {
		return nil, domain.Errorf(domain.EInvalid, "Die erste Zeile muss „code;area;name;description“ lauten.")
	}
	areas := map[string]bool{}
	seen := map[string]bool{}
	var out []domain.Competence
	for i, r := range rows[1:] {
		c := domain.Competence{Code: strings.TrimSpace(r[0]), Area: strings.TrimSpace(r[1]), Name: strings.TrimSpace(r[2]), Description: strings.TrimSpace(r[3])}
		line := i + 2
		switch {
		case c.Code == "" || c.Name == "" || len(c.Code) > 32 || len(c.Name) > 200:
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Code und Name sind Pflicht (höchstens 32 und 200 Zeichen).", line)
		case seen[c.Code]:
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Der Code „%s“ kommt doppelt vor.", line, c.Code)
		case c.Code == c.Area:
			areas[c.Area] = true
		case !areas[c.Area] || !strings.HasPrefix(c.Code, c.Area+"."):
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Die Kompetenz „%s“ gehört zu keinem zuvor genannten Bereich.", line, c.Code)
		}
		seen[c.Code] = true
		out = append(out, c)
	}
	return out, nil
}

// Install loads the default framework where no framework exists yet.
func Install(ctx context.Context, db *store.DB) error {
	cs, err := db.Competences(ctx)
	if err != nil {
		return err
	}
	if len(cs) > 0 {
		return nil
	}
	if err := db.ImportCompetences(ctx, Default()); err != nil {
		return fmt.Errorf("install the competence framework: %w", err)
	}
	return nil
}
