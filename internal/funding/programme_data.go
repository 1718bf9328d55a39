package funding

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// A programme is data: funders and admins create one, clone one, export it
// as a versioned JSON document (domain.ProgrammeExport) and import it on
// another instance. Nothing here knows a particular programme.

// ProgrammeFor returns the programme an applicant with the AGS applies
// to: the programme of its state, an open one before a closed one.
func (s *Service) ProgrammeFor(ctx context.Context, ags string) (p *domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.ProgrammeFor(%q)", ags)
	ps, err := s.db.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	var found *domain.Programme
	for i := range ps {
		if len(ags) >= 2 && ps[i].State == ags[:2] && (found == nil || (ps[i].Open && !found.Open)) {
			found = &ps[i]
		}
	}
	if found == nil {
		return nil, domain.Errorf(domain.ENotFound, "Für Kommunen dieses Landes gibt es auf der Plattform kein Förderprogramm.")
	}
	return found, nil
}

// MayCreateProgramme reports whether the actor may create programmes at
// all: admins, and funders for their organisations.
func (s *Service) MayCreateProgramme(ctx context.Context) bool {
	a := domain.ActorFrom(ctx)
	return authz.Allowed(a, authz.ProgrammeCreate, authz.Resource{}) || len(authz.ProgrammeFunders(a)) > 0
}

// MayCreateOrganisations reports whether an import by the actor may
// create missing organisations (admins).
func (s *Service) MayCreateOrganisations(ctx context.Context) bool {
	return authz.Allowed(domain.ActorFrom(ctx), authz.OrgAdmin, authz.Resource{})
}

// MayExportProgramme reports whether the actor may export p.
func (s *Service) MayExportProgramme(ctx context.Context, p *domain.Programme) bool {
	return authz.Allowed(domain.ActorFrom(ctx), authz.ProgrammeExport, authz.Resource{OrgID: p.FunderID})
}

// FunderChoices are the funders a new programme of the actor may name:
// every funder for admins, the actor's own funder organisations otherwise.
func (s *Service) FunderChoices(ctx context.Context) (out []domain.Organisation, err error) {
	defer domain.Wrap(&err, "funding.FunderChoices")
	a := domain.ActorFrom(ctx)
	all, err := s.OrgsOfKind(ctx, domain.OrgFunder)
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if authz.Allowed(a, authz.ProgrammeCreate, authz.Resource{OrgID: o.ID}) {
			out = append(out, o)
		}
	}
	return out, nil
}

