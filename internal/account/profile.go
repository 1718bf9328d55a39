package account

import (
	"context"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Limits of changes to one's own account: changes of name or password per
// person in a window (a wrong current password counts too, so it cannot be
// guessed through this form), address changes an hour, and how long the
// confirmation link of a new address stays valid.
const (
	changeWindow         = 15 * time.Minute
	maxChangesPerWindow  = 10
	maxEmailChangesHour  = 3
	emailChangeLifetime  = 24 * time.Hour
	passwordChangeBucket = "password-change:"
	nameChangeBucket     = "name-change:"
)

// editor returns the acting person after asking the policy.
func editor(ctx context.Context) (*domain.Actor, error) {
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountEdit, authz.Resource{}); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateName changes the acting person's name and returns the person.
func (s *Service) UpdateName(ctx context.Context, name string) (p *domain.Person, err error) {
	defer domain.Wrap(&err, "account.UpdateName")
	a, err := editor(ctx)
	if err != nil {
		return nil, err
	}
	name, err = domain.ValidateName(name)
	if err != nil {
		return nil, err
	}
	if err := s.db.Hit(ctx, nameChangeBucket+strconv.FormatInt(a.PersonID(), 10), maxChangesPerWindow, changeWindow); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		old, err := tx.PersonByID(ctx, a.PersonID())
		if err != nil {
			return err
		}
		if err := tx.SetPersonName(ctx, old.ID, name); err != nil {
			return err
		}
		if p, err = tx.PersonByID(ctx, old.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "person.update_name", "person", old.ID, nil) // names stay out of the audit log (privacy)
	})
	return p, err
}

// ChangePassword sets a new password for the acting person, who must give
// the current one. Every session of the person ends, and so do open reset
// links; the person is told by mail. When newSession is set (the change
// came from a browser), a fresh session is started and its cookie value
// returned, so the browser that made the change stays logged in.
func (s *Service) ChangePassword(ctx context.Context, current, next string, newSession bool) (session string, err error) {
	defer domain.Wrap(&err, "account.ChangePassword")
	a, err := editor(ctx)
	if err != nil {
		return "", err
	}
	v := domain.Validation{}
	if current == "" {
		v.Add("current", "Bitte geben Sie Ihr bisheriges Passwort an.")
	}
	if perr := domain.ValidatePassword(next); perr != nil {
		v.Add("new", domain.ErrorFields(perr)["password"])
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	if err := s.db.Hit(ctx, passwordChangeBucket+strconv.FormatInt(a.PersonID(), 10), maxChangesPerWindow/2, changeWindow); err != nil {
		return "", err
	}
	p, err := s.db.PersonByID(ctx, a.PersonID())
	if err != nil {
		return "", err
	}
	ok, err := s.checkPassword(ctx, p.PasswordHash, current)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", domain.ErrWrongPassword
	}
	hash, err := s.hashPassword(ctx, next)
	if err != nil {
		return "", err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.SetPasswordHash(ctx, p.ID, hash); err != nil {
			return err
		}
		if err := tx.EndSessions(ctx, p.ID); err != nil {
			return err
		}
		if newSession {
			if session, err = tx.CreateSession(ctx, p.ID); err != nil {
				return err
			}
		}
		if err := s.notify.Enqueue(ctx, tx, p.Email, "account-password-changed", nameMail{Name: p.Name}); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "person.change_password", "person", p.ID, nil)
	})
	return session, err
}

// nameMail is the data of mails that only greet the person.
type nameMail struct{ Name string }

// emailChangeMail is the data of the confirmation sent to the new address
// and of the notice sent to the old one.
type emailChangeMail struct {
	Name, Token, OldEmail, NewEmail string
}

// RequestEmailChange starts a change of the acting person's address: a
// confirmation link goes to the new address, a notice to the old one. The
// address changes only when the link is opened (ConfirmEmailChange).
func (s *Service) RequestEmailChange(ctx context.Context, email string) (err error) {
	defer domain.Wrap(&err, "account.RequestEmailChange")
	a, err := editor(ctx)
	if err != nil {
		return err
	}
	email = domain.NormalizeEmail(email)
	if !domain.ValidEmail(email) {
		return &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"email": "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de."}}
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.PersonByID(ctx, a.PersonID())
		if err != nil {
			return err
		}
		if p.Email == email {
			return domain.ErrSameEmail
		}
		if _, err := tx.PersonByEmail(ctx, email); err == nil {
			return domain.ErrEmailChangeTaken
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		n, err := tx.CountEmailChanges(ctx, p.ID, tx.Now().Add(-time.Hour))
		if err != nil {
			return err
		}
		if n >= maxEmailChangesHour {
			return domain.ErrTooManyRequests
		}
		token, err := tx.CreateEmailChange(ctx, p.ID, email, emailChangeLifetime)
		if err != nil {
			return err
		}
		data := emailChangeMail{Name: p.Name, Token: token, OldEmail: p.Email, NewEmail: email}
		if err := s.notify.Enqueue(ctx, tx, email, "account-email-confirm", data); err != nil {
			return err
		}
		data.Token = ""
		if err := s.notify.Enqueue(ctx, tx, p.Email, "account-email-notice", data); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "person.request_email_change", "person", p.ID, nil) // addresses stay out of the audit log (privacy)
	})
}

// ConfirmEmailChange makes a requested address the account's, with the
// token of the link sent to it; the link works once and expires. The new
// address counts as confirmed. It returns the person after the change.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string) (p *domain.Person, err error) {
	defer domain.Wrap(&err, "account.ConfirmEmailChange")
	if token == "" {
		return nil, domain.ErrLinkInvalid
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		id, email, err := tx.UseEmailChange(ctx, token)
		if err != nil {
			return err
		}
		old, err := tx.PersonByID(ctx, id)
		if err != nil {
			return err
		}
		// Another account may have taken the address since the request.
		if other, err := tx.PersonByEmail(ctx, email); err == nil && other.ID != id {
			return domain.ErrEmailChangeTaken
		} else if err != nil && domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		if err := tx.SetPersonEmail(ctx, id, email); err != nil {
			if err == domain.ErrEmailTaken {
				return domain.ErrEmailChangeTaken
			}
			return err
		}
		if p, err = tx.PersonByID(ctx, id); err != nil {
			return err
		}
		actx := domain.WithActor(ctx, &domain.Actor{Person: old})
		return tx.Audit(actx, 0, "person.change_email", "person", id, map[string]string{"from": old.Email, "to": email})
	})
	return p, err
}
