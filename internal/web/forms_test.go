package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// summaryRE finds the error summary that takes the focus when the page
// opens.
var summaryRE = regexp.MustCompile(`<div class="[^"]*error-summary"[^>]*role="alert"[^>]*autofocus`)

// wantSummary fails unless the page opens with the error summary and it
// links to each of hrefs.
func wantSummary(t *testing.T, page string, hrefs ...string) {
	t.Helper()
	if !summaryRE.MatchString(page) {
		t.Errorf("the page has no error summary with role=alert and autofocus:\n%.2000s", page)
	}
	for _, h := range hrefs {
		if !strings.Contains(page, `href="`+h+`"`) {
			t.Errorf("the error summary does not link to %s", h)
		}
	}
}

func TestApplicationStepsKeepTheInputAndSayWhatIsMissing(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		lilly := e.sessionFor("lilly@futurehausen.example")
		p, err := e.db.Programme(t.Context(), programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		// Step 1 with a provider that is not in the programme: the chosen
		// track stays chosen.
		res, page := lilly.postFormBody("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"basis"}, "provider": {"999999"}})
		if res.StatusCode != 422 || !regexp.MustCompile(`id="track-basis"[^>]*checked`).MatchString(page) {
			t.Fatalf("step 1 with a foreign provider: %d; the track basis is not kept", res.StatusCode)
		}
		wantSummary(t, page, "#f-provider")
		res = lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"basis"}, "provider": {itoa(p.ProviderIDs[0])}})
		m := appIDRE.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("step 1: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		base := "/antraege/" + m[1]

		// Step 2 checks the number against the contingent (3 places) at
		// once and keeps the number typed.
		res, page = lilly.postFormBody(base+"/bearbeiten?schritt=2", url.Values{"people": {"5"}})
		if res.StatusCode != 422 || !strings.Contains(page, "Im Kontingent sind nur noch 3 Plätze frei.") || !strings.Contains(page, `value="5"`) {
			t.Fatalf("step 2 over the contingent: %d\n%.3000s", res.StatusCode, page)
		}
		wantSummary(t, page, "#f-people")
		if res := lilly.postForm(base+"/bearbeiten?schritt=2", url.Values{"people": {"3"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("step 2 within the contingent: %d", res.StatusCode)
		}

		// Step 3 and 2: "Speichern und weiter" comes first in the form, so
		// Enter in a field submits it, not "Zurück".
		_, page = lilly.get(base + "/bearbeiten?schritt=2")
		if w, z := strings.Index(page, "Speichern und weiter"), strings.Index(page, `name="zurueck"`); w < 0 || z < 0 || w > z {
			t.Errorf("in step 2 Zurück comes before Speichern und weiter (%d, %d)", w, z)
		}

		// Submitting without the declarations lists what is missing with
		// links to the steps.
		res, page = lilly.postFormBody(base+"/einreichen", url.Values{})
		if res.StatusCode != 422 || !strings.Contains(page, "noch nicht vollständig") {
			t.Fatalf("incomplete submission: %d", res.StatusCode)
		}
		wantSummary(t, page, base+"/bearbeiten?schritt=3#f-declarations")
		if !strings.Contains(page, "Schritt 3 (Erklärungen): ") {
			t.Error("the summary does not name the step of the missing declarations")
		}
	})
}

