package funding

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Comments returns the application's conversation as the actor may read
// it (authz.CommentVisibilities): the reviewing association reads its
// internal notes too, the applicant only what is visible to it.
func (s *Service) Comments(ctx context.Context, id int64) (cs []domain.ApplicationComment, err error) {
	defer domain.Wrap(&err, "funding.Comments(%d)", id)
	a, err := s.db.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := allow(ctx, a, authz.ApplicationView); err != nil {
		return nil, err
	}
	return s.db.Comments(ctx, a.ID, authz.CommentVisibilities(domain.ActorFrom(ctx), resource(a)))
}

// AddComment writes in the application's conversation, in any status once
// the application has reached its reviewer. Reviewers write for their
// association, internal notes (only the association reads them) or
// messages the applicant reads; a message reaches the municipality's
// mailbox and its signatories and HR by mail. The municipality's
// signatories, HR and account admins answer; their answers reach the
// association's mailbox and its reviewers by mail.
func (s *Service) AddComment(ctx context.Context, id int64, body string, internal bool) (c *domain.ApplicationComment, err error) {
	defer domain.Wrap(&err, "funding.AddComment(%d)", id)
	who := domain.ActorFrom(ctx)
	body = strings.TrimSpace(body)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationDiscuss); err != nil {
			if domain.ErrorCode(err) == domain.EForbidden {
				return domain.Errorf(domain.EForbidden, "Im Gespräch zum Antrag schreiben nur die prüfende Stelle und die Kommune.")
			}
			return err
		}
		reviewer := authz.Allowed(who, authz.ApplicationReview, resource(a))
		switch {
		case body == "":
			return fieldErr("body", "Bitte schreiben Sie eine Nachricht.")
		case utf8.RuneCountInString(body) > 5000:
			return fieldErr("body", "Die Nachricht darf höchstens 5.000 Zeichen lang sein.")
		case internal && !reviewer:
			return domain.Errorf(domain.EForbidden, "Interne Notizen schreibt nur die prüfende Stelle.")
		case a.ReviewerID == 0:
			return domain.Errorf(domain.EConflict, "Solange der Antrag nicht eingereicht ist, liest ihn keine prüfende Stelle. Bitte reichen Sie ihn zuerst ein.")
		}
		c = &domain.ApplicationComment{ApplicationID: a.ID, AuthorID: who.PersonID(), AuthorName: who.Person.Name, Body: body,
			OrgID: a.OrgID, OrgName: a.OrgName, Visibility: domain.CommentApplicant}
		if reviewer {
			c.OrgID, c.OrgName = a.ReviewerID, a.ReviewerName
			if internal {
				c.Visibility = domain.CommentInternal
			}
		}
		if err := tx.CreateComment(ctx, c); err != nil {
			return err
		}
		data := map[string]any{"ID": a.ID, "OrgName": a.OrgName, "Reviewer": a.ReviewerName, "Author": c.AuthorName, "Body": body}
		switch {
		case c.Internal():
			return nil
		case reviewer:
			return s.deliver(ctx, tx, a.OrgID, a.ID, "funding-comment", data, domain.RoleSignatory, domain.RoleHR)
		default:
			return s.deliver(ctx, tx, a.ReviewerID, a.ID, "funding-answer", data, domain.RoleReviewer)
		}
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// deliver puts the message template+"-message" into the organisation's
// mailbox and mails template to its members with one of the roles.
func (s *Service) deliver(ctx context.Context, tx *store.Tx, orgID, appID int64, template string, data map[string]any, roles ...domain.Role) error {
	subject, body, err := s.notify.Render(template+"-message", data)
	if err != nil {
		return err
	}
	if _, err := tx.CreateMessage(ctx, orgID, subject, body, appID, nil); err != nil {
		return err
	}
	return s.notifyMembers(ctx, tx, orgID, roles, template, data)
}

func fieldErr(field, msg string) error {
	return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
}
