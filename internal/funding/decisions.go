package funding

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// view reads an application after a change, as the actor may see it.
func (s *Service) view(ctx context.Context, id int64) (*domain.Application, error) {
	a, err := s.db.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	redact(ctx, a)
	return a, nil
}

// redact removes from a what only the reviewing association sees: the
// prepared decision and the four-eyes steps of the history.
func redact(ctx context.Context, a *domain.Application) {
	if authz.Allowed(domain.ActorFrom(ctx), authz.ApplicationInternal, resource(a)) {
		return
	}
	a.Pending = nil
	a.Events = slices.DeleteFunc(a.Events, func(e domain.ApplicationEvent) bool { return e.Internal() })
}

// needsFourEyes reports whether a decision on a needs a second reviewer
// under the programme's setting and the applicant's kind.
func needsFourEyes(ctx context.Context, tx *store.Tx, p *domain.Programme, a *domain.Application) (bool, error) {
	if p.FourEyes == "" || p.FourEyes == domain.FourEyesOff {
		return false, nil
	}
	kind, err := tx.ApplicantKind(ctx, a.AGS)
	if err != nil {
		return false, err
	}
	return p.NeedsFourEyes(kind), nil
}

// checkText checks the reason of a rejection or the comment of a return.
func checkText(action domain.DecisionAction, text string) error {
	if action == domain.DecisionApprove {
		return nil
	}
	if text == "" {
		field, msg := "reason", "Bitte begründen Sie die Ablehnung."
		if action == domain.DecisionReturn {
			field, msg = "comment", "Bitte schreiben Sie der Kommune, was sie ändern soll."
		}
		return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	if utf8.RuneCountInString(text) > 5000 {
		return domain.Errorf(domain.EInvalid, "Der Text darf höchstens 5.000 Zeichen lang sein.")
	}
	return nil
}

// review runs a reviewer's decision on a submitted application. With four
// eyes off it is executed at once. With four eyes on, the first reviewer
// prepares it (the application stays submitted, the decision pending); a
// second reviewer of the association who asks for the same decision
// confirms it, which executes it in the same transaction. The person who
// prepared a decision never confirms it.
func (s *Service) review(ctx context.Context, id int64, action domain.DecisionAction, text string) (*domain.Application, error) {
	text = strings.TrimSpace(text)
	var stored []string
	err := s.db.Transact(ctx, func(tx *store.Tx) error {
		stored = stored[:0]
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationReview); err != nil {
			return err
		}
		if a.Status != domain.AppSubmitted || !a.Status.CanTransition(action.Status()) {
			step := "entschieden"
			if action == domain.DecisionApprove {
				step = "genehmigt"
			}
			return domain.ErrAppTransition(a.Status, step)
		}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		four, err := needsFourEyes(ctx, tx, p, a)
		if err != nil {
			return err
		}
		me := domain.ActorFrom(ctx).PersonID()
		switch {
		case !four:
			if err := checkText(action, text); err != nil {
				return err
			}
			// A decision prepared while four eyes were on gives way.
			if err := tx.SupersedeDecisions(ctx, a.ID); err != nil {
				return err
			}
			return s.execute(ctx, tx, a, p, action, text, &stored)
		case a.Pending == nil:
			if err := checkText(action, text); err != nil {
				return err
			}
			return s.prepare(ctx, tx, a, action, text)
		case a.Pending.PreparedBy == me:
			return domain.Errorf(domain.EConflict, "Sie haben bereits eine %s vorbereitet. Sie wartet auf Bestätigung durch eine zweite Person.",
				a.Pending.ActionLabel())
		case a.Pending.Action != action || (text != "" && text != a.Pending.Comment):
			return domain.Errorf(domain.EConflict, "%s hat bereits eine %s vorbereitet. Bitte bestätigen oder verwerfen Sie diese zuerst.",
				a.Pending.PreparedByName, a.Pending.ActionLabel())
		}
		return s.confirm(ctx, tx, a, p, &stored)
	})
	if err != nil {
		s.db.DiscardBlobs(stored)
		return nil, err
	}
	return s.view(ctx, id)
}

// execute carries out a decision on a, locked in tx.
func (s *Service) execute(ctx context.Context, tx *store.Tx, a *domain.Application, p *domain.Programme, action domain.DecisionAction, text string, stored *[]string) error {
	if action == domain.DecisionApprove {
		return s.approve(ctx, tx, a, p, stored)
	}
	return s.decide(ctx, tx, a, action, text)
}

