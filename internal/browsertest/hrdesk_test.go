package browsertest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	platform "github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// TestHRDecidesOnTheApprovalsPage: Niklas's employer-paid booking waits on
// Anna's desk; a decline without a reason shows the message next to the
// field; Anna approves after the confirmation; the team overview lists
// Niklas. Each page is axe-checked.
func TestHRDecidesOnTheApprovalsPage(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	db := srv.db
	nctx := actorCtx(t, db, niklasEmail)
	org, err := db.OrganisationByAGS(nctx, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	offers, _, err := db.Offers(nctx, store.OfferFilter{Status: "published", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var session int64
	for _, o := range offers {
		if len(o.Sessions) > 0 && o.Sessions[0].RegistrationDeadline.After(db.Now()) && o.Sessions[0].Free > 0 {
			session = o.Sessions[0].ID
			break
		}
	}
	if session == 0 {
		t.Fatal("no open session in the demo catalog")
	}
	services := platform.New(db, srv.url, nil)
	b, err := services.Booking.Book(nctx, booking.Request{SessionID: session, Payment: domain.PayEmployer, Employer: org.ID})
	if err != nil || b.Status != domain.BookingAwaitingApproval {
		t.Fatalf("Niklas's employer booking: %+v, %v", b, err)
	}
	id := strconv.FormatInt(b.ID, 10)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	anna := newBrowser(t, ctx)
	login(t, anna, srv.url, "anna@futurehausen.example", "Anna Albrecht")
	navigate(t, anna, srv.url+"/freigaben", 200)
	if !listsPerson(tableRows(t, anna, "Buchungen, die auf Freigabe warten"), niklasName) {
		t.Fatalf("the approvals table does not list %s:\n%s", niklasName, abbrev(pageText(t, anna)))
	}
	axeCheck(t, anna, string(axeJS), "freigaben")
	screenshot(t, anna, "1-freigaben")

	submit(t, anna, "decline without a reason", chromedp.Click(chromedp.CSS(`form[action="/freigaben/`+id+`/ablehnen"] button[type="submit"]`)))
	if msg := eval[string](t, anna, `(document.getElementById('reason-`+id+`-error') || {}).innerText || ''`); msg != "Bitte geben Sie einen Grund für die Ablehnung an." {
		t.Fatalf("message next to the reason field: %q\n%s", msg, abbrev(pageText(t, anna)))
	}
	axeCheck(t, anna, string(axeJS), "freigaben-fehler")
	screenshot(t, anna, "2-freigaben-fehler")

	navigate(t, anna, srv.url+"/freigaben/"+id+"/genehmigen", 200)
	axeCheck(t, anna, string(axeJS), "genehmigen")
	screenshot(t, anna, "3-genehmigen")
	submit(t, anna, "approve", chromedp.Click(chromedp.CSS(`main form[action="/freigaben/`+id+`/genehmigen"] button[type="submit"]`)))
	wantPath(t, anna, "/freigaben")
	if got, _ := db.Booking(nctx, b.ID); got.Status != domain.BookingConfirmed {
		t.Fatalf("after approving: %s", got.Status)
	}

	navigate(t, anna, srv.url+"/organisationen/"+strconv.FormatInt(org.ID, 10)+"/team?name=niklas", 200)
	if !listsPerson(tableRows(t, anna, "Beschäftigte von "+org.Name+" mit Gutscheinen, Buchungen und Zertifikaten"), niklasName) {
		t.Fatalf("the team table does not list %s:\n%s", niklasName, abbrev(pageText(t, anna)))
	}
	axeCheck(t, anna, string(axeJS), "team")
	screenshot(t, anna, "4-team")
}

// listsPerson reports whether a table's first column names the person.
func listsPerson(rows [][]string, name string) bool {
	for _, r := range rows {
		if len(r) > 0 && strings.Contains(r[0], name) {
			return true
		}
	}
	return false
}
