package funding

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Programmes lists all programmes; their settings are public.
func (s *Service) Programmes(ctx context.Context) (ps []domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.Programmes")
	return s.db.Programmes(ctx)
}

// Programme returns a programme; its settings are public.
func (s *Service) Programme(ctx context.Context, id string) (p *domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.Programme(%q)", id)
	return s.db.Programme(ctx, id)
}

// CanEditProgramme reports whether the actor may change the programme's
// settings (for the page's edit form).
func (s *Service) CanEditProgramme(ctx context.Context, p *domain.Programme) bool {
	return authz.Allowed(domain.ActorFrom(ctx), authz.ProgrammeEdit, authz.Resource{OrgID: p.FunderID})
}

// SaveProgramme replaces the settings of the programme id with p. Its
// funder and admins may; only admins may give it another funder. The
// organisations it names must be of the right kind.
func (s *Service) SaveProgramme(ctx context.Context, id string, p *domain.Programme) (err error) {
	defer domain.Wrap(&err, "funding.SaveProgramme(%q)", id)
	defer func() { s.catalogLabels(ctx, err) }()
	a := domain.ActorFrom(ctx)
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		old, err := tx.Programme(ctx, id)
		if err != nil {
			return err
		}
		if err := authz.Check(a, authz.ProgrammeEdit, authz.Resource{OrgID: old.FunderID}); err != nil {
			return err
		}
		p.ID = old.ID
		if p.FunderID == 0 {
			p.FunderID = old.FunderID
		}
		if p.FunderID != old.FunderID && !authz.Allowed(a, authz.ProgrammeFunder, authz.Resource{}) {
			return domain.Errorf(domain.EForbidden, "Nur die Plattformadministration kann den Fördergeber eines Programms ändern.")
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkProgrammeOrgs(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.SaveProgramme(ctx, p); err != nil {
			return err
		}
		return stepUpSavedProgramme(ctx, tx, old, p)
	})
}

// Contingent returns how many people of the applicant with the AGS the
// programme funds, how many places are used and how many remain. It is
// public, like the programme's settings.
func (s *Service) Contingent(ctx context.Context, programmeID, ags string) (c *domain.Contingent, err error) {
	defer domain.Wrap(&err, "funding.Contingent(%q, %q)", programmeID, ags)
	p, err := s.db.Programme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	if !domain.ValidAGS(ags) {
		return nil, domain.Errorf(domain.EBadRequest, "Ein Gemeindeschlüssel hat 5 (Kreis) oder 8 Ziffern (Gemeinde).")
	}
	if ags[:2] != p.State {
		return nil, domain.Errorf(domain.EInvalid, "Das Förderprogramm „%s“ gilt nur für Kommunen in einem anderen Land.", p.Name)
	}
	return s.db.Contingent(ctx, p, ags)
}
