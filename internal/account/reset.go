package account

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Lifetimes of the single-use links, and how many reset links an hour a
// person may request.
const (
	resetLifetime    = time.Hour
	verifyLifetime   = 7 * 24 * time.Hour
	maxResetsPerHour = 3
)

// linkMail is the data of the reset and verification mails.
type linkMail struct {
	Name, Token string
}

// RequestPasswordReset mails a reset link to the address if an account
// exists. It reports nothing about whether it does.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) (err error) {
	defer domain.Wrap(&err, "account.RequestPasswordReset")
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.PersonByEmail(ctx, email)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		} else if err != nil {
			return err
		}
		// sso: no reset link where the organisation switched passwords off.
		if off, err := tx.PasswordLoginOff(ctx, p.ID); err != nil || off {
			return err
		}
		// At most three reset links an hour, so the form cannot flood a mailbox.
		n, err := tx.CountPersonTokens(ctx, p.ID, store.PurposeReset, tx.Now().Add(-time.Hour))
		if err != nil || n >= maxResetsPerHour {
			return err
		}
		token, err := tx.CreatePersonToken(ctx, p.ID, store.PurposeReset, resetLifetime)
		if err != nil {
			return err
		}
		return s.notify.Enqueue(ctx, tx, p.Email, "account-reset", linkMail{Name: p.Name, Token: token})
	})
}

// ResetPassword sets a new password with a reset link's token. Whoever
// resets the password takes the account back: every session, API token and
// other reset link of the person ends. The address counts as confirmed,
// since the link reached it.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (err error) {
	defer domain.Wrap(&err, "account.ResetPassword")
	if err := domain.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		id, err := tx.UsePersonToken(ctx, token, store.PurposeReset)
		if err != nil {
			return err
		}
		if off, err := tx.PasswordLoginOff(ctx, id); err != nil {
			return err
		} else if off {
			return s.passwordLoginOff()
		}
		if err := tx.SetPasswordHash(ctx, id, hash); err != nil {
			return err
		}
		if err := tx.MarkEmailVerified(ctx, id); err != nil {
			return err
		}
		if err := tx.EndAccess(ctx, id); err != nil {
			return err
		}
		return tx.Audit(domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: id}}), 0, "person.password_reset", "person", id, nil)
	})
}

// RequestVerification mails the acting person a link that confirms their address.
func (s *Service) RequestVerification(ctx context.Context) (err error) {
	defer domain.Wrap(&err, "account.RequestVerification")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.AccountView, authz.Resource{}); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.PersonByID(ctx, a.PersonID())
		if err != nil {
			return err
		}
		if p.EmailVerifiedAt != nil {
			return domain.ErrAlreadyVerified
		}
		token, err := tx.CreatePersonToken(ctx, p.ID, store.PurposeVerify, verifyLifetime)
		if err != nil {
			return err
		}
		return s.notify.Enqueue(ctx, tx, p.Email, "account-verify", linkMail{Name: p.Name, Token: token})
	})
}

// VerifyEmail confirms an address with a verification link's token.
func (s *Service) VerifyEmail(ctx context.Context, token string) (err error) {
	defer domain.Wrap(&err, "account.VerifyEmail")
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		id, err := tx.UsePersonToken(ctx, token, store.PurposeVerify)
		if err != nil {
			return err
		}
		if err := tx.MarkEmailVerified(ctx, id); err != nil {
			return err
		}
		return tx.Audit(domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: id}}), 0, "person.verify_email", "person", id, nil)
	})
}
