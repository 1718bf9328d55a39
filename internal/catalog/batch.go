package catalog

import (
	"context"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// PublishOffers publishes several offers in review at once; the admin
// confirms the review checklist once for the whole batch. It runs in one
// transaction but judges each offer on its own: offers in review are
// published (each with its audit entry), the others are listed with why not
// (unknown, or not in review, e.g. published meanwhile). A missing checklist
// item publishes nothing.
func (s *Service) PublishOffers(ctx context.Context, ids []int64, checklist []string) (out []domain.BatchOutcome, err error) {
	defer domain.Wrap(&err, "catalog.PublishOffers(%v)", ids)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferReview, authz.Resource{}); err != nil {
		return nil, err
	}
	if missing := missingChecks(checklist); len(missing) > 0 {
		return nil, domain.ErrReviewChecklist(missing)
	}
	ids, err = domain.BatchIDs(ids)
	if err != nil {
		return nil, err
	}
	published := 0
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		out, published = make([]domain.BatchOutcome, 0, len(ids)), 0
		for _, id := range ids {
			o, err := tx.LockOffer(ctx, id)
			if domain.ErrorCode(err) == domain.ENotFound {
				out = append(out, domain.BatchOutcome{ID: id, Reason: domain.ErrorMessage(domain.ErrOfferNotFound)})
				continue
			} else if err != nil {
				return err
			}
			res := domain.BatchOutcome{ID: id, Title: o.Title, Status: o.Status}
			if !domain.OfferStatus(o.Status).Reviewable() {
				res.Reason = domain.ErrorMessage(domain.ErrOfferNotInReview(o.Status))
				out = append(out, res)
				continue
			}
			if err := review(ctx, tx, id, true, ""); err != nil {
				return err
			}
			res.Done, res.Status = true, domain.OfferPublished
			published++
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if published > 0 {
		s.changed(ctx)
	}
	return out, nil
}

// AssignCompetences adds competences with their target levels to several
// drafts of the actor's providers at once. Every offer must be the actor's
// provider's: one that is not refuses the whole batch (nothing changes).
// Offers that are no drafts are left as they are and listed with why; their
// competences are changed in the offer form, where a change to a published
// offer goes to the review again. A draft that is complete afterwards goes
// to the quality review, as an import sends a complete course there
// (domain.ImportedStatus); one that still lacks something stays a draft,
// its review comment naming what.
func (s *Service) AssignCompetences(ctx context.Context, ids []int64, cs []domain.OfferCompetence) (out []domain.BatchOutcome, err error) {
	defer domain.Wrap(&err, "catalog.AssignCompetences(%v)", ids)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if len(authz.ManagedProviders(a)) == 0 {
		return nil, domain.ErrOfferManageOnly
	}
	ids, err = domain.BatchIDs(ids)
	if err != nil {
		return nil, err
	}
	if err := s.checkCompetences(ctx, cs); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		out = make([]domain.BatchOutcome, 0, len(ids))
		for _, id := range ids {
			o, err := tx.LockOffer(ctx, id)
			if err != nil {
				return err
			}
			if !authz.Allowed(a, authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}) {
				if !authz.OfferVisible(a, o.ProviderID, o.Status) {
					return domain.ErrOfferNotFound
				}
				return domain.ErrOfferManageOnly
			}
			res := domain.BatchOutcome{ID: id, Title: o.Title, Status: o.Status}
			if o.Status != domain.OfferDraft {
				res.Reason = "Kein Entwurf (" + domain.OfferLabel(o.Status) + "): Kompetenzen ändern Sie im Formular des Angebots."
				out = append(out, res)
				continue
			}
			if err := tx.LoadOfferDetails(ctx, []*domain.Offer{o}); err != nil {
				return err
			}
			old := *o
			old.Competences = slices.Clone(o.Competences)
			if err := o.AddCompetences(cs); err != nil {
				res.Reason = domain.ErrorMessage(err)
				out = append(out, res)
				continue
			}
			if o.Status, err = domain.ImportedStatus(&old, o); err != nil {
				return err
			}
			o.ReviewComment = ""
			if o.Status == domain.OfferDraft {
				problems := domain.DraftProblems(o, func(string) string { return "" })
				o.ReviewComment = domain.ImportDraftCommentFor(problems)
				var names []string
				for _, p := range problems {
					if l := domain.OfferFieldLabel(p.Field); !slices.Contains(names, l) {
						names = append(names, l)
					}
				}
				res.Reason = "Noch zu ergänzen: " + strings.Join(names, ", ") + "."
			}
			if err := tx.UpdateOffer(ctx, o); err != nil {
				return err
			}
			codes := make([]string, 0, len(cs))
			for _, c := range cs {
				codes = append(codes, c.Code)
			}
			if err := tx.Audit(ctx, o.ProviderID, "offer.competences", "offer", o.ID, map[string]any{"competences": codes,
				"from": old.Status, "to": o.Status}); err != nil {
				return err
			}
			res.Done, res.Status = true, o.Status
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkCompetences checks the competences of a batch: 1 to 10 of the
// framework, each once, with a target level of 1 to 3.
func (s *Service) checkCompetences(ctx context.Context, cs []domain.OfferCompetence) error {
	if len(cs) == 0 || len(cs) > 10 {
		return domain.ErrBatchCompetences
	}
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, c := range cs {
		j := slices.IndexFunc(framework, func(f domain.Competence) bool { return f.Code == c.Code })
		switch {
		case j < 0:
			msg := "Die Kompetenz „" + c.Code + "“ gibt es im Kompetenzrahmen nicht."
			return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"competences": msg}}
		case seen[c.Code] || c.Level < 1 || c.Level > 3:
			return domain.ErrBatchCompetences
		}
		seen[c.Code] = true
		cs[i].Name = framework[j].Name
	}
	return nil
}
