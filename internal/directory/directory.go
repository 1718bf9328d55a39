// Package directory imports the official municipality directory (GV100AD)
// into the store: it maps the parser's records to domain entries and applies
// a whole file in one transaction. Parsing lives in package gv100.
package directory

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/gv100"
	"github.com/lotse-oss/lotse/internal/store"
)

// Records reads a GV100AD file into directory entries: states, districts
// and municipalities. Government regions, regions and municipal
// associations are not kept. A malformed line is an EInvalid error naming
// its line.
func Records(r io.Reader) ([]domain.Municipality, error) {
	out := make([]domain.Municipality, 0, 12000)
	err := gv100.Parse(r, func(rec gv100.Record) error {
		m := domain.Municipality{
			AGS: strings.Clone(rec.AGS), Name: strings.Clone(rec.Name), TypeCode: rec.TypeCode,
			Population: rec.Population, AreaHa: rec.AreaHa, Postcode: strings.Clone(rec.Postcode), RefDate: rec.Date,
		}
		switch rec.Kind {
		case gv100.KindState:
			m.Kind, m.StateAGS = domain.AreaState, m.AGS
		case gv100.KindDistrict:
			m.Kind, m.StateAGS = domain.AreaDistrict, m.AGS[:2]
		case gv100.KindMunicipality:
			m.Kind, m.StateAGS, m.DistrictAGS = domain.AreaMunicipality, m.AGS[:2], m.AGS[:5]
		default:
			return nil
		}
		out = append(out, m)
		return nil
	})
	var le *gv100.LineError
	if errors.As(err, &le) {
		return nil, &domain.Error{Code: domain.EInvalid, Message: le.Error(), Err: err}
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.EInvalid, "Die Datei enthält keine Länder, Kreise oder Gemeinden im Format GV100AD.")
	}
	return out, nil
}

// Import reads a GV100AD file and applies it to the directory in one
// transaction. Importing the same file again changes nothing.
func Import(ctx context.Context, db *store.DB, r io.Reader, source string) (domain.ImportStats, error) {
	ms, err := Records(r)
	if err != nil {
		return domain.ImportStats{}, err
	}
	return db.ImportMunicipalities(ctx, ms, source)
}
