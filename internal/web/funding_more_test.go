package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func (c *client) upload(path, name string, content []byte) (*http.Response, string) {
	c.e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(content)
	w.Close()
	res := c.do("POST", path, w.FormDataContentType(), &b)
	defer res.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	return res, body.String()
}

func TestCertificateUploadThroughTheAPI(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	fh := e.orgByName("Stadt Futurehausen")
	anna := e.apiAs("anna@futurehausen.example")
	path := "/api/v1/organisations/" + itoa(fh.ID) + "/documents"
	res, body := anna.upload(path, "zertifikat.pdf", []byte("<html>kein PDF</html>"))
	expect(t, res, body, 422)
	res, body = anna.upload(path, "gross.pdf", append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 11<<20)...), []byte("\n%%EOF\n")...))
	expect(t, res, body, 413)
	// A PDF of 3 MB is fine (more than the 1 MB limit of other requests).
	big := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("%"), 3<<20)...), minimalPDF[9:]...)
	res, body = anna.upload(path, "gross-aber-erlaubt.pdf", big)
	expect(t, res, body, 201)
	res, body = anna.upload(path, "../../zertifikat.pdf", minimalPDF)
	expect(t, res, body, 201)
	d := decode[domain.Document](t, body)
	if d.Name != "zertifikat.pdf" || len(d.SHA256) != 64 || d.Size != int64(len(minimalPDF)) {
		t.Fatalf("document %+v", d)
	}
	res, got := anna.get(fmt.Sprintf("/api/v1/documents/%d", d.ID))
	if res.StatusCode != 200 || got != string(minimalPDF) {
		t.Fatalf("download: %d", res.StatusCode)
	}
	// A participant may not upload; another municipality's staff may not read it.
	res, body = e.apiAs("niklas@futurehausen.example").upload(path, "z.pdf", minimalPDF)
	expect(t, res, body, 403)
	if res, _ := e.apiAs("pruefung@staedtetag-bw.example").get(fmt.Sprintf("/api/v1/documents/%d", d.ID)); res.StatusCode != 404 {
		t.Fatalf("reviewer reads an unsubmitted document: %d", res.StatusCode)
	}
	// An advanced application with the certificate.
	p, _ := e.db.Programme(context.Background(), programmes.BWID)
	res, body = e.apiAs("lilly@futurehausen.example").json("POST", "/api/v1/applications", fmt.Sprintf(
		`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "advanced", "provider": %d, "people": 2,
		  "certificates": [{"person_name": "Niklas Neumann", "document": %d}]}`, p.ProviderIDs[0], d.ID))
	expect(t, res, body, 201)
	app := decode[domain.Application](t, body)
	res, body = e.apiAs("lilly@futurehausen.example").json("PATCH", fmt.Sprintf("/api/v1/applications/%d", app.ID), `{"declarations": true}`)
	expect(t, res, body, 200)
	res, body = e.apiAs("lilly@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/applications/%d/submit", app.ID), "")
	expect(t, res, body, 422)
	if !strings.Contains(body, "1 von 2") {
		t.Fatalf("missing certificate not explained: %s", body)
	}
}

func TestReviewerOfAnotherAssociationSeesNothing(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	ctx := context.Background()
	gt := e.orgByName(programmes.Gemeindetag)
	other := &domain.Person{Email: "pruefung@gemeindetag-bw.example", Name: "Gerd Gemeindetag"}
	e.db.CreatePerson(ctx, other, testPassword)
	if err := e.db.SetRoles(ctx, gt.ID, other.ID, []domain.Role{domain.RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	lilly := e.apiAs("lilly@futurehausen.example")
	p, _ := e.db.Programme(ctx, programmes.BWID)
	_, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 1}`, p.ProviderIDs[0]))
	app := decode[domain.Application](t, body)
	lilly.json("PATCH", fmt.Sprintf("/api/v1/applications/%d", app.ID), `{"declarations": true}`)
	res, body := lilly.json("POST", fmt.Sprintf("/api/v1/applications/%d/submit", app.ID), "")
	expect(t, res, body, 200)
	gtc := e.apiAs(other.Email)
	_, body = gtc.json("GET", "/api/v1/applications", "")
	if decode[httpx.List[domain.Application]](t, body).Total != 0 {
		t.Fatalf("Gemeindetag reviewer lists a Städtetag application: %s", body)
	}
	for _, step := range []string{"", "/approve"} {
		method := "GET"
		if step != "" {
			method = "POST"
		}
		if res, _ := gtc.json(method, fmt.Sprintf("/api/v1/applications/%d%s", app.ID, step), ""); res.StatusCode != 404 {
			t.Fatalf("%s %s by another association: %d", method, step, res.StatusCode)
		}
	}
}

func TestVoucherLookupsAreRateLimited(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	prov := e.apiAs("kurse@vwa-bw.example")
	var last *http.Response
	for i := 0; i <= funding.LookupLimit; i++ {
		last, _ = prov.json("GET", "/api/v1/vouchers/08999001-K7QM-4XD2-P9H1", "")
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("lookup %d: status %d, want 429", funding.LookupLimit+1, last.StatusCode)
	}
	// Another token of another provider from the same address is limited by address too.
	other := e.apiAs("kurse@verwaltungsschule-bw.example")
	if res, _ := other.json("GET", "/api/v1/vouchers/08999001-K7QM-4XD2-P9H1", ""); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("same address, other token: %d, want 429", res.StatusCode)
	}
}

func TestClosedProgrammeTakesNoApplications(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	funder := e.sessionFor("foerderung@im-bw.example")
	p, _ := e.db.Programme(context.Background(), programmes.BWID)
	// The funder closes the programme and raises the basis amount in the UI.
	form := url.Values{"open": {"false"}, "voucher_validity_days": {"400"}, "amount_basis": {"320,00"}, "amount_advanced": {"50,00"}, "max_advanced": {"150,00"}}
	for i, r := range p.Contingent {
		form.Set(fmt.Sprintf("people_%d", i), fmt.Sprint(r.People))
	}
	res, body := funder.postFormBody("/programme/digitallotsen-bw", cloneValues(form))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, body)
	}
	got, _ := e.db.Programme(context.Background(), programmes.BWID)
	if got.Open || got.VoucherValidityDays != 400 || got.Tracks[0].AmountCents != 32000 {
		t.Fatalf("programme after edit %+v", got)
	}
	entries, _, _ := e.db.Audit(context.Background(), domain.AuditFilter{Action: "programme.save", Limit: 5})
	if len(entries) < 1 || !strings.Contains(entries[0].Detail, `"open":false`) || !strings.Contains(entries[0].Detail, `"old":`) {
		t.Fatalf("audit of the edit: %+v", entries)
	}
	// Bad input is refused next to the field.
	form.Set("amount_basis", "dreihundert")
	res, body = funder.postFormBody("/programme/digitallotsen-bw", cloneValues(form))
	if res.StatusCode != 422 || !strings.Contains(body, "Betrag in Euro") {
		t.Fatalf("bad amount: %d", res.StatusCode)
	}
	res, body = e.apiAs("lilly@futurehausen.example").json("POST", "/api/v1/applications",
		fmt.Sprintf(`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 1}`, p.ProviderIDs[0]))
	expect(t, res, body, 409)
	if !strings.Contains(body, "nimmt derzeit keine Anträge an") {
		t.Fatalf("closed programme: %s", body)
	}
	// The API edit by a municipality is refused.
	res, body = e.apiAs("lilly@futurehausen.example").json("PUT", "/api/v1/programmes/digitallotsen-bw", `{}`)
	expect(t, res, body, 403)
}
