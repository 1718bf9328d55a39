package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// events: TestEventStoryInTheBrowser plays the waiting list in windows
// 1280 and 320 CSS pixels wide: Petra creates a members-only event with one
// place and publishes it; Lilly registers without ticking the consent box
// (she is not on the participant list); Niklas registers and lands on the
// waiting list; Lilly cancels; Niklas has the place. Every page passes
// axe-core and fits the window.
func TestEventStoryInTheBrowser(t *testing.T) {
	atWidths(t, playEvents)
}

func playEvents(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, false, width, 6*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)
	start := time.Now().AddDate(0, 0, 20).In(time.Local)
	local := func(t time.Time) string { return t.Format("2006-01-02T15:04") }

	petra := browser("pruefung@staedtetag-bw.example", "Petra Prüfer")
	navigate(t, petra, srv.url+"/veranstaltungen", 200)
	check(petra, "petra-veranstaltungen")
	navigate(t, petra, srv.url+"/veranstaltungen/neu", 200)
	check(petra, "petra-formular")
	do(t, petra, "fill in the event",
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Stammtisch der Digitallotsen"),
		chromedp.SendKeys(chromedp.CSS(`#f-description`), "Ein kleiner Kreis tauscht sich über die E-Akte aus."),
		chromedp.SetValue(chromedp.CSS(`#f-starts_at`), local(start)),
		chromedp.SetValue(chromedp.CSS(`#f-ends_at`), local(start.Add(2*time.Hour))),
		chromedp.SendKeys(chromedp.CSS(`#f-ags`), "08999001"),
		chromedp.SendKeys(chromedp.CSS(`#f-address`), "Rathaus, Zimmer 12"),
		chromedp.SetValue(chromedp.CSS(`#f-capacity`), "1"),
		chromedp.SetValue(chromedp.CSS(`#f-registration_deadline`), local(start.Add(-24*time.Hour))),
		chromedp.Click(chromedp.CSS(`#f-audience-members`)),
		chromedp.SendKeys(chromedp.CSS(`#f-questions`), "Welche Themen möchten Sie besprechen?"))
	submit(t, petra, "save", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	wantText(petra, "the draft", "Die Veranstaltung ist als Entwurf angelegt.", "Entwurf: Nur die Organisierenden sehen diese Veranstaltung.",
		"1 Platz, davon 1 frei", "Futurehausen, Rathaus, Zimmer 12")
	eventURL := eval[string](t, petra, `location.pathname`)
	submit(t, petra, "publish", chromedp.Click(chromedp.CSS(`main form[action$="/veroeffentlichen"] button`)))
	wantText(petra, "published", "Die Veranstaltung ist veröffentlicht.")
	check(petra, "petra-veroeffentlicht")

	lilly := browser("lilly@futurehausen.example", "Lilly Lotse")
	navigate(t, lilly, srv.url+"/veranstaltungen", 200)
	followLink(t, lilly, "the event in the list", "Stammtisch der Digitallotsen")
	if checked := eval[bool](t, lilly, `document.getElementById('f-show_name').checked`); checked {
		t.Fatal("the consent box is ticked by default")
	}
	check(lilly, "lilly-veranstaltung")
	do(t, lilly, "answer", chromedp.SendKeys(chromedp.CSS(`#f-answer_1`), "Scannen und Ablage"))
	submit(t, lilly, "register", chromedp.Click(chromedp.CSS(`main form[action$="/anmelden"] button[type="submit"]`)))
	wantText(lilly, "registered", "Sie sind angemeldet.", "Ihr Platz ist bestätigt.", "Ihr Name steht nicht auf der Teilnehmendenliste.",
		"Bisher hat niemand zugestimmt, auf der Liste zu erscheinen.")
	check(lilly, "lilly-angemeldet")

	niklas := browser("niklas@futurehausen.example", "Niklas Neumann")
	navigate(t, niklas, srv.url+eventURL, 200)
	wantText(niklas, "full", "Alle Plätze sind vergeben.")
	do(t, niklas, "consent", chromedp.Click(chromedp.CSS(`#f-show_name`)))
	submit(t, niklas, "join the waiting list", chromedp.Click(chromedp.CSS(`main form[action$="/anmelden"] button[type="submit"]`)))
	wantText(niklas, "waiting", "Sie stehen auf der Warteliste, Platz 1.")
	check(niklas, "niklas-warteliste")

	navigate(t, petra, srv.url+eventURL+"/teilnehmende", 200)
	wantText(petra, "attendees", "Lilly Lotse", "bestätigt", "Scannen und Ablage", "Niklas Neumann", "auf der Warteliste")
	check(petra, "petra-teilnehmende")

	navigate(t, lilly, srv.url+eventURL, 200)
	do(t, lilly, "open the cancellation", chromedp.Click(chromedp.CSS(`main details.confirm summary`)))
	submit(t, lilly, "cancel", chromedp.Click(chromedp.CSS(`main form[action$="/stornieren"] button`)))
	wantText(lilly, "cancelled", "Die Anmeldung ist storniert.", "Auf die Warteliste setzen")

	navigate(t, niklas, srv.url+eventURL, 200)
	wantText(niklas, "moved up", "Ihr Platz ist bestätigt.", "Ihr Name steht auf der Teilnehmendenliste.", "Niklas Neumann (Stadt Futurehausen)")
	check(niklas, "niklas-bestaetigt")
	navigate(t, niklas, srv.url+"/", 200)
	wantText(niklas, "desk", "Vernetzungstreffen", "Stammtisch der Digitallotsen")
}
