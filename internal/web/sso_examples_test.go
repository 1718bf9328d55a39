package web

import "github.com/lotse-oss/lotse/internal/domain"

// ssoExamples is the example data of the single sign-on pages.
func ssoExamples(base Page, org *domain.Organisation) map[string]any {
	failed := base
	failed.Message = domain.ErrSSOUnavailable.Message
	return map[string]any{
		"sso_error":  &ssoErrorPage{Page: failed, Next: "/konto"},
		"sso_logout": &ssoLogoutPage{Page: base, To: "https://id.example/logout?id_token_hint=x"},
		"org_login":  &orgLoginPage{Page: base, Org: org, PasswordLogin: false, Providers: []string{"Mit service-bw anmelden"}},
	}
}
