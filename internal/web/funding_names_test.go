package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// A signatory whose name holds an emoji still gets an approved contract: the
// PDF draws what its font can and the name stays readable.
func TestApprovalWithAnEmojiInTheSignatorysName(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		org, err := e.db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		p := &domain.Person{Email: "lilly.mueller@futurehausen.example", Name: "Lilly 🚀 Müller"}
		if err := e.db.CreatePerson(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		prog, err := e.db.Programme(ctx, programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		lilly := e.apiAs(p.Email)
		res, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(
			`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 1, "declarations": true}`, prog.ProviderIDs[0]))
		expect(t, res, body, 201)
		app := decode[domain.Application](t, body)
		path := fmt.Sprintf("/api/v1/applications/%d", app.ID)
		res, body = lilly.json("POST", path+"/submit", "")
		expect(t, res, body, 200)
		res, body = e.apiAs("pruefung@staedtetag-bw.example").json("POST", path+"/approve", "")
		expect(t, res, body, 200)
		app = decode[domain.Application](t, body)
		res, contract := lilly.get(fmt.Sprintf("/api/v1/documents/%d", app.ContractID))
		if res.StatusCode != 200 {
			t.Fatalf("contract download: %d", res.StatusCode)
		}
		if text := pdfText(t, []byte(contract)); !strings.Contains(text, "Lilly ? Müller") {
			t.Fatalf("contract does not name the signatory:\n%s", text)
		}
	})
}

// Names of the people in an application refuse control characters, with a
// German message next to the field.
func TestApplicationPersonNamesRefuseControlCharacters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		prog, err := e.db.Programme(ctx, programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		lilly := e.apiAs("lilly@futurehausen.example")
		res, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(
			`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "advanced", "provider": %d, "people": 1,
			"certificates": [{"person_name": "Niklas\u0007 Neumann", "certificate": "c0ffee00-0000-4000-8000-000000000000"}]}`, prog.ProviderIDs[0]))
		expect(t, res, body, 422)
		if !strings.Contains(body, "certificates.0.person_name") || !strings.Contains(body, "Steuerzeichen") {
			t.Fatalf("control character in a name: %s", body)
		}
	})
}

// The form shows the refusal of a name with a control character next to the
// name field.
func TestApplicationFormShowsNameRefusalAtTheField(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	fh := e.orgByName("Stadt Futurehausen")
	lilly := e.sessionFor("lilly@futurehausen.example")
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	res := lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"advanced"}, "provider": {itoa(p.ProviderIDs[1])}})
	base := "/antraege/" + appIDRE.FindStringSubmatch(res.Header.Get("Location"))[1]
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", lilly.csrf)
	w.WriteField("people", "1")
	w.WriteField("name_0", "Niklas\u0007Neumann")
	fw, _ := w.CreateFormFile("file_0", "zertifikat.pdf")
	fw.Write(minimalPDF)
	w.Close()
	res = lilly.do("POST", base+"/bearbeiten?schritt=2", w.FormDataContentType(), &b)
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	atField := regexp.MustCompile(`id="f-name_0-error"[^>]*>.{0,200}Steuerzeichen`).Match(page)
	if res.StatusCode != 422 || !atField {
		t.Fatalf("control character in the name: %d, message at the field: %v", res.StatusCode, atField)
	}
}
