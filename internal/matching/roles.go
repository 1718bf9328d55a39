package matching

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// Role profiles and team gaps for HR. A municipality's profiles are its
// own: the shipped templates (domain.RoleProfileTemplates) are copied into
// it the first time its HR opens them, and from then on HR edits and
// deletes the copies freely (deleted copies do not come back).

// municipality checks act on the organisation and that it is a
// municipality.
func (s *Service) municipality(ctx context.Context, act authz.Action, orgID int64) error {
	if err := authz.Check(domain.ActorFrom(ctx), act, authz.Resource{OrgID: orgID}); err != nil {
		return err
	}
	org, err := s.db.Organisation(ctx, orgID)
	if err != nil {
		return err
	}
	if org.Kind != domain.OrgMunicipality {
		return domain.ErrRoleOrgKind
	}
	return nil
}

// seed copies the templates into the municipality once.
func (s *Service) seed(ctx context.Context, orgID int64) error {
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range framework {
		if c.Code != c.Area {
			known[c.Code] = true
		}
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		fresh, err := tx.SeedRoleProfiles(ctx, orgID)
		if err != nil || !fresh {
			return err
		}
		for _, t := range domain.RoleProfileTemplates {
			p := &domain.RoleProfile{OrgID: orgID, Name: t.Name, Description: t.Description, Template: t.Key}
			for _, tg := range t.Targets {
				if known[tg.Code] {
					p.Targets = append(p.Targets, tg)
				}
			}
			if len(p.Targets) == 0 {
				continue
			}
			if err := tx.InsertRoleProfile(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// RoleProfiles lists the municipality's role profiles (copying the
// templates on first use), for its HR.
func (s *Service) RoleProfiles(ctx context.Context, orgID int64) (out []domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.RoleProfiles(%d)", orgID)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	if err := s.seed(ctx, orgID); err != nil {
		return nil, err
	}
	out, err = s.db.RoleProfiles(ctx, orgID)
	if out == nil {
		out = []domain.RoleProfile{}
	}
	return out, err
}

// RoleProfile returns one of the municipality's profiles.
func (s *Service) RoleProfile(ctx context.Context, orgID, id int64) (p *domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.RoleProfile(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	return s.ownProfile(ctx, s.db.RoleProfile, orgID, id)
}

// ownProfile loads a profile and answers not found when it belongs to
// another organisation.
func (s *Service) ownProfile(ctx context.Context, load func(context.Context, int64) (*domain.RoleProfile, error), orgID, id int64) (*domain.RoleProfile, error) {
	p, err := load(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && p.OrgID != orgID) {
		return nil, domain.ErrRoleProfileNotFound
	}
	return p, err
}

// prepare normalises and validates a profile against the framework.
func (s *Service) prepare(ctx context.Context, in *domain.RoleProfile) error {
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return err
	}
	in.Normalize()
	if err := in.Validate(framework); err != nil {
		return err
	}
	// Stored by code, so that lists read the same everywhere.
	slices.SortStableFunc(in.Targets, func(a, b domain.RoleTarget) int { return strings.Compare(a.Code, b.Code) })
	return nil
}

// nameTaken maps a unique-name conflict to its field message.
func nameTaken(err error) error {
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrRoleProfileName
	}
	return err
}

// CreateRoleProfile adds a profile to the municipality.
func (s *Service) CreateRoleProfile(ctx context.Context, orgID int64, in *domain.RoleProfile) (p *domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.CreateRoleProfile(%d)", orgID)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	if err := s.seed(ctx, orgID); err != nil {
		return nil, err
	}
	if err := s.prepare(ctx, in); err != nil {
		return nil, err
	}
	in.ID, in.OrgID, in.Template = 0, orgID, ""
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n, err := tx.CountRoleProfiles(ctx, orgID)
		if err != nil {
			return err
		}
		if n >= domain.MaxRoleProfiles {
			return domain.ErrRoleProfileLimit
		}
		if err := tx.InsertRoleProfile(ctx, in); err != nil {
			return nameTaken(err)
		}
		if err := tx.Audit(ctx, orgID, "role_profile.create", "role_profile", in.ID, map[string]any{"name": in.Name, "targets": len(in.Targets)}); err != nil {
			return err
		}
		p, err = tx.RoleProfile(ctx, in.ID)
		return err
	})
	return p, err
}

