package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMoneyLoopInTheBrowser closes the money loop in windows 1280 and 320
// CSS pixels wide: Karl claims the story's redeemed vouchers and submits
// the claim, Franz checks it, Helga releases it, and Franz reads the
// budget and the report with its charts and map. Every page passes
// axe-core and fits the window; each is saved as a screenshot.
func TestMoneyLoopInTheBrowser(t *testing.T) {
	atWidths(t, playMoney)
}

func playMoney(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, true, width, 5*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)
	post := func(b context.Context, what, action string) {
		t.Helper()
		submit(t, b, what, chromedp.Submit(chromedp.CSS(`main form[method="post"][action$="`+action+`"] button[type="submit"]`)))
	}

	// Karl collects the redeemed vouchers into a claim and submits it.
	karl := browser("kurse@verwaltungsschule-bw.example", "Karl Kursleiter")
	navigate(t, karl, srv.url+"/abrechnungen/neu", 200)
	wantText(karl, "new claim", "600,00 €")
	check(karl, "karl-neue-abrechnung")
	post(karl, "create the claim", "/abrechnungen/neu")
	wantText(karl, "the draft", "Entwurf", "AB-")
	check(karl, "karl-abrechnung-entwurf")
	claimURL := eval[string](t, karl, "location.pathname")
	post(karl, "submit the claim", "/einreichen")
	wantText(karl, "after submitting", "Eingereicht")

	// Franz checks it; he cannot release it himself.
	franz := browser("foerderung@im-bw.example", "Franz Förderer")
	navigate(t, franz, srv.url+"/abrechnungen", 200)
	wantText(franz, "the funder's claims", "Verwaltungsschule")
	check(franz, "franz-abrechnungen")
	navigate(t, franz, srv.url+claimURL, 200)
	check(franz, "franz-abrechnung-pruefen")
	post(franz, "check the claim", "/pruefen")
	wantText(franz, "after the check", "Sachlich geprüft")

	// Helga releases it: the vouchers are settled.
	helga := browser("haushalt@im-bw.example", "Helga Haushalt")
	navigate(t, helga, srv.url+claimURL, 200)
	check(helga, "helga-abrechnung-freigeben")
	post(helga, "release the claim", "/freigeben")
	wantText(helga, "after the release", "Die Abrechnung ist freigegeben", "von Helga Haushalt")
	check(helga, "helga-abrechnung-freigegeben")

	// Franz reads the budget and the report.
	navigate(t, franz, srv.url+"/programme/digitallotsen-bw/budget", 200)
	wantText(franz, "budget", "600,00 €")
	check(franz, "franz-budget")
	navigate(t, franz, srv.url+"/programme/digitallotsen-bw/auswertung", 200)
	wantText(franz, "report", "GeoBasis-DE / BKG")
	if n := eval[int](t, franz, `document.querySelectorAll('main svg').length`); n < 5 {
		t.Errorf("report: %d SVG charts and maps, want at least 5", n)
	}
	if n := eval[int](t, franz, `document.querySelectorAll('main a[href="#nach-der-karte"]').length`); n != 1 {
		t.Errorf("report: %d links to skip the map, want 1", n)
	}
	check(franz, "franz-auswertung")
}
