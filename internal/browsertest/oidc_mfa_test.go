package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/sso/ssotest"
)

// TestSingleSignOnWithSecondFactorInTheBrowser: single sign-on and the
// second factor together, in windows 1280 and 320 CSS pixels wide. Thomas
// logs in through the real provider, sets up an authenticator app, and in a
// fresh browser (no session here or at the provider) logs in through the
// provider again: Lotse asks for the code before he is logged in, refuses a
// wrong one with the message next to the field, and lets him in with the
// right one. Every page passes axe-core and fits the window.
func TestSingleSignOnWithSecondFactorInTheBrowser(t *testing.T) {
	ssotest.Binary(t)
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		srv, op := startSSOServer(t)
		check, wantText := pageChecks(t, axeJS, width)
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		open := func() context.Context {
			b := newBrowser(t, ctx)
			if width == reflowWidth {
				narrow(t, b)
			}
			return b
		}
		viaProvider := func(b context.Context) {
			t.Helper()
			navigate(t, b, srv.url+"/anmelden?weiter=/konto", 200)
			submit(t, b, "the sign-on button", chromedp.Click(chromedp.CSS(`main a[href^="/anmelden/sso/op"]`)))
			waitFor(t, b, "the provider's login form", "location.href.startsWith("+jsString(op.Issuer)+") && !!document.querySelector('#username')")
			do(t, b, "fill in the provider's form",
				chromedp.SendKeys(chromedp.CSS("#username"), "thomas"),
				chromedp.SendKeys(chromedp.CSS("#password"), ssotest.Password))
			submit(t, b, "log in at the provider", chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
		}

		first := open()
		viaProvider(first)
		wantText(first, "logged in through the provider", "Sie sind angemeldet.", "Angemeldet als Thomas")
		navigate(t, first, srv.url+"/konto/zweiter-faktor", 200)
		wantText(first, "set-up page", "Authenticator-App", "Schlüssel zur Eingabe von Hand")
		secret := eval[string](t, first, "document.getElementById('totp-secret').textContent")
		var step int64
		do(t, first, "type the code", chromedp.SendKeys(chromedp.CSS(`form[action="/konto/zweiter-faktor/totp"] #f-code`), totpCode(t, secret, &step)))
		submit(t, first, "confirm the set-up", chromedp.Click(chromedp.CSS(`form[action="/konto/zweiter-faktor/totp"] button[type="submit"]`)))
		wantText(first, "recovery codes", "Ihre Wiederherstellungscodes")

		again := open()
		viaProvider(again)
		wantText(again, "the second step after the provider", "Anmeldung bestätigen")
		check(again, "sso-zweiter-faktor")
		if got := eval[string](t, again, "document.body.innerText"); strings.Contains(got, "Angemeldet als") {
			t.Fatal("logged in before the second factor")
		} else if strings.Contains(got, "Passwort") {
			t.Error("the second step after single sign-on talks of a password")
		}
		do(t, again, "type a wrong code", chromedp.SendKeys(chromedp.CSS(`#f-code`), "000000"))
		submit(t, again, "confirm the wrong code", chromedp.Click(chromedp.CSS(`form[action="/anmelden/zweiter-faktor"] button[type="submit"]`)))
		wantText(again, "wrong code", "Der Code ist nicht richtig")
		check(again, "sso-zweiter-faktor-fehler")
		eval[string](t, again, "document.getElementById('f-code').value = ''")
		do(t, again, "type the app's code",
			chromedp.SendKeys(chromedp.CSS(`#f-code`), totpCode(t, secret, &step)))
		submit(t, again, "confirm the code", chromedp.Click(chromedp.CSS(`form[action="/anmelden/zweiter-faktor"] button[type="submit"]`)))
		wantText(again, "logged in with both", "Sie sind angemeldet.", "Angemeldet als Thomas")
		if p := eval[string](t, again, "location.pathname"); p != "/konto" {
			t.Errorf("after both steps Thomas is at %s, want /konto", p)
		}
		check(again, "sso-zweiter-faktor-angemeldet")
	})
}