// UpdateRoleProfile replaces a profile's name, description and targets;
// the assignments stay.
func (s *Service) UpdateRoleProfile(ctx context.Context, orgID, id int64, in *domain.RoleProfile) (p *domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.UpdateRoleProfile(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	if err := s.prepare(ctx, in); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if _, err := s.ownProfile(ctx, tx.RoleProfile, orgID, id); err != nil {
			return err
		}
		in.ID, in.OrgID = id, orgID
		if err := tx.UpdateRoleProfile(ctx, in); err != nil {
			return nameTaken(err)
		}
		if err := tx.Audit(ctx, orgID, "role_profile.update", "role_profile", id, map[string]any{"name": in.Name, "targets": len(in.Targets)}); err != nil {
			return err
		}
		p, err = tx.RoleProfile(ctx, id)
		return err
	})
	return p, err
}

// DeleteRoleProfile removes a profile with its assignments.
func (s *Service) DeleteRoleProfile(ctx context.Context, orgID, id int64) (err error) {
	defer domain.Wrap(&err, "matching.DeleteRoleProfile(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := s.ownProfile(ctx, tx.RoleProfile, orgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoleProfile(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, orgID, "role_profile.delete", "role_profile", id, map[string]any{"name": p.Name})
	})
}

// SetRoleMembers replaces the people assigned to a profile; each must be a
// member of the municipality (field persons.N otherwise).
func (s *Service) SetRoleMembers(ctx context.Context, orgID, id int64, persons []int64) (p *domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.SetRoleMembers(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if _, err := s.ownProfile(ctx, tx.RoleProfile, orgID, id); err != nil {
			return err
		}
		members, err := tx.MembersAmong(ctx, orgID, persons)
		if err != nil {
			return err
		}
		var ids []int64
		for i, pid := range persons {
			if !members[pid] {
				return domain.RoleMemberError(i)
			}
			if !slices.Contains(ids, pid) {
				ids = append(ids, pid)
			}
		}
		if err := tx.SetRoleMembers(ctx, id, ids); err != nil {
			return err
		}
		if err := tx.Audit(ctx, orgID, "role_profile.members", "role_profile", id, map[string]int{"members": len(ids)}); err != nil {
			return err
		}
		p, err = tx.RoleProfile(ctx, id)
		return err
	})
	return p, err
}

// RoleCandidatesPageSize is the number of people the assignment form of
// a role profile shows at once.
const RoleCandidatesPageSize = 50

// RoleCandidatesPage lists the municipality's members HR can assign to
// the profile id, a page at a time: up to limit (RoleCandidatesPageSize
// when 0, at most domain.MaxPage) after the person after (0: from the
// first), in the order they joined, whose first name, surname or address
// begins with query (all when empty), each with whether they hold the profile; and where
// the next page starts (0: none).
func (s *Service) RoleCandidatesPage(ctx context.Context, orgID, id int64, query string, after int64, limit int) (out []domain.RoleCandidate, next int64, err error) {
	defer domain.Wrap(&err, "matching.RoleCandidatesPage(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, 0, err
	}
	if owner, err := s.db.RoleProfileOrg(ctx, id); domain.ErrorCode(err) == domain.ENotFound || (err == nil && owner != orgID) {
		return nil, 0, domain.ErrRoleProfileNotFound
	} else if err != nil {
		return nil, 0, err
	}
	query = strings.TrimSpace(query)
	if utf8.RuneCountInString(query) > 200 {
		v := domain.Validation{}
		v.Add("suche", "Der Suchbegriff darf höchstens 200 Zeichen lang sein.")
		return nil, 0, v.Err()
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = RoleCandidatesPageSize
	}
	out, err = s.db.RoleCandidatesPage(ctx, orgID, id, query, after, limit+1)
	if err != nil || len(out) <= limit {
		return out, 0, err
	}
	out = out[:limit]
	return out, out[limit-1].PersonID, nil
}

