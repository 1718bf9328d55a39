package store

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/lotse-oss/lotse/internal/domain"
)

func scanProgramme(row interface{ Scan(...any) error }) (*domain.Programme, error) {
	var id, config string
	var p domain.Programme
	if err := row.Scan(&id, &config, &p.UpdatedAt); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrProgrammeNotFound
		}
		return nil, err
	}
	if err := json.Unmarshal([]byte(config), &p); err != nil {
		return nil, err
	}
	p.ID = id
	p.UpdatedAt = p.UpdatedAt.UTC()
	if p.FourEyes == "" { // stored before the setting existed
		p.FourEyes = domain.FourEyesOff
	}
	return &p, nil
}

// Programme returns the programme with id.
func (db *DB) Programme(ctx context.Context, id string) (*domain.Programme, error) {
	return scanProgramme(db.queryRow(ctx, `SELECT id, config, updated_at FROM programmes WHERE id = $1`, id))
}

// Programme returns the programme with id inside tx.
func (tx *Tx) Programme(ctx context.Context, id string) (*domain.Programme, error) {
	return tx.programme(ctx, id)
}

func (tx *Tx) programme(ctx context.Context, id string) (*domain.Programme, error) {
	return scanProgramme(tx.QueryRowContext(ctx, `SELECT id, config, updated_at FROM programmes WHERE id = $1`, id))
}

// Programmes lists all programmes by name.
func (db *DB) Programmes(ctx context.Context) ([]domain.Programme, error) {
	rows, err := db.query(ctx, `SELECT id, config, updated_at FROM programmes ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// SaveProgramme creates or replaces a programme's settings after checking
// them (domain.Programme.Validate). The funding service also checks the
// organisations they name; the demo and the command load fixed settings.
func (db *DB) SaveProgramme(ctx context.Context, p *domain.Programme) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error { return tx.SaveProgramme(ctx, p) })
}

// SaveProgramme creates or replaces a programme's settings inside tx. The
// audit log keeps the old and the new settings.
func (tx *Tx) SaveProgramme(ctx context.Context, p *domain.Programme) error {
	p.ProviderIDs = slices.Compact(slices.Sorted(slices.Values(p.ProviderIDs)))
	old, err := tx.programme(ctx, p.ID)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	p.UpdatedAt = tx.now
	config, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if old == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO programmes (id, name, config, updated_at) VALUES ($1, $2, $3, $4)`, p.ID, p.Name, string(config), tx.now)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE programmes SET name = $1, config = $2, updated_at = $3 WHERE id = $4`, p.Name, string(config), tx.now, p.ID)
	}
	if err != nil {
		return err
	}
	if programmeLabelsChanged(old, p) {
		if err := tx.CatalogLabelsChanged(ctx); err != nil {
			return err
		}
	}
	return tx.audit(ctx, p.FunderID, "programme.save", "programme", p.ID, map[string]any{"old": old, "new": p})
}

// OrgKind returns the kind of an organisation, "" when there is none.
func (tx *Tx) OrgKind(ctx context.Context, id int64) (domain.OrgKind, error) {
	var k string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, id).Scan(&k)
	if errNoRows(err) {
		return "", nil
	}
	return domain.OrgKind(k), err
}

// applicant is what the contingent rules need to know about an applicant.
type applicant struct {
	entry      *domain.Municipality
	kind       string
	population int
}

// applicantOf classifies a directory entry: districts (Landkreise) and
// cities that are their own district (Stadtkreise, kreisfreie Städte) apply
// as districts; a district's population is the sum of its municipalities'.
func (tx *Tx) applicantOf(ctx context.Context, ags string) (*applicant, error) {
	m, err := scanMunicipality(tx.QueryRowContext(ctx, municipalitySelect+`WHERE m.ags = $1`, ags))
	if err != nil {
		return nil, err
	}
	a := &applicant{entry: m, kind: domain.ApplicantMunicipality, population: m.Population}
	switch {
	case m.Kind == domain.AreaDistrict:
		a.kind = domain.ApplicantDistrict
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(population), 0) FROM municipalities WHERE district_ags = $1 AND kind = 'municipality'`,
			ags).Scan(&a.population); err != nil {
			return nil, err
		}
	case m.TypeCode == 61 || m.TypeCode == 62:
		a.kind = domain.ApplicantDistrict
	case m.Kind == domain.AreaState:
		return nil, domain.ErrStateCannotApply
	}
	return a, nil
}

// Contingent computes an applicant's contingent from the application rows
// inside tx: places of submitted, returned and approved applications in
// tracks that count against it are used. It also returns the applicant's
// directory type code, which decides the reviewing association.
func (tx *Tx) Contingent(ctx context.Context, p *domain.Programme, ags string) (*domain.Contingent, int, error) {
	a, err := tx.applicantOf(ctx, ags)
	if err != nil {
		return nil, 0, err
	}
	c := &domain.Contingent{Programme: p.ID, AGS: ags, Name: a.entry.Name, Population: a.population, ApplicantKind: a.kind,
		Total: p.Entitlement(a.kind, a.population)}
	for _, t := range p.Tracks {
		if !t.CountsAgainstContingent {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(people), 0) FROM applications
			WHERE programme_id = $1 AND ags = $2 AND track = $3 AND status IN ('submitted', 'returned', 'approved')`,
			p.ID, ags, t.Key).Scan(&n); err != nil {
			return nil, 0, err
		}
		c.Used += n
	}
	c.Remaining = max(c.Total-c.Used, 0)
	return c, a.entry.TypeCode, nil
}

// Contingent returns how many people of the applicant with the AGS the
// programme funds, how many places are used and how many remain.
func (db *DB) Contingent(ctx context.Context, p *domain.Programme, ags string) (*domain.Contingent, error) {
	var c *domain.Contingent
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		c, _, err = tx.Contingent(ctx, p, ags)
		return err
	})
	return c, err
}
