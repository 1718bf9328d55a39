package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
)

// mfaExamples are the example data of the second factor's templates.
func mfaExamples(base Page, now time.Time) map[string]any {
	setup := &account.TOTPSetup{Secret: "JBSWY3DPEHPK3PXP", URL: "otpauth://totp/Lotse:a@b.example?secret=JBSWY3DPEHPK3PXP",
		QR: "data:image/png;base64,iVBORw0KGgo="}
	keys := []domain.Passkey{{ID: 1, Name: "Laptop", CreatedAt: now, LastUsedAt: &now}}
	return map[string]any{
		"mfa_login": &mfaLoginPage{Page: base, Next: "/konto", Setup: setup, QR: qrURL(setup),
			Factor: &domain.SecondFactor{TOTP: true, TOTPSince: &now, RecoveryLeft: 9, Passkeys: keys}},
		"mfa_codes": &mfaCodesPage{Page: base, Codes: []string{"abcd-efgh-jkmn-pqrs"}, Next: "/konto"},
		"mfa_account": &mfaAccountPage{Page: base, Setup: setup, QR: qrURL(setup), Form: "setup",
			Factor: &domain.SecondFactor{Required: true, Passkeys: keys}},
		"mfa_requirement": &mfaRequirementPage{Page: base, Kind: "org", Name: "Stadt Futurehausen", Action: "/organisationen/1/zweiter-faktor",
			Back: "/organisationen/1", Required: true},
	}
}
