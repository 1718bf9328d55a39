package funding

import (
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
	pm := domain.ProgrammeMFA{ID: p.ID, FunderID: p.FunderID}
	for _, r := range p.Reviewers {
		pm.ReviewerIDs = append(pm.ReviewerIDs, r.AssociationID)
	}
	req := domain.MFARequirements{Programmes: []domain.ProgrammeMFA{pm}}
	persons, sessions, err := tx.StepUpSessions(ctx, 0, func(a *domain.Actor) bool { return authz.SecondFactorRequired(a, req) },
		p.FunderID, map[string]any{"programme": p.ID})
	if err != nil {
		return err
	}
	return tx.Audit(ctx, p.FunderID, "mfa.require_on", "programme", p.ID, map[string]int64{"persons": persons, "sessions": sessions})
}
