package account

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// The second factor: TOTP with recovery codes, passkeys (passkeys.go), the
// pending session of a login that waits for it, and the requirement to
// have one (decided by authz.SecondFactorRequired).

// Limits of second-factor codes: attempts per person within mfaWindow.
const (
	mfaWindow       = 15 * time.Minute
	maxMFAAttempts  = 10
	recoveryCodes   = 10
	totpIssuer      = "Lotse"
	totpPeriod      = 30
	sealKeyName     = "mfa-seal"
	totpSkew        = 1
	totpDigits      = otp.DigitsSix
	totpSecretBytes = 20
)

// SetSecretKey sets the key that seals TOTP secrets (LOTSE_SECRET_KEY):
// any string, of which the SHA-256 is the AES-256 key. Without one, a key
// the server generates and keeps in the database is used.
func (s *Service) SetSecretKey(secret string) {
	if secret == "" {
		s.sealKey = nil
		return
	}
	k := sha256.Sum256([]byte(secret))
	s.sealKey = k[:]
}

// key is the sealing key: the configured one, or the server's generated
// key, read once. Call it outside transactions (SQLite has one writer).
func (s *Service) key(ctx context.Context) ([]byte, error) {
	return s.serverKey(ctx, sealKeyName, &s.sealKey)
}

// serverKey is the server's generated key called name, read into *slot
// once (a key already in *slot is used as it is).
func (s *Service) serverKey(ctx context.Context, name string, slot *[]byte) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if *slot == nil {
		k, err := s.db.ServerKey(ctx, name)
		if err != nil {
			return nil, err
		}
		*slot = k
	}
	return *slot, nil
}

// seal encrypts a secret with AES-GCM under the sealing key.
func (s *Service) seal(ctx context.Context, plain string) (string, error) {
	key, err := s.key(ctx)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	return "v1:" + base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, []byte(plain), nil)), nil
}

// open decrypts what seal sealed.
func (s *Service) open(ctx context.Context, sealed string) (string, error) {
	key, err := s.key(ctx)
	if err != nil {
		return "", err
	}
	raw, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", errors.New("unknown sealed secret format")
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(b) < gcm.NonceSize() {
		return "", errors.New("sealed secret too short")
	}
	plain, err := gcm.Open(nil, b[:gcm.NonceSize()], b[gcm.NonceSize():], nil)
	if err != nil {
		return "", errors.New("sealed secret does not open: wrong LOTSE_SECRET_KEY?")
	}
	return string(plain), nil
}

// subject is the person a second-factor call is about: the logged-in
// person (by session, never by API token), or the person of the pending
// session pending (the cookie value of a login waiting for its second
// factor). pendingOK says which it was.
func (s *Service) subject(ctx context.Context, pending string) (p *domain.Person, isPending bool, err error) {
	a := domain.ActorFrom(ctx)
	if !a.Anonymous() {
		if err := authz.Check(a, authz.AccountSecondFactor, authz.Resource{}); err != nil {
			return nil, false, err
		}
		return a.Person, false, nil
	}
	if pending == "" {
		return nil, false, domain.ErrMFANotPending
	}
	id, _, _, err := s.db.PendingSession(ctx, pending)
	if err != nil {
		return nil, false, err
	}
	p, err = s.db.PersonByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, false, domain.ErrMFANotPending
	}
	return p, true, err
}

// PendingCSRF returns the CSRF token of a pending session, for its forms.
func (s *Service) PendingCSRF(ctx context.Context, pending string) (string, error) {
	_, csrf, _, err := s.db.PendingSession(ctx, pending)
	return csrf, err
}

// needsSecondFactor reports whether a login of p must wait for a second
// factor: p has one, or must have one.
func (s *Service) needsSecondFactor(ctx context.Context, p *domain.Person) (bool, error) {
	f, err := s.enrolledFactors(ctx, p)
	if err != nil {
		return false, err
	}
	a, req, err := s.mfaRequirements(ctx, p.ID)
	if err != nil {
		return false, err
	}
	pending, _ := authz.SecondFactorAtLogin(a, req, f.Enrolled())
	return pending, nil
}

