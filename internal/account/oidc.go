package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/store"
	"golang.org/x/oauth2"
)

// ssoLoginLifetime is how long a started single sign-on login may take at
// the provider before its state expires. maxSSOStartsPerAddr bounds the
// logins one client address may start in that time, so that nobody fills
// the table of logins in progress (a municipality's office behind one
// address still has room).
const (
	ssoLoginLifetime    = 10 * time.Minute
	maxSSOStartsPerAddr = 100
)

// WithSSO lets people log in through the configured OpenID Connect
// providers (nil or none: password login only).
func (s *Service) WithSSO(c *sso.Client) { s.sso = c }

// SSOProviders lists the configured sign-on providers (for the login
// page's buttons).
func (s *Service) SSOProviders() []sso.Provider { return s.sso.Providers() }

// SSOReady checks every provider's discovery document (for /readyz).
func (s *Service) SSOReady(ctx context.Context) error {
	if s.sso == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.sso.Ready(ctx)
}

// StartSSO starts a login through the provider and returns the provider's
// address to send the browser to. The state, nonce and PKCE verifier stay
// in the database (any instance can finish the login) until the provider
// sends the browser back; next is where to go after the login. addr is the
// client address the starts are counted against. A provider that cannot be
// reached stores nothing.
func (s *Service) StartSSO(ctx context.Context, provider, next, addr string) (to string, err error) {
	defer domain.Wrap(&err, "account.StartSSO(%q)", provider)
	if _, ok := s.sso.Provider(provider); !ok {
		return "", domain.ErrSSOUnknownProvider
	}
	if err := s.db.Hit(ctx, "sso-start:"+addr, maxSSOStartsPerAddr, ssoLoginLifetime); err != nil {
		return "", err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	to, err = s.sso.AuthURL(ctx, provider, state, nonce, verifier)
	if err != nil {
		return "", err
	}
	err = s.db.CreateSSOLogin(ctx, state, store.SSOLogin{Provider: provider, Nonce: nonce, Verifier: verifier, Next: next,
		ExpiresAt: s.db.Now().Add(ssoLoginLifetime)})
	return to, err
}

// SSOCallback is what the provider sent the browser back with.
type SSOCallback struct {
	Provider, State, Code string
	// Error is the provider's error code (e.g. access_denied), if any.
	Error string
}

// FinishSSO completes a login through a provider: it takes the login's
// state (once), redeems the code, verifies the ID token and its nonce,
// finds the person (a linked identity, else an account with the verified
// address, else a new account), maps a membership from the AGS claim and
// starts the session through startSession; the browser's old session
// (oldSession) ends. It returns the session's cookie value and where to go
// next. Any failure leaves nothing behind: no account, no identity, no
// session.
func (s *Service) FinishSSO(ctx context.Context, cb SSOCallback, oldSession string) (session, next string, err error) {
	defer domain.Wrap(&err, "account.FinishSSO(%q)", cb.Provider)
	if s.sso == nil {
		return "", "", domain.ErrSSOUnknownProvider
	}
	if cb.State == "" {
		return "", "", domain.ErrSSOState
	}
	l, err := s.db.TakeSSOLogin(ctx, cb.State)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && l.Provider != cb.Provider) {
		return "", "", domain.ErrSSOState
	} else if err != nil {
		return "", "", err
	}
	if cb.Error != "" || cb.Code == "" {
		return "", "", domain.ErrSSODenied
	}
	id, err := s.sso.Exchange(ctx, cb.Provider, cb.Code, l.Verifier, l.Nonce)
	if err != nil {
		return "", "", err
	}
	p, err := s.ssoPerson(ctx, id)
	if err != nil {
		return "", "", err
	}
	if session, err = s.startSession(ctx, p, oldSession); err != nil {
		return "", "", err
	}
	if err := s.db.SetSSOSession(ctx, session, id.Provider, id.IDToken); err != nil {
		s.db.DeleteSession(ctx, session) // no session without its logout
		return "", "", err
	}
	return session, l.Next, nil
}

// ssoPerson finds or creates the person of a verified identity in one
// transaction with its audit entries: a linked identity logs its person in;
// otherwise the identity is linked to the account with the provider's
// verified address, or a new account is created. A sent AGS adds a plain
// membership in the municipality with that AGS.
func (s *Service) ssoPerson(ctx context.Context, id *sso.Identity) (p *domain.Person, err error) {
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		pid, err := tx.SSOIdentityPerson(ctx, id.Provider, id.Subject)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			if p, err = s.linkSSO(ctx, tx, id); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if p, err = tx.PersonByID(ctx, pid); err != nil {
				return err
			}
			if err := tx.TouchSSOIdentity(ctx, id.Provider, id.Subject); err != nil {
				return err
			}
		}
		actx := domain.WithActor(ctx, &domain.Actor{Person: p})
		if err := s.ssoMembership(actx, tx, p.ID, id); err != nil {
			return err
		}
		return tx.Audit(actx, 0, "person.login_sso", "person", p.ID, map[string]string{"provider": id.Provider})
	})
	return p, err
}

