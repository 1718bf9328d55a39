package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/einvoice/einvoicetest"
)

// download fetches a document through the API and checks its type.
func download(t *testing.T, c *client, path, mediaType string) []byte {
	t.Helper()
	res, body := c.json("GET", path, "")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), mediaType) ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET %s: %d %q %q: %.300s", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body)
	}
	return []byte(body)
}

// TestMoneyLoopThroughTheAPI: the provider claims the demo story's redeemed
// vouchers, two people of the ministry check and release the claim, the
// vouchers are settled, the budget shows the payment, and the claim's
// documents are real: the e-invoice passes the official rules, the workbook
// opens.
func TestMoneyLoopThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		karl := e.apiAs("kurse@verwaltungsschule-bw.example")
		franz := e.apiAs("foerderung@im-bw.example")
		helga := e.apiAs("haushalt@im-bw.example")
		year := e.db.Now().In(domain.Berlin).Year()

		res, out := franz.json("PUT", "/api/v1/programmes/digitallotsen-bw/budget", fmt.Sprintf(`{"year": %d, "amount_cents": -5}`, year))
		expect(t, res, out, 422)
		res, out = franz.json("PUT", "/api/v1/programmes/digitallotsen-bw/budget", fmt.Sprintf(`{"year": %d, "amount_cents": 25000000, "note": "Haushaltsansatz"}`, year))
		expect(t, res, out, 200)
		before := decode[domain.Budget](t, out)

		res, out = karl.json("POST", "/api/v1/claims", `{"programme": "digitallotsen-bw", "vouchers": []}`)
		expect(t, res, out, 201)
		c := decode[claimJSON](t, out)
		if c.Claim == nil || c.Status != domain.ClaimDraft || len(c.Vouchers) != 2 || c.TotalCents != 60000 || c.ID == 0 {
			t.Fatalf("claim: %s", out)
		}
		res, out = karl.json("POST", "/api/v1/claims", `{"programme": "digitallotsen-bw", "vouchers": []}`)
		expect(t, res, out, 422)
		if !strings.Contains(out, "keine eingelösten Gutscheine") {
			t.Fatalf("second claim: %s", out)
		}
		path := fmt.Sprintf("/api/v1/claims/%d", c.ID)
		res, out = franz.json("GET", path, "")
		expect(t, res, out, 404) // a draft is the provider's own
		res, out = karl.json("POST", path+"/submit", "")
		expect(t, res, out, 200)

		res, out = franz.json("GET", "/api/v1/claims?status=submitted", "")
		expect(t, res, out, 200)
		if l := decode[struct{ Items []claimJSON }](t, out); len(l.Items) != 1 || l.Items[0].ID != c.ID {
			t.Fatalf("funder's list: %s", out)
		}
		res, out = karl.json("POST", path+"/check", "")
		expect(t, res, out, 403)
		res, out = franz.json("POST", path+"/check", `{"note": "Teilnahmelisten geprüft"}`)
		expect(t, res, out, 200)
		res, out = franz.json("POST", path+"/approve", "")
		expect(t, res, out, 409)
		if !strings.Contains(out, "Vier-Augen-Prinzip") {
			t.Fatalf("same person releases: %s", out)
		}
		res, out = helga.json("POST", path+"/approve", `{"comment": "Zahlung angewiesen"}`)
		expect(t, res, out, 200)
		if got := decode[claimJSON](t, out); got.Status != domain.ClaimApproved || got.ApprovedBy != "Helga Haushalt" {
			t.Fatalf("approved: %s", out)
		}
		for _, code := range c.Vouchers {
			res, out = karl.json("GET", "/api/v1/vouchers/"+code, "")
			expect(t, res, out, 200)
			if v := decode[domain.Voucher](t, out); v.State != domain.VoucherSettled {
				t.Fatalf("voucher %s: %s", code, v.State)
			}
		}
		res, out = karl.json("GET", path, "")
		expect(t, res, out, 200)
		if strings.Contains(out, "Teilnahmelisten") {
			t.Fatal("the provider reads the funder's internal note")
		}

		res, out = franz.json("GET", "/api/v1/programmes/digitallotsen-bw/budget", "")
		expect(t, res, out, 200)
		after := decode[domain.Budget](t, out)
		if after.PaidCents != before.PaidCents+60000 || after.CommittedCents != before.CommittedCents-60000 || after.FreeCents != before.FreeCents {
			t.Fatalf("budget before %+v, after %+v", before, after)
		}
		res, out = franz.json("GET", "/api/v1/programmes/digitallotsen-bw/ledger", "")
		expect(t, res, out, 200)
		if !strings.Contains(out, `"kind":"pay"`) || !strings.Contains(out, fmt.Sprintf(`"idempotency_key":"pay:%d:`, c.ID)) {
			t.Fatalf("ledger: %.500s", out)
		}

		// The documents, read back.
		xml := download(t, helga, path+"/xrechnung", "application/xml")
		for _, want := range []string{"<cbc:BuyerReference>08111000-STBW01-73</cbc:BuyerReference>", c.Number, "Städtetag Baden-Württemberg"} {
			if !bytes.Contains(xml, []byte(want)) {
				t.Fatalf("e-invoice without %q", want)
			}
		}
		wb := download(t, karl, path+"/export.xlsx", "application/vnd.openxmlformats")
		f, err := excelize.OpenReader(bytes.NewReader(wb))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil || len(rows) < 3 || !strings.Contains(strings.Join(rows[len(rows)-1], " "), "600") {
			t.Fatalf("workbook rows: %v, %v", rows, err)
		}
		csv := download(t, karl, path+"/export.csv", "text/csv")
		if !bytes.HasPrefix(csv, []byte("\xef\xbb\xbf")) || !bytes.Contains(csv, []byte(";")) {
			t.Fatalf("csv: %.200q", csv)
		}
		if txt := pdfText(t, download(t, franz, path+"/export.pdf", "application/pdf")); !strings.Contains(txt, c.Number) || !strings.Contains(txt, "600,00") {
			t.Fatalf("pdf: %.500s", txt)
		}
		res, _ = e.apiAs("kurse@vwa-bw.example").json("GET", path+"/export.csv", "")
		if res.StatusCode != 404 {
			t.Fatalf("another provider downloads: %d", res.StatusCode)
		}
		// Last, as it skips where the official rules are not installed.
		einvoicetest.RequireValid(t, "claim.xml", xml)
	})
}