// factors is what p has set up, and whether p must have a second factor.
func (s *Service) factors(ctx context.Context, p *domain.Person) (*domain.SecondFactor, error) {
	f, err := s.enrolledFactors(ctx, p)
	if err != nil {
		return nil, err
	}
	if f.Required, err = s.mustHaveSecondFactor(ctx, p.ID); err != nil {
		return nil, err
	}
	return f, nil
}

// enrolledFactors is what p has set up (Required left false).
func (s *Service) enrolledFactors(ctx context.Context, p *domain.Person) (*domain.SecondFactor, error) {
	f := &domain.SecondFactor{Passkeys: []domain.Passkey{}}
	t, err := s.db.TOTP(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if t != nil && t.ConfirmedAt != nil {
		f.TOTP, f.TOTPSince = true, t.ConfirmedAt
		if f.RecoveryLeft, err = s.db.RecoveryCodesLeft(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	keys, err := s.db.Passkeys(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		f.Passkeys = append(f.Passkeys, k.Passkey)
	}
	return f, nil
}

// mustHaveSecondFactor asks the policy whether the person must have a
// second factor under the requirements in force.
func (s *Service) mustHaveSecondFactor(ctx context.Context, personID int64) (bool, error) {
	a, req, err := s.mfaRequirements(ctx, personID)
	if err != nil {
		return false, err
	}
	return authz.SecondFactorRequired(a, req), nil
}

// mfaRequirements is the person as the policy sees them (with their
// memberships) and the second-factor requirements in force.
func (s *Service) mfaRequirements(ctx context.Context, personID int64) (*domain.Actor, domain.MFARequirements, error) {
	ms, err := s.db.Memberships(ctx, personID)
	if err != nil {
		return nil, domain.MFARequirements{}, err
	}
	req, err := s.db.MFARequirements(ctx)
	if err != nil {
		return nil, domain.MFARequirements{}, err
	}
	return &domain.Actor{Person: &domain.Person{ID: personID}, Memberships: ms}, req, nil
}

// SecondFactor returns what the person (logged in, or of the pending
// session) has set up as a second factor and whether they must have one.
func (s *Service) SecondFactor(ctx context.Context, pending string) (f *domain.SecondFactor, err error) {
	defer domain.Wrap(&err, "account.SecondFactor")
	p, _, err := s.subject(ctx, pending)
	if err != nil {
		return nil, err
	}
	return s.factors(ctx, p)
}

// TOTPSetup is what a person needs to add the TOTP to an authenticator
// app: the secret as text, the otpauth URL and the URL as a QR code (a
// PNG data URI).
type TOTPSetup struct {
	Secret string
	URL    string
	QR     string
}

// BeginTOTP starts setting up a TOTP for the person (logged in, or of the
// pending session): it makes a new secret, or shows the one of a set-up
// not yet confirmed. A confirmed TOTP is domain.ErrTOTPExists.
func (s *Service) BeginTOTP(ctx context.Context, pending string) (setup *TOTPSetup, err error) {
	defer domain.Wrap(&err, "account.BeginTOTP")
	p, _, err := s.subject(ctx, pending)
	if err != nil {
		return nil, err
	}
	rec, err := s.db.TOTP(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var key *otp.Key
	switch {
	case rec != nil && rec.ConfirmedAt != nil:
		return nil, domain.ErrTOTPExists
	case rec != nil:
		secret, err := s.open(ctx, rec.Sealed)
		if err != nil {
			return nil, err
		}
		key, err = totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: p.Email, Secret: mustBase32(secret),
			Period: totpPeriod, Digits: totpDigits})
		if err != nil {
			return nil, err
		}
	default:
		key, err = totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: p.Email, SecretSize: totpSecretBytes,
			Period: totpPeriod, Digits: totpDigits})
		if err != nil {
			return nil, err
		}
		sealed, err := s.seal(ctx, key.Secret())
		if err != nil {
			return nil, err
		}
		if err := s.db.Transact(ctx, func(tx *store.Tx) error { return tx.PutTOTP(ctx, p.ID, sealed) }); err != nil {
			return nil, err
		}
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &TOTPSetup{Secret: key.Secret(), URL: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// mustBase32 decodes the base32 text of a stored secret back to its bytes.
func mustBase32(secret string) []byte {
	b, err := base32NoPad.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return nil
	}
	return b
}

// limitCodes counts one code attempt of the person and refuses it over the
// limit; the counter lives in the database, so it holds across instances.
func (s *Service) limitCodes(ctx context.Context, personID int64) error {
	if err := s.db.Hit(ctx, "mfa:"+strconv.FormatInt(personID, 10), maxMFAAttempts, mfaWindow); err != nil {
		if domain.ErrorCode(err) == domain.ERateLimited {
			return domain.ErrMFALimited
		}
		return err
	}
	return nil
}

// totpStep checks code against the secret at now, one step either side,
// and returns the time step it belongs to; a wrong code is ErrMFACode.
func totpStep(secret, code string, now time.Time) (int64, error) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	if len(code) != 6 {
		return 0, domain.ErrMFACode
	}
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+d)*totpPeriod, 0),
			totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, nil
		}
	}
	return 0, domain.ErrMFACode
}

