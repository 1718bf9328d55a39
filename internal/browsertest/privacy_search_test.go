package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAdminFindsAPersonInTheBrowser: the admin opens the person search
// from the administration's menu, searches too briefly (a German message
// at the field, the text kept), then by surname, and follows the hit to
// the person's data and the deletion form, at 1280 and 320 CSS pixels;
// every page passes axe-core and fits the window.
func TestAdminFindsAPersonInTheBrowser(t *testing.T) {
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		srv, browser := storyServer(t, false, width, 3*time.Minute)
		check, wantText := pageChecks(t, axeJS, width)
		admin := browser(adminEmail, adminName)
		navigate(t, admin, srv.url+"/admin", 200)
		followLink(t, admin, "the administration", "Personen")
		wantText(admin, "the search", "Personen suchen", "Name oder E-Mail-Adresse")
		check(admin, "personen-suchen")

		do(t, admin, "type one letter", chromedp.SendKeys(chromedp.CSS("#f-q"), "L"))
		submit(t, admin, "search one letter", chromedp.Click(chromedp.CSS(`main form[action="/admin/personen"] button[type="submit"]`)))
		wantText(admin, "one letter", "Bitte geben Sie mindestens zwei Zeichen ein.")
		check(admin, "personen-suchen-fehler")

		do(t, admin, "type a surname", chromedp.SetValue(chromedp.CSS("#f-q"), "Lot"))
		submit(t, admin, "search a surname", chromedp.Click(chromedp.CSS(`main form[action="/admin/personen"] button[type="submit"]`)))
		wantText(admin, "the hits", "Gefundene Personen", "Lilly Lotse", "lilly@futurehausen.example", "Futurehausen")
		check(admin, "personen-treffer")

		followLink(t, admin, "the hit", "Daten ansehen und Konto löschen")
		wantText(admin, "the person's data", "Daten von Lilly Lotse", "Konto auf Anfrage löschen")
		check(admin, "personen-daten")
	})
}
