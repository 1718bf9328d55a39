package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/sso/ssotest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/web"
)

const ssoLabel = "Mit Test-Anmeldedienst anmelden"

// startSSOServer starts a server with the demo data and a real OpenID
// Provider (zitadel's example OP) configured as provider "op".
func startSSOServer(t *testing.T) (*server, *ssotest.OP) {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	if _, err := demo.Load(context.Background(), db, demoPassword); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	op := ssotest.Start(t, nil, base+"/anmelden/sso/op/zurueck")
	services := app.New(db, base, nil)
	services.Account.WithSSO(sso.New(base, []sso.Provider{op.Provider("op", ssoLabel)}))
	h, err := web.New(services, web.Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return &server{db: db, url: base}, op
}

// sso: TestSingleSignOnInTheBrowser logs in through the real provider's
// login form in windows 1280 and 320 CSS pixels wide: Nora is new and gets
// an account; a callback with a wrong state shows the German error page;
// Thomas, known by his address, is linked, switches password login off for
// Futurehausen, and logs out at the provider too. Lotse's pages pass
// axe-core and fit the window.
func TestSingleSignOnInTheBrowser(t *testing.T) {
	ssotest.Binary(t)
	atWidths(t, playSSO)
}

func playSSO(t *testing.T, axeJS string, width int) {
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
	atOP := func(b context.Context, user string) {
		t.Helper()
		waitFor(t, b, "the provider's login form", "location.href.startsWith("+jsString(op.Issuer)+") && !!document.querySelector('#username')")
		do(t, b, "fill in the provider's form",
			chromedp.SendKeys(chromedp.CSS("#username"), user),
			chromedp.SendKeys(chromedp.CSS("#password"), ssotest.Password))
		submit(t, b, "log in at the provider", chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	}

	nora := open()
	navigate(t, nora, srv.url+"/anmelden", 200)
	wantText(nora, "the login page", "Mit einem Anmeldedienst", ssoLabel, "Mit E-Mail-Adresse und Passwort")
	check(nora, "anmelden")
	submit(t, nora, "the sign-on button", chromedp.Click(chromedp.CSS(`main a[href^="/anmelden/sso/op"]`)))
	atOP(nora, "neu")
	wantText(nora, "logged in", "Sie sind angemeldet.", "Angemeldet als Nora Neumann")
	check(nora, "nora-angemeldet")

	navigate(t, nora, srv.url+"/anmelden/sso/op/zurueck?state=erfunden&code=x", 400)
	wantText(nora, "the error page", "Anmeldung nicht möglich", "Diese Anmeldung ist abgelaufen oder wurde schon abgeschlossen.",
		"Es wurde nichts gespeichert.", "Zurück zur Anmeldung")
	check(nora, "sso-fehler")

	thomas := open()
	navigate(t, thomas, srv.url+"/anmelden?weiter=/konto", 200)
	submit(t, thomas, "the sign-on button", chromedp.Click(chromedp.CSS(`main a[href^="/anmelden/sso/op"]`)))
	atOP(thomas, "thomas")
	wantText(thomas, "Thomas is logged in", "Sie sind angemeldet.", "Angemeldet als Thomas")
	if p := eval[string](t, thomas, "location.pathname"); p != "/konto" {
		t.Errorf("after the sign-on Thomas is at %s, want /konto", p)
	}
	fh := srv.orgID(t, "Stadt Futurehausen")
	navigate(t, thomas, srv.url+"/organisationen/"+strconv.FormatInt(fh, 10)+"/anmeldung", 200)
	check(thomas, "org-anmeldung")
	do(t, thomas, "choose sign-on only", chromedp.Click(chromedp.CSS(`#password-login-aus`)))
	submit(t, thomas, "save", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	wantText(thomas, "saved", "Die Einstellung zur Anmeldung wurde gespeichert.")

	// Lilly of Futurehausen tries her password.
	lilly := open()
	navigate(t, lilly, srv.url+"/anmelden", 200)
	do(t, lilly, "fill in the login form",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "lilly@futurehausen.example"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword))
	submit(t, lilly, "submit the login form", chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
	wantText(lilly, "password refused", "Ihre Organisation hat die Anmeldung mit Passwort abgeschaltet.", "„"+ssoLabel+"“")
	check(lilly, "passwort-abgeschaltet")

	// Logout ends Lotse's session and sends the browser to the provider's
	// end_session endpoint with the ID token as hint. (The example OP
	// registers no address to send it back to and answers with an error
	// of its own; its page is not ours to check.)
	do(t, thomas, "log out", chromedp.Click(chromedp.CSS(`form[action="/abmelden"] button`)))
	waitFor(t, thomas, "at the provider's logout", "location.href.startsWith("+jsString(op.Issuer+"end_session?")+") && location.href.includes('id_token_hint=')")
	navigate(t, thomas, srv.url+"/konto", 200)
	wantText(thomas, "logged out", "Mit E-Mail-Adresse und Passwort")
}