func TestSessionFormKeepsItsValuesAfterAnError(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	karl := e.sessionFor("kurse@verwaltungsschule-bw.example")
	provider := e.orgByName(programmes.Verwaltungsschule)
	offers, _, err := e.db.Offers(t.Context(), store.OfferFilter{ProviderID: provider.ID, Status: "published", Limit: 1})
	if err != nil || len(offers) == 0 {
		t.Fatalf("an offer of the Verwaltungsschule: %v", err)
	}
	path := fmt.Sprintf("/angebote/%d/termine", offers[0].ID)
	start := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	res, page := karl.postFormBody(path, url.Values{"starts_at": {start}, "ends_at": {start}, "days": {"1"}, "capacity": {"0"},
		"ags": {"08111000"}, "address": {"Markt 1"}, "registration_deadline": {start}})
	if res.StatusCode != 422 {
		t.Fatalf("session without places: %d", res.StatusCode)
	}
	for _, want := range []string{`id="t-starts_at" name="starts_at" type="date" value="` + start + `"`, `id="t-address" name="address" type="text" value="Markt 1"`,
		`id="t-ags" name="ags" type="text" value="08111000"`, `id="t-registration_deadline" name="registration_deadline" type="date" value="` + start + `"`,
		`id="t-capacity" name="capacity" type="number" value="0" aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the session form after the error lacks %s", want)
		}
	}
	wantSummary(t, page, "#t-capacity")
	// The offer form above it shows no error of the session form.
	if strings.Contains(page, `id="f-days" name="days" type="number" value="`+fmt.Sprint(offers[0].Days)+`" aria-invalid`) {
		t.Error("the offer form's days field shows the session form's error")
	}
}

func TestBookingFormKeepsPaymentAndCodeAfterAnError(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	niklas := e.sessionFor("niklas@futurehausen.example")
	offers, _, err := e.db.Offers(t.Context(), store.OfferFilter{Status: "published", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var session int64
	var offer domain.Offer
	for _, o := range offers {
		if len(o.FundingTracks) > 0 && slices.ContainsFunc(o.Sessions, func(s domain.Session) bool { return s.RegistrationDeadline.After(time.Now()) }) {
			offer = o
			for _, s := range o.Sessions {
				if s.RegistrationDeadline.After(time.Now()) {
					session = s.ID
					break
				}
			}
			break
		}
	}
	if session == 0 {
		t.Fatal("no fundable offer with an open session")
	}
	res, page := niklas.postFormBody(fmt.Sprintf("/termine/%d/buchen", session), url.Values{"payment": {"voucher"}, "voucher": {"08999001-AAAA-BBBB-CCCC"}})
	if res.StatusCode < 400 {
		t.Fatalf("booking with an unknown code: %d", res.StatusCode)
	}
	if !strings.Contains(page, `name="voucher" value="08999001-AAAA-BBBB-CCCC"`) || !strings.Contains(page, `<option value="voucher" selected>`) {
		t.Errorf("the booking form of %q lost the payment or the code:\n%.3000s", offer.Title, page)
	}
	wantSummary(t, page, fmt.Sprintf("#pay-%d", session))
}

func TestReviewerReadsTheContractBeforeApproving(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	fh := e.orgByName("Stadt Futurehausen")
	lilly := e.sessionFor("lilly@futurehausen.example")
	p, err := e.db.Programme(t.Context(), programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	res := lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"basis"}, "provider": {itoa(p.ProviderIDs[0])}})
	m := appIDRE.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("step 1: %d", res.StatusCode)
	}
	base := "/antraege/" + m[1]
	lilly.postForm(base+"/bearbeiten?schritt=2", url.Values{"people": {"2"}})
	lilly.postForm(base+"/bearbeiten?schritt=3", url.Values{"declarations": {"ja"}})
	if res := lilly.postForm(base+"/einreichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	petra := e.sessionFor("pruefung@staedtetag-bw.example")
	_, page := petra.get(base)
	for _, want := range []string{`href="` + base + `/vertragsentwurf"`, "2 Gutscheincodes für die Basisqualifizierung", "Verbindlich genehmigen", "<summary"} {
		if !strings.Contains(page, want) {
			t.Errorf("the review lacks %s", want)
		}
	}
	res, pdf := petra.get(base + "/vertragsentwurf")
	if res.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("contract preview: %d %s %.20q", res.StatusCode, res.Header.Get("Content-Type"), pdf)
	}
	// The preview approves nothing.
	_, page = petra.get(base)
	if !strings.Contains(page, "Eingereicht") || strings.Contains(page, "Gutscheincodes</caption>") {
		t.Error("after the preview the application is no longer just submitted")
	}
	// The municipality cannot preview its own contract.
	if res, _ := lilly.get(base + "/vertragsentwurf"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("the signatory gets the preview: %d", res.StatusCode)
	}
}

func TestOfferFormKeepsEveryValueAfterAnError(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	karl := e.sessionFor("kurse@verwaltungsschule-bw.example")
	res, page := karl.postFormBody("/anbieter/angebote/neu", url.Values{"title": {"Mein neuer Kurs"}, "code": {"NEU-1"}, "summary": {""},
		"description": {"Eine Beschreibung"}, "outcomes": {"Planen\nSteuern"}, "competence": {"STRAT.1"}, "level_STRAT.1": {"2"},
		"format": {"live_online"}, "level": {"advanced"}, "language": {"de"}, "hours": {"12"}, "days": {"2"}, "certificate": {"exam"},
		"credits": {"2,5"}, "price": {"120,00"}, "target_groups": {"Alle"}, "funding": {"digitallotsen-bw/basis"}})
	if res.StatusCode != 422 {
		t.Fatalf("offer without a summary: %d", res.StatusCode)
	}
	for _, want := range []string{`value="Mein neuer Kurs"`, `value="NEU-1"`, ">Eine Beschreibung</textarea>", ">Planen\nSteuern</textarea>",
		`id="f-hours" name="hours" type="number" value="12"`, `id="f-days" name="days" type="number" value="2"`, `value="2,5"`, `value="120,00"`,
		`value="STRAT.1" checked`, `<option value="2" selected>`, `<option value="live_online" selected>`, `<option value="advanced" selected>`,
		`<option value="exam" selected>`, `value="digitallotsen-bw/basis" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("the offer form after the error lacks %s", want)
		}
	}
	wantSummary(t, page, "#f-summary")
}

