package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCommunityStoryInTheBrowser plays the members' space in windows 1280
// and 320 CSS pixels wide: Lilly starts a thread in the Städtetag's space,
// Niklas replies and mentions her (the reply is posted by htmx without a
// full page load), Lilly reports the reply, Petra hides it from the
// moderation page and Lilly sees only the moderation's notice; Paula, of
// a Gemeindetag municipality, gets 404 for the Städtetag's space. Every
// page passes axe-core and fits the window.
func TestCommunityStoryInTheBrowser(t *testing.T) {
	atWidths(t, playCommunity)
}

func playCommunity(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 5*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)

	// Lilly opens the Städtetag's space from the menu and starts a thread
	// in the channel on AI.
	lilly := browser(lillyEmail, lillyName)
	menu := eval[string](t, lilly, `([...document.querySelectorAll('nav a')].find(a => a.innerText.trim() === 'Austausch') || {}).href || ''`)
	if menu == "" {
		t.Fatal("the menu offers no Austausch")
	}
	navigate(t, lilly, menu, 200)
	wantText(lilly, "the spaces", "Städtetag Baden-Württemberg", "OZG-Umsetzung")
	check(lilly, "lilly-austausch")
	followLink(t, lilly, "spaces", "Städtetag Baden-Württemberg")
	wantText(lilly, "the space", "Kanäle", "Allgemein", "Regeln dieses Austauschs")
	spaceURL := eval[string](t, lilly, "location.href")
	check(lilly, "lilly-bereich")
	followLink(t, lilly, "space", "KI")
	wantText(lilly, "the channel", "Kanal „KI“", "Chatbot für Bürgeranfragen")
	do(t, lilly, "leave the title empty", chromedp.SendKeys(chromedp.CSS("#f-body"), "Wer hat schon **KI-Assistenz** für Vermerke ausprobiert?"))
	submit(t, lilly, "submit without title", chromedp.Click(chromedp.CSS(`main form[action$="/themen"] button[type="submit"]`)))
	if msg := eval[string](t, lilly, `(document.getElementById('f-title-error') || {}).innerText || ''`); msg != "Bitte geben Sie einen Titel an." {
		t.Fatalf("message next to the title: %q", msg)
	}
	if v := eval[string](t, lilly, `document.getElementById('f-body').value`); !strings.Contains(v, "KI-Assistenz") {
		t.Fatalf("the refused form lost the text: %q", v)
	}
	check(lilly, "lilly-thema-fehler")
	do(t, lilly, "type a title", chromedp.SendKeys(chromedp.CSS("#f-title"), "KI-Assistenz für Vermerke"))
	submit(t, lilly, "start the thread", chromedp.Click(chromedp.CSS(`main form[action$="/themen"] button[type="submit"]`)))
	wantText(lilly, "the new thread", "Ihr Thema ist veröffentlicht.", "KI-Assistenz für Vermerke", "Wer hat schon KI-Assistenz")
	threadURL := strings.SplitN(eval[string](t, lilly, "location.href"), "?", 2)[0]

	// Niklas replies and mentions her; htmx posts the form without a
	// full page load.
	niklas := browser(niklasEmail, niklasName)
	navigate(t, niklas, threadURL, 200)
	eval[bool](t, niklas, "window.__sameDocument = true")
	do(t, niklas, "write a reply", chromedp.SendKeys(chromedp.CSS("#f-body"), "Ja, @Lilly Lotse, wir nutzen das seit März. Werbung: Kaufen Sie unser Produkt!"))
	do(t, niklas, "post it", chromedp.Click(chromedp.CSS(`main form[action$="/antworten"] button[type="submit"]`)))
	waitFor(t, niklas, "the reply is shown", `document.body.innerText.includes('Ihre Antwort ist veröffentlicht.')`)
	if !eval[bool](t, niklas, "window.__sameDocument === true") {
		t.Error("the reply reloaded the whole page; htmx should have swapped it in")
	}
	if n := eval[int](t, niklas, `document.querySelectorAll('main strong.mention').length`); n != 1 {
		t.Errorf("%d highlighted mentions, want 1", n)
	}
	check(niklas, "niklas-antwort")
	if m := lastMailTo(t, srv, lillyEmail); !strings.Contains(m, "Niklas Neumann hat Sie im Austausch erwähnt") {
		t.Errorf("Lilly got no mention mail: %q", m)
	}

	// Lilly reports the reply.
	navigate(t, lilly, threadURL, 200)
	post := eval[string](t, lilly, `[...document.querySelectorAll('main li.post')].pop().id`)
	do(t, lilly, "open the report form", chromedp.Click(chromedp.CSS(`#`+post+` details.report summary`)))
	do(t, lilly, "give a reason", chromedp.SendKeys(chromedp.CSS(`#`+post+` textarea[name="reason"]`), "Werbung für ein Produkt"))
	submit(t, lilly, "report", chromedp.Click(chromedp.CSS(`#`+post+` form[action$="/melden"] button[type="submit"]`)))
	wantText(lilly, "after reporting", "Danke für Ihre Meldung.")

	// Petra, the moderator, hides it from the moderation page.
	petra := browser("pruefung@staedtetag-bw.example", "Petra Prüfer")
	navigate(t, petra, spaceURL+"/moderation", 200)
	wantText(petra, "the reports", "Offene Meldungen", "Werbung für ein Produkt", "KI-Assistenz für Vermerke")
	check(petra, "petra-moderation")
	submit(t, petra, "hide the post", chromedp.Click(chromedp.CSS(`main form[action$="/ausblenden"] button[type="submit"]`)))
	wantText(petra, "after hiding", "Der Beitrag ist ausgeblendet.", "Keine offenen Meldungen.")
	navigate(t, lilly, threadURL, 200)
	wantText(lilly, "the hidden post", "Dieser Beitrag wurde von der Moderation ausgeblendet.")
	if strings.Contains(pageText(t, lilly), "Kaufen Sie unser Produkt") {
		t.Error("Lilly still reads the hidden post")
	}
	check(lilly, "lilly-ausgeblendet")

	// Paula of Kleinbach (a Gemeindetag municipality) finds nothing.
	paula := browser("pilot@kleinbach.example", "Paula Pionier")
	navigate(t, paula, spaceURL, 404)
	navigate(t, paula, threadURL, 404)
	navigate(t, paula, srv.url+"/austausch", 200)
	wantText(paula, "Paula's spaces", "Gemeindetag Baden-Württemberg")
	if strings.Contains(pageText(t, paula), "Städtetag") {
		t.Error("Paula's list names the Städtetag's space")
	}
	check(paula, "paula-austausch")
}

// lastMailTo returns the subject of the newest mail to the address.
func lastMailTo(t *testing.T, srv *server, to string) string {
	t.Helper()
	ms, err := srv.db.Outbox(context.Background(), 0, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.To == to {
			return m.Subject
		}
	}
	return ""
}
