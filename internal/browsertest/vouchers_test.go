package browsertest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// TestAnnaHandsAVoucherToNiklas: HR hands a voucher on "Gutscheine der
// Kommune" (a wrong address is refused next to the field, the input kept),
// Niklas finds it on "Meine Gutscheine" and asks for more funding; HR sees
// the request. Every page is checked with axe-core.
func TestAnnaHandsAVoucherToNiklas(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	db := srv.db
	lctx := actorCtx(t, db, lillyEmail)
	fund := funding.New(db, notify.MustNew(srv.url))
	org, err := db.OrganisationByAGS(lctx, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := db.Programme(lctx, programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	progID, track, people, yes := programmes.BWID, domain.TrackBasis, 1, true
	app, err := fund.CreateApplication(lctx, org.ID, domain.ApplicationInput{ProgrammeID: &progID, Track: &track,
		ProviderID: &prog.ProviderIDs[0], People: &people, Declarations: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fund.SubmitApplication(lctx, app.ID); err != nil {
		t.Fatal(err)
	}
	app, err = fund.WithRenderer(func(*domain.ApprovalData) ([]domain.GeneratedFile, error) { return nil, nil }).
		ApproveApplication(actorCtx(t, db, reviewerEmail), app.ID)
	if err != nil || len(app.Vouchers) != 1 {
		t.Fatalf("approve: %v", err)
	}
	code := app.Vouchers[0].Code

	ctx := testContext(t)
	anna := newBrowser(t, ctx)
	login(t, anna, srv.url, "anna@futurehausen.example", "Anna Albrecht")
	navigate(t, anna, fmt.Sprintf("%s/organisationen/%d/gutscheine", srv.url, org.ID), 200)
	axeCheck(t, anna, string(axeJS), "gutscheine-der-kommune")
	do(t, anna, "type a wrong address", chromedp.SendKeys(chromedp.CSS("#e-"+code), "niklas@"))
	submit(t, anna, "submit the handing", chromedp.Click(chromedp.CSS(`form[action$="/`+code+`/inhaber"] button[type="submit"]`)))
	if txt := pageText(t, anna); !strings.Contains(txt, "Bitte geben Sie eine gültige E-Mail-Adresse an") {
		t.Fatalf("no German error next to the field:\n%s", abbrev(txt))
	}
	if v := eval[string](t, anna, `document.querySelector('#e-`+code+`').value`); v != "niklas@" {
		t.Errorf("the input was not kept: %q", v)
	}
	axeCheck(t, anna, string(axeJS), "gutscheine-fehler")
	do(t, anna, "correct the address", chromedp.SetValue(chromedp.CSS("#e-"+code), niklasEmail))
	submit(t, anna, "submit the handing", chromedp.Click(chromedp.CSS(`form[action$="/`+code+`/inhaber"] button[type="submit"]`)))
	if txt := pageText(t, anna); !strings.Contains(txt, "Der Gutschein ist zugeteilt") || !strings.Contains(txt, niklasName) {
		t.Fatalf("after handing:\n%s", abbrev(txt))
	}

	niklas := newBrowser(t, ctx)
	login(t, niklas, srv.url, niklasEmail, niklasName)
	submit(t, niklas, "open Meine Gutscheine", chromedp.Click(`//nav[@aria-label="Hauptnavigation"]//a[normalize-space()="Meine Gutscheine"]`))
	if txt := pageText(t, niklas); !strings.Contains(txt, code) || !strings.Contains(txt, "Mit diesem Gutschein buchen") {
		t.Fatalf("Meine Gutscheine:\n%s", abbrev(txt))
	}
	axeCheck(t, niklas, string(axeJS), "meine-gutscheine")
	submit(t, niklas, "open Förderung anfragen", chromedp.Click(`//main//a[normalize-space()="Förderung anfragen"]`))
	axeCheck(t, niklas, string(axeJS), "foerderung-anfragen")
	do(t, niklas, "give a reason", chromedp.SendKeys(chromedp.CSS("#f-reason"), "Ich möchte das Aufbauprogramm besuchen."))
	submit(t, niklas, "send the request", chromedp.Click(chromedp.CSS(`form[action="/foerderung-anfragen"] button[type="submit"]`)))
	if txt := pageText(t, niklas); !strings.Contains(txt, "Ihre Anfrage ist verschickt") {
		t.Fatalf("after the request:\n%s", abbrev(txt))
	}

	submit(t, anna, "open Förderanfragen", chromedp.Click(`//nav[@aria-label="Hauptnavigation"]//a[normalize-space()="Förderanfragen"]`))
	if txt := pageText(t, anna); !strings.Contains(txt, "Ich möchte das Aufbauprogramm besuchen.") {
		t.Fatalf("Förderanfragen:\n%s", abbrev(txt))
	}
	axeCheck(t, anna, string(axeJS), "foerderanfragen")
}