// openTOTP opens the sealed secret of rec.
func (s *Service) openTOTP(ctx context.Context, rec *store.TOTPRecord) (string, error) {
	return s.open(ctx, rec.Sealed)
}

// checkTOTP checks a code against the person's TOTP secret (opened
// before the transaction) and spends its time step inside tx, so that a
// code works once.
func (s *Service) checkTOTP(ctx context.Context, tx *store.Tx, personID int64, secret, code string) error {
	step, err := totpStep(secret, code, tx.Now())
	if err != nil {
		return err
	}
	return tx.UseTOTPStep(ctx, personID, step)
}

// ConfirmTOTP finishes setting up the TOTP with a current code and returns
// the new recovery codes, shown once. pending is the browser's session
// cookie value. For a pending session (a person who must have a second
// factor and had none) the login completes: session is the new session's
// cookie value, with a new ID; a full session is marked as one in which
// the second factor was given, so that a requirement switched on later
// does not ask for it again.
func (s *Service) ConfirmTOTP(ctx context.Context, pending, code string) (codes []string, session string, err error) {
	defer domain.Wrap(&err, "account.ConfirmTOTP")
	p, isPending, err := s.subject(ctx, pending)
	if err != nil {
		return nil, "", err
	}
	if err := s.limitCodes(ctx, p.ID); err != nil {
		return nil, "", err
	}
	rec, err := s.db.TOTP(ctx, p.ID)
	if err != nil {
		return nil, "", err
	}
	if rec == nil {
		return nil, "", domain.ErrTOTPNone
	}
	if rec.ConfirmedAt != nil {
		return nil, "", domain.ErrTOTPExists
	}
	actx := domain.WithActor(ctx, &domain.Actor{Person: p})
	secret, err := s.openTOTP(ctx, rec)
	if err != nil {
		return nil, "", err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := s.checkTOTP(ctx, tx, p.ID, secret, code); err != nil {
			return err
		}
		if codes, err = tx.NewRecoveryCodes(ctx, p.ID, recoveryCodes); err != nil {
			return err
		}
		if err := tx.Audit(actx, 0, "mfa.totp_enrol", "person", p.ID, nil); err != nil {
			return err
		}
		if isPending {
			session, err = s.completeLogin(actx, tx, pending, p.ID)
		} else if pending != "" {
			// Set up while logged in: this session has given it.
			err = tx.MarkSessionSecondFactor(ctx, pending, p.ID)
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return codes, session, nil
}

// completeLogin ends the pending session and starts the full one with a
// new ID, inside tx.
func (s *Service) completeLogin(ctx context.Context, tx *store.Tx, pending string, personID int64) (string, error) {
	if err := tx.EndPendingSession(ctx, pending); err != nil {
		return "", err
	}
	if err := tx.Audit(ctx, 0, "mfa.login", "person", personID, nil); err != nil {
		return "", err
	}
	return tx.CreateSecondFactorSession(ctx, personID)
}

// VerifySecondFactor finishes a login that waits for the second factor
// with a TOTP code or a recovery code (single use) and returns the new
// session's cookie value (a new ID; the pending session ends).
func (s *Service) VerifySecondFactor(ctx context.Context, pending, code string) (session string, err error) {
	defer domain.Wrap(&err, "account.VerifySecondFactor")
	if pending == "" {
		return "", domain.ErrMFANotPending
	}
	id, _, _, err := s.db.PendingSession(ctx, pending)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(code) == "" {
		return "", &domain.Error{Code: domain.EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
			Fields: map[string]string{"code": "Bitte geben Sie den Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein."}}
	}
	if err := s.limitCodes(ctx, id); err != nil {
		return "", err
	}
	rec, err := s.db.TOTP(ctx, id)
	if err != nil {
		return "", err
	}
	if rec == nil || rec.ConfirmedAt == nil {
		return "", domain.ErrMFACode
	}
	actx := domain.WithActor(ctx, &domain.Actor{Person: &domain.Person{ID: id}})
	secret, err := s.openTOTP(ctx, rec)
	if err != nil {
		return "", err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if len(store.NormalizeRecoveryCode(code)) == 16 {
			if err := tx.UseRecoveryCode(ctx, id, code); err != nil {
				return err
			}
			if err := tx.Audit(actx, 0, "mfa.recovery_use", "person", id, nil); err != nil {
				return err
			}
		} else if err := s.checkTOTP(ctx, tx, id, secret, code); err != nil {
			return err
		}
		session, err = s.completeLogin(actx, tx, pending, id)
		return err
	})
	return session, err
}

// DisableTOTP switches off the logged-in person's TOTP after a current code
// (or a recovery code) and deletes the recovery codes. A person who must
// have a second factor keeps it unless a passkey remains.
func (s *Service) DisableTOTP(ctx context.Context, code string) (err error) {
	defer domain.Wrap(&err, "account.DisableTOTP")
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
	if !f.TOTP {
		return domain.ErrTOTPNone
	}
	if f.Required && len(f.Passkeys) == 0 {
		return domain.ErrMFARequired
	}
	if err := s.limitCodes(ctx, p.ID); err != nil {
		return err
	}
	rec, err := s.db.TOTP(ctx, p.ID)
	if err != nil {
		return err
	}
	secret, err := s.openTOTP(ctx, rec)
	if err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if len(store.NormalizeRecoveryCode(code)) == 16 {
			if err := tx.UseRecoveryCode(ctx, p.ID, code); err != nil {
				return err
			}
		} else if err := s.checkTOTP(ctx, tx, p.ID, secret, code); err != nil {
			return err
		}
		if err := tx.DeleteTOTP(ctx, p.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "mfa.totp_disable", "person", p.ID, nil)
	})
}

