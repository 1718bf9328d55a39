package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

const (
	karlStaff = "kurse@verwaltungsschule-bw.example" // staff of the Verwaltungsschule
	franzFund = "foerderung@im-bw.example"           // funder, first eye
	helgaFund = "haushalt@im-bw.example"             // funder, second eye
)

var voucherBoxRE = regexp.MustCompile(`name="vouchers" value="([^"]+)"( checked)?`)

// pageText is a page's visible text with its white space collapsed.
func claimText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(stripTags(body))), " ")
}

func wantStatus(t *testing.T, what string, res *http.Response, want int, body string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d: %.600s", what, res.StatusCode, want, claimText(body))
	}
}

func wantText(t *testing.T, what, body string, want ...string) {
	t.Helper()
	text := claimText(body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q: %.1500s", what, w, text)
		}
	}
}

// claimIDFrom reads the claim's ID from a redirect to its page.
func claimIDFrom(t *testing.T, res *http.Response) string {
	t.Helper()
	loc := res.Header.Get("Location")
	m := regexp.MustCompile(`^/abrechnungen/(\d+)\?hinweis=`).FindStringSubmatch(loc)
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("no redirect to a claim: status %d, location %q", res.StatusCode, loc)
	}
	return m[1]
}

// TestClaimPagesWalkTheMoneyLoop plays a claim through its pages: the
// provider collects the story's two redeemed vouchers and submits them, the
// funder checks, cannot also release, returns only with a comment, and a
// second person of the funder releases the money.
func TestClaimPagesWalkTheMoneyLoop(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		karl, franz, helga := e.sessionFor(karlStaff), e.sessionFor(franzFund), e.sessionFor(helgaFund)

		_, body := karl.get("/")
		wantText(t, "the provider's desk", body, "Abrechnungen", "2 eingelöste Gutscheine abrechnen (600,00 €)")
		_, body = franz.get("/")
		if strings.Contains(claimText(body), "zu prüfen") || strings.Contains(claimText(body), "freizugeben") {
			t.Error("the funder's desk shows claims before any was submitted")
		}

		res, body := karl.get("/abrechnungen")
		wantStatus(t, "claims of the provider", res, 200, body)
		wantText(t, "claims of the provider", body, "Neue Abrechnung", "Noch keine Abrechnung.")
		if !strings.Contains(body, `href="/abrechnungen" aria-current="page">Abrechnungen</a>`) {
			t.Error("the menu does not offer the claims to the provider's staff")
		}

		res, body = karl.get("/abrechnungen/neu")
		wantStatus(t, "new claim", res, 200, body)
		wantText(t, "new claim", body, "2 eingelöste Gutscheine sind noch in keiner Abrechnung, zusammen", "Abrechnung als Entwurf anlegen")
		var codes []string
		for _, m := range voucherBoxRE.FindAllStringSubmatch(body, -1) {
			if m[2] == "" {
				t.Errorf("voucher %s is not ticked at first", m[1])
			}
			codes = append(codes, m[1])
		}
		if len(codes) != 2 {
			t.Fatalf("new claim offers %d vouchers, want 2", len(codes))
		}

		res, body = karl.postFormBody("/abrechnungen/neu", url.Values{"programm": {programmes.BWID}})
		wantStatus(t, "nothing ticked", res, 422, body)
		if !strings.Contains(body, `id="f-vouchers-error"`) || strings.Contains(body, " checked>") {
			t.Errorf("nothing ticked: no error next to the vouchers, or boxes ticked again: %.2000s", body)
		}
		wantText(t, "nothing ticked", body, "Bitte wählen Sie mindestens einen Gutschein.")

		res = karl.postForm("/abrechnungen/neu", url.Values{"programm": {programmes.BWID}, "vouchers": {codes[0]}})
		id := claimIDFrom(t, res)
		// The second voucher joins it on the vouchers page.
		res, body = karl.get("/abrechnungen/" + id + "/gutscheine")
		wantStatus(t, "vouchers of the claim", res, 200, body)
		if n := len(voucherBoxRE.FindAllString(body, -1)); n != 2 {
			t.Errorf("vouchers page offers %d vouchers, want 2", n)
		}
		res, body = karl.postFormBody("/abrechnungen/"+id+"/gutscheine", url.Values{})
		wantStatus(t, "no voucher left", res, 422, body)
		wantText(t, "no voucher left", body, "Bitte wählen Sie mindestens einen Gutschein.")
		res = karl.postForm("/abrechnungen/"+id+"/gutscheine", url.Values{"vouchers": codes})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("changing the vouchers: status %d", res.StatusCode)
		}

		res, body = karl.get("/abrechnungen/" + id + "?hinweis=abrechnung-angelegt")
		wantStatus(t, "draft", res, 200, body)
		wantText(t, "draft", body, "Die Abrechnung ist als Entwurf angelegt.", "Entwurf", "600,00 € für 2 Gutscheine", "Basisqualifizierung",
			"Einreichen: 600,00 € beim Fördergeber abrechnen", "Zurückziehen", "E-Rechnung (XRechnung)", "Angelegt")
		for _, link := range []string{"/api/v1/claims/" + id + "/xrechnung", "/api/v1/claims/" + id + "/export.csv", "/api/v1/claims/" + id + "/export.xlsx",
			"/api/v1/claims/" + id + "/export.pdf", "/abrechnungen/" + id + "/gutscheine"} {
			if !strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("claim page lacks the link %s", link)
			}
		}
		// A voucher already claimed cannot go into a second claim.
		res, body = karl.postFormBody("/abrechnungen/neu", url.Values{"programm": {programmes.BWID}, "vouchers": {codes[0]}})
		wantStatus(t, "claimed twice", res, 422, body)
		wantText(t, "claimed twice", body, "nicht abrechnen")
		// The funder does not see a draft.
		if res, _ := franz.get("/abrechnungen/" + id); res.StatusCode != http.StatusNotFound {
			t.Errorf("funder sees a draft: status %d", res.StatusCode)
		}

		if res := karl.postForm("/abrechnungen/"+id+"/einreichen", url.Values{}); claimIDFrom(t, res) != id {
			t.Fatal("submission went elsewhere")
		}

		_, body = franz.get("/")
		wantText(t, "the funder's desk", body, "1 Abrechnung sachlich zu prüfen")
		_, body = karl.get("/")
		if strings.Contains(claimText(body), "abrechnen (") {
			t.Error("the provider's desk still offers the claimed vouchers")
		}

		res, body = franz.get("/abrechnungen")
		wantStatus(t, "claims of the funder", res, 200, body)
		wantText(t, "claims of the funder", body, "Zu prüfen", "Eine Abrechnung wartet auf die sachliche Prüfung.", "Keine Abrechnung wartet auf die Freigabe.",
			"Verwaltungsschule", "Eingereicht")
		if strings.Contains(claimText(body), "Neue Abrechnung") {
			t.Error("the funder is offered a new claim")
		}

		// Returning needs a comment: the message stands next to the field,
		// the internal note is kept.
		res, body = franz.postFormBody("/abrechnungen/"+id+"/zurueckgeben", url.Values{"comment": {" "}, "note": {"Rückruf vereinbart"}})
		wantStatus(t, "return without comment", res, 422, body)
		if !strings.Contains(body, `id="f-zurueckgeben_comment-error"`) || !strings.Contains(body, "Rückruf vereinbart</textarea>") {
			t.Errorf("return without comment: no error next to the field or the note lost: %.3000s", body)
		}
		wantText(t, "return without comment", body, "Bitte schreiben Sie dem Bildungsträger, was zu korrigieren ist.")
		// With a comment the provider reads it, corrects and submits again.
		claimIDFrom(t, franz.postForm("/abrechnungen/"+id+"/zurueckgeben", url.Values{"comment": {"Bitte die Teilnahmeliste beifügen."}, "note": {""}}))
		_, body = karl.get("/")
		wantText(t, "the provider's desk after the return", body, "1 Abrechnung ist zur Korrektur zurückgegeben")
		_, body = karl.get("/abrechnungen/" + id)
		wantText(t, "returned claim", body, "Bitte um Korrektur", "Bitte die Teilnahmeliste beifügen.", "Zurückgegeben", "Einreichen:")
		claimIDFrom(t, karl.postForm("/abrechnungen/"+id+"/einreichen", url.Values{}))

		res, body = franz.get("/abrechnungen/" + id)
		wantText(t, "submitted claim for the funder", body, "Sachlich prüfen", "Als sachlich richtig bestätigen", "Zurückgeben", "Interne Notiz")
		if strings.Contains(claimText(body), "Einreichen:") {
			t.Error("the funder is offered to submit")
		}
		res = franz.postForm("/abrechnungen/"+id+"/pruefen", url.Values{"comment": {""}, "note": {"Teilnahmelisten liegen vor."}})
		claimIDFrom(t, res)

		res, body = franz.get("/abrechnungen/" + id + "?hinweis=abrechnung-geprueft")
		wantText(t, "checked claim", body, "Sachlich geprüft", "Freigeben (zweite Person)", "Sachlich geprüft von Franz",
			"Sie haben diese Abrechnung sachlich geprüft; freigeben muss sie eine andere Person.", "Teilnahmelisten liegen vor.", "intern")
		_, body = karl.get("/abrechnungen/" + id)
		if strings.Contains(body, "Teilnahmelisten liegen vor.") || strings.Contains(claimText(body), "Sachlich prüfen") {
			t.Error("the provider reads the funder's internal note or is offered the check")
		}

		// The checker cannot also release: 409 with the four-eyes message.
		res, body = franz.postFormBody("/abrechnungen/"+id+"/freigeben", url.Values{"comment": {""}})
		wantStatus(t, "release by the checker", res, 409, body)
		wantText(t, "release by the checker", body, "Vier-Augen-Prinzip: Die Freigabe muss eine andere Person erteilen als die sachliche Prüfung.")

		_, body = helga.get("/")
		wantText(t, "the second funder's desk", body, "1 Abrechnung freizugeben")
		res, body = helga.get("/abrechnungen")
		wantText(t, "claims of the second funder", body, "Zur Freigabe", "Eine geprüfte Abrechnung wartet auf die Freigabe durch eine zweite Person.")
		res = helga.postForm("/abrechnungen/"+id+"/freigeben", url.Values{"comment": {"Zur Zahlung angewiesen."}})
		claimIDFrom(t, res)
		_, body = karl.get("/abrechnungen/" + id)
		wantText(t, "approved claim", body, "Freigegeben", "Zur Zahlung angewiesen.", "Gutschrift erstellen")

		// A credit note needs vouchers and a reason; with them it is a new
		// draft.
		res, body = karl.postFormBody("/abrechnungen/"+id+"/gutschrift", url.Values{"reason": {"Doppelt bezahlt"}})
		wantStatus(t, "credit note without vouchers", res, 422, body)
		if !strings.Contains(body, `id="f-gutschrift_vouchers-error"`) || !strings.Contains(body, "Doppelt bezahlt</textarea>") {
			t.Errorf("credit note without vouchers: no error next to the field or the reason lost")
		}
		res = karl.postForm("/abrechnungen/"+id+"/gutschrift", url.Values{"reason": {"Doppelt bezahlt"}, "vouchers": {codes[1]}})
		credit := claimIDFrom(t, res)
		_, body = karl.get("/abrechnungen/" + credit)
		wantText(t, "credit note", body, "Gutschrift", "Doppelt bezahlt", "−300,00 €", "Entwurf")

		// The ledger shows the payment, linked to the claim.
		_, body = franz.get("/programme/" + programmes.BWID + "/budget?jahr=" + itoa(int64(domain.BudgetYear(e.db.Now()))))
		if !strings.Contains(body, `href="/abrechnungen/`+id+`"`) {
			// The vouchers may be charged to the year they were issued in.
			for _, y := range regexp.MustCompile(`budget\?jahr=(\d{4})`).FindAllStringSubmatch(body, -1) {
				_, body = franz.get("/programme/" + programmes.BWID + "/budget?jahr=" + y[1])
				if strings.Contains(body, `href="/abrechnungen/`+id+`"`) {
					break
				}
			}
		}
		wantText(t, "ledger", body, "Ausgezahlt", "Abgerechnet (in Prüfung)")
		if !strings.Contains(body, `href="/abrechnungen/`+id+`"`) {
			t.Error("the ledger does not link the claim")
		}
	})
}

