package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// errAPISecondFactor answers an API login of a person with a second factor.
var errAPISecondFactor = domain.Errorf(domain.EUnauthorized,
	"Für dieses Konto ist ein zweiter Faktor eingerichtet oder vorgeschrieben. Bitte melden Sie sich im Browser an oder verwenden Sie einen API-Schlüssel.")

// newSessionCookie returns the session cookie value this response sets, or
// "": the session a login just started.
func newSessionCookie(w http.ResponseWriter) string {
	for _, line := range w.Header().Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.Name == sessionCookie && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

// tokenScopeChoices are the choices of the token form, in its order: the
// value of the radio button and the scopes it stands for.
var tokenScopeChoices = []struct {
	Value, Label string
	Scopes       []domain.TokenScope
}{
	{"read", "Nur lesen", []domain.TokenScope{domain.ScopeRead}},
	{"bookings", "Lesen und Buchungen", []domain.TokenScope{domain.ScopeBookings}},
	{"vouchers", "Lesen und Gutscheine", []domain.TokenScope{domain.ScopeVouchers}},
	{"bookings,vouchers", "Lesen, Buchungen und Gutscheine", []domain.TokenScope{domain.ScopeBookings, domain.ScopeVouchers}},
	{"full", "Vollzugriff (alles, was Sie selbst dürfen)", []domain.TokenScope{domain.ScopeFull}},
}

// tokenForm reads the lifetime (days) and scope of the token form; the
// defaults are 90 days and reading only.
func tokenForm(r *http.Request, now time.Time) (nt domain.NewToken, lifetime, scope string, err error) {
	lifetime = r.PostForm.Get("lifetime")
	scope = r.PostForm.Get("scope")
	if lifetime == "" {
		lifetime = "90"
	}
	if scope == "" {
		scope = "read"
	}
	v := domain.Validation{}
	days, cerr := strconv.Atoi(strings.TrimSpace(lifetime))
	if cerr != nil || days < 1 || days > 365 {
		v.Add("lifetime", "Bitte wählen Sie eine Gültigkeit von höchstens einem Jahr.")
	} else {
		nt.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	found := false
	for _, c := range tokenScopeChoices {
		if c.Value == scope {
			nt.Scopes, found = c.Scopes, true
		}
	}
	if !found {
		v.Add("scope", "Bitte wählen Sie, was der API-Schlüssel darf.")
	}
	if verr := v.Err(); verr != nil {
		return nt, lifetime, scope, verr
	}
	return nt, lifetime, scope, nil
}