// AssignRolePage saves the ticks of one page of the assignment form: the
// people in ticked hold the profile afterwards, the people in shown but
// not in ticked do not; everyone else's assignment stays as it is. Each
// must be a member of the municipality (field persons.N of ticked, or
// "persons", otherwise).
func (s *Service) AssignRolePage(ctx context.Context, orgID, id int64, shown, ticked []int64) (p *domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.AssignRolePage(%d, %d)", orgID, id)
	if err := s.municipality(ctx, authz.RoleProfileEdit, orgID); err != nil {
		return nil, err
	}
	if len(shown)+len(ticked) > 2*domain.MaxPage {
		v := domain.Validation{}
		v.Add("persons", fmt.Sprintf("Bitte ordnen Sie höchstens %d Personen auf einmal zu.", domain.MaxPage))
		return nil, v.Err()
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if _, err := s.ownProfile(ctx, tx.RoleProfile, orgID, id); err != nil {
			return err
		}
		members, err := tx.MembersAmong(ctx, orgID, append(slices.Clone(ticked), shown...))
		if err != nil {
			return err
		}
		for i, pid := range ticked {
			if !members[pid] {
				return domain.RoleMemberError(i)
			}
		}
		var remove []int64
		for _, pid := range shown {
			if !members[pid] {
				v := domain.Validation{}
				v.Add("persons", "Diese Person gehört nicht zu Ihrer Kommune.")
				return v.Err()
			}
			if !slices.Contains(ticked, pid) && !slices.Contains(remove, pid) {
				remove = append(remove, pid)
			}
		}
		added, removed, err := tx.ChangeRoleMembers(ctx, id, ticked, remove)
		if err != nil {
			return err
		}
		n, err := tx.CountRoleMembers(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Audit(ctx, orgID, "role_profile.members", "role_profile", id,
			map[string]int{"members": n, "added": added, "removed": removed}); err != nil {
			return err
		}
		p, err = tx.RoleProfile(ctx, id)
		return err
	})
	return p, err
}

// Offers per gap.
const (
	gapOffersShown   = 3
	gapOffersScanned = search.MaxPageSize
)

// TeamGaps returns, per role profile of the municipality, the gaps of the
// assigned people who shared their assessment with it; aggregated figures
// only for at least domain.MinGroupSize such people; and for each
// competence with a gap, up to three offers with a next open session that
// teach it at the target level, with their cost after funding.
func (s *Service) TeamGaps(ctx context.Context, orgID int64) (out []domain.ProfileGaps, err error) {
	defer domain.Wrap(&err, "matching.TeamGaps(%d)", orgID)
	if err := s.municipality(ctx, authz.TeamGapsView, orgID); err != nil {
		return nil, err
	}
	if err := s.seed(ctx, orgID); err != nil {
		return nil, err
	}
	profiles, err := s.db.RoleProfiles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	offers := &offerFinder{s: s, now: s.now(), found: map[string][]domain.GapOffer{}}
	out = make([]domain.ProfileGaps, 0, len(profiles))
	for _, p := range profiles {
		// The figures are counted by the database over all the profile's
		// people; the people themselves come by name, the first
		// domain.GapPeopleShown (issue 14: a profile may have thousands).
		fig, err := s.db.ProfileGapFigures(ctx, orgID, p.ID)
		if err != nil {
			return nil, err
		}
		people, err := s.db.ProfileSharedAssessments(ctx, orgID, p.ID, domain.GapPeopleShown)
		if err != nil {
			return nil, err
		}
		pg := domain.ProfileGaps{ProfileID: p.ID, Name: p.Name, Assigned: fig.Assigned, Shared: fig.Shared, NotShared: fig.Assigned - fig.Shared,
			MorePeople: fig.Shared - len(people), People: []domain.GapPerson{}, Competences: []domain.CompetenceGaps{}}
		for i := range people {
			a := &people[i]
			gp := domain.GapPerson{PersonID: a.PersonID, Name: a.PersonName, Gaps: []domain.RoleGap{}}
			for _, t := range p.Targets {
				it, _ := a.Item(t.Code)
				if g := t.Level - it.Level; g > 0 {
					gp.Gaps = append(gp.Gaps, domain.RoleGap{Code: t.Code, Name: t.Name, Target: t.Level, Level: it.Level, Gap: g})
				}
			}
			pg.People = append(pg.People, gp)
		}
		for _, t := range p.Targets {
			cg := domain.CompetenceGaps{Code: t.Code, Name: t.Name, Target: t.Level, Offers: []domain.GapOffer{}}
			with, sum := fig.WithGap[t.Code], fig.GapSum[t.Code]
			if fig.Shared >= domain.MinGroupSize {
				avg := float64(sum) / float64(fig.Shared)
				cg.WithGap, cg.AverageGap = &with, &avg
			} else {
				cg.BelowThreshold = true
			}
			if with > 0 {
				if cg.Offers, err = offers.find(ctx, t.Code, t.Level); err != nil {
					return nil, err
				}
			}
			pg.Competences = append(pg.Competences, cg)
		}
		out = append(out, pg)
	}
	return out, nil
}

