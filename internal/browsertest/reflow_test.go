package browsertest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	platform "github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// reflowWidth is the narrowest width WCAG 1.4.10 (Reflow) asks a page to
// fit without horizontal scrolling: 320 CSS pixels.
const reflowWidth = 320

// narrow makes the tab 320 CSS pixels wide, as a phone held upright. (Not
// as a mobile device: a mobile viewport widens itself to fit what sticks
// out, and the check would measure the widened page.)
func narrow(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "emulate a 320 px wide screen", chromedp.EmulateViewport(reflowWidth, 640, chromedp.EmulatePortrait))
}

// checkReflow asserts that the page in the tab fits into 320 CSS pixels
// without horizontal scrolling (WCAG 1.4.10) and takes a screenshot of it
// into the artifacts folder. It names the elements that stick out, so a
// failure says where to look.
func checkReflow(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if w := eval[int](t, ctx, "window.innerWidth"); w != reflowWidth {
		t.Fatalf("%s: the window is %d px wide, want %d (call narrow first)", name, w, reflowWidth)
	}
	screenshot(t, ctx, "320-"+name)
	sw := eval[int](t, ctx, "document.documentElement.scrollWidth")
	if sw <= reflowWidth {
		return
	}
	wide := eval[[]string](t, ctx, `[...document.querySelectorAll('body *')].filter(e => {
		const r = e.getBoundingClientRect(); return r.width > 0 && r.right > `+fmt.Sprint(reflowWidth)+` + 1;
	}).filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > `+fmt.Sprint(reflowWidth)+` + 1))
	  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
		' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px): ' + (e.innerText || '').trim().slice(0, 60))`)
	path := eval[string](t, ctx, "location.pathname + location.search")
	t.Errorf("%s (%s): the page is %d px wide at a width of %d px; it scrolls sideways. Sticking out:\n\t%s",
		name, path, sw, reflowWidth, strings.Join(wide, "\n\t"))
}

// reflowStory prepares what the pages of the story show: an approved
// application with its contract in the mailbox, a submitted one for the
// reviewer, a draft, a completed booking with a certificate and an open
// booking.
type reflowStory struct {
	draft, submitted, approved int64
	offer, session             int64
	other                      int64 // another published offer
	certificate                string
	message                    int64
	org                        int64
	lilly                      int64 // a member of org
}

