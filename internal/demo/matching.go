package demo

import (
	"context"
	"fmt"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// colleague is a member of staff of the demo district who assessed
// themselves.
type colleague struct {
	name, email, ags string
	items            []domain.AssessmentItem
	search           string // a catalog search that found nothing
}

// colleagues are six members of staff in the district of Zukunftstal:
// four in Futurehausen, two in Kleinbach. Their shared gaps give HR's
// team view and the providers' demand page figures of at least five
// people.
var colleagues = []colleague{
	{"Jana Jäger", "jana.jaeger@futurehausen.example", FuturehausenAGS,
		[]domain.AssessmentItem{{Code: "KI.1", Level: 0, Target: 2}, {Code: "RECHT.1", Level: 1, Target: 2}, {Code: "PM.1", Level: 1, Target: 2}}, "KI Chatbot Bürgerservice"},
	{"Oliver Ott", "oliver.ott@futurehausen.example", FuturehausenAGS,
		[]domain.AssessmentItem{{Code: "KI.1", Level: 1, Target: 2}, {Code: "RECHT.1", Level: 0, Target: 2}, {Code: "EGOV.1", Level: 1, Target: 2}}, "KI Chatbot Bürgerservice"},
	{"Sabine Sommer", "sabine.sommer@futurehausen.example", FuturehausenAGS,
		[]domain.AssessmentItem{{Code: "KI.1", Level: 0, Target: 1}, {Code: "PROZ.1", Level: 1, Target: 2}, {Code: "RECHT.1", Level: 1, Target: 2}}, "KI Chatbot Bürgerservice"},
	{"Tobias Treu", "tobias.treu@futurehausen.example", FuturehausenAGS,
		[]domain.AssessmentItem{{Code: "KI.2", Level: 0, Target: 2}, {Code: "CHANGE.1", Level: 1, Target: 2}, {Code: "RECHT.1", Level: 1, Target: 3}}, "KI Chatbot Bürgerservice"},
	{"Katrin Kurz", "katrin.kurz@kleinbach.example", "08999002",
		[]domain.AssessmentItem{{Code: "KI.1", Level: 0, Target: 2}, {Code: "RECHT.1", Level: 0, Target: 1}}, "KI Chatbot Bürgerservice"},
	{"Matthias Maier", "matthias.maier@kleinbach.example", "08999002",
		[]domain.AssessmentItem{{Code: "KI.1", Level: 1, Target: 3}, {Code: "SEC.2", Level: 1, Target: 2}, {Code: "RECHT.1", Level: 1, Target: 2}}, ""},
}

// teamNeeds plays the matching part of the story: the colleagues assess
// themselves and share it with their municipality, most of them searched
// the catalog for a course it does not have, and Anna assigns the four of
// Futurehausen to the pilot role.
func teamNeeds(ctx context.Context, a *app.App, db *store.DB, as func(string) (context.Context, error), annaCtx context.Context) error {
	var pilots []int64
	var fh int64
	for _, c := range colleagues {
		org, err := db.OrganisationByAGS(ctx, c.ags)
		if err != nil {
			return err
		}
		p := &domain.Person{Email: c.email, Name: c.name}
		if err := db.CreatePerson(ctx, p, randomPassword()); err != nil {
			return err
		}
		if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			return err
		}
		pc, err := as(c.email)
		if err != nil {
			return err
		}
		if _, err := a.Matching.SaveAssessment(pc, &domain.Assessment{Items: c.items, Goals: "Die Digitalisierung im eigenen Amt voranbringen."}); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if _, err := a.Matching.ShareAssessment(pc, org.ID); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if c.search != "" {
			if err := a.Matching.LogEmptySearch(pc, c.search, nil); err != nil {
				return err
			}
		}
		if c.ags == FuturehausenAGS {
			pilots, fh = append(pilots, p.ID), org.ID
		}
	}
	profiles, err := a.Matching.RoleProfiles(annaCtx, fh)
	if err != nil {
		return err
	}
	for _, p := range profiles {
		if p.Template == "digitallotse" {
			_, err := a.Matching.SetRoleMembers(annaCtx, fh, p.ID, pilots)
			return err
		}
	}
	return fmt.Errorf("Futurehausen has no pilot role profile")
}
