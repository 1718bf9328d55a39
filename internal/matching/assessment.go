package matching

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// The self-assessment: a person rates the competences they care about,
// writes goals and preferences, and shares the result with an
// organisation's HR or withdraws the share.

// MyAssessment returns the actor's assessment; domain.ErrAssessmentMissing
// when they have none yet.
func (s *Service) MyAssessment(ctx context.Context) (a *domain.Assessment, err error) {
	defer domain.Wrap(&err, "matching.MyAssessment")
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	a, err = s.db.Assessment(ctx, act.PersonID())
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.ErrAssessmentMissing
	}
	return a, err
}

// SaveAssessment replaces the actor's ratings, goals and preferences after
// checking them against the framework; the shares stay. Items rated 0 with
// target 0 are dropped: they say nothing.
func (s *Service) SaveAssessment(ctx context.Context, in *domain.Assessment) (a *domain.Assessment, err error) {
	defer domain.Wrap(&err, "matching.SaveAssessment")
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return nil, err
	}
	in.PersonID = act.PersonID()
	in.Normalize()
	if err := in.Validate(framework); err != nil {
		return nil, err
	}
	kept := in.Items[:0:0]
	for _, it := range in.Items {
		if it.Level > 0 || it.Target > 0 {
			kept = append(kept, it)
		}
	}
	in.Items = kept
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.PutAssessment(ctx, in); err != nil {
			return err
		}
		// The audit log keeps that it changed, not the ratings: they are
		// the person's.
		if err := tx.Audit(ctx, 0, "assessment.save", "person", in.PersonID, map[string]int{"items": len(in.Items)}); err != nil {
			return err
		}
		a, err = tx.Assessment(ctx, in.PersonID)
		return err
	})
	return a, err
}

// ShareAssessment shares the actor's assessment with an organisation they
// belong to, so that its HR sees it.
func (s *Service) ShareAssessment(ctx context.Context, orgID int64) (a *domain.Assessment, err error) {
	defer domain.Wrap(&err, "matching.ShareAssessment(%d)", orgID)
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	if !authz.Allowed(act, authz.AssessmentShare, authz.Resource{OrgID: orgID}) {
		return nil, domain.ErrAssessmentShareOrg
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if _, err := tx.Assessment(ctx, act.PersonID()); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return domain.ErrAssessmentMissing
			}
			return err
		}
		added, err := tx.ShareAssessment(ctx, act.PersonID(), orgID)
		if err != nil {
			return err
		}
		if added {
			if err := tx.Audit(ctx, orgID, "assessment.share", "person", act.PersonID(), nil); err != nil {
				return err
			}
		}
		a, err = tx.Assessment(ctx, act.PersonID())
		return err
	})
	return a, err
}

// WithdrawAssessmentShare ends the share with an organisation; HR no
// longer sees the assessment.
func (s *Service) WithdrawAssessmentShare(ctx context.Context, orgID int64) (a *domain.Assessment, err error) {
	defer domain.Wrap(&err, "matching.WithdrawAssessmentShare(%d)", orgID)
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if _, err := tx.Assessment(ctx, act.PersonID()); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return domain.ErrAssessmentMissing
			}
			return err
		}
		removed, err := tx.UnshareAssessment(ctx, act.PersonID(), orgID)
		if err != nil {
			return err
		}
		if removed {
			if err := tx.Audit(ctx, orgID, "assessment.unshare", "person", act.PersonID(), nil); err != nil {
				return err
			}
		}
		a, err = tx.Assessment(ctx, act.PersonID())
		return err
	})
	return a, err
}

// SharedPage is a page of the assessments shared with an organisation.
type SharedPage struct {
	List []domain.SharedAssessment
	// Next is where the next page starts; zero on the last page.
	Next domain.KeyCursor
	// Total counts all shared assessments, up to domain.ListCountLimit and
	// one more.
	Total int
	// Gaps: per competence, the people with a gap, counted over all; only
	// when at least domain.MinGroupSize people shared, else nil.
	Gaps []domain.CompetenceCount
}

// SharedAssessmentsPage is a page of up to limit assessments shared with
// an organisation, by name, after the person at after (keyset paging),
// with the count of all and their gaps, for its HR.
func (s *Service) SharedAssessmentsPage(ctx context.Context, orgID int64, after domain.KeyCursor, limit int) (p *SharedPage, err error) {
	defer domain.Wrap(&err, "matching.SharedAssessmentsPage(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.AssessmentListShared, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = domain.MaxPage
	}
	list, err := s.db.SharedAssessmentsAfter(ctx, orgID, after, limit+1)
	if err != nil {
		return nil, err
	}
	p = &SharedPage{List: list}
	if len(list) > limit {
		p.List = list[:limit]
		last := p.List[limit-1]
		p.Next = domain.KeyCursor{Key: last.PersonName, ID: last.PersonID}
	}
	if after.IsZero() && p.Next.IsZero() {
		p.Total = len(p.List)
	} else if p.Total, err = s.db.SharedCount(ctx, orgID); err != nil {
		return nil, err
	}
	if p.Total >= domain.MinGroupSize {
		if p.Gaps, err = s.db.SharedGapCounts(ctx, orgID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Framework is the competence framework with the level descriptions, for
// the assessment form.
func (s *Service) Framework(ctx context.Context) ([]domain.Competence, error) {
	return s.db.Competences(ctx)
}

// StartingProfiles are the role profiles a person can start their
// assessment from, so that a first version takes minutes: those of the
// municipalities they belong to (the ones HR assigned them to first), or
// the shipped templates where a municipality has none yet. Members are
// left out: who holds which role is for HR. Templates carry ID 0 and their
// key in Template.
func (s *Service) StartingProfiles(ctx context.Context) (out []domain.RoleProfile, err error) {
	defer domain.Wrap(&err, "matching.StartingProfiles")
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, c := range framework {
		if c.Code != c.Area {
			names[c.Code] = c.Name
		}
	}
	var mine, others []domain.RoleProfile
	seen := map[string]bool{}
	for _, m := range act.Memberships {
		if m.OrgKind != domain.OrgMunicipality {
			continue
		}
		ps, err := s.db.RoleProfiles(ctx, m.OrgID)
		if err != nil {
			return nil, err
		}
		held, err := s.db.AssignedRoleProfiles(ctx, m.OrgID, act.PersonID())
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if seen[p.Name] || len(p.Targets) == 0 {
				continue
			}
			seen[p.Name] = true
			p.Members, p.MemberCount = []domain.RoleMember{}, 0
			if held[p.ID] {
				mine = append(mine, p)
			} else {
				others = append(others, p)
			}
		}
	}
	out = append(mine, others...)
	for _, t := range domain.RoleProfileTemplates {
		if seen[t.Name] {
			continue
		}
		p := domain.RoleProfile{Name: t.Name, Description: t.Description, Template: t.Key, Targets: []domain.RoleTarget{}, Members: []domain.RoleMember{}}
		for _, tg := range t.Targets {
			if n, ok := names[tg.Code]; ok {
				p.Targets = append(p.Targets, domain.RoleTarget{Code: tg.Code, Name: n, Level: tg.Level})
			}
		}
		if len(p.Targets) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}
