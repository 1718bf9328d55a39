package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// matching: paths

// TestPathPagesInTheBrowser walks the learning path pages in windows 1280
// and 320 CSS pixels wide: Niklas follows the Digitallotse path from the
// list and sees his steps with the offers for the next one; Petra (the
// Städtetag owns the path) sends the path form with a wrong step, which
// comes back with the message next to its field, and opens the members'
// page with the networking event to confirm. Every page passes axe-core
// and fits the window.
func TestPathPagesInTheBrowser(t *testing.T) {
	atWidths(t, playPaths)
}

func playPaths(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, false, width, 3*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)

	niklas := browser("niklas@futurehausen.example", "Niklas Neumann")
	navigate(t, niklas, srv.url+"/lernpfade", 200)
	wantText(niklas, "the list", "Kommunale/r Digitallotse/in", "Lernpfad von Städtetag Baden-Württemberg", "3 Schritte")
	check(niklas, "niklas-lernpfade")
	submit(t, niklas, "follow", chromedp.Click(chromedp.CSS(`main form[action$="/folgen"] button[type="submit"]`)))
	wantText(niklas, "the path", "Sie folgen dem Lernpfad.", "0 % abgeschlossen", "als Nächstes", "Basisqualifizierung (3 Tage)",
		"Mindestens 2 Angebote der Förderlinie Aufbauprogramm (Kommunale Digitallotsen) aus verschiedenen Kompetenzbereichen", "nach Schritt 1")
	check(niklas, "niklas-lernpfad")

	petra := browser("pruefung@staedtetag-bw.example", "Petra Prüfer")
	navigate(t, petra, srv.url+"/lernpfade/neu", 200)
	check(petra, "petra-lernpfad-formular")
	do(t, petra, "fill in a path with a wrong step",
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Datenschutz kompakt"),
		chromedp.SendKeys(chromedp.CSS(`#f-steps\.1\.title`), "Grundlagen"),
		chromedp.SendKeys(chromedp.CSS(`#f-steps\.1\.offer_ids`), "zwölf"))
	submit(t, petra, "save", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if msg := eval[string](t, petra, `(document.getElementById('f-steps.1.offer_ids-error') || {}).innerText || ''`); msg != "Bitte geben Sie Angebotsnummern an, durch Komma getrennt." {
		t.Fatalf("message next to the offers: %q", msg)
	}
	if v := eval[string](t, petra, `document.getElementById('f-title').value`); v != "Datenschutz kompakt" {
		t.Fatalf("the refused form lost the title: %q", v)
	}
	check(petra, "petra-lernpfad-fehler")
	navigate(t, petra, srv.url+"/lernpfade/1/teilnehmende", 200)
	wantText(petra, "members", "Niklas Neumann", "0 %", "Teilnahme bestätigen")
	check(petra, "petra-teilnehmende")
}
