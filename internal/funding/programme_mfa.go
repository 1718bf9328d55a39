package funding

import (
	"slices"

	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// requireSecondFactor makes the new programme p (a clone or an import)
// require a second factor and applies it at once, as switching it on does
// (account.SetProgrammeRequireMFA): the running sessions of the people it
// covers in which no second factor was given wait for it from their next
// request. Both steps are in the audit log.
func requireSecondFactor(ctx context.Context, tx *store.Tx, p *domain.Programme) error {
	if _, err := tx.SetProgrammeRequireMFA(ctx, p.ID, true); err != nil {
		return err
	}
	req := domain.MFARequirements{Programmes: []domain.ProgrammeMFA{p.MFA()}}
	persons, sessions, err := tx.StepUpSessions(ctx, 0, func(a *domain.Actor) bool { return authz.SecondFactorRequired(a, req) },
		p.FunderID, map[string]any{"programme": p.ID})
	if err != nil {
		return err
	}
	return tx.Audit(ctx, p.FunderID, "mfa.require_on", "programme", p.ID, map[string]int64{"persons": persons, "sessions": sessions})
}

// stepUpSavedProgramme applies the requirement of programme p, saved from
// old, to the people the change brings under it, inside tx: a programme
// that requires a second factor and gets a new funder or a new reviewing
// association covers their funders or reviewers from now on, so their
// running sessions without the factor wait for it, as when the
// requirement is switched on.
func stepUpSavedProgramme(ctx context.Context, tx *store.Tx, old, p *domain.Programme) error {
	added := p.FunderID != old.FunderID
	for _, r := range p.Reviewers {
		if !slices.ContainsFunc(old.Reviewers, func(o domain.ReviewerRule) bool { return o.AssociationID == r.AssociationID }) {
			added = true
		}
	}
	if !added {
		return nil
	}
	if on, err := tx.ProgrammeRequiresMFA(ctx, p.ID); err != nil || !on {
		return err
	}
	req := domain.MFARequirements{Programmes: []domain.ProgrammeMFA{p.MFA()}}
	_, _, err := tx.StepUpSessions(ctx, 0, func(a *domain.Actor) bool { return authz.SecondFactorRequired(a, req) },
		p.FunderID, map[string]any{"programme": p.ID})
	return err
}