// NewRecoveryCodes replaces the logged-in person's recovery codes after a
// current TOTP code and returns the new ones, shown once.
func (s *Service) NewRecoveryCodes(ctx context.Context, code string) (codes []string, err error) {
	defer domain.Wrap(&err, "account.NewRecoveryCodes")
	p, isPending, err := s.subject(ctx, "")
	if err != nil {
		return nil, err
	}
	if isPending {
		return nil, domain.ErrForbidden
	}
	if err := s.limitCodes(ctx, p.ID); err != nil {
		return nil, err
	}
	rec, err := s.db.TOTP(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if rec == nil || rec.ConfirmedAt == nil {
		return nil, domain.ErrTOTPNone
	}
	secret, err := s.openTOTP(ctx, rec)
	if err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := s.checkTOTP(ctx, tx, p.ID, secret, code); err != nil {
			return err
		}
		if codes, err = tx.NewRecoveryCodes(ctx, p.ID, recoveryCodes); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "mfa.recovery_new", "person", p.ID, nil)
	})
	return codes, err
}

// SetOrgRequireMFA switches whether the organisation requires a second
// factor of its signatories, reviewers, funders and admins: its account
// admins and the platform's admins decide. Switched on, it applies at
// once: the running sessions of those it covers in which no second factor
// was given wait for it from their next request (the deciding person's
// own too: the page sends them to give or set it up).
func (s *Service) SetOrgRequireMFA(ctx context.Context, orgID int64, on bool) (err error) {
	defer domain.Wrap(&err, "account.SetOrgRequireMFA(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgRequireMFA, authz.Resource{OrgID: orgID}); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		changed, err := tx.SetOrgRequireMFA(ctx, orgID, on)
		if err != nil || !changed {
			return err
		}
		if !on {
			return tx.Audit(ctx, orgID, "mfa.require_off", "organisation", orgID, nil)
		}
		req := domain.MFARequirements{Orgs: []int64{orgID}}
		persons, sessions, err := tx.StepUpSessions(ctx, orgID, func(a *domain.Actor) bool { return authz.SecondFactorRequired(a, req) },
			orgID, map[string]any{"organisation": orgID})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, orgID, "mfa.require_on", "organisation", orgID, map[string]int64{"persons": persons, "sessions": sessions})
	})
}

