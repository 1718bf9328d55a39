package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPilotDirectoryInTheBrowser plays the directory in windows 1280 and
// 320 CSS pixels wide: Paula opens the directory, finds Lilly by topic and
// looks at the map; Lilly changes her entry; Niklas, without the base
// certificate, reads why he cannot enter yet. Every page passes axe-core
// and fits the window; screenshots of both widths are saved.
func TestPilotDirectoryInTheBrowser(t *testing.T) {
	atWidths(t, playPilots)
}

func playPilots(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 4*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)

	// Paula finds Lilly by topic; the map and its table show the district.
	paula := browser("pilot@kleinbach.example", "Paula Pionier")
	wantText(paula, "the menu", "Digitallotsen")
	navigate(t, paula, srv.url+"/lotsen", 200)
	wantText(paula, "the directory", "Lilly Lotse", "Paula Pionier", "Einträge nach Kreisen", "Zukunftstal", "GeoBasis-DE / BKG")
	check(paula, "paula-verzeichnis")
	do(t, paula, "choose a topic", chromedp.SetValue(chromedp.CSS(`#f-thema`), "PROZ.2"))
	submit(t, paula, "search", chromedp.Click(chromedp.CSS(`main form[action="/lotsen"] button[type="submit"]`)))
	wantText(paula, "the search by topic", "Gefundene Einträge", "Lilly Lotse", "Ende-zu-Ende-Digitalisierung")
	if n := eval[int](t, paula, `document.querySelectorAll('main .pilot-list > li').length`); n != 1 {
		t.Fatalf("the search by topic lists %d entries", n)
	}
	if n := eval[int](t, paula, `document.querySelectorAll('#lotsenkarte path, figure svg path').length`); n < 40 {
		t.Errorf("the map draws %d shapes", n)
	}
	check(paula, "paula-thema")
	followLink(t, paula, "Lilly's entry", "Lilly Lotse")
	wantText(paula, "Lilly's entry", "Dabei kann ich helfen", "Nachricht senden", "Digitale Bauakte")
	check(paula, "paula-lilly")

	// Lilly adds a tag and saves; the entry says so.
	lilly := browser("lilly@futurehausen.example", "Lilly Lotse")
	navigate(t, lilly, srv.url+"/lotsen/mein-eintrag", 200)
	wantText(lilly, "her entry", "Ihr Eintrag steht im Verzeichnis", "Einwilligung")
	check(lilly, "lilly-eintrag")
	do(t, lilly, "add a tag", chromedp.SetValue(chromedp.CSS(`#f-tags`), "E-Akte, Bauverwaltung, Ratsinformationssystem"))
	submit(t, lilly, "save", chromedp.Click(chromedp.CSS(`main form[action="/lotsen/mein-eintrag"] button[type="submit"]`)))
	wantText(lilly, "saved", "Ihr Eintrag im Verzeichnis der Digitallotsen ist gespeichert.")
	navigate(t, paula, srv.url+"/lotsen?q=Ratsinformationssystem", 200)
	wantText(paula, "the new tag", "Lilly Lotse", "Ratsinformationssystem")

	// Niklas holds no base certificate.
	niklas := browser(niklasEmail, niklasName)
	navigate(t, niklas, srv.url+"/lotsen/mein-eintrag", 200)
	wantText(niklas, "why not", "Sie können sich noch nicht eintragen", "Basisqualifizierung")
	if n := eval[int](t, niklas, `document.querySelectorAll('main input[name="consent"]').length`); n != 0 {
		t.Errorf("Niklas gets the form")
	}
	check(niklas, "niklas-noch-nicht")
	navigate(t, paula, srv.url+"/lotsen/projekte", 200)
	wantText(paula, "the briefs", "Online-Terminvergabe im Bürgerbüro", "Digitale Bauakte", "Meine Projektsteckbriefe")
	check(paula, "paula-projekte")
}
