package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDataDownloadAndAccountDeletionInTheBrowser plays privacy in windows
// 1280 and 320 CSS pixels wide: Lilly opens "Meine Daten" on her account
// page, downloads her data as JSON (it holds her bookings) and deletes her
// account with her password; afterwards her login fails and her
// certificate still verifies, without her name. Every page passes axe-core
// and fits the window; screenshots are saved.
func TestDataDownloadAndAccountDeletionInTheBrowser(t *testing.T) {
	atWidths(t, playPrivacy)
}

func playPrivacy(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 4*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)

	lilly := browser("lilly@futurehausen.example", "Lilly Lotse")
	navigate(t, lilly, srv.url+"/konto", 200)
	wantText(lilly, "the account page", "Meine Daten", "Alle Daten als JSON-Datei herunterladen", "Konto löschen")
	check(lilly, "konto")

	followLink(t, lilly, "the summary", "Meine Daten ansehen")
	wantText(lilly, "the summary", "Meine Daten", "Buchungen", "Zertifikate", "Protokolleinträge über Sie", "lilly@futurehausen.example")
	check(lilly, "meine-daten")

	// The JSON download, fetched as the link would: her bookings and a
	// certificate's number.
	n := eval[int](t, lilly, `fetch('/konto/daten.json').then(r => r.json()).then(d => d.sections.bookings.length)`, chromedp.EvalAwaitPromise)
	if n == 0 {
		t.Fatal("the download holds no bookings")
	}
	certID := eval[string](t, lilly, `fetch('/konto/daten.json').then(r => r.json()).then(d => (d.sections.certificates[0] || {}).id || '')`, chromedp.EvalAwaitPromise)
	if certID == "" {
		t.Fatal("the download holds no certificate")
	}
	disposition := eval[string](t, lilly, `fetch('/konto/daten.pdf').then(r => r.headers.get('Content-Disposition') + ' ' + r.headers.get('Content-Type'))`, chromedp.EvalAwaitPromise)
	if want := "application/pdf"; !strings.Contains(disposition, want) || !strings.Contains(disposition, "attachment") {
		t.Errorf("the PDF answers %q", disposition)
	}

	// The deletion: a wrong password first, then hers.
	navigate(t, lilly, srv.url+"/konto/loeschen", 200)
	wantText(lilly, "the deletion page", "Konto löschen", "nicht rückgängig", "Ihr Passwort")
	check(lilly, "loeschen")
	do(t, lilly, "type a wrong password", chromedp.SendKeys(chromedp.CSS("#f-password"), "falsches-passwort"))
	submit(t, lilly, "delete with a wrong password", chromedp.Click(chromedp.CSS(`main form[action="/konto/loeschen"] button[type="submit"]`)))
	wantText(lilly, "the wrong password", "Das Passwort stimmt nicht.")
	check(lilly, "loeschen-fehler")
	do(t, lilly, "type her password", chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword))
	submit(t, lilly, "delete", chromedp.Click(chromedp.CSS(`main form[action="/konto/loeschen"] button[type="submit"]`)))
	wantText(lilly, "deleted", "Ihr Konto ist gelöscht.")
	check(lilly, "geloescht")

	// Her login fails.
	navigate(t, lilly, srv.url+"/anmelden", 200)
	do(t, lilly, "fill in the login form",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "lilly@futurehausen.example"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword),
	)
	submit(t, lilly, "log in again", chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
	wantText(lilly, "the failed login", "E-Mail-Adresse oder Passwort ist falsch.")

	// Her certificate still verifies, without her name.
	navigate(t, lilly, srv.url+"/verify/"+certID, 200)
	wantText(lilly, "the verification", "Dieses Zertifikat ist gültig", "Die Person hat ihr Konto gelöscht")
	if txt := pageText(t, lilly); strings.Contains(txt, "Lilly") {
		t.Error("the verification page still names Lilly")
	}
	check(lilly, "zertifikat")
}