// TestClaimFormsKeepInputAndExplain covers the billing data form and the
// budget form: bad input comes back with the message next to its field.
func TestClaimFormsKeepInputAndExplain(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		karl, franz := e.sessionFor(karlStaff), e.sessionFor(franzFund)

		res, body := karl.get("/rechnungsdaten")
		wantStatus(t, "billing data", res, 200, body)
		wantText(t, "billing data", body, "Umsatzsteuer-Identifikationsnummer oder Steuernummer", "Verwaltungsschule des Gemeindetags Baden-Württemberg")
		form := url.Values{"legal_name": {"Verwaltungsschule"}, "street": {"Panoramastraße 31"}, "postcode": {"70174"}, "city": {"Stuttgart"},
			"tax_number": {"99015/12345"}, "iban": {"DE02 1203 0000 0000 2020 52"}, "contact_name": {"Karl"}, "contact_phone": {"0711"},
			"contact_email": {"rechnung@verwaltungsschule-bw.example"}}
		res, body = karl.postFormBody("/rechnungsdaten", form)
		wantStatus(t, "bad IBAN", res, 422, body)
		wantText(t, "bad IBAN", body, "Diese IBAN ist nicht gültig: Bitte prüfen Sie sie.")
		if !strings.Contains(body, `id="f-iban-error"`) || !strings.Contains(body, `value="DE02 1203 0000 0000 2020 52"`) || !strings.Contains(body, `value="Panoramastraße 31"`) {
			t.Errorf("bad IBAN: no error next to the field or the input lost")
		}
		form.Set("iban", "DE02 1203 0000 0000 2020 51")
		if res := karl.postForm("/rechnungsdaten", form); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "hinweis=rechnungsdaten") {
			t.Fatalf("good billing data: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = karl.get("/rechnungsdaten")
		if !strings.Contains(body, `value="DE02120300000000202051"`) || !strings.Contains(body, `value="Verwaltungsschule"`) {
			t.Error("the saved billing data is not shown")
		}

		path := "/programme/" + programmes.BWID + "/budget"
		res, body = e.client().get("/programme/" + programmes.BWID)
		if strings.Contains(body, path) {
			t.Error("an anonymous visitor is offered the budget")
		}
		_, body = franz.get("/programme/" + programmes.BWID)
		if !strings.Contains(body, `href="`+path+`"`) {
			t.Error("the programme page does not link the budget for its funder")
		}
		res, body = franz.get(path)
		wantStatus(t, "budget", res, 200, body)
		wantText(t, "budget", body, "Geplant", "Gebunden", "In Prüfung abgerechnet", "Ausgezahlt", "Frei", "Budget festlegen")
		year := itoa(int64(domain.BudgetYear(e.db.Now())))
		res, body = franz.postFormBody(path, url.Values{"jahr": {year}, "amount": {"viel Geld"}, "note": {"Haushaltsansatz"}})
		wantStatus(t, "bad amount", res, 422, body)
		if !strings.Contains(body, `id="f-amount-error"`) || !strings.Contains(body, `value="viel Geld"`) || !strings.Contains(body, "Haushaltsansatz</textarea>") {
			t.Error("bad amount: no error next to the field or the input lost")
		}
		wantText(t, "bad amount", body, "Bitte geben Sie den Betrag in Euro an")
		res = franz.postForm(path, url.Values{"jahr": {year}, "amount": {"250.000,00"}, "note": {"Haushaltsansatz"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good amount: status %d", res.StatusCode)
		}
		_, body = franz.get(res.Header.Get("Location"))
		wantText(t, "budget after setting", body, "Das Budget ist festgelegt.", "250.000,00 €", "Budget festgelegt", "+250.000,00 €", "Haushaltsansatz")

		// Admins read the budget but may not set it.
		_, body = e.sessionFor("admin@lotse.example").get(path)
		wantText(t, "budget for admins", body, "250.000,00 €")
		if strings.Contains(claimText(body), "Budget festlegen") {
			t.Error("an admin is offered to set the budget")
		}
	})
}

func TestParseEuros(t *testing.T) {
	for in, want := range map[string]int64{"250.000,00": 25_000_000, "250000": 25_000_000, "250.000": 25_000_000, "1234,5": 123_450,
		"1234.50": 123_450, "12.000.000 €": 1_200_000_000, " 0 ": 0, "7,05": 705} {
		if got, ok := parseEuros(in); !ok || got != want {
			t.Errorf("parseEuros(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "viel", "1.2345", "12,345", "-5", "1,2,3", "1..000", "1e5"} {
		if got, ok := parseEuros(in); ok {
			t.Errorf("parseEuros(%q) = %d, want refused", in, got)
		}
	}
}