// OrgsOfKind lists the organisations of a kind by name (the choices of a
// programme's providers and reviewing associations); the names are public.
func (s *Service) OrgsOfKind(ctx context.Context, kind domain.OrgKind) (out []domain.Organisation, err error) {
	defer domain.Wrap(&err, "funding.OrgsOfKind(%q)", kind)
	f := domain.OrgFilter{Kind: &kind, Limit: 200, NoTotal: true}
	for {
		os, _, err := s.db.Organisations(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
		if len(os) < 200 || len(out) > 10_000 {
			return out, nil
		}
		f.After = domain.KeyCursor{Key: os[len(os)-1].Name, ID: os[len(os)-1].ID}
	}
}

// checkProgrammeOrgs checks that the organisations p names are of the
// right kind.
func checkProgrammeOrgs(ctx context.Context, tx *store.Tx, p *domain.Programme) error {
	v := domain.Validation{}
	check := func(field string, id int64, kind domain.OrgKind, msg string) error {
		k, err := tx.OrgKind(ctx, id)
		if err == nil && k != kind {
			v.Add(field, msg)
		}
		return err
	}
	if err := check("funder_id", p.FunderID, domain.OrgFunder, "Der Fördergeber muss eine Organisation der Art „Fördergeber“ sein."); err != nil {
		return err
	}
	if len(p.ProviderIDs) == 0 {
		v.Add("provider_ids", "Bitte wählen Sie mindestens einen Bildungsträger.")
	}
	for _, id := range p.ProviderIDs {
		if err := check("provider_ids", id, domain.OrgProvider, "Geförderte Bildungsträger müssen Organisationen der Art „Bildungsträger“ sein."); err != nil {
			return err
		}
	}
	for _, r := range p.Reviewers {
		if err := check("reviewers", r.AssociationID, domain.OrgAssociation, "Prüfende Stellen müssen Kommunale Landesverbände sein."); err != nil {
			return err
		}
	}
	return v.Err()
}

// ownFunder is the funder a new programme of the actor gets when none is
// named: the actor's only funder organisation.
func ownFunder(a *domain.Actor) int64 {
	if ids := authz.ProgrammeFunders(a); len(ids) == 1 {
		return ids[0]
	}
	return 0
}

// insertProgramme checks and stores a new programme inside tx.
func insertProgramme(ctx context.Context, tx *store.Tx, p *domain.Programme, action, from string) error {
	if err := authz.Check(domain.ActorFrom(ctx), authz.ProgrammeCreate, authz.Resource{OrgID: p.FunderID}); err != nil {
		if domain.ErrorCode(err) == domain.EForbidden {
			return domain.Errorf(domain.EForbidden, "Sie können nur Förderprogramme Ihres eigenen Fördergebers anlegen.")
		}
		return err
	}
	v := domain.Validation{}
	if p.ID == "" {
		v.Add("id", "Bitte geben Sie eine Kennung an, z. B. digitallotsen-he.")
	}
	if err := p.Validate(); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		for k, msg := range domain.ErrorFields(err) {
			v.Add(k, msg)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := checkProgrammeOrgs(ctx, tx, p); err != nil {
		return err
	}
	if err := tx.InsertProgramme(ctx, p, action, from); err != nil {
		return err
	}
	// The organisations it names get their stable keys now, so that an
	// export names them the same way from now on.
	_, err := tx.OrgRefs(ctx, programmeOrgIDs(p))
	return err
}

func programmeOrgIDs(p *domain.Programme) []int64 {
	ids := append([]int64{p.FunderID}, p.ProviderIDs...)
	for _, r := range p.Reviewers {
		ids = append(ids, r.AssociationID)
	}
	return ids
}

// CreateProgramme creates a new programme. Admins may name any funder;
// funders create programmes of their own organisation (the only one they
// fund, when none is named).
func (s *Service) CreateProgramme(ctx context.Context, p *domain.Programme) (err error) {
	defer domain.Wrap(&err, "funding.CreateProgramme(%q)", p.ID)
	defer func() { s.catalogLabels(ctx, err) }()
	if !s.MayCreateProgramme(ctx) {
		return authz.Check(domain.ActorFrom(ctx), authz.ProgrammeCreate, authz.Resource{OrgID: -1})
	}
	if p.FunderID == 0 {
		p.FunderID = ownFunder(domain.ActorFrom(ctx))
	}
	if p.FunderID == 0 && !domain.ActorFrom(ctx).Anonymous() {
		msg := "Bitte wählen Sie den Fördergeber des Programms."
		return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"funder_id": msg}}
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error { return insertProgramme(ctx, tx, p, "programme.create", "") })
}

