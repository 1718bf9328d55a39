package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/web"
)

// mfaServer is a server like startServer's, addressed as localhost:
// passkeys need a domain as the relying party, not an IP address.
func mfaServer(t *testing.T) *server {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	if _, err := demo.Load(context.Background(), db, demoPassword); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	ts := httptest.NewUnstartedServer(nil)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	base := "http://localhost:" + port
	h, err := web.New(app.New(db, base, nil), web.Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return &server{db: db, url: base}
}

// totpCode waits, if need be, for a time step after the last one used (a
// code works once) and returns the code of secret for it.
func totpCode(t *testing.T, secret string, last *int64) string {
	t.Helper()
	for time.Now().Unix()/30 <= *last {
		time.Sleep(time.Second)
	}
	*last = time.Now().Unix() / 30
	c, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSecondFactorInTheBrowser: a person sets up an authenticator app
// (reading the secret from the page), logs out and in with password and
// code, uses a recovery code once, then registers a passkey and logs in
// with it through Chrome's virtual authenticator.
func TestSecondFactorInTheBrowser(t *testing.T) {
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		check, wantText := pageChecks(t, axeJS, width)
		srv := mfaServer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		b := newBrowser(t, ctx)
		if width == reflowWidth {
			narrow(t, b)
		}
		const email, name = "niklas@futurehausen.example", "Niklas Neumann"
		login(t, b, srv.url, email, name)

		// Set up the authenticator app.
		navigate(t, b, srv.url+"/konto/zweiter-faktor", 200)
		wantText(b, "set-up page", "Authenticator-App", "Schlüssel zur Eingabe von Hand")
		check(b, "setup")
		secret := eval[string](t, b, "document.getElementById('totp-secret').textContent")
		if len(secret) < 32 {
			t.Fatalf("secret on the page: %q", secret)
		}
		if !eval[bool](t, b, "document.querySelector('img.totp-qr').naturalWidth > 100") {
			t.Fatal("the QR code does not show")
		}
		var step int64
		do(t, b, "type the code", chromedp.SendKeys(chromedp.CSS(`form[action="/konto/zweiter-faktor/totp"] #f-code`), totpCode(t, secret, &step)))
		submit(t, b, "confirm the set-up", chromedp.Click(chromedp.CSS(`form[action="/konto/zweiter-faktor/totp"] button[type="submit"]`)))
		wantText(b, "recovery codes", "Ihre Wiederherstellungscodes", "nur dieses eine Mal")
		check(b, "codes")
		codes := eval[[]string](t, b, "[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)")
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes on the page", len(codes))
		}
		submit(t, b, "go on", chromedp.Click(chromedp.CSS(`main a.kern-btn`)))
		wantText(b, "after set-up", "Die Authenticator-App ist eingerichtet.", "Noch 10 Wiederherstellungscodes unbenutzt")

		logout := func() {
			t.Helper()
			submit(t, b, "log out", chromedp.Click(chromedp.CSS(`form[action="/abmelden"] button`)))
		}
		password := func() {
			t.Helper()
			navigate(t, b, srv.url+"/anmelden", 200)
			do(t, b, "fill in the login form",
				chromedp.SendKeys(chromedp.CSS("#f-email"), email),
				chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword))
			submit(t, b, "submit the password", chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
			wantText(b, "second step", "Anmeldung bestätigen")
		}
		secondStep := func(what, code string) {
			t.Helper()
			do(t, b, "type "+what, chromedp.SendKeys(chromedp.CSS(`#f-code`), code))
			submit(t, b, "confirm with "+what, chromedp.Click(chromedp.CSS(`form[action="/anmelden/zweiter-faktor"] button[type="submit"]`)))
		}

		// A recovery code works once.
		logout()
		password()
		check(b, "second-step")
		secondStep("a recovery code", codes[0])
		wantText(b, "logged in with a recovery code", "Angemeldet als "+name)
		logout()
		password()
		secondStep("the used recovery code", codes[0])
		wantText(b, "used recovery code", "Der Code ist nicht richtig oder wurde schon verwendet")
		check(b, "second-step-error")
		secondStep("another recovery code", codes[1])
		wantText(b, "logged in with another recovery code", "Angemeldet als "+name)

		// Password and a code from the app.
		logout()
		password()
		secondStep("the app's code", totpCode(t, secret, &step))
		wantText(b, "logged in with the app", "Angemeldet als "+name, "Sie sind angemeldet.")

		// A passkey, registered and used through a virtual authenticator.
		if _, err := chromedp.Run(b, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportInternal,
				HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}})
			return err
		})); err != nil {
			t.Fatalf("virtual authenticator: %v", err)
		}
		navigate(t, b, srv.url+"/konto/zweiter-faktor", 200)
		waitFor(t, b, "the passkey form shows", "!document.querySelector('[data-passkey-section]').hidden")
		do(t, b, "name the passkey", chromedp.SendKeys(chromedp.CSS(`#f-passkey_name`), "Laptop"))
		submit(t, b, "register the passkey", chromedp.Click(chromedp.CSS(`form[data-passkey="register"] button[type="submit"]`)))
		wantText(b, "passkey registered", "Der Passkey ist eingerichtet.", "Laptop")
		check(b, "passkeys")
		logout()
		password()
		waitFor(t, b, "the passkey button shows", "!document.querySelector('[data-passkey-section]').hidden")
		check(b, "second-step-passkey")
		submit(t, b, "confirm with the passkey", chromedp.Click(chromedp.CSS(`form[data-passkey="login"] button[type="submit"]`)))
		wantText(b, "logged in with the passkey", "Angemeldet als "+name, "Sie sind angemeldet.")
		if !strings.Contains(eval[string](t, b, "location.search"), "hinweis=angemeldet") {
			t.Error("the passkey login did not go on to the start page")
		}
	})
}

