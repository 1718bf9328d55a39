package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestFunderClonesAProgrammeInTheBrowser: in windows 1280 and 320 CSS
// pixels wide, Franz (the BW ministry's funder) opens the programmes,
// clones the BW programme, changes the copy's contingent rule to one
// person per 20,000 inhabitants (one to four) and exports it. Every page
// passes axe-core and fits the window; each is saved as a screenshot.
func TestFunderClonesAProgrammeInTheBrowser(t *testing.T) {
	atWidths(t, playProgrammes)
}

func playProgrammes(t *testing.T, axeJS string, width int) {
	srv, browser := storyServer(t, false, width, 4*time.Minute)
	check, wantText := pageChecks(t, axeJS, width)
	shot := check // at 320 px the reflow check saves the screenshot
	franz := browser("foerderung@im-bw.example", "Franz Förderer")
	navigate(t, franz, srv.url+"/programme", 200)
	wantText(franz, "the programmes", "Kommunale Digitallotsen", "Digitallotsen Hessen", "Neues Förderprogramm anlegen")
	shot(franz, "programme")
	followLink(t, franz, "open the BW programme", "Kommunale Digitallotsen")
	wantText(franz, "the BW programme", "Programm kopieren", "Exportieren (JSON)")
	followLink(t, franz, "clone it", "Programm kopieren")
	shot(franz, "kopieren")

	// A bad ID is refused next to its field, the name kept.
	do(t, franz, "fill in a bad ID",
		chromedp.SetValue(chromedp.CSS(`#f-id`), "Digitallotsen Süd!"),
		chromedp.SetValue(chromedp.CSS(`#f-name`), "Digitallotsen Süd"))
	submit(t, franz, "clone with a bad ID", chromedp.Click(chromedp.CSS(`main form[action$="/kopieren"] button[type="submit"]`)))
	wantText(franz, "the refused clone", "Die Kennung besteht aus 3 bis 64 Kleinbuchstaben")
	if v := eval[string](t, franz, `document.querySelector('#f-name').value`); v != "Digitallotsen Süd" {
		t.Errorf("the name was not kept: %q", v)
	}
	shot(franz, "kopieren-fehler")
	do(t, franz, "fill in the ID", chromedp.SetValue(chromedp.CSS(`#f-id`), "digitallotsen-sued"))
	submit(t, franz, "clone", chromedp.Click(chromedp.CSS(`main form[action$="/kopieren"] button[type="submit"]`)))
	wantText(franz, "the clone's settings", "Das Förderprogramm wurde kopiert", "Digitallotsen Süd: Einstellungen", "Kontingent")
	shot(franz, "bearbeiten")

	// The contingent becomes a per-capita rule: the first row for every
	// municipality, the other municipal bands off.
	for name, value := range map[string]string{"contingent.0.max_population": "", "contingent.0.people": "1",
		"contingent.0.per_inhabitants": "20000", "contingent.0.max_people": "4",
		"contingent.1.applicant_kind": "", "contingent.2.applicant_kind": ""} {
		if !eval[bool](t, franz, `(() => { const f = document.querySelector('main [name="`+name+`"]'); if (!f) return false; f.value = `+jsString(value)+`; return true; })()`) {
			t.Fatalf("the form has no field %s", name)
		}
	}
	submit(t, franz, "save the settings", chromedp.Click(chromedp.CSS(`main form[action$="/bearbeiten"] button[type="submit"]`)))
	wantText(franz, "the clone's page", "Die Einstellungen wurden gespeichert", "Digitallotsen Süd",
		"1 je 20.000 Einwohner (aufgerundet), mindestens 1, höchstens 4")
	shot(franz, "kopie")

	// The export is the versioned document with the new rule.
	doc := eval[string](t, franz, `fetch(document.querySelector('main a[href$="/export"]').href).then(r => r.text())`,
		chromedp.EvalAwaitPromise)
	for _, want := range []string{`"format": 1`, `"id": "digitallotsen-sued"`, `"per_inhabitants": 20000`, `"max_people": 4`, `"key": "im-bw"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("the export lacks %s:\n%s", want, abbrev(doc))
		}
	}

	// The Hessen programme's page shows its formula; the pages to create
	// and import a programme pass the same checks.
	navigate(t, franz, srv.url+"/programme/digitallotsen-he", 200)
	wantText(franz, "the Hessen programme", "Digitallotsen Hessen", "Für Kommunen in Hessen", "1 je 15.000 Einwohner (aufgerundet), mindestens 1, höchstens 5",
		"Vertragstext des Weitergabevertrags")
	shot(franz, "hessen")
	navigate(t, franz, srv.url+"/programme/neu", 200)
	wantText(franz, "the new programme form", "Neues Förderprogramm", "Kennung")
	shot(franz, "neu")
	navigate(t, franz, srv.url+"/programme/import", 200)
	wantText(franz, "the import page", "Förderprogramm importieren", "Export-Datei (JSON)")
	shot(franz, "import")
}