// offerFinder looks up offers closing a gap in the catalog's in-memory
// index, once per competence and level.
type offerFinder struct {
	s          *Service
	now        time.Time
	found      map[string][]domain.GapOffer
	programmes []domain.Programme
	loaded     bool
}

func (f *offerFinder) find(ctx context.Context, code string, level int) ([]domain.GapOffer, error) {
	key := code + "/" + strconv.Itoa(level)
	if o, ok := f.found[key]; ok {
		return o, nil
	}
	if !f.loaded {
		ps, err := f.s.db.Programmes(ctx)
		if err != nil {
			return nil, err
		}
		f.programmes, f.loaded = ps, true
	}
	area, _, _ := strings.Cut(code, ".")
	res, err := f.s.catalog.Search(ctx, search.Query{Filters: map[string][]string{"competence": {area}}, Sort: "date",
		PageSize: gapOffersScanned, Now: f.now})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	out := []domain.GapOffer{}
	for _, it := range f.s.catalog.Items(ids) {
		i := slices.IndexFunc(it.Competences, func(c domain.OfferCompetence) bool { return c.Code == code && c.Level >= level })
		next := it.NextSession(f.now)
		if i < 0 || next == nil {
			continue
		}
		g := domain.GapOffer{OfferID: it.ID, Title: it.Title, ProviderName: it.ProviderName, Level: it.Competences[i].Level,
			PriceCents: it.PriceCents, CostCents: it.PriceCents}
		start := next.StartsAt
		g.NextSession = &start
		if next.Online {
			g.Place = "online"
		} else {
			g.Place = next.Place
		}
		days := it.Days
		if next.Days > 0 {
			days = next.Days
		}
		f.fund(&g, it.FundingTracks, it.ProviderID, days)
		out = append(out, g)
		if len(out) == gapOffersShown {
			break
		}
	}
	f.found[key] = out
	return out, nil
}

// fund sets the track that leaves the least to pay: max(0, price − the
// track's voucher value for the days).
func (f *offerFinder) fund(g *domain.GapOffer, tracks []string, providerID int64, days int) {
	for _, key := range tracks {
		pid, tk, ok := strings.Cut(key, "/")
		if !ok {
			continue
		}
		i := slices.IndexFunc(f.programmes, func(p domain.Programme) bool { return p.ID == pid })
		if i < 0 {
			continue
		}
		prog := &f.programmes[i]
		if len(prog.ProviderIDs) > 0 && !prog.FundsProvider(providerID) {
			continue
		}
		t, ok := prog.Track(tk)
		if !ok {
			continue
		}
		value := min(t.VoucherValue(days), g.PriceCents)
		if cost := g.PriceCents - value; g.Track == "" || cost < g.CostCents {
			g.Track, g.TrackName, g.FundingCents, g.CostCents = key, t.Name, value, cost
		}
	}
}