func prepareReflowStory(t *testing.T, srv *server) reflowStory {
	t.Helper()
	db := srv.db
	svc := platform.New(db, srv.url, nil)
	lctx := actorCtx(t, db, lillyEmail)
	org, err := db.OrganisationByAGS(lctx, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := db.Programme(lctx, programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	provider := prog.ProviderIDs[0]
	newApp := func(declare bool) *domain.Application {
		progID, track, people := programmes.BWID, domain.TrackBasis, 1
		a, err := svc.Funding.CreateApplication(lctx, org.ID, domain.ApplicationInput{ProgrammeID: &progID, Track: &track,
			ProviderID: &provider, People: &people, Declarations: &declare})
		if err != nil {
			t.Fatalf("create application: %v", err)
		}
		return a
	}
	st := reflowStory{org: org.ID}
	if lilly, err := db.PersonByEmail(lctx, lillyEmail); err == nil {
		st.lilly = lilly.ID
	} else {
		t.Fatal(err)
	}
	approved := newApp(true)
	if _, err := svc.Funding.SubmitApplication(lctx, approved.ID); err != nil {
		t.Fatalf("submit: %v", err)
	}
	approved, err = svc.Funding.ApproveApplication(actorCtx(t, db, reviewerEmail), approved.ID)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	st.approved = approved.ID
	submitted := newApp(true)
	if _, err := svc.Funding.SubmitApplication(lctx, submitted.ID); err != nil {
		t.Fatalf("submit: %v", err)
	}
	st.submitted = submitted.ID
	st.draft = newApp(false).ID

	offers, _, err := db.Offers(lctx, store.OfferFilter{ProviderID: provider, Status: "published", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	others, _, err := db.Offers(lctx, store.OfferFilter{Status: "published", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	offers = append(offers, others...)
	now := db.Now()
	// open[0]: a basis offer of the provider, bookable with the voucher;
	// open[1]: any other offer with an open session, booked privately.
	open := make([]domain.Offer, 2)
	for _, o := range offers {
		if len(o.Sessions) == 0 || !o.Sessions[0].RegistrationDeadline.After(now) || o.Sessions[0].Free <= 0 {
			continue
		}
		if open[0].ID == 0 && o.ProviderID == provider && slices.Contains(o.FundingTracks, "digitallotsen-bw/basis") {
			open[0] = o
		} else if open[1].ID == 0 && o.ID != open[0].ID && open[0].ID != 0 {
			open[1] = o
		}
	}
	if open[0].ID == 0 || open[1].ID == 0 {
		t.Fatalf("want a published basis offer of provider %d and another offer with an open session among %d offers", provider, len(offers))
	}
	st.offer, st.session, st.other = open[0].ID, open[0].Sessions[0].ID, open[1].ID
	nctx := actorCtx(t, db, niklasEmail)
	if _, err := svc.Funding.HandVoucher(actorCtx(t, db, "anna@futurehausen.example"), approved.Vouchers[0].Code,
		domain.HandingInput{Email: niklasEmail}); err != nil {
		t.Fatalf("hand the voucher: %v", err)
	}
	done, err := svc.Booking.Book(nctx, booking.Request{SessionID: open[0].Sessions[0].ID, Payment: domain.PayVoucher, Voucher: approved.Vouchers[0].Code})
	if err != nil {
		t.Fatalf("book with the voucher: %v", err)
	}
	if _, err := svc.Booking.Book(nctx, booking.Request{SessionID: open[1].Sessions[0].ID, Payment: domain.PayPrivate}); err != nil {
		t.Fatalf("book privately: %v", err)
	}
	realNow := db.Now
	db.Now = func() time.Time { return realNow().Add(400 * 24 * time.Hour) }
	_, err = svc.Booking.RecordAttendance(actorCtx(t, db, providerEmail), done.ID, nil, "present")
	db.Now = realNow
	if err != nil {
		t.Fatalf("record attendance: %v", err)
	}
	mine, err := svc.Booking.Mine(nctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range mine {
		if b.ID == done.ID {
			st.certificate = b.CertificateID
		}
	}
	if st.certificate == "" {
		t.Fatal("the completed booking has no certificate")
	}
	return st
}

// TestPagesReflowAt320 visits every page of the story, as a visitor and in
// each role, in a window 320 CSS pixels wide: no page may scroll sideways
// (WCAG 1.4.10), and each passes axe-core. The screenshots land in the
// artifacts folder as <test>-320-<page>.png.
func TestPagesReflowAt320(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	st := prepareReflowStory(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)

	visit := func(t *testing.T, b context.Context, name, path string) {
		t.Helper()
		navigate(t, b, srv.url+path, 200)
		checkReflow(t, b, name)
		axeCheck(t, b, string(axeJS), name)
	}
	type page struct{ name, path string }
	roles := []struct {
		who, email, name string
		pages            []page
	}{
		{who: "besuch", pages: []page{
			{"start", "/"}, {"anmelden", "/anmelden"}, {"passwort-vergessen", "/passwort-vergessen"},
			{"katalog", "/angebote"}, {"katalog-suche", "/angebote?q=Datenschutz"},
			{"angebot", fmt.Sprintf("/angebote/%d", st.offer)}, {"vergleich", "/vergleich"},
			{"kommunen", "/kommunen?q=futur"}, {"kommune", "/kommunen/" + demo.FuturehausenAGS},
			{"programm", "/programme/" + programmes.BWID}, {"pruefseite", "/verify/" + st.certificate},
		}},
		{who: "lilly", email: lillyEmail, name: lillyName, pages: []page{
			{"antraege", "/antraege"}, {"antrag-neu", fmt.Sprintf("/antraege/neu?organisation=%d", st.org)},
			{"antrag-schritt-1", fmt.Sprintf("/antraege/%d/bearbeiten?schritt=1", st.draft)},
			{"antrag-schritt-2", fmt.Sprintf("/antraege/%d/bearbeiten?schritt=2", st.draft)},
			{"antrag-schritt-3", fmt.Sprintf("/antraege/%d/bearbeiten?schritt=3", st.draft)},
			{"antrag-schritt-4", fmt.Sprintf("/antraege/%d/bearbeiten?schritt=4", st.draft)},
			{"antrag-genehmigt", fmt.Sprintf("/antraege/%d", st.approved)},
			{"postfach", "/postfach"}, {"angebot-angemeldet", fmt.Sprintf("/angebote/%d", st.offer)},
		}},
		{who: "niklas", email: niklasEmail, name: niklasName, pages: []page{
			// community: events, the members' space, the pilots' directory
			{"veranstaltungen", "/veranstaltungen"}, {"austausch", "/austausch"}, {"lotsen", "/lotsen"}, {"lotsen-eintrag", "/lotsen/mein-eintrag"},
			{"projektsteckbriefe", "/lotsen/projekte"},
			{"buchungen", "/buchungen"}, // last: the cancel dialog below opens on it
		}},
		{who: "petra", email: reviewerEmail, name: reviewerName, pages: []page{
			{"antrag-pruefen", fmt.Sprintf("/antraege/%d", st.submitted)}, {"antraege-pruefstelle", "/antraege"},
			{"veranstaltung-neu", "/veranstaltungen/neu"}, {"austausch-verband", "/austausch"},
		}},
		{who: "karl", email: providerEmail, name: providerName, pages: []page{
			{"anbieter", "/anbieter"}, {"angebot-neu", "/anbieter/angebote/neu"},
			{"angebot-bearbeiten", fmt.Sprintf("/angebote/%d/bearbeiten", st.offer)},
			{"teilnehmende", fmt.Sprintf("/anbieter/termine/%d", st.session)},
			{"gutschein", "/gutscheine"}, {"import", "/anbieter/import"},
		}},
		{who: "thomas", email: thomasEmail, name: thomasName, pages: []page{
			{"organisation", fmt.Sprintf("/organisationen/%d", st.org)}, {"konto", "/konto"},
			{"mitglied", fmt.Sprintf("/organisationen/%d/mitglieder/%d", st.org, st.lilly)},
		}},
		{who: "admin", email: adminEmail, name: adminName, pages: []page{
			{"admin", "/admin"}, {"admin-pruefung", "/admin/angebote"}, {"admin-postausgang", "/admin/postausgang"},
			{"admin-protokoll", "/admin/protokoll"}, {"admin-gemeindeverzeichnis", "/admin/gemeindeverzeichnis"},
			{"admin-suchbegriffe", "/admin/suchbegriffe?probe=GemO"}, // search thesaurus
		}},
	}
	for _, r := range roles {
		t.Run(r.who, func(t *testing.T) {
			b := newBrowser(t, ctx)
			narrow(t, b)
			if r.email != "" {
				login(t, b, srv.url, r.email, r.name)
			}
			for _, p := range r.pages {
				visit(t, b, p.name, p.path)
			}
			switch r.who {
			case "besuch":
				// A link to confirm an e-mail address that is no longer valid.
				if _, err := chromedp.Run(b, chromedp.NavigateResponse(srv.url+"/email-bestaetigen?token=abgelaufen")); err != nil {
					t.Fatal(err)
				}
				checkReflow(t, b, "email-bestaetigen")
				axeCheck(t, b, string(axeJS), "email-bestaetigen")
				// Two offers side by side in the comparison.
				for _, id := range []int64{st.offer, st.other} {
					navigate(t, b, srv.url+fmt.Sprintf("/angebote/%d", id), 200)
					clickButton(t, b, "Zum Vergleich hinzufügen")
				}
				navigate(t, b, srv.url+"/vergleich", 200)
				if n := eval[int](t, b, `document.querySelectorAll('table.compare thead th').length`); n != 3 {
					t.Errorf("the comparison has %d header cells, want 3 (Merkmal and two offers)", n)
				}
				checkReflow(t, b, "vergleich-zwei")
				axeCheck(t, b, string(axeJS), "vergleich-zwei")
			case "lilly":
				// The message with the contract, opened from the mailbox.
				navigate(t, b, srv.url+"/postfach", 200)
				submit(t, b, "open the message", chromedp.Click(`//table//a[starts-with(normalize-space(), "Weitergabevertrag")]`))
				checkReflow(t, b, "nachricht")
				axeCheck(t, b, string(axeJS), "nachricht")

				// Step 2 with more people than the contingent has left: the
				// error summary has the focus and the number stays.
				navigate(t, b, srv.url+fmt.Sprintf("/antraege/%d/bearbeiten?schritt=2", st.draft), 200)
				do(t, b, "type 9 people", chromedp.SetValue(chromedp.CSS("#f-people"), "9"))
				if res := submit(t, b, "click Speichern und weiter", chromedp.Click(`//main//button[normalize-space()="Speichern und weiter"]`)); res.Status != 422 {
					t.Errorf("9 people in step 2: status %d, want 422", res.Status)
				}
				waitFor(t, b, "the error summary has the focus", `document.activeElement && document.activeElement.classList.contains('error-summary')`)
				if v := eval[string](t, b, `document.getElementById('f-people').value`); v != "9" {
					t.Errorf("after the error the number of people is %q, want 9", v)
				}
				if txt := pageText(t, b); !strings.Contains(txt, "Im Kontingent ist nur noch 1 Platz frei.") {
					t.Errorf("step 2 does not say what remains of the contingent:\n%s", abbrev(txt))
				}
				checkReflow(t, b, "antrag-schritt-2-fehler")
				axeCheck(t, b, string(axeJS), "antrag-schritt-2-fehler")
				// Enter in the field submits "Speichern und weiter", not "Zurück".
				do(t, b, "type 1 person", chromedp.SetValue(chromedp.CSS("#f-people"), ""), chromedp.SendKeys(chromedp.CSS("#f-people"), "1"))
				submit(t, b, "press Enter in the field", chromedp.SendKeys(chromedp.CSS("#f-people"), kb.Enter))
				if q := eval[string](t, b, "location.search"); q != "?schritt=3" {
					t.Errorf("Enter in step 2 led to %s, want ?schritt=3", q)
				}
			case "petra":
				navigate(t, b, srv.url+fmt.Sprintf("/antraege/%d", st.submitted), 200)
				do(t, b, "open Genehmigen", chromedp.Click(`//main//summary[normalize-space()="Genehmigen …"]`))
				if txt := pageText(t, b); !strings.Contains(txt, "1 Gutscheincode für die Basisqualifizierung") {
					t.Errorf("the open confirmation does not say what the approval issues:\n%s", abbrev(txt))
				}
				checkReflow(t, b, "genehmigen-offen")
			case "niklas":
				do(t, b, "open Stornieren", chromedp.Click(`//main//summary[starts-with(normalize-space(), "Stornieren …")]`))
				if txt := pageText(t, b); !strings.Contains(txt, "Verbindlich stornieren") || !strings.Contains(txt, "Ihr Platz wird frei") {
					t.Errorf("the open confirmation does not say what the cancellation does:\n%s", abbrev(txt))
				}
				checkReflow(t, b, "stornieren-offen")
			}
		})
	}
}