// CloneProgramme copies the programme src under a new ID and name;
// everything else is copied. A funder who does not fund src makes the copy
// their own organisation's programme.
func (s *Service) CloneProgramme(ctx context.Context, src, id, name string) (p *domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.CloneProgramme(%q, %q)", src, id)
	defer func() { s.catalogLabels(ctx, err) }()
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		old, err := tx.Programme(ctx, src)
		if err != nil {
			return err
		}
		if p, err = copyProgramme(old); err != nil {
			return err
		}
		p.ID, p.Name = strings.TrimSpace(id), strings.TrimSpace(name)
		if !authz.Allowed(a, authz.ProgrammeCreate, authz.Resource{OrgID: p.FunderID}) {
			if own := ownFunder(a); own != 0 {
				p.FunderID = own
			}
		}
		if err := insertProgramme(ctx, tx, p, "programme.clone", src); err != nil {
			return err
		}
		// The copy keeps the original's second-factor requirement.
		on, err := tx.ProgrammeRequiresMFA(ctx, src)
		if err == nil && on {
			err = requireSecondFactor(ctx, tx, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// copyProgramme is a deep copy of p.
func copyProgramme(p *domain.Programme) (*domain.Programme, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var c domain.Programme
	return &c, json.Unmarshal(b, &c)
}

// ExportProgramme returns the programme as a versioned JSON document that
// names organisations by their stable keys. Its funder and admins may.
func (s *Service) ExportProgramme(ctx context.Context, id string) (x *domain.ProgrammeExport, err error) {
	defer domain.Wrap(&err, "funding.ExportProgramme(%q)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.Programme(ctx, id)
		if err != nil {
			return err
		}
		if err := authz.Check(domain.ActorFrom(ctx), authz.ProgrammeExport, authz.Resource{OrgID: p.FunderID}); err != nil {
			return err
		}
		refs, err := tx.OrgRefs(ctx, programmeOrgIDs(p))
		if err != nil {
			return err
		}
		x = domain.ExportProgramme(p, refs, tx.Now())
		x.Programme.RequireSecondFactor, err = tx.ProgrammeRequiresMFA(ctx, p.ID)
		return err
	})
	return x, err
}

// ImportOptions change how an export is imported.
type ImportOptions struct {
	// ID and Name, when given, replace the document's (to import a
	// programme next to the one it was exported from).
	ID, Name string
	// CreateMissing creates the organisations this instance lacks from
	// their names and kinds in the document; admins only.
	CreateMissing bool
}

// ImportProgramme creates a programme from an export document. Every
// organisation it names must exist on this instance (by key, or by the
// same name and kind) unless an admin asks to create the missing ones;
// missing ones are reported by name, and nothing is written then.
func (s *Service) ImportProgramme(ctx context.Context, x *domain.ProgrammeExport, opt ImportOptions) (p *domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.ImportProgramme")
	defer func() { s.catalogLabels(ctx, err) }()
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if !s.MayCreateProgramme(ctx) {
		return nil, authz.Check(a, authz.ProgrammeCreate, authz.Resource{OrgID: -1})
	}
	if opt.CreateMissing && !authz.Allowed(a, authz.OrgAdmin, authz.Resource{}) {
		return nil, domain.Errorf(domain.EForbidden, "Nur die Plattformadministration kann beim Import Organisationen anlegen.")
	}
	if err := x.Check(); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err = importProgramme(ctx, tx, x, opt)
		if err != nil {
			return err
		}
		if err := insertProgramme(ctx, tx, p, "programme.import", x.Programme.ID); err != nil {
			return err
		}
		if x.Programme.RequireSecondFactor {
			err = requireSecondFactor(ctx, tx, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// importProgramme resolves the document's organisations and makes the
// programme, inside tx.
func importProgramme(ctx context.Context, tx *store.Tx, x *domain.ProgrammeExport, opt ImportOptions) (*domain.Programme, error) {
	ids, err := tx.ResolveOrgRefs(ctx, x.Organisations, opt.CreateMissing)
	if err != nil {
		return nil, err
	}
	p, missing := x.ToProgramme(ids)
	if len(missing) > 0 {
		return nil, domain.MissingOrganisations(missing)
	}
	if opt.ID = strings.TrimSpace(opt.ID); opt.ID != "" {
		p.ID = opt.ID
	}
	if opt.Name = strings.TrimSpace(opt.Name); opt.Name != "" {
		p.Name = opt.Name
	}
	return p, nil
}

// InstallProgramme imports a programme shipped with the platform (seed
// data) unless a programme with its ID exists, creating the organisations
// it names where they are missing. It acts as the platform, not as a
// person, so it is for installers only (the command and the demo).
func InstallProgramme(ctx context.Context, db *store.DB, x *domain.ProgrammeExport) (p *domain.Programme, err error) {
	defer domain.Wrap(&err, "funding.InstallProgramme(%q)", x.Programme.ID)
	if err := x.Check(); err != nil {
		return nil, err
	}
	err = db.Transact(ctx, func(tx *store.Tx) error {
		if old, err := tx.Programme(ctx, x.Programme.ID); err == nil {
			// Installed before: its organisations take the seed's keys
			// where they have none yet (matched by name and kind); none is
			// created, since they may have been renamed since.
			p = old
			_, err = tx.ResolveOrgRefs(ctx, x.Organisations, false)
			return err
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		if p, err = importProgramme(ctx, tx, x, ImportOptions{CreateMissing: true}); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkProgrammeOrgs(ctx, tx, p); err != nil {
			return err
		}
		return tx.InsertProgramme(ctx, p, "programme.import", "")
	})
	return p, err
}