func TestProviderCreatesASessionThatBeginsToday(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	now := time.Date(2026, 12, 3, 10, 30, 0, 0, domain.Berlin)
	e.db.Now = func() time.Time { return now.UTC() }
	karl := e.sessionFor("kurse@verwaltungsschule-bw.example")
	provider := e.orgByName(programmes.Verwaltungsschule)
	offers, _, err := e.db.Offers(t.Context(), store.OfferFilter{ProviderID: provider.ID, Status: "published", Limit: 1})
	if err != nil || len(offers) == 0 {
		t.Fatalf("an offer of the Verwaltungsschule: %v", err)
	}
	path := fmt.Sprintf("/angebote/%d/termine", offers[0].ID)
	today := now.Format("2006-01-02")
	form := url.Values{"starts_at": {today}, "starts_time": {"25:99"}, "ends_at": {today}, "ends_time": {"17:00"}, "days": {"1"},
		"capacity": {"12"}, "online": {"ja"}, "registration_deadline": {today}}
	res, page := karl.postFormBody(path, form)
	if res.StatusCode != 422 || !strings.Contains(page, "Bitte geben Sie eine Uhrzeit an") || !strings.Contains(page, `value="25:99"`) {
		t.Fatalf("a wrong time: status %d", res.StatusCode)
	}
	form.Set("starts_time", "14:00")
	if res := karl.postForm(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a session this afternoon: status %d", res.StatusCode)
	}
	o, err := e.db.Offer(t.Context(), offers[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 3, 14, 0, 0, 0, domain.Berlin)
	found := false
	for _, s := range o.Sessions {
		if s.StartsAt.Equal(want) {
			found = true
			if !s.RegistrationDeadline.Equal(want) || !s.EndsAt.Equal(time.Date(2026, 12, 3, 17, 0, 0, 0, domain.Berlin)) {
				t.Errorf("session today: deadline %v, end %v", s.RegistrationDeadline, s.EndsAt)
			}
		}
	}
	if !found {
		t.Fatalf("no session today at 14:00 among %+v", o.Sessions)
	}
}