// OrgRequiresMFA reports whether the organisation requires a second factor.
func (s *Service) OrgRequiresMFA(ctx context.Context, orgID int64) (bool, error) {
	if err := authz.Check(domain.ActorFrom(ctx), authz.OrgView, authz.Resource{OrgID: orgID}); err != nil {
		return false, err
	}
	return s.db.OrgRequiresMFA(ctx, orgID)
}

// SetProgrammeRequireMFA switches whether the programme requires a second
// factor of everyone taking part in it as signatory, reviewer, funder or
// admin: its funder and the platform's admins decide. Switched on, it
// applies at once, as SetOrgRequireMFA's.
func (s *Service) SetProgrammeRequireMFA(ctx context.Context, programmeID string, on bool) (err error) {
	defer domain.Wrap(&err, "account.SetProgrammeRequireMFA(%q)", programmeID)
	p, err := s.db.Programme(ctx, programmeID)
	if err != nil {
		return err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.ProgrammeRequireMFA, authz.Resource{OrgID: p.FunderID}); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		changed, err := tx.SetProgrammeRequireMFA(ctx, programmeID, on)
		if err != nil || !changed {
			return err
		}
		if !on {
			return tx.Audit(ctx, p.FunderID, "mfa.require_off", "programme", programmeID, nil)
		}
		persons, sessions, err := stepUpProgramme(ctx, tx, p)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, p.FunderID, "mfa.require_on", "programme", programmeID, map[string]int64{"persons": persons, "sessions": sessions})
	})
}

// stepUpProgramme makes the running sessions of the people programme p's
// requirement covers, in which no second factor was given, wait for it,
// inside tx. It returns how many people and sessions it reached; each is
// in the audit log. (funding does the same for a programme cloned or
// imported with the requirement.)
func stepUpProgramme(ctx context.Context, tx *store.Tx, p *domain.Programme) (persons, sessions int64, err error) {
	req := domain.MFARequirements{Programmes: []domain.ProgrammeMFA{p.MFA()}}
	return tx.StepUpSessions(ctx, 0, func(a *domain.Actor) bool { return authz.SecondFactorRequired(a, req) },
		p.FunderID, map[string]any{"programme": p.ID})
}

// ProgrammeRequiresMFA reports whether the programme requires a second factor.
func (s *Service) ProgrammeRequiresMFA(ctx context.Context, programmeID string) (bool, error) {
	return s.db.ProgrammeRequiresMFA(ctx, programmeID)
}

// base32NoPad reads TOTP secrets as authenticator apps write them.
var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)