// linkSSO links a new identity to the account with its verified address or
// creates that account. Only an address the provider verified may link:
// otherwise anyone could claim an account by typing its address at a
// provider.
func (s *Service) linkSSO(ctx context.Context, tx *store.Tx, id *sso.Identity) (*domain.Person, error) {
	if !domain.ValidEmail(id.Email) {
		return nil, domain.ErrSSONoEmail
	}
	if !id.EmailVerified {
		return nil, domain.ErrSSOEmailUnverified
	}
	created := false
	p, err := tx.PersonByEmail(ctx, id.Email)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		created = true
		p = &domain.Person{Email: id.Email, Name: id.Name}
		if p.Name == "" {
			p.Name, _, _ = strings.Cut(id.Email, "@")
		}
		if err := p.Validate(); err != nil {
			return nil, domain.ErrSSONoEmail
		}
		if err := tx.CreateSSOPerson(ctx, p, id.Provider); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		// The provider confirmed the address.
		if err := tx.MarkEmailVerified(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	if err := tx.LinkSSOIdentity(ctx, id.Provider, id.Subject, p.ID); err != nil {
		return nil, err
	}
	actx := domain.WithActor(ctx, &domain.Actor{Person: p})
	detail := map[string]any{"person_id": p.ID, "provider": id.Provider}
	if created {
		return p, tx.Audit(actx, 0, "sso.create", "person", p.ID, detail)
	}
	return p, tx.Audit(actx, 0, "sso.link", "person", p.ID, detail)
}

// ssoMembership maps the identity's AGS claim to a membership: a person
// who is not yet a member of the organisation with that AGS becomes a
// participant there (the plain role an invitation would give); roles held
// stay. An AGS without an organisation on the platform adds nothing.
func (s *Service) ssoMembership(ctx context.Context, tx *store.Tx, personID int64, id *sso.Identity) error {
	if id.AGS == "" {
		return nil
	}
	o, err := tx.OrganisationByAGS(ctx, id.AGS)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	held, err := tx.Roles(ctx, o.ID, personID)
	if err != nil || len(held) > 0 {
		return err
	}
	if err := SetRolesInTx(ctx, tx, o.ID, personID, []domain.Role{domain.RoleParticipant}); err != nil {
		return err
	}
	return tx.Audit(ctx, o.ID, "sso.membership", "person", personID,
		map[string]any{"person_id": personID, "provider": id.Provider, "ags": id.AGS, "roles": []domain.Role{domain.RoleParticipant}})
}

// SSOLogout ends the session like Logout and, when it was started through a
// provider that supports RP-initiated logout, returns the provider's
// logout address (with the ID token as hint and back to postLogout) to
// send the browser on to; "" otherwise.
func (s *Service) SSOLogout(ctx context.Context, session, postLogout string) (to string, err error) {
	defer domain.Wrap(&err, "account.SSOLogout")
	if session != "" && s.sso != nil {
		provider, idToken, err := s.db.SSOSession(ctx, session)
		if err == nil {
			to = s.sso.LogoutURL(ctx, provider, idToken, postLogout)
			if err := s.db.DeleteSSOSession(ctx, session); err != nil {
				return "", err
			}
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return "", err
		}
	}
	return to, s.Logout(ctx, session)
}

// PasswordLogin reports whether the organisation's members may log in with
// a password.
func (s *Service) PasswordLogin(ctx context.Context, orgID int64) (on bool, err error) {
	defer domain.Wrap(&err, "account.PasswordLogin(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgLoginSettings, authz.Resource{OrgID: orgID}); err != nil {
		return false, err
	}
	return s.db.PasswordLogin(ctx, orgID)
}

// SetPasswordLogin switches the password login of the organisation's
// members on or off. Switching it off needs a configured sign-on provider,
// or nobody of the organisation could log in any more.
func (s *Service) SetPasswordLogin(ctx context.Context, orgID int64, on bool) (err error) {
	defer domain.Wrap(&err, "account.SetPasswordLogin(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgLoginSettings, authz.Resource{OrgID: orgID}); err != nil {
		return err
	}
	if !on && len(s.sso.Providers()) == 0 {
		msg := "Die Anmeldung mit Passwort lässt sich erst abschalten, wenn ein Anmeldedienst (Single Sign-on) eingerichtet ist."
		return &domain.Error{Code: domain.EConflict, Message: msg, Fields: map[string]string{"password_login": msg}}
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.SetPasswordLogin(ctx, orgID, on); err != nil {
			return err
		}
		return tx.Audit(ctx, orgID, "organisation.password_login", "organisation", orgID, map[string]bool{"password_login": on})
	})
}

// ErrInvitationNeedsSSO refuses a new account with a password through an
// invitation into an organisation that switched passwords off: the person
// logs in through the provider first and then accepts the invitation.
func (s *Service) errInvitationNeedsSSO() error {
	labels := s.sso.Labels()
	msg := "Diese Organisation nutzt die Anmeldung mit Passwort nicht."
	if len(labels) > 0 {
		msg += " Bitte melden Sie sich zuerst über „" + strings.Join(labels, "“ oder „") + "“ an und öffnen Sie dann den Link aus der Einladung noch einmal."
	}
	return &domain.Error{Code: domain.EForbidden, Message: msg}
}

// passwordLoginOff is the refusal of a password for a person whose
// organisation switched password login off.
func (s *Service) passwordLoginOff() error { return domain.ErrPasswordLoginOff(s.sso.Labels()) }

// randomToken returns 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
