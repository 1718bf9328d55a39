package browsertest

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	platform "github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

const (
	niklasEmail = "niklas@futurehausen.example"
	niklasName  = "Niklas Neumann"
)

var calendarHrefRE = regexp.MustCompile(`/buchungen/(\d+)/kalender\.ics$`)

// actorCtx returns a context acting as the person with the e-mail address.
func actorCtx(t *testing.T, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatalf("person %s: %v", email, err)
	}
	token, _, err := db.CreateSession(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := db.SessionActor(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, a)
}

// TestBookingWithACodeAndVerification: Niklas books a basis session with a
// voucher code typed as a person would, the provider records his attendance,
// and Niklas opens the verification page of his certificate.
func TestBookingWithACodeAndVerification(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	db := srv.db

	// --- Vouchers through the store: apply, submit, approve. --------------
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
	provider := prog.ProviderIDs[0]
	progID, track, people, yes := programmes.BWID, domain.TrackBasis, 1, true
	app, err := fund.CreateApplication(lctx, org.ID, domain.ApplicationInput{ProgrammeID: &progID, Track: &track,
		ProviderID: &provider, People: &people, Declarations: &yes})
	if err != nil {
		t.Fatalf("create application: %v", err)
	}
	if _, err := fund.SubmitApplication(lctx, app.ID); err != nil {
		t.Fatalf("submit application: %v", err)
	}
	app, err = fund.WithRenderer(func(*domain.ApprovalData) ([]domain.GeneratedFile, error) { return nil, nil }).
		ApproveApplication(actorCtx(t, db, reviewerEmail), app.ID)
	if err != nil {
		t.Fatalf("approve application: %v", err)
	}
	if len(app.Vouchers) != 1 {
		t.Fatalf("approval issued %d vouchers, want 1", len(app.Vouchers))
	}
	code := app.Vouchers[0].Code
	// Anna (HR) hands the voucher to Niklas: only its holder books with it.
	if _, err := fund.HandVoucher(actorCtx(t, db, "anna@futurehausen.example"), code, domain.HandingInput{Email: niklasEmail}); err != nil {
		t.Fatalf("hand the voucher to Niklas: %v", err)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))

	// --- A basis offer of the provider whose first session is open. -------
	offers, _, err := db.Offers(lctx, store.OfferFilter{ProviderID: provider, Status: "published", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	var offer *domain.Offer
	for i, o := range offers {
		if slices.Contains(o.FundingTracks, "digitallotsen-bw/basis") && len(o.Sessions) > 0 &&
			o.Sessions[0].RegistrationDeadline.After(now) && o.Sessions[0].Free > 0 {
			offer = &offers[i]
			break
		}
	}
	if offer == nil {
		t.Fatalf("no published basis offer of provider %d with an open first session among %d offers", provider, len(offers))
	}
	session := offer.Sessions[0].ID
	sid := strconv.FormatInt(session, 10)

	// --- Niklas books with the code. --------------------------------------
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	niklas := newBrowser(t, ctx)
	login(t, niklas, srv.url, niklasEmail, niklasName)
	navigate(t, niklas, srv.url+"/angebote/"+strconv.FormatInt(offer.ID, 10), 200)
	form := `form[action="/termine/` + sid + `/buchen"]`
	if !eval[bool](t, niklas, `(() => { const t = [...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent.trim() === 'Termine');
		return !!t && !!t.tBodies[0].rows[0].querySelector(`+jsString(form)+`); })()`) {
		t.Fatalf("the first row of the Termine table has no booking form for session %s:\n%s", sid, abbrev(pageText(t, niklas)))
	}
	payment := eval[string](t, niklas, `(() => { const o = [...document.querySelectorAll('#pay-`+sid+` option')].find(o => o.text.trim() === 'Gutschein');
		return o ? o.value : ''; })()`)
	if payment == "" {
		t.Fatal("the payment select has no option Gutschein")
	}
	do(t, niklas, "choose Gutschein and type the code",
		chromedp.SetValue(chromedp.CSS("#pay-"+sid), payment),
		chromedp.SendKeys(chromedp.CSS("#v-"+sid), typed),
	)
	buchen := `//form[@action="/termine/` + sid + `/buchen"]//button[starts-with(normalize-space(), "Buchen")]`
	do(t, niklas, "scroll to Buchen", chromedp.ScrollIntoView(buchen))
	// KERN sets html{scroll-behavior:smooth}: wait until the scroll has
	// settled, or the click lands where the button was.
	waitFor(t, niklas, "Buchen scrolled into view", `(() => {
		const b = document.evaluate(`+jsString(buchen)+`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		const r = b.getBoundingClientRect(), y = window.scrollY, same = window.__lastScrollY === y;
		window.__lastScrollY = y;
		return same && r.top >= 0 && r.bottom <= window.innerHeight;
	})()`)
	submit(t, niklas, "click Buchen", chromedp.Click(buchen))
	wantPath(t, niklas, "/buchungen")
	wantNotice(t, niklas, "Ihre Buchung ist eingegangen.")
	rows := tableRows(t, niklas, "Ihre Buchungen")
	var status string
	for _, r := range rows {
		if len(r) > 3 && strings.HasPrefix(r[0], offer.Title) {
			status = r[3]
		}
	}
	if !strings.Contains(status, "bestätigt") || !strings.Contains(status, code) {
		t.Errorf("the booking's status cell is %q, want bestätigt and %s; rows %q", status, code, rows)
	}
	screenshot(t, niklas, "1-buchungen")

	// --- The provider sees Niklas among the session's participants. -------
	karl := newBrowser(t, ctx)
	login(t, karl, srv.url, providerEmail, providerName)
	navigate(t, karl, srv.url+"/anbieter/termine/"+sid, 200)
	found := false
	for _, r := range tableRows(t, karl, "Teilnehmende und Anwesenheit") {
		if len(r) > 0 && strings.Contains(r[0], niklasName) {
			found = true
		}
	}
	if !found {
		t.Errorf("the participants table does not list %s:\n%s", niklasName, abbrev(pageText(t, karl)))
	}
	if n := eval[int](t, karl, `document.querySelectorAll('main a[href="/anbieter/termine/`+sid+`/anwesenheit.csv"]').length`); n != 1 {
		t.Errorf("the participants page has %d links to the CSV export, want 1", n)
	}
	axeCheck(t, karl, string(axeJS), "teilnehmende")
	screenshot(t, karl, "1b-teilnehmende")

	// --- The provider records attendance on all days. ---------------------
	hrefs := eval[[]string](t, niklas, `[...document.querySelectorAll('main a[href$="/kalender.ics"]')].map(a => a.getAttribute('href'))`)
	var bookingID int64
	for _, h := range hrefs {
		if m := calendarHrefRE.FindStringSubmatch(h); m != nil {
			bookingID, _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	if bookingID == 0 {
		t.Fatalf("no calendar link with the booking's ID among %q", hrefs)
	}
	// The provider records attendance after the session.
	realNow := db.Now
	db.Now = func() time.Time { return realNow().Add(400 * 24 * time.Hour) }
	b, err := platform.New(db, srv.url, nil).Booking.RecordAttendance(actorCtx(t, db, providerEmail), bookingID, nil, "present")
	db.Now = realNow
	if err != nil {
		t.Fatalf("record attendance: %v", err)
	}
	if b.Status != "completed" {
		t.Fatalf("after attendance on all days the booking is %q, want completed", b.Status)
	}

	// --- Niklas opens the verification page. ------------------------------
	navigate(t, niklas, srv.url+"/buchungen", 200)
	axeCheck(t, niklas, string(axeJS), "buchungen")
	submit(t, niklas, "click Prüfseite", chromedp.Click(`//main//a[starts-with(normalize-space(), "Prüfseite")]`))
	if p := eval[string](t, niklas, "location.pathname"); !strings.HasPrefix(p, "/verify/") {
		t.Fatalf("Prüfseite led to %s", p)
	}
	if txt := pageText(t, niklas); !strings.Contains(txt, "Dieses Zertifikat ist gültig") {
		t.Errorf("the verification page does not say the certificate is valid:\n%s", abbrev(txt))
	}
	axeCheck(t, niklas, string(axeJS), "verify")
	screenshot(t, niklas, "2-verify")
}
