package browsertest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestEveryRolesDay plays one working day of each role on the demo's story,
// in a window 1280 and 320 CSS pixels wide: Anna hands the free voucher to
// Niklas and approves his employer-paid booking; Niklas asks for funding,
// books with his code and gets the confirmation; Lilly finds her
// certificate on her desk; Karl records attendance; Petra answers the
// question in an application's thread. Every page passes axe-core and fits
// the window without scrolling sideways; each is saved as a screenshot.
func TestEveryRolesDay(t *testing.T) {
	atWidths(t, playDay)
}

func playDay(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 5*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)
	clickLink := func(b context.Context, what, contains string) { t.Helper(); followLink(t, b, what, contains) }

	// Niklas starts his day: his desk shows the booking waiting for HR and
	// his request; he asks for funding of the advanced track as well.
	niklas := browser(niklasEmail, niklasName)
	wantText(niklas, "Niklas' desk", "Guten Tag, Niklas Neumann", "wartet auf Freigabe", "Ihre Förderanfragen")
	check(niklas, "niklas-schreibtisch")
	navigate(t, niklas, srv.url+"/foerderung-anfragen", 200)
	check(niklas, "niklas-foerderung-anfragen")
	// He has asked for the base qualification already; now the advanced track.
	advanced := eval[string](t, niklas, `[...document.querySelectorAll('#f-track option')].find(o => o.textContent.includes('Aufbau')).value`)
	do(t, niklas, "choose the advanced track", chromedp.SetValue(chromedp.CSS("#f-track"), advanced))
	do(t, niklas, "give a reason", chromedp.SendKeys(chromedp.CSS("#f-reason"), "Nach der Basisqualifizierung möchte ich das Aufbaumodul KI besuchen."))
	submit(t, niklas, "send the request", chromedp.Submit(chromedp.CSS(`form[action="/foerderung-anfragen"] button[type="submit"]`)))
	wantText(niklas, "after the request", "Ihre Anfrage ist verschickt")

	// Anna: the desk lists what waits for her; she hands the free voucher
	// to Niklas and approves his employer-paid booking.
	anna := browser("anna@futurehausen.example", "Anna Albrecht")
	wantText(anna, "Anna's desk", "Freigaben", "Förderanfragen", "1 Gutschein ist noch keiner Person zugeteilt")
	check(anna, "anna-schreibtisch")
	clickLink(anna, "Anna's desk", "1 Gutschein ist noch keiner Person zugeteilt")
	check(anna, "anna-gutscheine")
	input := eval[string](t, anna, `(document.querySelector('main form[action$="/inhaber"] input[type="email"], main form[action$="/inhaber"] input[name="email"]') || {}).id || ''`)
	if input == "" {
		t.Fatalf("no form to hand the free voucher:\n%s", abbrev(pageText(t, anna)))
	}
	code := strings.TrimPrefix(input, "e-")
	do(t, anna, "type Niklas' address", chromedp.SendKeys(chromedp.CSS(`[id="`+input+`"]`), niklasEmail))
	submit(t, anna, "hand the voucher", chromedp.Submit(chromedp.CSS(`form[action$="/`+code+`/inhaber"] button[type="submit"]`)))
	wantText(anna, "after handing", "Der Gutschein ist zugeteilt", niklasName)
	navigate(t, anna, srv.url+"/freigaben", 200)
	wantText(anna, "approvals", niklasName, demo.KIOfferTitle)
	check(anna, "anna-freigaben")
	clickLink(anna, "approvals", "Genehmigen")
	wantText(anna, "the confirmation", "in Rechnung gestellt")
	check(anna, "anna-freigabe-bestaetigen")
	submit(t, anna, "approve", chromedp.Submit(chromedp.CSS(`main form[action$="/genehmigen"] button[type="submit"]`)))
	wantText(anna, "after approving", "Die Buchung ist genehmigt")
	navigate(t, anna, srv.url+"/foerderanfragen", 200)
	wantText(anna, "funding requests", niklasName, "Aufbauprogramm")
	check(anna, "anna-foerderanfragen")
	navigate(t, anna, fmt.Sprintf("%s/organisationen/%d/team", srv.url, srv.orgID(t, "Stadt Futurehausen")), 200)
	wantText(anna, "team", "Lilly Lotse", "Thomas Tüchtig", niklasName)
	check(anna, "anna-team")

	// Niklas books the base qualification with the code Anna handed him.
	navigate(t, niklas, srv.url+"/meine-gutscheine", 200)
	wantText(niklas, "Meine Gutscheine", code, "Mit diesem Gutschein buchen")
	check(niklas, "niklas-meine-gutscheine")
	clickLink(niklas, "Meine Gutscheine", "Mit diesem Gutschein buchen")
	check(niklas, "niklas-angebot")
	form := eval[string](t, niklas, `(() => { const i = [...document.querySelectorAll('main form input[name="voucher"]')].find(i => i.value === `+
		jsString(code)+`); return i ? i.form.getAttribute('action') : ''; })()`)
	if form == "" {
		t.Fatalf("the offer page does not fill in the code %s", code)
	}
	submit(t, niklas, "book with the code", chromedp.Submit(chromedp.CSS(`main form[action="`+form+`"] button[type="submit"]`)))
	wantText(niklas, "after booking", "Ihre Buchung ist eingegangen")
	check(niklas, "niklas-buchungen")
	var confirmed, approved bool
	for _, m := range storetest.Mails(t, srv.db) {
		if m.To != niklasEmail {
			continue
		}
		if strings.HasPrefix(m.Subject, "Ihre Anmeldung ist bestätigt") && m.Attachment != nil && strings.HasSuffix(m.Attachment.Name, ".ics") {
			confirmed = true
		}
		if strings.HasPrefix(m.Subject, "Ihre Buchung ist freigegeben: "+demo.KIOfferTitle) {
			approved = true
		}
	}
	if !confirmed || !approved {
		t.Errorf("Niklas' mails: confirmation with calendar file %v, approval %v", confirmed, approved)
	}

	// Lilly: her desk shows her certificate; she opens its verification page.
	lilly := browser(lillyEmail, "Lilly Lotse")
	wantText(lilly, "Lilly's desk", "Ihre Zertifikate", "Basisqualifizierung Kommunale Digitallotsen", "Kontingent")
	check(lilly, "lilly-schreibtisch")
	clickLink(lilly, "Lilly's desk", "Prüfseite")
	wantText(lilly, "verification", "Lilly Lotse")
	check(lilly, "lilly-pruefseite")
	for _, page := range []struct{ path, want string }{{"/konto", "API-Schlüssel"}, {"/impressum", "Impressum"},
		{"/datenschutz", "Datenschutz"}, {"/barrierefreiheit", "Barriere melden"}, {"/leichte-sprache", "Lotse"}} {
		navigate(t, lilly, srv.url+page.path, 200)
		wantText(lilly, page.path, page.want)
		check(lilly, "lilly"+strings.ReplaceAll(page.path, "/", "-"))
	}

	// Karl records the attendance of the workshop that ended yesterday.
	karl := browser("kurse@verwaltungsschule-bw.example", "Karl Kursleiter")
	wantText(karl, "Karl's desk", "Anwesenheit erfassen")
	check(karl, "karl-schreibtisch")
	href := eval[string](t, karl, `[...document.querySelectorAll('main li')].find(li => li.innerText.includes('Anwesenheit erfassen')).querySelector('a').href`)
	navigate(t, karl, href, 200)
	wantText(karl, "participants", "Kerstin Kleinbach")
	check(karl, "karl-teilnehmende")
	attend := eval[string](t, karl, `document.querySelector('main form[action^="/buchungen/"][action$="/anwesenheit"]').getAttribute('action')`)
	submit(t, karl, "record attendance", chromedp.Submit(chromedp.CSS(`main form[action="`+attend+`"] button[type="submit"]`)))
	wantText(karl, "after recording", "Die Anwesenheit ist gespeichert")

	// Petra answers Mittelfeld's question in the application's thread.
	petra := browser("pruefung@staedtetag-bw.example", "Petra Prüfer")
	wantText(petra, "Petra's desk", "Anträge zur Prüfung", "Stadt Mittelfeld")
	check(petra, "petra-schreibtisch")
	clickLink(petra, "Petra's desk", "Stadt Mittelfeld")
	wantText(petra, "the application", "Gespräch zum Antrag", "ab März")
	check(petra, "petra-antrag")
	answer := "Der Gutschein gilt ein Jahr ab der Genehmigung; eine Schulung im März ist also kein Problem."
	do(t, petra, "type the answer", chromedp.SendKeys(chromedp.CSS("#f-body"), answer))
	submit(t, petra, "send the answer", chromedp.Submit(chromedp.CSS(`main form[action$="/gespraech"] button[type="submit"]`)))
	wantText(petra, "after answering", "Ihre Nachricht steht im Gespräch zum Antrag", answer)
	check(petra, "petra-antwort")
	if id := regexp.MustCompile(`/antraege/\d+`).FindString(eval[string](t, petra, "location.pathname")); id == "" {
		t.Errorf("after answering Petra is not on the application's page")
	}
}
