package account

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/url"
	"sync"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Passkeys (WebAuthn) as a second factor: register (named), list, remove,
// and use at login. The state of a ceremony is kept with the browser's
// session in the database, so any instance can finish it.

// rpConfig is the relying party, made once from the platform's public
// address: its host is the RP ID, its origin the only origin accepted.
type rpConfig struct {
	once sync.Once
	wa   *webauthn.WebAuthn
	err  error
}

func (s *Service) relyingParty() (*webauthn.WebAuthn, error) {
	s.rp.once.Do(func() {
		u, err := url.Parse(s.notify.BaseURL())
		if err != nil {
			s.rp.err = err
			return
		}
		s.rp.wa, s.rp.err = webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Lotse",
			RPOrigins: []string{u.Scheme + "://" + u.Host}})
	})
	return s.rp.wa, s.rp.err
}

// waUser is a person as the WebAuthn library sees them.
type waUser struct {
	p     *domain.Person
	creds []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(u.p.ID))
	return b
}
func (u *waUser) WebAuthnName() string                       { return u.p.Email }
func (u *waUser) WebAuthnDisplayName() string                { return u.p.Name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// ceremony is the state of a running passkey ceremony.
type ceremony struct {
	Kind    string               `json:"kind"` // "register" or "login"
	Name    string               `json:"name,omitempty"`
	Session webauthn.SessionData `json:"session"`
}

func (s *Service) waUser(ctx context.Context, p *domain.Person) (*waUser, error) {
	keys, err := s.db.Passkeys(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	u := &waUser{p: p}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(k.Credential), &c); err != nil {
			return nil, err
		}
		u.creds = append(u.creds, c)
	}
	return u, nil
}

// BeginPasskeyRegistration starts registering a passkey called name for the
// person (logged in, or of the pending session; session is the browser's
// session cookie) and returns the options for navigator.credentials.create
// as JSON.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, session, name string) (options []byte, err error) {
	defer domain.Wrap(&err, "account.BeginPasskeyRegistration")
	p, _, err := s.subject(ctx, session)
	if err != nil {
		return nil, err
	}
	if name, err = domain.ValidatePasskeyName(name); err != nil {
		return nil, err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	u, err := s.waUser(ctx, p)
	if err != nil {
		return nil, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range u.creds {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := wa.BeginRegistration(u, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{ResidentKey: protocol.ResidentKeyRequirementPreferred,
			UserVerification: protocol.VerificationPreferred}))
	if err != nil {
		return nil, err
	}
	if err := s.keepCeremony(ctx, session, ceremony{Kind: "register", Name: name, Session: *sd}); err != nil {
		return nil, err
	}
	return json.Marshal(creation)
}

func (s *Service) keepCeremony(ctx context.Context, session string, c ceremony) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.db.SetSessionChallenge(ctx, session, string(b))
}

func (s *Service) takeCeremony(ctx context.Context, session, kind string) (*ceremony, error) {
	raw, err := s.db.SessionChallenge(ctx, session)
	if err != nil {
		return nil, err
	}
	var c ceremony
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil || c.Kind != kind {
		return nil, domain.ErrPasskeyFailed
	}
	if err := s.db.SetSessionChallenge(ctx, session, ""); err != nil {
		return nil, err
	}
	return &c, nil
}

// FinishPasskeyRegistration checks the browser's answer (body, the JSON of
// the PublicKeyCredential) and stores the passkey. For a pending session
// (a person who must have a second factor and had none) the login
// completes and login is the new session's cookie value.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, session string, body io.Reader) (login string, err error) {
	defer domain.Wrap(&err, "account.FinishPasskeyRegistration")
	p, isPending, err := s.subject(ctx, session)
	if err != nil {
		return "", err
	}
	c, err := s.takeCeremony(ctx, session, "register")
	if err != nil {
		return "", err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return "", err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(body)
	if err != nil {
		return "", domain.ErrPasskeyFailed
	}
	u, err := s.waUser(ctx, p)
	if err != nil {
		return "", err
	}
	cred, err := wa.CreateCredential(u, c.Session, parsed)
	if err != nil {
		return "", domain.ErrPasskeyFailed
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return "", err
	}
	actx := domain.WithActor(ctx, &domain.Actor{Person: p})
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		id, err := tx.AddPasskey(ctx, p.ID, c.Name, base64.RawURLEncoding.EncodeToString(cred.ID), string(raw))
		if err != nil {
			return err
		}
		if err := tx.Audit(actx, 0, "mfa.passkey_add", "passkey", id, nil); err != nil {
			return err
		}
		if isPending {
			login, err = s.completeLogin(actx, tx, session, p.ID)
		} else if session != "" {
			// Set up while logged in: this session has given it.
			err = tx.MarkSessionSecondFactor(ctx, session, p.ID)
		}
		return err
	})
	return login, err
}

// BeginPasskeyLogin starts the second step of a login with a passkey and
// returns the options for navigator.credentials.get as JSON.
func (s *Service) BeginPasskeyLogin(ctx context.Context, pending string) (options []byte, err error) {
	defer domain.Wrap(&err, "account.BeginPasskeyLogin")
	if !domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrMFANotPending
	}
	p, _, err := s.subject(ctx, pending)
	if err != nil {
		return nil, err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	u, err := s.waUser(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(u.creds) == 0 {
		return nil, domain.ErrPasskeyFailed
	}
	assertion, sd, err := wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, err
	}
	if err := s.keepCeremony(ctx, pending, ceremony{Kind: "login", Session: *sd}); err != nil {
		return nil, err
	}
	return json.Marshal(assertion)
}

// FinishPasskeyLogin checks the browser's answer and completes the login:
// it returns the new session's cookie value (a new ID).
func (s *Service) FinishPasskeyLogin(ctx context.Context, pending string, body io.Reader) (session string, err error) {
	defer domain.Wrap(&err, "account.FinishPasskeyLogin")
	if !domain.ActorFrom(ctx).Anonymous() {
		return "", domain.ErrMFANotPending
	}
	p, _, err := s.subject(ctx, pending)
	if err != nil {
		return "", err
	}
	if err := s.limitCodes(ctx, p.ID); err != nil {
		return "", err
	}
	c, err := s.takeCeremony(ctx, pending, "login")
	if err != nil {
		return "", err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return "", err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(body)
	if err != nil {
		return "", domain.ErrPasskeyFailed
	}
	u, err := s.waUser(ctx, p)
	if err != nil {
		return "", err
	}
	cred, err := wa.ValidateLogin(u, c.Session, parsed)
	if err != nil {
		return "", domain.ErrPasskeyFailed
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return "", err
	}
	actx := domain.WithActor(ctx, &domain.Actor{Person: p})
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.UsePasskey(ctx, p.ID, base64.RawURLEncoding.EncodeToString(cred.ID), string(raw)); err != nil {
			return err
		}
		session, err = s.completeLogin(actx, tx, pending, p.ID)
		return err
	})
	return session, err
}

// RemovePasskey removes one of the logged-in person's passkeys. A person who
// must have a second factor keeps the last one.
func (s *Service) RemovePasskey(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "account.RemovePasskey(%d)", id)
	p, isPending, err := s.subject(ctx, "")
	if err != nil {
		return err
	}
	if isPending {
		return domain.ErrForbidden
	}
	f, err := s.factors(ctx, p)
	if err != nil {
		return err
	}
	if f.Required && !f.TOTP && len(f.Passkeys) <= 1 {
		return domain.ErrMFARequired
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.DeletePasskey(ctx, p.ID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "mfa.passkey_remove", "passkey", id, nil)
	})
}