// prepare records the actor's decision on a as pending and tells the
// association's other reviewers that it waits for them.
func (s *Service) prepare(ctx context.Context, tx *store.Tx, a *domain.Application, action domain.DecisionAction, text string) error {
	d, err := tx.PrepareDecision(ctx, a.ID, action, text)
	if err != nil {
		return err
	}
	if err := tx.ReviewEvent(ctx, a, "prepare_"+string(action), text); err != nil {
		return err
	}
	to, err := tx.MemberEmails(ctx, a.ReviewerID, domain.RoleReviewer)
	if err != nil {
		return err
	}
	me := domain.ActorFrom(ctx).Person.Email
	for _, addr := range to {
		if strings.EqualFold(addr, me) {
			continue
		}
		if err := s.notify.Enqueue(ctx, tx, addr, "funding-decision-prepared", map[string]any{
			"ID": a.ID, "OrgName": a.OrgName, "Decision": d.ActionLabel(), "PreparedBy": d.PreparedByName}); err != nil {
			return err
		}
	}
	return nil
}

// confirm confirms the pending decision of a, locked in tx, and executes
// it with the text its preparer wrote.
func (s *Service) confirm(ctx context.Context, tx *store.Tx, a *domain.Application, p *domain.Programme, stored *[]string) error {
	d := a.Pending
	if d.PreparedBy == domain.ActorFrom(ctx).PersonID() {
		return domain.Errorf(domain.EConflict, "Sie haben diese Entscheidung selbst vorbereitet. Bestätigen muss sie eine zweite Person.")
	}
	if err := tx.ResolveDecision(ctx, d.ID, domain.DecisionConfirmed, ""); err != nil {
		return err
	}
	if err := tx.ReviewEvent(ctx, a, "confirm", d.ActionLabel()+", vorbereitet von "+d.PreparedByName); err != nil {
		return err
	}
	return s.execute(ctx, tx, a, p, d.Action, d.Comment, stored)
}

// errNoPending is the answer when there is no prepared decision to act on.
var errNoPending = domain.Errorf(domain.EConflict, "Zu diesem Antrag liegt keine vorbereitete Entscheidung vor.")

// ConfirmDecision confirms the decision another reviewer of the
// association prepared on the application, and executes it in the same
// transaction. Two confirmations at the same moment execute it once: the
// second finds the application decided.
func (s *Service) ConfirmDecision(ctx context.Context, id int64) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.ConfirmDecision(%d)", id)
	var stored []string
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		stored = stored[:0]
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationReview); err != nil {
			return err
		}
		if a.Pending == nil || a.Status != domain.AppSubmitted {
			return errNoPending
		}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		return s.confirm(ctx, tx, a, p, &stored)
	})
	if err != nil {
		s.db.DiscardBlobs(stored)
		return nil, err
	}
	return s.view(ctx, id)
}

// DiscardDecision discards the decision prepared on the application. A
// second reviewer says why; the person who prepared it may take it back
// without a word. The application stays submitted.
func (s *Service) DiscardDecision(ctx context.Context, id int64, comment string) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.DiscardDecision(%d)", id)
	comment = strings.TrimSpace(comment)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationReview); err != nil {
			return err
		}
		if a.Pending == nil {
			return errNoPending
		}
		own := a.Pending.PreparedBy == domain.ActorFrom(ctx).PersonID()
		if comment == "" && !own {
			msg := "Bitte schreiben Sie, warum Sie die vorbereitete Entscheidung verwerfen."
			return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"comment": msg}}
		}
		if utf8.RuneCountInString(comment) > 5000 {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Text darf höchstens 5.000 Zeichen lang sein.",
				Fields: map[string]string{"comment": "Der Text darf höchstens 5.000 Zeichen lang sein."}}
		}
		if err := tx.ResolveDecision(ctx, a.Pending.ID, domain.DecisionDiscarded, comment); err != nil {
			return err
		}
		text := a.Pending.ActionLabel() + " von " + a.Pending.PreparedByName
		if comment != "" {
			text += ": " + comment
		}
		if err := tx.ReviewEvent(ctx, a, "discard", text); err != nil {
			return err
		}
		if own {
			return nil
		}
		// The person who prepared it learns why it was discarded.
		preparer, err := tx.PersonByID(ctx, a.Pending.PreparedBy)
		if err != nil {
			return err
		}
		data := map[string]any{"ID": a.ID, "OrgName": a.OrgName, "Decision": a.Pending.ActionLabel(),
			"By": domain.ActorFrom(ctx).Person.Name, "Comment": comment}
		return s.notify.Enqueue(ctx, tx, preparer.Email, "funding-decision-discarded", data)
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}
