package browsertest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/demo"
)

// TestMatchingStoryInTheBrowser plays the matching story in windows 1280
// and 320 CSS pixels wide: Niklas picks his topics, rates himself (a
// wrong entry comes back next to its field) and shares the result with
// Futurehausen; Anna reads the shared assessment. Every page passes
// axe-core and fits the window; each is saved as a screenshot.
func TestMatchingStoryInTheBrowser(t *testing.T) {
	atWidths(t, playMatching)
}

func playMatching(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 5*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)
	fh := strconv.FormatInt(srv.orgID(t, "Stadt Futurehausen"), 10)

	// Niklas starts from his desk, picks two topics and rates himself.
	niklas := browser(niklasEmail, niklasName)
	wantText(niklas, "the desk", "Ihre Entwicklung", "Selbsteinschätzung beginnen")
	navigate(t, niklas, srv.url+"/selbsteinschaetzung", 200)
	check(niklas, "niklas-selbsteinschaetzung-start")
	role := eval[string](t, niklas, `([...document.querySelectorAll('main label')].find(l => l.innerText.trim() === 'Digitallotse/Digitallotsin') || {}).htmlFor || ''`)
	if role == "" {
		t.Fatalf("the first step offers no pilot role:\n%s", abbrev(pageText(t, niklas)))
	}
	do(t, niklas, "start from the pilot role and pick project management and AI",
		chromedp.Click(chromedp.CSS(`label[for="`+role+`"]`)),
		chromedp.Click(chromedp.CSS(`label[for="a-PM"]`)), chromedp.Click(chromedp.CSS(`label[for="a-KI"]`)))
	submit(t, niklas, "go to the form", chromedp.Click(chromedp.CSS(`main form[action="/selbsteinschaetzung/bearbeiten"] button[type="submit"]`)))
	wantText(niklas, "the form", "Ziele aus der Rolle „Digitallotse/Digitallotsin“", "Klassisches Projektmanagement", "KI-Grundlagen", "Die Stufen")
	if v := eval[string](t, niklas, `document.getElementById('f-target_EGOV.1').value`); v != "2" {
		t.Fatalf("the role did not prefill the target of EGOV.1: %q", v)
	}
	check(niklas, "niklas-selbsteinschaetzung-formular")
	do(t, niklas, "rate",
		chromedp.SetValue(chromedp.CSS(`#f-level_PM\.1`), "1"), chromedp.SetValue(chromedp.CSS(`#f-target_PM\.1`), "2"),
		chromedp.SetValue(chromedp.CSS(`#f-level_KI\.1`), "0"), chromedp.SetValue(chromedp.CSS(`#f-target_KI\.1`), "2"),
		chromedp.SetValue(chromedp.CSS(`#f-level_KI\.2`), "0"), chromedp.SetValue(chromedp.CSS(`#f-target_KI\.2`), "1"),
		chromedp.Click(chromedp.CSS(`label[for="region-nearby"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-max_distance_km`), "fünfzig"))
	submit(t, niklas, "save with a wrong distance", chromedp.Click(chromedp.CSS(`main form[action="/selbsteinschaetzung/bearbeiten"] button[type="submit"]`)))
	if msg := eval[string](t, niklas, `(document.getElementById('f-max_distance_km-error') || {}).innerText || ''`); msg != "Bitte geben Sie die Entfernung als ganze Zahl in Kilometern an." {
		t.Fatalf("message next to the distance: %q", msg)
	}
	if v := eval[string](t, niklas, `document.getElementById('f-target_PM.1').value`); v != "2" {
		t.Fatalf("the refused form lost the target: %q", v)
	}
	check(niklas, "niklas-selbsteinschaetzung-fehler")
	do(t, niklas, "fix the distance", chromedp.SetValue(chromedp.CSS(`#f-max_distance_km`), "50"))
	submit(t, niklas, "save", chromedp.Click(chromedp.CSS(`main form[action="/selbsteinschaetzung/bearbeiten"] button[type="submit"]`)))
	wantText(niklas, "the overview", "Ihre Selbsteinschätzung ist gespeichert.",
		"Klassisches Projektmanagement: heute Stufe 1 (Grundlagen), Ziel Stufe 2 (Anwendung)", "Nicht geteilt mit Stadt Futurehausen.")
	check(niklas, "niklas-selbsteinschaetzung")
	submit(t, niklas, "share", chromedp.Click(chromedp.CSS(`main form[action="/selbsteinschaetzung/teilen"] button[type="submit"]`)))
	wantText(niklas, "shared", "Das Personalamt Ihrer Kommune sieht sie jetzt.", "Geteilt mit Stadt Futurehausen.")

	// Anna reads what Niklas shared.
	anna := browser("anna@futurehausen.example", "Anna Albrecht")
	navigate(t, anna, srv.url+"/organisationen/"+fh+"/selbsteinschaetzungen", 200)
	wantText(anna, "shared assessments", niklasName, "Klassisches Projektmanagement: Stufe 1 → Ziel 2", "Jana Jäger")
	check(anna, "anna-geteilte-selbsteinschaetzungen")

	// She hands him the free voucher of the base qualification and adds
	// him to the pilot role; the team's gaps now count five pilots.
	navigate(t, anna, srv.url+"/organisationen/"+fh+"/gutscheine", 200)
	input := eval[string](t, anna, `(document.querySelector('main form[action$="/inhaber"] input[name="email"]') || {}).id || ''`)
	if input == "" {
		t.Fatalf("no form to hand the free voucher:\n%s", abbrev(pageText(t, anna)))
	}
	code := strings.TrimPrefix(input, "e-")
	do(t, anna, "type Niklas' address", chromedp.SendKeys(chromedp.CSS(`[id="`+input+`"]`), niklasEmail))
	submit(t, anna, "hand the voucher", chromedp.Submit(chromedp.CSS(`form[action$="/`+code+`/inhaber"] button[type="submit"]`)))
	wantText(anna, "after handing", "Der Gutschein ist zugeteilt")
	navigate(t, anna, srv.url+"/team/rollen?organisation="+fh, 200)
	followLink(t, anna, "roles", "Digitallotse/Digitallotsin")
	wantText(anna, "the pilot role", "Personen in dieser Rolle", niklasName)
	box := eval[string](t, anna, `[...document.querySelectorAll('main label')].find(l => l.innerText.includes(`+jsString(niklasName)+`)).htmlFor`)
	do(t, anna, "tick Niklas", chromedp.Click(chromedp.CSS(`label[for="`+box+`"]`)))
	submit(t, anna, "save the assignment", chromedp.Click(chromedp.CSS(`main form[action*="/personen"] button[type="submit"]`)))
	navigate(t, anna, srv.url+"/team/luecken?organisation="+fh, 200)
	wantText(anna, "team gaps", "Lücken im Team", "5 Personen zugeordnet: 5 mit geteilter Selbsteinschätzung", niklasName, "nach Förderung")
	check(anna, "anna-teamluecken")

	// Niklas follows the Digitallotse path; his recommendations put the
	// base qualification first, paid by his voucher, and say why.
	navigate(t, niklas, srv.url+"/lernpfade", 200)
	submit(t, niklas, "follow the path", chromedp.Click(chromedp.CSS(`main form[action$="/folgen"] button[type="submit"]`)))
	wantText(niklas, "the path", "Sie folgen dem Lernpfad.", "0 % abgeschlossen", "Basisqualifizierung (3 Tage)")
	navigate(t, niklas, srv.url+"/empfehlungen", 200)
	wantText(niklas, "recommendations", "Für Sie empfohlen", "Warum dieses Angebot?", "Mit Ihrem Gutschein bezahlt", "Lernpfad")
	check(niklas, "niklas-empfehlungen")
	paid := eval[string](t, niklas, `[...document.querySelectorAll('main section.kern-card')].map(s => s.innerText).find(t => t.includes('Mit Ihrem Gutschein bezahlt')) || ''`)
	if !strings.Contains(paid, "Basisqualifizierung") || !strings.Contains(paid, "Lernpfad") {
		t.Fatalf("the recommendation paid by the voucher is not the base qualification of the path:\n%s", paid)
	}
	// He books it with the voucher, from the recommendation.
	followLink(t, niklas, "recommendations", "Mit Ihrem Gutschein buchen")
	form := eval[string](t, niklas, `(() => { const i = [...document.querySelectorAll('main form input[name="voucher"]')].find(i => i.value === `+
		jsString(code)+`); return i ? i.form.getAttribute('action') : ''; })()`)
	if form == "" {
		t.Fatalf("the offer page does not fill in the code %s", code)
	}
	submit(t, niklas, "book with the code", chromedp.Submit(chromedp.CSS(`main form[action="`+form+`"] button[type="submit"]`)))
	wantText(niklas, "after booking", "Ihre Buchung ist eingegangen")
	navigate(t, niklas, srv.url+"/lernpfade/1", 200)
	wantText(niklas, "the path after booking", "gebucht")
	check(niklas, "niklas-lernpfad-gebucht")
	navigate(t, niklas, srv.url+"/", 200)
	wantText(niklas, "the desk", "Ihre Lernpfade", "Kommunale/r Digitallotse/in: 0 % geschafft")

	// Vera, of the VWA, sees the demand in the district: the shared gaps in
	// artificial intelligence of at least five people.
	vera := browser("kurse@vwa-bw.example", "Vera Weiterbildung")
	navigate(t, vera, srv.url+"/anbieter/nachfrage?kreis="+demo.FuturehausenAGS[:5], 200)
	wantText(vera, "demand", "Nachfrage in Ihrer Region", "Künstliche Intelligenz")
	check(vera, "vera-nachfrage")
}
