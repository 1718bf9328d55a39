// Package directory is the home of the municipality directory's use cases:
// listing and showing municipalities (with the organisation that acts for
// one), and importing the official directory (GV100AD), which maps the
// parser's records to domain entries and applies a whole file in one
// transaction. Parsing lives in package gv100.
package directory

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
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
// transaction. Importing the same file again changes nothing. It is the
// command line's way in, which runs as the operator; people import through
// Service.Import.
func Import(ctx context.Context, db *store.DB, r io.Reader, source string) (domain.ImportStats, error) {
	ms, err := Records(r)
	if err != nil {
		return domain.ImportStats{}, err
	}
	return db.ImportMunicipalities(ctx, ms, source)
}

// Service runs the directory's use cases for the acting person.
type Service struct {
	db *store.DB
}

// New returns the directory service.
func New(db *store.DB) *Service { return &Service{db: db} }

// Import applies an uploaded GV100AD file (admins only). Its content is
// checked by the parser: anything that is not the format is refused with
// the line.
func (s *Service) Import(ctx context.Context, r io.Reader, source string) (st domain.ImportStats, err error) {
	defer domain.Wrap(&err, "directory.Import(%q)", source)
	if err := authz.Check(domain.ActorFrom(ctx), authz.DirectoryImport, authz.Resource{}); err != nil {
		return domain.ImportStats{}, err
	}
	return Import(ctx, s.db, r, source)
}

// List returns a page of directory entries.
func (s *Service) List(ctx context.Context, f domain.MunicipalityFilter) (items []domain.Municipality, total int, err error) {
	defer domain.Wrap(&err, "directory.List")
	if err := authz.Check(domain.ActorFrom(ctx), authz.DirectoryView, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	return s.db.Municipalities(ctx, f)
}

// Get returns one entry by its AGS and the organisation that acts for it on
// the platform (nil when none has registered).
func (s *Service) Get(ctx context.Context, ags string) (m *domain.Municipality, org *domain.Organisation, err error) {
	defer domain.Wrap(&err, "directory.Get(%q)", ags)
	if err := authz.Check(domain.ActorFrom(ctx), authz.DirectoryView, authz.Resource{}); err != nil {
		return nil, nil, err
	}
	if m, err = s.db.Municipality(ctx, ags); err != nil {
		return nil, nil, err
	}
	org, err = s.db.OrganisationByAGS(ctx, m.AGS)
	if domain.ErrorCode(err) == domain.ENotFound {
		return m, nil, nil
	}
	return m, org, err
}