// TestRequiredSecondFactorInTheBrowser: the funder requires a second factor
// in the programme, is covered himself and sets his up at once before he
// sees the setting saved; a signatory without one is sent to set it up at
// login and can do nothing else before.
func TestRequiredSecondFactorInTheBrowser(t *testing.T) {
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		check, wantText := pageChecks(t, axeJS, width)
		srv := mfaServer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		funder := newBrowser(t, ctx)
		if width == reflowWidth {
			narrow(t, funder)
		}
		login(t, funder, srv.url, "foerderung@im-bw.example", "Franz Förderer")
		navigate(t, funder, srv.url+"/programme/digitallotsen-bw", 200)
		followLink(t, funder, "the requirement", "Zweiten Faktor vorschreiben")
		check(funder, "requirement")
		do(t, funder, "tick the requirement", chromedp.Click(chromedp.CSS(`#f-required`)))
		submit(t, funder, "save the requirement", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		// The funder is covered himself and has no second factor: the
		// requirement applies at once, so he sets his up first and then
		// comes back to the saved setting.
		wantText(funder, "his own set-up", "Zweiten Faktor einrichten", "vorgeschrieben")
		check(funder, "requirement-enrol")
		fsecret := eval[string](t, funder, "document.getElementById('totp-secret').textContent")
		var fstep int64
		do(t, funder, "type his code", chromedp.SendKeys(chromedp.CSS(`#f-code`), totpCode(t, fsecret, &fstep)))
		submit(t, funder, "set up his factor", chromedp.Click(chromedp.CSS(`form[action="/anmelden/zweiter-faktor/einrichten"] button[type="submit"]`)))
		wantText(funder, "his recovery codes", "Ihre Wiederherstellungscodes")
		submit(t, funder, "back to the setting", chromedp.Click(chromedp.CSS(`main a.kern-btn`)))
		wantText(funder, "saved", "Die Einstellungen wurden gespeichert.")
		if !eval[bool](t, funder, "document.getElementById('f-required').checked") {
			t.Fatal("the requirement is not ticked after saving")
		}

		b := newBrowser(t, ctx)
		if width == reflowWidth {
			narrow(t, b)
		}
		navigate(t, b, srv.url+"/anmelden?weiter=%2Fantraege", 200)
		do(t, b, "fill in the login form",
			chromedp.SendKeys(chromedp.CSS("#f-email"), "lilly@futurehausen.example"),
			chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword))
		submit(t, b, "submit the password", chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
		wantText(b, "enrolment", "Zweiten Faktor einrichten", "vorgeschrieben")
		check(b, "enrol")
		// Any other page leads back here.
		navigate(t, b, srv.url+"/postfach", 200)
		wantText(b, "another page before enrolment", "Zweiten Faktor einrichten")
		secret := eval[string](t, b, "document.getElementById('totp-secret').textContent")
		var step int64
		do(t, b, "type the code", chromedp.SendKeys(chromedp.CSS(`#f-code`), totpCode(t, secret, &step)))
		submit(t, b, "set up and log in", chromedp.Click(chromedp.CSS(`form[action="/anmelden/zweiter-faktor/einrichten"] button[type="submit"]`)))
		wantText(b, "recovery codes", "Ihre Wiederherstellungscodes")
		submit(t, b, "go on", chromedp.Click(chromedp.CSS(`main a.kern-btn`)))
		wantText(b, "logged in", "Angemeldet als Lilly")
	})
}
